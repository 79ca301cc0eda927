"""The rules of outcomes, summaries and certificates. No HTTP here; errors carry stable codes."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.agenda import queries as agenda_queries
from events.agenda.models import Event, EventStatus, Organisation
from events.checkin import queries as checkin_queries
from events.errors import Conflict, InvalidInput, NotFound
from events.registration import services as registration_services
from events.registration.models import Registration, RegistrationStatus
from events.settings import Settings
from events.summary import codes, figures, markdown, photos
from events.summary.models import (
    CertificateSignature,
    Outcome,
    OutcomeKind,
    OutcomeParty,
    Summary,
    SummaryPhoto,
    SummaryPhotoPerson,
    SummaryQuote,
    SummaryStatus,
)
from events.summary.schemas import (
    CertificateDoc,
    OutcomeDoc,
    OutcomeIn,
    OutcomeOut,
    OutcomePatch,
    PartyOut,
    PhotoDoc,
    QuoteDoc,
    SignatureDoc,
    SummaryDoc,
)

MAX_TITLE = 300
MAX_DESCRIPTION = 5000
MAX_NARRATIVE = markdown.MAX_CHARS
MAX_LEAD = 400
MAX_QUOTE = 1000
NOT_HELD = {"break", "networking"}


def now_utc() -> datetime:
    return datetime.now(UTC)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _texts(
    event: Event, values: dict[str, str], field: str, limit: int, *, required: bool
) -> dict[str, str]:
    """A multilingual text in the event's languages; the default language when required."""
    cleaned: dict[str, str] = {}
    for language, text in values.items():
        if language not in event.languages:
            raise InvalidInput(
                "language_not_in_event",
                i18n.gettext("%(lang)s is not a language of this event.", lang=language[:8]),
                field=f"{field}.{language[:8]}",
            )
        text = _nfc(str(text))
        if len(text) > limit:
            raise InvalidInput(
                "too_long",
                i18n.gettext("At most %(n)s characters.", n=limit),
                field=f"{field}.{language}",
            )
        if text:
            cleaned[language] = text
    if required and not cleaned.get(event.default_language):
        raise InvalidInput(
            "required",
            i18n.gettext("This is required in the event's default language."),
            field=f"{field}.{event.default_language}",
        )
    return cleaned


