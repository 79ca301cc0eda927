"""Imports every model so that the metadata (Alembic, create_all) knows all tables."""

from events.accounts import models as accounts_models
from events.agenda import models as agenda_models
from events.badges import models as badges_models
from events.checkin import models as checkin_models
from events.db.base import Base
from events.mail import models as mail_models
from events.registration import models as registration_models
from events.summary import models as summary_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "agenda_models",
    "badges_models",
    "checkin_models",
    "mail_models",
    "metadata",
    "registration_models",
    "summary_models",
]
