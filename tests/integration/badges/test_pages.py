"""Badges over HTTP: the attendee's own PDF, the mail's attachment, the organisers' batch print,
re-issue, the desk's one badge, and who may do what."""

from __future__ import annotations

import email
import email.policy
import io
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from events.accounts import services as accounts
from events.accounts.models import AuditEntry, User
from events.agenda.models import Event
from events.mail import sender
from events.registration import services as registrations
from events.registration.models import Registration
from events.settings import Settings
from tests.accounts_support import PASSWORD_HASH, sign_in
from tests.unit.registration.factories import open_event, person

SLUG = "rare-earths-round-table"
HOSTILE = "<script>alert(1)</script>"


def qr_tokens(pdf: bytes) -> list[str]:
    """Every QR code on every page, decoded from the rendered image."""
    found = []
    for page in pdfium.PdfDocument(pdf):
        image = page.render(scale=200 / 72).to_pil()
        found.extend(barcode.text for barcode in zxingcpp.read_barcodes(image))
    return found


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


async def _setup(db: AsyncSession, settings: Settings) -> tuple[Event, list[Registration]]:
    event = await open_event(db, capacity=3)
    people = [
        person(1, given_name="Айгерім", family_name="Сәрсенбаева", category="participant"),
        person(2, given_name=HOSTILE, family_name="Groß", category="press", language="de"),
        person(3, given_name="Łukasz", family_name="Wójcik", category="participant"),
        person(4, given_name="Waiting", family_name="Person", category="participant"),
    ]
    found = [(await registrations.register(db, settings, SLUG, p)).registration for p in people]
    await db.commit()
    return event, found


async def _user(db: AsyncSession, address: str, role: str, event: Event) -> User:
    user = await accounts.create_user(db, address)
    await accounts.grant_role(db, user, role, event.id)
    user.password_hash = PASSWORD_HASH
    await db.commit()
    return user