def _link(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not re.match(r"^https?://[^\s<>\"']+$", value) or len(value) > 500:
        raise InvalidInput(
            "invalid_link", i18n.gettext("Enter an address starting with https://."), field="link"
        )
    return value


# --- events ----------------------------------------------------------------------------------


async def event_by_slug(db: AsyncSession, slug: str) -> Event:
    return await registration_services.get_event(db, slug)


async def public_event(db: AsyncSession, slug: str) -> Event:
    event = await agenda_queries.public_event(db, slug)
    if event is None:
        raise NotFound("event", slug)
    return event


# --- outcomes --------------------------------------------------------------------------------


async def outcomes_of(db: AsyncSession, event_id: int) -> list[Outcome]:
    result = await db.scalars(
        select(Outcome).where(Outcome.event_id == event_id).order_by(Outcome.position, Outcome.id)
    )
    return list(result.unique())


async def get_outcome(db: AsyncSession, event: Event, outcome_id: int) -> Outcome:
    outcome = await db.scalar(
        select(Outcome).where(Outcome.id == outcome_id, Outcome.event_id == event.id)
    )
    if outcome is None:
        raise NotFound("outcome", outcome_id)
    return outcome


async def _parties(db: AsyncSession, ids: list[int]) -> list[OutcomeParty]:
    unique = list(dict.fromkeys(ids))
    found = {
        org.id: org
        for org in await db.scalars(select(Organisation).where(Organisation.id.in_(unique)))
    }
    missing = [i for i in unique if i not in found]
    if missing:
        raise InvalidInput(
            "organisation_not_found",
            i18n.gettext("Organisation %(id)s was not found.", id=missing[0]),
            field="party_ids",
        )
    return [OutcomeParty(organisation=found[i], position=n) for n, i in enumerate(unique)]


def _kind(value: str) -> str:
    if value not in {k.value for k in OutcomeKind}:
        raise InvalidInput("invalid_kind", i18n.gettext("Choose a kind of outcome."), field="kind")
    return value


async def create_outcome(db: AsyncSession, event: Event, data: OutcomeIn) -> Outcome:
    outcome = Outcome(
        event_id=event.id,
        kind=_kind(data.kind),
        title=_texts(event, data.title, "title", MAX_TITLE, required=True),
        description=_texts(event, data.description, "description", MAX_DESCRIPTION, required=False),
        signed_on=data.signed_on,
        link=_link(data.link),
        position=len(await outcomes_of(db, event.id)),
    )
    outcome.parties = await _parties(db, data.party_ids)
    db.add(outcome)
    await db.flush()
    await db.refresh(outcome, ["parties"])
    return outcome


async def update_outcome(
    db: AsyncSession, event: Event, outcome: Outcome, data: OutcomePatch
) -> Outcome:
    if data.kind is not msgspec.UNSET:
        outcome.kind = _kind(data.kind)
    if data.title is not msgspec.UNSET:
        outcome.title = _texts(event, data.title, "title", MAX_TITLE, required=True)
    if data.description is not msgspec.UNSET:
        outcome.description = _texts(
            event, data.description, "description", MAX_DESCRIPTION, required=False
        )
    if data.signed_on is not msgspec.UNSET:
        outcome.signed_on = data.signed_on
    if data.link is not msgspec.UNSET:
        outcome.link = _link(data.link)
    if data.party_ids is not msgspec.UNSET:
        outcome.parties = await _parties(db, data.party_ids)
    await db.flush()
    await db.refresh(outcome, ["parties"])
    return outcome


async def delete_outcome(db: AsyncSession, outcome: Outcome) -> None:
    await db.delete(outcome)
    await db.flush()


def outcome_out(outcome: Outcome) -> OutcomeOut:
    return OutcomeOut(
        id=outcome.id,
        kind=outcome.kind,
        title=dict(outcome.title),
        description=dict(outcome.description or {}),
        parties=[
            PartyOut(
                p.organisation.id,
                p.organisation.name,
                p.organisation.short_name,
                p.organisation.country,
            )
            for p in outcome.parties
        ],
        signed_on=outcome.signed_on,
        link=outcome.link,
    )


async def organisations(db: AsyncSession) -> list[Organisation]:
    return list(await db.scalars(select(Organisation).order_by(Organisation.name)))


# --- the summary -----------------------------------------------------------------------------


async def summary_of(db: AsyncSession, event_id: int) -> Summary | None:
    found: Summary | None = await db.scalar(select(Summary).where(Summary.event_id == event_id))
    return found


def blank_summary(event: Event) -> Summary:
    """An unsaved, empty draft (shown before anything was written)."""
    return Summary(event_id=event.id, narrative={}, lead={}, status=SummaryStatus.DRAFT.value)


async def ensure_summary(db: AsyncSession, event: Event) -> Summary:
    summary = await summary_of(db, event.id)
    if summary is None:
        summary = Summary(event_id=event.id, narrative={}, lead={})
        db.add(summary)
        await db.flush()
    return summary


async def save_text(
    db: AsyncSession, event: Event, narrative: dict[str, str], lead: dict[str, str]
) -> Summary:
    summary = await ensure_summary(db, event)
    summary.narrative = _texts(event, narrative, "narrative", MAX_NARRATIVE, required=False)
    summary.lead = _texts(event, lead, "lead", MAX_LEAD, required=False)
    await db.flush()
    return summary


async def publish(db: AsyncSession, event: Event, *, at: datetime | None = None) -> Summary:
    summary = await ensure_summary(db, event)
    if event.status == EventStatus.DRAFT.value:
        raise Conflict(
            "event_draft",
            i18n.gettext("Publish the event before its summary."),
            field="status",
        )
    if not summary.narrative.get(event.default_language):
        raise InvalidInput(
            "required",
            i18n.gettext("Write the story in the event's default language first."),
            field=f"narrative.{event.default_language}",
        )
    summary.status = SummaryStatus.PUBLISHED.value
    summary.published_at = summary.published_at or at or now_utc()
    await db.flush()
    return summary


async def unpublish(db: AsyncSession, event: Event) -> Summary:
    summary = await ensure_summary(db, event)
    summary.status = SummaryStatus.DRAFT.value
    await db.flush()
    return summary


async def published_summary(db: AsyncSession, slug: str) -> tuple[Event, Summary]:
    event = await public_event(db, slug)
    summary = await summary_of(db, event.id)
    if summary is None or summary.status != SummaryStatus.PUBLISHED.value:
        raise NotFound("summary", slug)
    return event, summary


async def published_summaries(db: AsyncSession, limit: int = 50) -> list[tuple[Event, Summary]]:
    rows = await db.execute(
        select(Event, Summary)
        .join(Summary, Summary.event_id == Event.id)
        .where(
            Summary.status == SummaryStatus.PUBLISHED.value,
            Event.status.in_(agenda_queries.PUBLIC_STATUSES),
        )
        .order_by(Summary.published_at.desc(), Summary.id.desc())
        .limit(limit)
    )
    return [(event, summary) for event, summary in rows.tuples()]


# --- photos and quotes -----------------------------------------------------------------------


def _photo_dir(settings: Settings, event_id: int) -> Path:
    return settings.data_dir / "summary" / str(event_id)


async def photos_of(db: AsyncSession, event_id: int) -> list[SummaryPhoto]:
    result = await db.scalars(
        select(SummaryPhoto)
        .where(SummaryPhoto.event_id == event_id)
        .order_by(SummaryPhoto.position, SummaryPhoto.id)
    )
    return list(result.unique())


async def photo_consenting(db: AsyncSession, event_id: int) -> list[Registration]:
    """Confirmed registrations of the event that agreed to appear in photos."""
    result = await db.scalars(
        select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED.value,
            Registration.consent_photos.is_(True),
            Registration.anonymised_at.is_(None),
        )
        .order_by(Registration.family_name, Registration.given_name, Registration.id)
    )
    return list(result)


