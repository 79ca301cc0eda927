"""Imports every model so that the metadata (Alembic, create_all) knows all tables."""

from events.accounts import models as accounts_models
from events.agenda import models as agenda_models
from events.db.base import Base

metadata = Base.metadata

__all__ = ["accounts_models", "agenda_models", "metadata"]
