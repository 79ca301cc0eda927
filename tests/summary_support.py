"""Shared helpers for the summary tests: a past round table with registrations and check-ins."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import services as accounts
from events.accounts.models import User
from events.agenda.models import AgendaSession, Event, EventPartner, Organisation
from events.checkin.models import EVENT_DOOR, CheckIn
from events.registration import tokens
from events.registration.models import Registration
from events.settings import Settings

SLUG = "kariu-agh-2025"


@dataclass
class World:
    event: Event
    other_event: Event
    kariu: Organisation
    agh: Organisation
    organiser: User
    other_organiser: User
    registrations: list[Registration] = field(default_factory=list)
    tokens: dict[int, str] = field(default_factory=dict)


def jpeg(size: tuple[int, int] = (1200, 800)) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    Image.new("RGB", size, (20, 80, 160)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def past_event(slug: str = SLUG, *, ends_in: timedelta | None = None) -> Event:
    ends = (
        datetime.now(UTC) + ends_in
        if ends_in is not None
        else datetime(2025, 5, 15, 10, 0, tzinfo=UTC)
    )
    return Event(
        slug=slug,
        title={
            "en": "KarIU and AGH round table",
            "pl": "Okrągły stół KarIU i AGH",
            "kk": "ҚарИУ мен AGH дөңгелек үстелі",
        },
        description={"en": "A delegation from Kraków visits Karaganda."},
        kind="round_table",
        status="closed",
        starts_at=ends - timedelta(hours=6),
        ends_at=ends,
        timezone="Asia/Almaty",
        venue="Karaganda Industrial University",
        city="Temirtau",
        country="KZ",
        languages=["en", "pl", "kk"],
        default_language="en",
        partner_countries=["KZ", "PL"],
    )


async def build_world(
    db: AsyncSession, settings: Settings, *, ends_in: timedelta | None = None
) -> World:
    kariu = Organisation(
        name="Карагандинский индустриальный университет",
        short_name="КарИУ",
        country="KZ",
        kind="university",
    )
    agh = Organisation(
        name="Akademia Górniczo-Hutnicza", short_name="AGH", country="PL", kind="university"
    )
    db.add_all([kariu, agh])
    await db.flush()
    event = past_event(ends_in=ends_in)
    event.partners = [
        EventPartner(organisation=kariu, role="host", position=0),
        EventPartner(organisation=agh, role="delegation", position=1),
    ]
    other = past_event("other-event")
    db.add_all([event, other])
    await db.flush()
    db.add(
        AgendaSession(
            event_id=event.id,
            title={"en": "Round table"},
            kind="round_table",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )
    )
    organiser = await accounts.create_user(db, "org@example.org")
    await accounts.grant_role(db, organiser, "organiser", event.id)
    other_organiser = await accounts.create_user(db, "other@example.org")
    await accounts.grant_role(db, other_organiser, "organiser", other.id)
    world = World(event, other, kariu, agh, organiser, other_organiser)
    people = [
        ("Łukasz", "Wójcik", "AGH", "PL", "delegation", True),
        ("Zofia", "Żak", "AGH", "PL", "delegation", True),
        ("Paweł", "Nowak", "Akademia Górniczo-Hutnicza", "PL", "delegation", False),
        ("Әсел", "Қасымова", "КарИУ", "KZ", "participant", True),
        ("Ұлан", "Өтегенов", "КарИУ", "KZ", "participant", False),
        (
            "Нұргүл",
            "Іскакова",
            "Карагандинский индустриальный университет",
            "KZ",
            "participant",
            True,
        ),
        ("Anna", "Schmidt", "DAAD", "DE", "guest", False),
    ]
    for index, (given, family, org, country, category, photos_ok) in enumerate(people):
        seed = tokens.new_seed()
        token = tokens.manage_token(settings.secret_key, seed)
        registration = Registration(
            event_id=event.id,
            status="confirmed",
            given_name=given,
            family_name=family,
            email=f"p{index}@example.org",
            organisation=org,
            country=country,
            category=category,
            language="kk" if country == "KZ" else "en",
            consent_data=True,
            consent_photos=photos_ok,
            manage_token_hash=tokens.token_hash(token),
            manage_seed=seed,
            checkin_token=tokens.new_checkin_token(),
        )
        db.add(registration)
        await db.flush()
        world.registrations.append(registration)
        world.tokens[registration.id] = token
    # Everybody but the German guest came.
    for registration in world.registrations[:-1]:
        db.add(
            CheckIn(
                event_id=event.id,
                registration_id=registration.id,
                door=EVENT_DOOR,
                checked_in_at=event.starts_at + timedelta(minutes=5),
                desk="door",
            )
        )
    await db.commit()
    return world