async def add_photo(
    db: AsyncSession,
    settings: Settings,
    event: Event,
    data: bytes,
    *,
    alt: dict[str, str],
    caption: dict[str, str],
    registration_ids: list[int],
    consent_confirmed: bool,
) -> SummaryPhoto:
    """Store a photo. Consent: every registration linked to it consented to photos, or the
    organiser confirms that everyone shown agreed; a photo with neither is refused."""
    alt_texts = _texts(event, alt, "alt", 300, required=True)
    captions = _texts(event, caption, "caption", 300, required=False)
    ids = list(dict.fromkeys(registration_ids))
    if ids:
        allowed = {r.id for r in await photo_consenting(db, event.id)}
        refused = [i for i in ids if i not in allowed]
        if refused:
            raise InvalidInput(
                "no_photo_consent",
                i18n.gettext("Only people who agreed to photos may be shown."),
                field="registration_ids",
            )
    elif not consent_confirmed:
        raise InvalidInput(
            "consent_required",
            i18n.gettext(
                "Name the people shown, or confirm that everyone shown agreed to be photographed."
            ),
            field="consent_confirmed",
        )
    processed = photos.process_photo(data)
    folder = _photo_dir(settings, event.id)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(12)}.{processed.extension}"
    (folder / name).write_bytes(processed.data)
    photo = SummaryPhoto(
        event_id=event.id,
        path=str(Path("summary") / str(event.id) / name),
        media_type=processed.media_type,
        width=processed.width,
        height=processed.height,
        alt=alt_texts,
        caption=captions,
        consent_confirmed=consent_confirmed,
        position=len(await photos_of(db, event.id)),
    )
    photo.people = [SummaryPhotoPerson(registration_id=i) for i in ids]
    db.add(photo)
    await db.flush()
    return photo


async def get_photo(db: AsyncSession, event_id: int, photo_id: int) -> SummaryPhoto:
    photo = await db.scalar(
        select(SummaryPhoto).where(SummaryPhoto.id == photo_id, SummaryPhoto.event_id == event_id)
    )
    if photo is None:
        raise NotFound("photo", photo_id)
    return photo


