"""checkin: check-ins, scans, sessions that require their own scan

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 06:10:00.000000
"""

from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = advanced_alchemy.types.DateTimeUTC(timezone=True)
JSON = (
    sa.JSON()
    .with_variant(postgresql.JSONB(astext_type=Text()), "cockroachdb")
    .with_variant(advanced_alchemy.types.ORA_JSONB(), "oracle")
    .with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
)
LIVE = "undone_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "requires_checkin", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )

    op.create_table(
        "checkins",
        sa.Column("id", ID, nullable=False),
        sa.Column("event_id", ID, nullable=False),
        sa.Column("registration_id", ID, nullable=False),
        sa.Column("door", sa.String(length=32), nullable=False),
        sa.Column("session_id", ID, nullable=True),
        sa.Column("checked_in_at", UTC_TIME, nullable=False),
        sa.Column("desk", sa.String(length=40), nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("scan_id", sa.BigInteger(), nullable=True),
        sa.Column("undone_at", UTC_TIME, nullable=True),
        sa.Column("undone_by", ID, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_checkins_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["registrations.id"],
            name=op.f("fk_checkins_registration_id_registrations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_checkins_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_checkins_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["undone_by"], ["users.id"], name=op.f("fk_checkins_undone_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )  # fmt: skip
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_checkins_registration_id"), ["registration_id"], unique=False
        )
        batch_op.create_index("ix_checkins_event_door", ["event_id", "door"], unique=False)
        batch_op.create_index(
            "uq_checkins_registration_door_live",
            ["registration_id", "door"],
            unique=True,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )

    op.create_table(
        "checkin_scans",
        sa.Column("id", ID, nullable=False),
        sa.Column("event_id", ID, nullable=False),
        sa.Column("registration_id", ID, nullable=True),
        sa.Column("checkin_id", ID, nullable=True),
        sa.Column("session_id", ID, nullable=True),
        sa.Column("door", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("token", sa.String(length=80), nullable=True),
        sa.Column("desk", sa.String(length=40), nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("nonce", sa.String(length=64), nullable=True),
        sa.Column("scanned_at", UTC_TIME, nullable=False),
        sa.Column("received_at", UTC_TIME, nullable=False),
        sa.Column("offline", sa.Boolean(), nullable=False),
        sa.Column("double_admission", sa.Boolean(), nullable=False),
        sa.Column("answer", JSON, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_checkin_scans_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"], ["registrations.id"],
            name=op.f("fk_checkin_scans_registration_id_registrations"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"], ["checkins.id"], name=op.f("fk_checkin_scans_checkin_id_checkins"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_checkin_scans_session_id_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_checkin_scans_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_scans")),
        sa.UniqueConstraint("event_id", "nonce", name="uq_checkin_scans_event_nonce"),
    )  # fmt: skip
    with op.batch_alter_table("checkin_scans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_scans_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_checkin_scans_registration_id"), ["registration_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_checkin_scans_checkin_id"), ["checkin_id"], unique=False
        )
        batch_op.create_index(
            "ix_checkin_scans_event_flagged", ["event_id", "double_admission"], unique=False
        )


def downgrade() -> None:
    op.drop_table("checkin_scans")
    op.drop_table("checkins")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("requires_checkin")
