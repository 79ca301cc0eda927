"""Text hygiene shared by every export: NFC, no control characters, safe CSV cells."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean(value: str | None) -> str:
    """NFC text without control characters or lone surrogates (which break PDFs and XML)."""
    if not value:
        return ""
    value = value.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", unicodedata.normalize("NFC", value))


def neutralise_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text instead of evaluating it."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def ascii_slug(value: str, limit: int = 48) -> str:
    """Lower-case ASCII letters, digits and hyphens (accents dropped, other scripts removed)."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:limit].strip("-")