def photo_bytes(settings: Settings, photo: SummaryPhoto) -> bytes:
    path = (settings.data_dir / photo.path).resolve()
    if not path.is_relative_to(settings.data_dir.resolve()) or not path.is_file():
        raise NotFound("photo", photo.id)
    return path.read_bytes()


async def delete_photo(db: AsyncSession, settings: Settings, photo: SummaryPhoto) -> None:
    path = settings.data_dir / photo.path
    await db.delete(photo)
    await db.flush()
    path.unlink(missing_ok=True)


async def quotes_of(db: AsyncSession, event_id: int) -> list[SummaryQuote]:
    result = await db.scalars(
        select(SummaryQuote)
        .where(SummaryQuote.event_id == event_id)
        .order_by(SummaryQuote.position, SummaryQuote.id)
    )
    return list(result)


async def add_quote(
    db: AsyncSession, event: Event, text: str, person: str, role: str, language: str | None
) -> SummaryQuote:
    text, person, role = _nfc(text), _nfc(person), _nfc(role)
    if not text:
        raise InvalidInput("required", i18n.gettext("Enter what was said."), field="text")
    if len(text) > MAX_QUOTE:
        raise InvalidInput(
            "too_long", i18n.gettext("At most %(n)s characters.", n=MAX_QUOTE), field="text"
        )
    if not person or len(person) > 200:
        raise InvalidInput("required", i18n.gettext("Enter who said it."), field="person")
    if len(role) > 300:
        raise InvalidInput(
            "too_long", i18n.gettext("At most %(n)s characters.", n=300), field="role"
        )
    if language and language not in event.languages:
        raise InvalidInput(
            "language_not_in_event",
            i18n.gettext("%(lang)s is not a language of this event.", lang=language[:8]),
            field="language",
        )
    quote = SummaryQuote(
        event_id=event.id,
        text=text,
        person=person,
        role=role or None,
        language=language or None,
        position=len(await quotes_of(db, event.id)),
    )
    db.add(quote)
    await db.flush()
    return quote


async def delete_quote(db: AsyncSession, event: Event, quote_id: int) -> None:
    quote = await db.scalar(
        select(SummaryQuote).where(SummaryQuote.id == quote_id, SummaryQuote.event_id == event.id)
    )
    if quote is None:
        raise NotFound("quote", quote_id)
    await db.delete(quote)
    await db.flush()


# --- figures ---------------------------------------------------------------------------------


async def compute_figures(
    db: AsyncSession, event: Event, *, now: datetime | None = None
) -> figures.Figures:
    now = now or now_utc()
    rows = (
        await db.execute(
            select(
                Registration.id,
                Registration.country,
                Registration.category,
                Registration.organisation,
            ).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED.value,
            )
        )
    ).all()
    checked_in = await checkin_queries.checked_in_registration_ids(db, event.id)
    people = [
        figures.PersonRow(country or "", category or "", organisation or "", rid in checked_in)
        for rid, country, category, organisation in rows
    ]
    orgs = [figures.OrganisationRow(o.name, o.short_name, o.kind) for o in await organisations(db)]
    sessions = await agenda_queries.programme(db, event.id)
    held = [s for s in sessions if s.kind not in NOT_HELD and s.starts_at <= now]
    speaker_ids = {p.speaker_id for s in held for p in s.people}
    return figures.compute(
        people,
        orgs,
        partner_countries=list(event.partner_countries or []),
        sessions_held=len(held),
        speakers=len(speaker_ids),
        partner_institutions=len(event.partners),
        outcomes=len(await outcomes_of(db, event.id)),
    )


# --- what the pages and documents show -------------------------------------------------------


def pick_text(values: dict[str, str] | None, language: str, event: Event) -> str:
    return i18n.pick(values, language, event.default_language)


_pick = pick_text


def place_of(event: Event) -> str:
    return ", ".join(p for p in (event.venue, event.city) if p)


