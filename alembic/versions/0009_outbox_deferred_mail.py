"""A mail in the outbox may be rendered when it is sent: its renderer and key

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 16:50:00

Registration mails were rendered inside the registration's request (text and HTML, about a tenth
of its CPU); they are now rendered by the sender from the registration, like their badge and
calendar attachments. Rows already queued keep their bodies and have no renderer.
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("renderer", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("render_key", sa.Text(), nullable=True))


def downgrade() -> None:
    # The older code would send a mail still waiting to be rendered empty: refuse until they are
    # sent (``events mail send --once``).
    waiting = op.get_bind().scalar(
        sa.text(
            "SELECT count(*) FROM outbox_messages "
            "WHERE renderer IS NOT NULL AND status IN ('pending', 'sending')"
        )
    )
    if waiting:
        raise RuntimeError(
            f"{waiting} mails in the outbox are rendered when sent; "
            "send them first (events mail send --once), then downgrade"
        )
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_column("render_key")
        batch.drop_column("renderer")
