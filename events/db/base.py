"""The declarative base every model derives from, and shared column types."""

from __future__ import annotations

import copy
from typing import Any

from advanced_alchemy.base import BigIntAuditBase
from advanced_alchemy.types import JsonB
from sqlalchemy.ext.mutable import MutableDict, MutableList

# Each mutable type needs its own type instance: ``as_mutable`` attaches to the instance, and
# advanced-alchemy's ``JsonB`` is one shared instance, so sharing it would make a list column
# coerce values like a dict column (and fail with "does not accept objects of type list").
# A multilingual text: language code -> text, e.g. {"en": "Science Day", "kk": "Ғылым күні"}.
Multilingual = MutableDict.as_mutable(copy.copy(JsonB))  # type: ignore[arg-type]
# A JSON list of short strings (language codes, country codes).
StringList = MutableList.as_mutable(copy.copy(JsonB))  # type: ignore[arg-type]


# The largest primary key the database holds (BIGINT); anything larger never names a row.
MAX_ID = 2**63 - 1


class Base(BigIntAuditBase):
    """Integer primary key plus created_at / updated_at (UTC)."""

    __abstract__ = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={getattr(self, 'id', None)}>"


def multilingual_default() -> dict[str, Any]:
    return {}