@dataclass
class SummaryView:
    event: Event
    summary: Summary
    language: str
    narrative_html: str
    lead: str
    figures: figures.Figures
    outcomes: list[Outcome]
    photos: list[SummaryPhoto]
    quotes: list[SummaryQuote]


async def summary_view(
    db: AsyncSession, event: Event, summary: Summary, language: str
) -> SummaryView:
    source = _pick(summary.narrative, language, event)
    lead = _pick(summary.lead, language, event) or markdown.plain_text(source, 200)
    return SummaryView(
        event=event,
        summary=summary,
        language=language,
        narrative_html=markdown.render(source),
        lead=lead,
        figures=await compute_figures(db, event),
        outcomes=await outcomes_of(db, event.id),
        photos=await photos_of(db, event.id),
        quotes=await quotes_of(db, event.id),
    )


def summary_doc(settings: Settings, view: SummaryView, languages: list[str]) -> SummaryDoc:
    """The summary as plain data for the PDF, its texts in ``languages`` (one or two)."""
    event = view.event

    def each(values: dict[str, str] | None) -> dict[str, str]:
        return {language: _pick(values, language, event) for language in languages}

    photo_docs: list[PhotoDoc] = []
    for photo in view.photos:
        try:
            data = photo_bytes(settings, photo)
        except NotFound:
            continue
        photo_docs.append(
            PhotoDoc(data, photo.width, photo.height, each(photo.alt), each(photo.caption))
        )
    return SummaryDoc(
        languages=list(languages),
        title=each(event.title),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        place=place_of(event),
        url=f"{settings.base_url}/e/{event.slug}/summary?lang={languages[0]}",
        narrative=each(view.summary.narrative),
        figures=view.figures,
        outcomes=[
            OutcomeDoc(
                kind=o.kind,
                title=each(o.title),
                parties=[p.organisation.name for p in o.parties],
                signed_on=o.signed_on,
                description=each(o.description),
                link=o.link,
            )
            for o in view.outcomes
        ],
        quotes=[QuoteDoc(q.text, q.person, q.role or "") for q in view.quotes],
        photos=photo_docs,
        partners=[p.organisation.name for p in event.partners],
    )


# --- certificates ----------------------------------------------------------------------------


async def signatures_of(db: AsyncSession, event_id: int) -> list[CertificateSignature]:
    result = await db.scalars(
        select(CertificateSignature)
        .where(CertificateSignature.event_id == event_id)
        .order_by(CertificateSignature.position, CertificateSignature.id)
    )
    return list(result)


async def add_signature(
    db: AsyncSession, settings: Settings, event: Event, name: str, role: str, image: bytes | None
) -> CertificateSignature:
    name, role = _nfc(name), _nfc(role)
    if not name or len(name) > 200:
        raise InvalidInput(
            "required", i18n.gettext("Enter the name of the person signing."), field="name"
        )
    if len(role) > 300:
        raise InvalidInput(
            "too_long", i18n.gettext("At most %(n)s characters.", n=300), field="role"
        )
    existing = await signatures_of(db, event.id)
    if len(existing) >= 3:
        raise Conflict(
            "too_many_signatures",
            i18n.gettext("A certificate has at most three signatures."),
            field="name",
        )
    path = None
    if image:
        try:
            processed = photos.process_signature(image)
        except InvalidInput as exc:
            raise InvalidInput(exc.code, exc.message, field="image") from exc
        folder = _photo_dir(settings, event.id)
        folder.mkdir(parents=True, exist_ok=True)
        filename = f"signature-{secrets.token_hex(8)}.png"
        (folder / filename).write_bytes(processed.data)
        path = str(Path("summary") / str(event.id) / filename)
    signature = CertificateSignature(
        event_id=event.id, name=name, role=role or None, image=path, position=len(existing)
    )
    db.add(signature)
    await db.flush()
    return signature


async def delete_signature(
    db: AsyncSession, settings: Settings, event: Event, signature_id: int
) -> None:
    signature = await db.scalar(
        select(CertificateSignature).where(
            CertificateSignature.id == signature_id, CertificateSignature.event_id == event.id
        )
    )
    if signature is None:
        raise NotFound("signature", signature_id)
    await db.delete(signature)
    await db.flush()
    if signature.image:
        (settings.data_dir / signature.image).unlink(missing_ok=True)


