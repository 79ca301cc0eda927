"""Run Alembic programmatically (``events db …``, ``make run``, tests)."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from events.settings import PROJECT_ROOT, Settings


def alembic_config(settings: Settings) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["settings"] = settings
    config.attributes["configure_logger"] = False
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    command.upgrade(alembic_config(settings), revision)


def downgrade(settings: Settings, revision: str) -> None:
    command.downgrade(alembic_config(settings), revision)


def revision(settings: Settings, message: str, autogenerate: bool = True) -> None:
    command.revision(alembic_config(settings), message=message, autogenerate=autogenerate)
