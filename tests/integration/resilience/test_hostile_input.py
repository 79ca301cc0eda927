"""Hostile input into every public form and API field: a 4xx naming the field or a clean success,
nothing stored on failure, and wherever an accepted value is shown it is inert: pages, API, CSV,
mail, and the PDFs (badge, certificate, programme), whose text is the value literally, inside
the page, with no scripts or unexpected links."""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

import pypdfium2 as pdfium
import pytest
from reportlab.pdfbase import pdfmetrics
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import Event
from events.checkin import services as checkin
from events.checkin.schemas import ScanIn
from events.documents.fonts import BOLD, register_fonts
from events.mail import sender
from events.mail.compose import resolve_attachments, resolve_mail
from events.mail.models import OutboxMessage
from events.registration.models import Registration
from tests.integration.registration.test_public import SLUG, form, post
from tests.unit.registration.factories import open_event

API = f"/api/v1/events/{SLUG}/registrations"

SCRIPT = "<script>alert(1)</script>"
HOSTILE: dict[str, str] = {
    "long": "Ж" * 20000,
    "control": "a\x01b\x07c\x1bd",
    "nul": "Ай\x00гер",
    "rtl": "abc\u202egpj.exe",
    "emoji": "Айгерім 👩‍🔬🇰🇿",
    "html": f'"><img src=x onerror=alert(1)>{SCRIPT}',
    "sql": "Robert'); DROP TABLE registrations;--",
    "formula": '=HYPERLINK("http://evil","x")',
    "formula_plus": "+cmd|' /C calc'!A0",
}
TEXT_FIELDS = ["given_name", "family_name", "organisation", "position", "dietary"]


@pytest.fixture(autouse=True)
def _no_in_app_sender(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")


async def count(db: AsyncSession, model: type) -> int:  # type: ignore[type-arg]
    db.expire_all()
    number = int(await db.scalar(select(func.count()).select_from(model)) or 0)
    await db.commit()
    return number


def inert_html(html: str) -> None:
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "\x00" not in html and "\x01" not in html and "\u202e" not in html


# What a PDF must never hold: scripts, actions that run or open something, embedded files.
PDF_ACTIVE = (
    b"/JS", b"/JavaScript", b"/Launch", b"/OpenAction", b"/AA", b"/SubmitForm", b"/ImportData",
    b"/GoToR", b"/EmbeddedFile", b"/RichMedia",
)  # fmt: skip
URI = re.compile(rb"/URI\s*\(((?:\\.|[^\\)])*)\)")


def squeeze(text: str) -> str:
    """Text without whitespace: PDF lines break where the layout wraps, not where the value does."""
    return "".join(text.split())


def drawable(text: str) -> str:
    """``text`` without the characters the embedded font has no glyph for (the emoji): a PDF
    cannot show those, and they come back out of it as nothing."""
    register_fonts()
    glyphs = pdfmetrics.getFont(BOLD).face.charToGlyph
    return "".join(c for c in text if ord(c) in glyphs or c.isspace())


def pdf_links(body: bytes) -> set[str]:
    """The URI actions of a PDF (reportlab writes them as literal strings)."""
    return {re.sub(rb"\\(.)", rb"\1", m.group(1)).decode("latin-1") for m in URI.finditer(body)}


def inert_pdf(response: Any, values: list[str], uris: Collection[str] = ()) -> str:
    """A valid PDF whose text holds every value literally, inside its page, without active content;
    its only links are ``uris``. Returns the extracted text."""
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/pdf")
    body: bytes = response.content
    # The objects' dictionaries, without the (compressed, binary) stream data.
    objects = re.sub(rb"stream\r?\n.*?endstream", b"", body, flags=re.DOTALL)
    for marker in PDF_ACTIVE:
        assert not re.search(re.escape(marker) + rb"[\s/<(\[]", objects), marker
    found = pdf_links(objects)
    assert found <= set(uris), found - set(uris)
    document = pdfium.PdfDocument(body)
    texts = []
    try:
        for page in document:
            width, height = page.get_size()
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            for index in range(textpage.count_chars()):
                left, bottom, right, top = textpage.get_charbox(index)
                # Every glyph lies on the page: nothing overflows or is cut off at an edge.
                assert -0.5 <= left <= right <= width + 0.5, (index, left, right, width)
                assert -0.5 <= bottom <= top <= height + 0.5, (index, bottom, top, height)
    finally:
        document.close()
    text = "\n".join(texts)
    for value in values:
        assert squeeze(drawable(value)) in squeeze(text), (value[:60], text[:300])
    return text


def api_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "given_name": "Айгерім", "family_name": "Сәрсенбаева", "email": "a@example.kz",
        "organisation": "KIU", "country": "KZ", "category": "participant", "language": "kk",
        "consent": True, "answers": {},
    }  # fmt: skip
    body.update(changes)
    return body