def certificate_code(settings: Settings, registration: Registration) -> str:
    return codes.certificate_code(settings.secret_key, registration.id, registration.event_id)


def verify_url(settings: Settings, code: str) -> str:
    return f"{settings.base_url}/verify/{code}"


class CertificateUnavailable(Conflict):
    """Not (yet) a certificate: the event has not ended, or the person was not checked in."""


async def _checked_in(db: AsyncSession, registration: Registration) -> bool:
    ids = await checkin_queries.checked_in_registration_ids(db, registration.event_id)
    return registration.id in ids and registration.status == RegistrationStatus.CONFIRMED.value


async def certificate_for_token(
    db: AsyncSession, settings: Settings, token: str, *, now: datetime | None = None
) -> tuple[Registration, Event]:
    registration = await registration_services.find_by_manage_token(db, token)
    event = registration.event
    if (now or now_utc()) < event.ends_at:
        raise CertificateUnavailable(
            "event_not_over",
            i18n.gettext("Certificates of attendance can be downloaded after the event."),
        )
    if not await _checked_in(db, registration):
        raise CertificateUnavailable(
            "not_checked_in",
            i18n.gettext(
                "A certificate of attendance is issued to people checked in at the event. "
                "If you were there, please write to the organisers."
            ),
        )
    return registration, event


def certificate_language(event: Event, registration: Registration) -> str:
    if registration.language in i18n.UI_LANGUAGES:
        return registration.language
    return event.default_language if event.default_language in i18n.UI_LANGUAGES else "en"


def certificate_doc(
    settings: Settings,
    event: Event,
    registration: Registration,
    signatures: list[CertificateSignature],
    language: str | None = None,
) -> CertificateDoc:
    language = language or certificate_language(event, registration)
    code = certificate_code(settings, registration)
    signature_docs = []
    for signature in signatures:
        image = None
        if signature.image:
            path = settings.data_dir / signature.image
            image = path.read_bytes() if path.is_file() else None
        signature_docs.append(SignatureDoc(signature.name, signature.role or "", image))
    organisers = [p.organisation.name for p in event.partners if p.role in ("host", "co_host")]
    return CertificateDoc(
        language=language,
        name=registration.display_name,
        event_title=event.text("title", language),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        place=place_of(event),
        organisers=organisers or [p.organisation.name for p in event.partners[:2]],
        signatures=signature_docs,
        code=code,
        verify_url=verify_url(settings, code),
    )


async def batch_certificates(
    db: AsyncSession, settings: Settings, event: Event
) -> list[CertificateDoc]:
    """One certificate per checked-in, confirmed attendee, by family name."""
    ids = await checkin_queries.checked_in_registration_ids(db, event.id)
    if not ids:
        return []
    result = await db.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.id.in_(ids),
            Registration.status == RegistrationStatus.CONFIRMED.value,
            Registration.anonymised_at.is_(None),
        )
        .order_by(Registration.family_name, Registration.given_name, Registration.id)
    )
    signatures = await signatures_of(db, event.id)
    return [certificate_doc(settings, event, r, signatures) for r in result]


@dataclass
class Verified:
    name: str
    event: Event
    first_day: date
    last_day: date


async def verify(db: AsyncSession, settings: Settings, code: str) -> Verified:
    """The name, event and dates a valid code stands for; anything else is refused alike."""
    parsed = codes.parse_code(code)
    refused = NotFound("certificate", "code")
    if parsed is None:
        raise refused
    registration = await db.scalar(select(Registration).where(Registration.id == parsed[0]))
    if (
        registration is None
        or registration.anonymised_at is not None
        or not codes.code_matches(settings.secret_key, code, registration.id, registration.event_id)
        or not await _checked_in(db, registration)
    ):
        raise refused
    event = registration.event
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(event.timezone)
    return Verified(
        name=registration.display_name,
        event=event,
        first_day=event.starts_at.astimezone(zone).date(),
        last_day=event.ends_at.astimezone(zone).date(),
    )