async def test_attendee_downloads_their_own_badge(
    client, db: AsyncSession, settings: Settings
) -> None:
    _event, people = await _setup(db, settings)
    token = registrations.manage_token_of(settings, people[0])
    page = await client.get(f"/r/{token}?lang=en")
    assert f'href="/r/{token}/badge.pdf"' in page.text
    response = await client.get(f"/r/{token}/badge.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "no-store"
    assert qr_tokens(response.content) == [people[0].checkin_token]
    text = pdf_text(response.content)
    assert "Айгерім" in text and "Сәрсенбаева" in text and "Қатысушы" in text  # in Kazakh
    page_width, page_height = PdfReader(io.BytesIO(response.content)).pages[0].mediabox.upper_right
    assert (round(float(page_width)), round(float(page_height))) == (298, 420)  # A6


async def test_no_badge_before_confirmation_and_none_for_a_wrong_link(
    client, db: AsyncSession, settings: Settings
) -> None:
    _event, people = await _setup(db, settings)
    waiting = registrations.manage_token_of(settings, people[3])
    page = await client.get(f"/r/{waiting}?lang=en")
    assert "/badge.pdf" not in page.text
    response = await client.get(f"/r/{waiting}/badge.pdf?lang=en")
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("text/html")
    assert "only for a confirmed registration" in response.text
    assert (await client.get("/r/not-a-real-link/badge.pdf")).status_code == 404


async def test_the_confirmation_mail_carries_the_badge(
    client, db: AsyncSession, engine: AsyncEngine, settings: Settings
) -> None:
    await open_event(db)
    form = {
        "form_token": "tok-1", "given_name": "Jürgen", "family_name": "Groß",
        "email": "juergen@example.de", "organisation": "BMBF", "country": "DE",
        "category": "participant", "language": "de", "consent": "1",
    }  # fmt: skip
    response = await client.post(f"/e/{SLUG}/register", data=form, follow_redirects=False)
    assert response.status_code == 303
    report = await sender.deliver_due(engine, settings)
    assert report.sent == 1
    (eml,) = Path(settings.data_dir / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    files = {part.get_filename(): part for part in message.iter_attachments()}  # type: ignore[attr-defined]
    badge = next(part for name, part in files.items() if name.endswith(".pdf"))
    registration = await db.scalar(select(Registration))
    assert registration is not None
    assert qr_tokens(badge.get_content()) == [registration.checkin_token]
    assert "Teilnehmer" in pdf_text(badge.get_content())
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Badge" in body


async def test_organiser_prints_a_filtered_batch_and_it_is_recorded(
    client, db: AsyncSession, settings: Settings
) -> None:
    event, people = await _setup(db, settings)
    organiser = await _user(db, "org@example.org", "organiser", event)
    csrf = await sign_in(client, settings, organiser)
    page = await client.get(f"/manage/events/{SLUG}/badges?category=participant&lang=en")
    assert page.status_code == 200
    assert 'data-count="2"' in page.text
    assert 'aria-current="page">Badges<' in page.text

    form = {"csrf_token": csrf, "category": "participant", "status": "confirmed",
            "layout": "a6x4", "language": "en", "mark_printed": "1"}  # fmt: skip
    response = await client.post(
        f"/manage/events/{SLUG}/badges/print", data=form, follow_redirects=False
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["x-badge-count"] == "2"
    assert sorted(qr_tokens(response.content)) == sorted(
        [people[0].checkin_token, people[2].checkin_token]
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1  # four A6 badges on one A4 sheet
    assert "Łukasz" in pdf_text(response.content)

    after = await client.get(f"/manage/events/{SLUG}/badges?not_printed=1&lang=en")
    assert 'data-count="1"' in after.text  # only the press badge is left
    # Nothing left to print: a clear page naming the reason, nothing recorded.
    again = {**form, "not_printed": "1"}
    empty = await client.post(f"/manage/events/{SLUG}/badges/print", data=again)
    assert empty.status_code == 422
    assert "nothing to print" in empty.text
    bad = await client.post(f"/manage/events/{SLUG}/badges/print", data={**form, "layout": "x"})
    assert bad.status_code == 422 and 'name="layout"' in bad.text
    db.expire_all()
    entries = list(await db.scalars(select(AuditEntry).where(AuditEntry.action == "badges.print")))
    assert [(e.actor_label, e.details["count"]) for e in entries] == [("org@example.org", 2)]


async def test_hostile_name_is_inert_on_the_page_and_verbatim_in_the_pdf(
    client, db: AsyncSession, settings: Settings
) -> None:
    event, _people = await _setup(db, settings)
    organiser = await _user(db, "org@example.org", "organiser", event)
    csrf = await sign_in(client, settings, organiser)
    page = await client.get(f"/manage/events/{SLUG}/badges?category=press&lang=en")
    assert HOSTILE not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    form = {"csrf_token": csrf, "category": "press", "status": "confirmed", "layout": "card8",
            "language": "de"}  # fmt: skip
    response = await client.post(f"/manage/events/{SLUG}/badges/print", data=form)
    assert response.status_code == 200
    assert HOSTILE in pdf_text(response.content)


async def test_reissue_from_the_badges_page_revokes_the_old_badge(
    client, db: AsyncSession, settings: Settings
) -> None:
    event, people = await _setup(db, settings)
    target_id, old = people[0].id, people[0].checkin_token
    organiser = await _user(db, "org@example.org", "organiser", event)
    csrf = await sign_in(client, settings, organiser)
    response = await client.post(
        f"/manage/events/{SLUG}/badges/{target_id}/reissue",
        data={"csrf_token": csrf, "category": "participant"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert f"reissued={target_id}" in response.headers["location"]
    page = await client.get(response.headers["location"] + "&lang=en")
    assert "was re-issued" in page.text
    db.expire_all()
    assert await db.scalar(select(Registration).where(Registration.checkin_token == old)) is None
    fresh = await db.get(Registration, target_id)
    assert fresh is not None
    await db.commit()  # end the read transaction: on SQLite the next request writes
    badge = await client.get(f"/desk/{SLUG}/badges/{target_id}.pdf")
    assert qr_tokens(badge.content) == [fresh.checkin_token]
    assert (await client.post(f"/manage/events/{SLUG}/badges/999/reissue",
                              data={"csrf_token": csrf})).status_code == 404  # fmt: skip
    # Without the CSRF token nothing changes.
    refused = await client.post(f"/manage/events/{SLUG}/badges/{target_id}/reissue")
    assert refused.status_code == 403


async def test_desk_prints_one_badge_but_not_the_batch(
    client, db: AsyncSession, settings: Settings
) -> None:
    event, people = await _setup(db, settings)
    desk = await _user(db, "desk@example.org", "desk", event)
    await sign_in(client, settings, desk)
    badge = await client.get(f"/desk/{SLUG}/badges/{people[2].id}.pdf")
    assert badge.status_code == 200
    assert qr_tokens(badge.content) == [people[2].checkin_token]
    assert (await client.get(f"/desk/{SLUG}/badges/{people[3].id}.pdf")).status_code == 409
    assert (await client.get(f"/desk/{SLUG}/badges/12x.pdf")).status_code == 404
    assert (await client.get(f"/desk/{SLUG}/badges/99999999999999999999.pdf")).status_code == 404
    assert (await client.get(f"/manage/events/{SLUG}/badges")).status_code == 403
    db.expire_all()
    entry = await db.scalar(select(AuditEntry).where(AuditEntry.action == "badges.print_one"))
    assert entry is not None and entry.actor_label == "desk@example.org"


async def test_anonymous_is_refused_on_manage_and_desk(
    client, db: AsyncSession, settings: Settings
) -> None:
    _event, people = await _setup(db, settings)
    for url in (f"/manage/events/{SLUG}/badges", f"/desk/{SLUG}/badges/{people[0].id}.pdf"):
        response = await client.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    response = await client.post(
        f"/manage/events/{SLUG}/badges/print", data={"layout": "a6"}, follow_redirects=False
    )
    assert response.status_code in (303, 401)
    json = await client.get(
        f"/desk/{SLUG}/badges/{people[0].id}.pdf", headers={"Accept": "application/json"}
    )
    assert json.status_code == 401
