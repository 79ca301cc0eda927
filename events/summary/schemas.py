"""The organiser's JSON API, and the plain data the documents are built from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from events.summary.figures import Figures

Title = Annotated[dict[str, str], msgspec.Meta(min_length=1, max_length=12)]
Text = Annotated[dict[str, str], msgspec.Meta(max_length=12)]
Link = Annotated[str, msgspec.Meta(max_length=500)]
Ids = Annotated[list[int], msgspec.Meta(max_length=50)]


class OutcomeIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    title: Title
    description: Text = msgspec.field(default_factory=dict)
    party_ids: Ids = msgspec.field(default_factory=list)
    signed_on: date | None = None
    link: Link | None = None


class OutcomePatch(msgspec.Struct, forbid_unknown_fields=True):
    kind: str | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType = msgspec.UNSET
    party_ids: Ids | msgspec.UnsetType = msgspec.UNSET
    signed_on: date | msgspec.UnsetType | None = msgspec.UNSET
    link: Link | msgspec.UnsetType | None = msgspec.UNSET


class PartyOut(msgspec.Struct):
    id: int
    name: str
    short_name: str | None
    country: str


class OutcomeOut(msgspec.Struct):
    id: int
    kind: str
    title: dict[str, str]
    description: dict[str, str]
    parties: list[PartyOut]
    signed_on: date | None
    link: str | None


class OutcomeList(msgspec.Struct):
    outcomes: list[OutcomeOut]


class SummaryOut(msgspec.Struct):
    status: str
    published_at: datetime | None
    narrative: dict[str, str]
    lead: dict[str, str]
    figures: Figures


# --- plain data for the documents (no database, no request) -----------------------------------


# Texts in the document's languages are maps language → text holding every one of
# ``SummaryDoc.languages`` (the service has already fallen back to the default language).


class PhotoDoc(msgspec.Struct, frozen=True):
    data: bytes
    width: int
    height: int
    alt: dict[str, str]
    caption: dict[str, str]


class QuoteDoc(msgspec.Struct, frozen=True):
    text: str
    person: str
    role: str


class OutcomeDoc(msgspec.Struct, frozen=True):
    kind: str
    title: dict[str, str]
    parties: list[str]
    signed_on: date | None
    description: dict[str, str]
    link: str | None


class SummaryDoc(msgspec.Struct, frozen=True):
    # One or two of the event's languages, as for the programme: the first leads, the second
    # follows each text in italics and has its own copy of the story.
    languages: list[str]
    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str
    url: str
    narrative: dict[str, str]  # Markdown source per language
    figures: Figures
    outcomes: list[OutcomeDoc]
    quotes: list[QuoteDoc]
    photos: list[PhotoDoc]
    partners: list[str]


class SignatureDoc(msgspec.Struct, frozen=True):
    name: str
    role: str
    image: bytes | None


class CertificateDoc(msgspec.Struct, frozen=True):
    language: str
    name: str
    event_title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str
    organisers: list[str]
    signatures: list[SignatureDoc]
    code: str
    verify_url: str
