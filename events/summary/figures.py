"""The summary's figures, computed from plain rows (a pure function, tested without a database).

Privacy: every group shown (a country, a kind of institution, a category) holds at least
``MIN_GROUP`` people. Smaller groups merge into "other", which names no attribute (so it may hold
any number). When fewer than three people are counted at all, no breakdown is shown, only the
total.

The breakdowns count the people who came (checked in); an event without any check-in (a door
without scanning) counts the confirmed registrations instead, and says so (``basis``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import msgspec

MIN_GROUP = 3
OTHER = "other"


class PersonRow(msgspec.Struct, frozen=True):
    country: str
    category: str
    organisation: str
    attended: bool


class OrganisationRow(msgspec.Struct, frozen=True):
    name: str
    short_name: str | None
    kind: str


class Group(msgspec.Struct, frozen=True):
    key: str  # a country code, an institution kind, a category, or "other"
    count: int


class Figures(msgspec.Struct, frozen=True):
    registered: int
    attended: int
    basis: str  # "attended" or "registered": whom the breakdowns count
    by_country: list[Group]
    by_kind: list[Group]
    by_category: list[Group]
    sessions_held: int
    speakers: int
    partner_institutions: int
    outcomes: int


def normalise_name(value: str) -> str:
    """Case, accents, punctuation and spacing do not matter when matching institution names."""
    value = unicodedata.normalize("NFKD", value.casefold())
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", value).split())


def kind_matcher(organisations: Iterable[OrganisationRow]) -> dict[str, str]:
    """Normalised name (and short name) -> kind of institution."""
    table: dict[str, str] = {}
    for org in organisations:
        for name in (org.name, org.short_name):
            if name and normalise_name(name):
                table.setdefault(normalise_name(name), org.kind)
    return table


def institution_kind(name: str, table: dict[str, str]) -> str:
    """The kind of the agenda organisation this registration names, else "other".

    An exact (normalised) match of the full or short name wins; else a known name (of at least
    three letters) appearing as whole words in what the person typed ("DAAD office Almaty").
    """
    key = normalise_name(name)
    if not key:
        return OTHER
    if key in table:
        return table[key]
    padded = f" {key} "
    for known, kind in table.items():
        if len(known) >= 3 and f" {known} " in padded:
            return kind
    return OTHER


def merge_small(counts: Counter[str], first: Sequence[str] = ()) -> list[Group]:
    """Groups of at least MIN_GROUP, ``first`` keys leading, then by size; "other" last."""
    total = sum(counts.values())
    if total < MIN_GROUP:
        return []
    kept = {key: n for key, n in counts.items() if key != OTHER and n >= MIN_GROUP}
    other = total - sum(kept.values())
    leading = [key for key in first if key in kept]
    rest = sorted((key for key in kept if key not in leading), key=lambda key: (-kept[key], key))
    groups = [Group(key, kept[key]) for key in [*leading, *rest]]
    if other:
        groups.append(Group(OTHER, other))
    return groups


def compute(
    people: Sequence[PersonRow],
    organisations: Iterable[OrganisationRow],
    *,
    partner_countries: Sequence[str],
    sessions_held: int,
    speakers: int,
    partner_institutions: int,
    outcomes: int,
) -> Figures:
    attended = [p for p in people if p.attended]
    basis = "attended" if attended else "registered"
    counted = attended or list(people)
    table = kind_matcher(organisations)
    return Figures(
        registered=len(people),
        attended=len(attended),
        basis=basis,
        by_country=merge_small(
            Counter(p.country.upper() or OTHER for p in counted), first=partner_countries
        ),
        by_kind=merge_small(Counter(institution_kind(p.organisation, table) for p in counted)),
        by_category=merge_small(Counter(p.category or OTHER for p in counted)),
        sessions_held=sessions_held,
        speakers=speakers,
        partner_institutions=partner_institutions,
        outcomes=outcomes,
    )