async def test_api_refuses_bad_values_naming_the_field_and_stores_nothing(
    client, db: AsyncSession
) -> None:
    await open_event(db, capacity=None)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"email": "a\x00b@example.kz"}, "email"),
        ({"email": "a@example.kz\r\nBcc: x@evil.org"}, "email"),
        ({"email": f"{SCRIPT}@example.kz"}, "email"),
        ({"country": "'; DROP TABLE x;--"}, "country"),
        ({"language": "\u202ekk"}, "language"),
        ({"category": "=1+1"}, "category"),
        ({"given_name": "\x00\x01"}, "given_name"),
        ({"given_name": 5}, "given_name"),
        ({"consent": "yes please"}, "consent"),
        ({"answers": ["not", "a", "map"]}, "answers"),
    ]
    for changes, field in cases:
        response = await client.post(API, json=api_body(**changes))
        assert 400 <= response.status_code < 500, (changes, response.text)
        body = response.json()
        named = f"{body.get('field')} {body.get('message')} {body.get('extra')}"
        assert field in named, (changes, body)
    huge = await client.post(API, content=b'{"given_name": "' + b"x" * (11 * 2**20) + b'"}',
                             headers={"Content-Type": "application/json"})  # fmt: skip
    assert huge.status_code == 413
    assert await count(db, Registration) == 0
    assert await count(db, OutboxMessage) == 0


@pytest.mark.parametrize("kind", sorted(HOSTILE))
async def test_accepted_values_are_inert_wherever_shown(
    client, admin_client, db: AsyncSession, kind: str
) -> None:
    await open_event(db, capacity=None)
    value = HOSTILE[kind]
    response = await post(
        client, f"/e/{SLUG}/register?lang=en",
        data=form(**dict.fromkeys(TEXT_FIELDS, value), email=f"{kind}@example.kz"),
    )  # fmt: skip
    assert response.status_code == 303, response.text[:500]
    token = re.search(r"/r/([A-Za-z0-9_-]+)/done", response.headers["location"]).group(1)

    (registration,) = list(await db.scalars(select(Registration)))
    await db.commit()
    for name in TEXT_FIELDS:
        stored = getattr(registration, name)
        assert "\x00" not in stored and "\x01" not in stored and "\u202e" not in stored
        assert len(stored) <= 2000

    inert_html((await client.get(f"/r/{token}")).text)
    inert_html((await client.get(response.headers["location"])).text)

    csv = (await admin_client.get(f"{API}.csv")).text
    for cell in re.split(r"[,\n]", csv):
        assert not cell.strip('"').startswith(("=", "+", "@")), cell

    (mail,) = list(await db.scalars(select(OutboxMessage)))
    # As the sender renders it.
    sent = await resolve_mail(db, mail)
    await db.commit()
    inert_html(sent.html)
    assert "\n" not in sent.subject and "\r" not in mail.to_name and "\n" not in mail.to_name
    # The .eml as sent: the name cannot smuggle headers or another address.
    attachments = await resolve_attachments(db, mail.attachments or [])
    await db.commit()  # on SQLite an open transaction would hold the lock the pages below need
    eml = bytes(sender.build_message(mail, "events@example.org", attachments, sent))
    parsed = email.message_from_bytes(eml, policy=email.policy.default)
    assert [a.addr_spec for a in parsed["To"].addresses] == [f"{kind}@example.kz"]
    assert parsed["Bcc"] is None and b"\x00" not in eml

    # The badge: the name (shrunk to fit), the organisation, literally; no links at all.
    name = f"{registration.given_name} {registration.family_name}"
    inert_pdf(await client.get(f"/r/{token}/badge.pdf"), [name, registration.organisation])

    # After the event, checked in: the certificate with the name, linking only to its check.
    event = await db.scalar(select(Event).where(Event.slug == SLUG))
    assert event is not None
    event.starts_at = datetime.now(UTC) - timedelta(days=2)
    event.ends_at = event.starts_at + timedelta(hours=8)
    await checkin.decide_scan(
        db, event,
        ScanIn(nonce=uuid.uuid4().hex, scanned_at=datetime.now(UTC), desk="Desk 1",
               token=registration.checkin_token),
        None,
    )  # fmt: skip
    await db.commit()
    certificate = await client.get(f"/r/{token}/certificate.pdf")
    uris = pdf_links(certificate.content)
    assert len(uris) == 1 and "/verify/" in next(iter(uris)), uris
    inert_pdf(certificate, [name], uris)


