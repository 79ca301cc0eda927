"""The declarative base every model derives from, and shared column types."""

from __future__ import annotations

import copy
from typing import Any

from advanced_alchemy.base import BigIntAuditBase
from advanced_alchemy.types import JsonB
from sqlalchemy.ext.mutable import MutableDict, MutableList

# A multilingual text: language code -> text, e.g. {"en": "Science Day", "kk": "Ғылым күні"}.
# Each mutable wrapper needs its own type instance: as_mutable() attaches to columns by the identity
# of the type, so a MutableDict and a MutableList sharing JsonB would both claim every JSON column.
Multilingual = MutableDict.as_mutable(copy.copy(JsonB))  # type: ignore[arg-type]
# A JSON list of short strings (language codes, country codes).
StringList = MutableList.as_mutable(copy.copy(JsonB))  # type: ignore[arg-type]


class Base(BigIntAuditBase):
    """Integer primary key plus created_at / updated_at (UTC)."""

    __abstract__ = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={getattr(self, 'id', None)}>"


def multilingual_default() -> dict[str, Any]:
    return {}
