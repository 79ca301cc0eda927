"""The declarative base every model derives from, and shared column types."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.base import BigIntAuditBase
from advanced_alchemy.types import JsonB
from sqlalchemy.ext.mutable import MutableDict, MutableList

# Each mutable type needs its own copy of the JsonB instance: as_mutable() links listeners to the
# type *instance*, so sharing one made MutableDict coerce list columns (and plain JsonB columns).
# A multilingual text: language code -> text, e.g. {"en": "Science Day", "kk": "Ғылым күні"}.
Multilingual = MutableDict.as_mutable(JsonB.copy())
# A JSON list of short strings (language codes, country codes).
StringList = MutableList.as_mutable(JsonB.copy())


class Base(BigIntAuditBase):
    """Integer primary key plus created_at / updated_at (UTC)."""

    __abstract__ = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={getattr(self, 'id', None)}>"


def multilingual_default() -> dict[str, Any]:
    return {}
