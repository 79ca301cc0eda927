"""The summary area over HTTP on both databases: outcomes API, the organiser's pages, the public
summary, PDF, feed, Open Graph tags, certificates and their verification, access checks."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import lxml.html
import pypdf
import pypdfium2
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.accounts_support import api_token, sign_in
from tests.summary_support import SLUG, World, build_world, jpeg

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
async def world(db: AsyncSession, settings) -> World:  # type: ignore[no-untyped-def]
    return await build_world(db, settings)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


def pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdfium_text(body: bytes) -> str:
    document = pypdfium2.PdfDocument(body)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


async def organiser_client(client, settings, world: World) -> str:  # type: ignore[no-untyped-def]
    await sign_in(client, settings, world.organiser)
    page = await client.get(f"/manage/events/{SLUG}/summary")
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


# --- outcomes API ------------------------------------------------------------------------------


async def test_outcomes_api(client, settings, world: World) -> None:  # type: ignore[no-untyped-def]
    token = await api_token(settings, world.organiser)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/events/{SLUG}/outcomes"
    body = {
        "kind": "memorandum",
        "title": {"en": "Memorandum of cooperation", "pl": "Memorandum o współpracy"},
        "party_ids": [world.kariu.id, world.agh.id],
        "signed_on": "2025-05-15",
        "link": "https://www.agh.edu.pl",
    }
    created = await client.post(url, json=body, headers=headers)
    assert created.status_code == 201, created.text
    outcome = created.json()
    assert [p["short_name"] for p in outcome["parties"]] == ["КарИУ", "AGH"]
    listed = (await client.get(url, headers=headers)).json()["outcomes"]
    assert [o["id"] for o in listed] == [outcome["id"]]

    changed = await client.patch(
        f"{url}/{outcome['id']}", json={"kind": "agreement"}, headers=headers
    )
    assert changed.status_code == 200 and changed.json()["kind"] == "agreement"

    for bad, field in (
        ({**body, "kind": "treaty"}, "kind"),
        ({**body, "title": {"pl": "Tylko po polsku"}}, "title.en"),
        ({**body, "title": {"en": "x", "de": "y"}}, "title.de"),
        ({**body, "party_ids": [999999]}, "party_ids"),
        ({**body, "link": "javascript:alert(1)"}, "link"),
    ):
        answer = await client.post(url, json=bad, headers=headers)
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == field
    assert (
        await client.post(url, json={**body, "signed_on": "15.05.2025"}, headers=headers)
    ).status_code == 400

    assert (await client.delete(f"{url}/{outcome['id']}", headers=headers)).status_code == 204
    assert (await client.get(f"{url}/{outcome['id']}", headers=headers)).status_code == 404


async def test_outcomes_api_access(client, settings, world: World) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/events/{SLUG}/outcomes"
    assert (await client.get(url)).status_code == 401
    other = await api_token(settings, world.other_organiser)
    answer = await client.get(url, headers={"Authorization": f"Bearer {other}"})
    assert answer.status_code == 403


# --- the organiser writes, previews and publishes --------------------------------------------


async def test_write_preview_publish(client, settings, world: World) -> None:  # type: ignore[no-untyped-def]
    assert (await client.get(f"/e/{SLUG}/summary")).status_code == 404
    csrf = await organiser_client(client, settings, world)
    base = f"/manage/events/{SLUG}/summary"

    # Publishing without a story in the default language names the field.
    refused = await client.post(f"{base}/publish", data={"csrf_token": csrf, "action": "publish"})
    assert refused.status_code == 422 and "field-error" in refused.text

    story = (
        "## Дөңгелек үстел\n\nA **memorandum** was signed. "
        "<script>alert('x')</script><img src=x onerror=alert(1)> [bad](javascript:alert(1))"
    )
    saved = await client.post(
        f"{base}/text",
        data={
            "csrf_token": csrf,
            "narrative_en": story,
            "narrative_kk": "Ғылым мен білім: өңір",
            "lead_en": "Kraków meets Karaganda.",
            "narrative_de": "nope",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303

    # A photo naming someone who did not agree to photos is refused; a consenting person is fine.
    no_consent = world.registrations[2]
    files = {"photo": ("p.jpg", jpeg(), "image/jpeg")}
    form = {
        "csrf_token": csrf,
        "alt_en": "The delegation in the hall",
        "registration_ids": str(no_consent.id),
    }
    refused = await client.post(f"{base}/photos", data=form, files=files)
    assert refused.status_code == 422 and "agreed to photos" in refused.text
    refused = await client.post(
        f"{base}/photos", data={"csrf_token": csrf, "alt_en": "x"}, files=files
    )
    assert refused.status_code == 422  # neither people named nor consent confirmed
    refused = await client.post(
        f"{base}/photos",
        data={**form, "alt_en": "", "registration_ids": str(world.registrations[0].id)},
        files=files,
    )
    assert refused.status_code == 422  # alt text required
    added = await client.post(
        f"{base}/photos",
        data={
            **form,
            "registration_ids": [str(world.registrations[0].id), str(world.registrations[1].id)],
        },
        files=files,
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    bad_file = await client.post(
        f"{base}/photos",
        data={**form, "consent_confirmed": "yes", "registration_ids": []},
        files={"photo": ("x.jpg", b"<svg/>", "image/jpeg")},
    )
    assert bad_file.status_code == 422 and "field-error" in bad_file.text

    quote = await client.post(
        f"{base}/quotes",
        data={
            "csrf_token": csrf,
            "text": "Współpraca to przyszłość.",
            "person": "Łukasz Wójcik",
            "role": "AGH",
            "language": "pl",
        },
        follow_redirects=False,
    )
    assert quote.status_code == 303

    page = await client.get(base)
    photo_id = re.search(r"/summary/photos/(\d+)", page.text)
    assert photo_id
    # The draft's photo and preview are the organiser's only.
    assert (await client.get(f"{base}/preview")).status_code == 200

    published = await client.post(
        f"{base}/publish", data={"csrf_token": csrf, "action": "publish"}, follow_redirects=False
    )
    assert published.status_code == 303

    public = await client.get(f"/e/{SLUG}/summary")
    assert public.status_code == 200
    html = public.text
    assert "<strong>memorandum</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html
    assert 'href="javascript' not in html.lower()  # the text may remain, never as a link
    assert "Współpraca to przyszłość." in html
    assert "<svg" in html and "<rect" in html
    kk = await client.get(f"/e/{SLUG}/summary?lang=kk")
    assert "Ғылым мен білім: өңір" in kk.text

    photo = await client.get(f"/e/{SLUG}/summary/photos/{photo_id.group(1)}")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert b"SecretCamera" not in photo.content

    # Open Graph and Twitter card tags.
    tree = lxml.html.fromstring(html)
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.iter("meta")}
    assert meta["og:title"].startswith("KarIU and AGH round table")
    assert meta["og:description"] == "Kraków meets Karaganda."
    assert meta["og:url"] == f"http://testserver.local/e/{SLUG}/summary?lang=en"
    assert meta["og:image"].startswith(f"http://testserver.local/e/{SLUG}/summary/photos/")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:type"] == "article"

    pdf = await client.get(f"/e/{SLUG}/summary.pdf?lang=kk")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "ҚарИУ мен AGH дөңгелек үстелі" in text
    assert "Ғылым мен білім: өңір" in text
    assert "Współpraca to przyszłość." in text
    assert (await client.get(f"/e/{SLUG}/summary.pdf?lang=xx")).status_code == 422
    # As for the programme: ?lang= twice gives one PDF with the story in both languages.
    link = re.search(r'href="(/e/[^"]+/summary\.pdf\?[^"]+)"', html)
    assert link and link.group(1).replace("&amp;", "&") == f"/e/{SLUG}/summary.pdf?lang=en&lang=pl"
    both = await client.get(f"/e/{SLUG}/summary.pdf?lang=en&lang=kk")
    assert both.status_code == 200
    text = pdfium_text(both.content)
    assert "A memorandum was signed." in text and "Ғылым мен білім: өңір" in text
    assert "KarIU and AGH round table" in text and "ҚарИУ мен AGH дөңгелек үстелі" in text
    assert all(letter in text for letter in "ҚҒөңұүі")  # Kazakh letters come back out
    assert text.index("A memorandum was signed.") < text.index("Ғылым мен білім: өңір")
    assert "filename*=UTF-8''" in both.headers["content-disposition"]
    assert "summary-en-kk.pdf" in both.headers["content-disposition"]
    default = pdfium_text((await client.get(f"/e/{SLUG}/summary.pdf")).content)
    assert "A memorandum was signed." in default and "Ғылым мен білім" not in default
    three = await client.get(
        f"/e/{SLUG}/summary.pdf?lang=en&lang=pl&lang=kk", headers={"Accept": "application/json"}
    )
    assert three.status_code == 422
    assert (three.json()["code"], three.json()["field"]) == ("too_many_languages", "lang")

    feed = await client.get("/feed.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith(
        "application/atom+xml"
    )
    root = ET.fromstring(feed.content)  # noqa: S314 - our own answer
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for required in ("id", "title", "updated", "summary", "content"):
        assert entry.find(f"{ATOM}{required}") is not None, required
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"http://testserver.local/e/{SLUG}/summary"
    )
    assert "<script" not in entry.find(f"{ATOM}content").text

    unpublished = await client.post(
        f"{base}/publish", data={"csrf_token": csrf, "action": "unpublish"}, follow_redirects=False
    )
    assert unpublished.status_code == 303
    assert (await client.get(f"/e/{SLUG}/summary")).status_code == 404
    empty = ET.fromstring((await client.get("/feed.atom")).content)  # noqa: S314
    assert empty.findall(f"{ATOM}entry") == []
    # A draft's photo is the organisers' only.
    photo_url = f"/e/{SLUG}/summary/photos/{photo_id.group(1)}"
    assert (await client.get(photo_url)).status_code == 200
    client.cookies.clear()
    assert (await client.get(photo_url)).status_code == 404


async def test_draft_is_hidden(client, settings, world: World) -> None:  # type: ignore[no-untyped-def]
    assert (await client.get(f"/e/{SLUG}/summary.pdf")).status_code == 404
    anonymous = await client.get(f"/manage/events/{SLUG}/summary/preview", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401)
    await sign_in(client, settings, world.other_organiser)
    assert (await client.get(f"/manage/events/{SLUG}/summary")).status_code == 403
    assert (await client.get(f"/manage/events/{SLUG}/summary/preview")).status_code == 403


async def test_event_page_has_open_graph_tags(client, world: World) -> None:  # type: ignore[no-untyped-def]
    page = await client.get(f"/e/{SLUG}")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.text)
    meta = {m.get("property") or m.get("name"): m.get("content") for m in tree.iter("meta")}
    assert meta["og:title"] == "KarIU and AGH round table"
    assert meta["og:description"] == "A delegation from Kraków visits Karaganda."
    assert meta["og:url"].startswith(f"http://testserver.local/e/{SLUG}")
    # The share card is the event page's image (tests/integration/publishing/test_share_card.py).
    assert meta["og:image"] == f"http://testserver.local/e/{SLUG}/card.png?lang=en"
    assert meta["twitter:card"] == "summary_large_image"


# --- certificates ------------------------------------------------------------------------------


async def test_certificate_download_and_verify(client, world: World) -> None:  # type: ignore[no-untyped-def]
    attendee = world.registrations[3]  # Әсел Қасымова, checked in
    answer = await client.get(f"/r/{world.tokens[attendee.id]}/certificate.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "Әсел Қасымова" in text
    assert "Карагандинский индустриальный университет" in text
    code = re.search(r"C\d+-[A-Z2-7]{16}", text)
    assert code, text
    valid = await client.get(f"/verify/{code.group(0)}")
    assert valid.status_code == 200
    assert "Әсел Қасымова" in valid.text and "2025-05-15" in valid.text
    assert "p3@example.org" not in valid.text  # name, event and date only

    head, letters = code.group(0).split("-")
    altered = f"{head}-{letters[:-1]}{'A' if letters[-1] != 'A' else 'B'}"
    other_person = f"C{world.registrations[0].id}-{letters}"
    for bad in (altered, other_person, "C1-AAAAAAAAAAAAAAAA", "not-a-code", "C" + "9" * 30):
        refused = await client.get(f"/verify/{bad}")
        assert refused.status_code == 404, bad
        assert "Әсел" not in refused.text


async def test_no_certificate_without_check_in(client, world: World) -> None:  # type: ignore[no-untyped-def]
    absent = world.registrations[-1]
    answer = await client.get(f"/r/{world.tokens[absent.id]}/certificate.pdf")
    assert answer.status_code == 409
    assert answer.headers["content-type"].startswith("text/html")
    assert "certificate-unavailable" in answer.text
    assert (await client.get("/r/nonsense-token/certificate.pdf")).status_code == 404


async def test_no_certificate_before_the_event_ends(db, settings, client) -> None:  # type: ignore[no-untyped-def]
    world = await build_world(db, settings, ends_in=timedelta(days=3))
    attendee = world.registrations[0]
    answer = await client.get(f"/r/{world.tokens[attendee.id]}/certificate.pdf")
    assert answer.status_code == 409 and "after the event" in answer.text


async def test_batch_certificates(client, settings, world: World) -> None:  # type: ignore[no-untyped-def]
    csrf = await organiser_client(client, settings, world)
    signed = await client.post(
        f"/manage/events/{SLUG}/summary/signatures",
        data={"csrf_token": csrf, "name": "Prof. Jan Kowalski", "role": "AGH"},
        files={"image": ("s.png", jpeg((300, 100)), "image/png")},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text
    answer = await client.get(f"/manage/events/{SLUG}/summary/certificates.pdf")
    assert answer.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) == 6  # the six people checked in
    text = pdf_text(answer.content)
    assert "Łukasz Wójcik" in text and "Zofia Żak" in text and "Prof. Jan Kowalski" in text
    assert "Anna Schmidt" not in text