async def test_lost_link_login_and_manage_token_pages_take_hostile_input(client, db) -> None:  # type: ignore[no-untyped-def]
    await open_event(db)
    for value in HOSTILE.values():
        response = await post(client, f"/e/{SLUG}/register/link", data={"email": value})
        assert response.status_code in (200, 400, 429), response.status_code
        inert_html(response.text)
        login = await post(client, "/login", data={"email": value, "password": value})
        assert 200 <= login.status_code < 500 and login.status_code != 303
        inert_html(login.text)
    for token in ("%00", "x" * 5000, "<script>", "'%20OR%201=1--", "\u202e"):
        page = await client.get(f"/r/{token}")
        assert page.status_code in (400, 404), (token, page.status_code)
        inert_html(page.text)
    assert await count(db, OutboxMessage) == 0


async def test_agenda_writes_as_organiser_answer_4xx_or_store_inert_text(
    admin_client, client
) -> None:
    """Speakers, sessions and partner institutions with hostile values: refused naming the field,
    or stored and then shown inert on the programme page and in the programme PDF."""
    from tests.integration.agenda.test_api import BASE, EVENT, create_event

    await create_event(admin_client)
    shown: list[str] = []  # every accepted value, as stored: the PDF must show each literally
    links: set[str] = set()
    for n, value in enumerate(HOSTILE.values()):
        # Valid web addresses, one with markup in it (shown as text, never a link).
        website = f"https://example.org/{n}(x)" if n % 2 else f'https://example.org/{n}"><b>'
        organisation = await admin_client.post(
            "/api/v1/organisations", json={"name": value, "country": "KZ", "website": website}
        )
        assert organisation.status_code in (201, 400, 422), organisation.text[:300]
        people_org = None
        if organisation.status_code == 201:
            org = organisation.json()
            people_org = org["id"]
            partner = await admin_client.post(
                f"{BASE}/partners", json={"organisation_id": org["id"], "role": "host"}
            )
            assert partner.status_code == 201, partner.text[:300]
            shown.append(org["name"])
            if n % 2:
                links.add(org["website"])
        response = await admin_client.post(
            f"{BASE}/speakers",
            json={"given_name": value, "family_name": value, "position": value,
                  "organisation_id": people_org},
        )  # fmt: skip
        assert response.status_code in (200, 201, 400, 422), (value[:20], response.text[:300])
        if response.status_code >= 400:
            assert response.json().get("field") or response.json().get("extra")
            people = []
        else:
            speaker = response.json()
            shown += [speaker["display_name"], speaker["position"]]
            people = [{"speaker_id": speaker["id"], "role": "moderator"}]
        session = await admin_client.post(
            f"{BASE}/sessions",
            json={
                "title": {"en": value[:300]}, "abstract": {"en": value}, "track": value[:100],
                "kind": "talk", "people": people,
                "starts_at": f"2023-10-12T{9 + n}:00:00", "ends_at": f"2023-10-12T{9 + n}:45:00",
            },
        )  # fmt: skip
        assert session.status_code in (201, 400, 422), (value[:20], session.text[:300])
        if session.status_code == 201:
            shown += [session.json()["title"]["en"], session.json()["abstract"]["en"]]
    assert len(shown) > 10  # most values are accepted: the PDF below really shows them

    slug = EVENT["slug"]
    page = await client.get(f"/e/{slug}/programme")
    assert page.status_code == 200
    inert_html(page.text)
    pdf = await client.get(f"/e/{slug}/programme.pdf")
    found = pdf_links(pdf.content)
    event_links = {u for u in found if u.endswith(f"/e/{slug}")}
    assert len(event_links) == 1, found
    # The address with markup in it is no link; the markup in names is text, not formatting.
    text = inert_pdf(pdf, shown, links | event_links)
    assert squeeze(HOSTILE["html"]) in squeeze(text)
