from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession

from events.documents.programme import render_programme
from events.publishing import services
from events.publishing.schemas import (
    EventData,
    OrganisationData,
    PartnerData,
    ProgrammeOptions,
    RoomData,
    SessionData,
    SessionPersonData,
    SpeakerData,
)
from events.settings import Settings
from tests.unit.publishing.factory import (
    HOSTILE_TITLE,
    LONG_TITLE,
    SLUG,
    create_event,
)


@pytest.fixture
async def event(db: AsyncSession, settings: Settings) -> EventData:
    await create_event(db, settings.data_dir)
    return await services.load_event(db, SLUG, settings, with_logos=True)


def text_of(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def outline_titles(items: list) -> list[str]:  # type: ignore[type-arg]
    titles: list[str] = []
    for item in items:
        if isinstance(item, list):
            titles += outline_titles(item)
        else:
            titles.append(item.title)
    return titles


async def test_two_language_programme_reads_back_like_the_agenda(event: EventData) -> None:
    pdf = render_programme(event, ProgrammeOptions(languages=["de", "kk"]))
    reader, text = text_of(pdf)
    joined = flat(text)
    # Cover, welcome, both languages, Kazakh letters intact.
    assert "Deutsch-Kasachischer Wissenschaftstag" in joined
    assert "Қазақ-неміс ғылым күні" in joined
    assert "Herzlich willkommen zum Wissenschaftstag in Almaty!" in joined
    assert "Алматыдағы ғылым күніне қош келдіңіздер!" in joined
    for session in event.sessions:
        for title in session.title.values():
            assert flat(title) in joined, title
    assert flat(LONG_TITLE) in joined
    # User text shown literally, never interpreted as markup.
    assert HOSTILE_TITLE in joined
    assert "Қауіпті <b>мәтін</b> & т.б." in joined
    assert "<script>alert('x')</script> & Partners" in joined
    # Local times (UTC+6), rooms, kinds, speakers with organisation.
    assert "09:00–09:30" in joined and "10:30–11:00" in joined
    assert "Зал Б" in joined
    assert "Prof. Dr. Айгерім Сәрсенбаева" in joined
    for given_name, family in [("Małgorzata", "Brzęczyszczykiewicz"), ("Дәулет", "Һасенов")]:
        assert f"{given_name} {family}" in joined
    # Speaker index with position and country name; partner institutions.
    assert "Проректор по науке" in joined
    assert "Kasachstan" in joined and "Polen" in joined
    assert "Technische Universität Berlin (TU Berlin)" in joined
    # Page numbers in the footer of every page after the cover.
    for number, page in enumerate(reader.pages[1:], start=2):
        # The footer is drawn first: the page number, then the event's title.
        assert page.extract_text().splitlines()[:2] == [str(number), event.title["de"]]


async def test_outline_metadata_and_links(event: EventData) -> None:
    reader, _ = text_of(render_programme(event, ProgrammeOptions(languages=["de", "kk"])))
    titles = outline_titles(reader.outline)
    days = [t for t in titles if "Oktober 2023" in t]
    assert len(days) == 2
    assert "Donnerstag, 12. Oktober 2023" in days[0] and "қазан" in days[0]
    assert "Freitag, 13. Oktober 2023" in days[1]
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title is not None and "Deutsch-Kasachischer Wissenschaftstag" in metadata.title
    assert metadata.author is not None and "Қазақ ұлттық университеті" in metadata.author
    assert reader.trailer["/Root"]["/Lang"] == "de"
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert "http://testserver.local/e/science-day-test" in uris
    assert "https://www.tu.berlin" in uris
    assert not any(uri.startswith("javascript") for uri in uris)


async def test_the_cover_shows_existing_logos_and_skips_missing_or_broken_ones(
    event: EventData,
) -> None:
    reader, _ = text_of(render_programme(event, ProgrammeOptions(languages=["de"])))
    cover = reader.pages[0]
    assert len(cover.images) == 1  # ҚазҰУ; TU Berlin's file is missing, AGH's is not an image


async def test_one_language_and_a5(event: EventData) -> None:
    a4 = render_programme(event, ProgrammeOptions(languages=["kk"]))
    a5 = render_programme(event, ProgrammeOptions(languages=["kk"], size="a5"))
    reader4, text4 = text_of(a4)
    reader5, text5 = text_of(a5)
    assert round(float(reader5.pages[0].mediabox.width)) == 420  # A5: 148 mm
    assert round(float(reader4.pages[0].mediabox.width)) == 595  # A4: 210 mm
    assert len(reader5.pages) > len(reader4.pages)
    assert "Зертханаларға экскурсия" in flat(text5)
    assert "Deutsch-Kasachischer Wissenschaftstag" not in flat(text4)  # kk only
    assert reader4.trailer["/Root"]["/Lang"] == "kk"


async def test_the_two_page_abstract_flows_onto_the_following_pages(event: EventData) -> None:
    reader, _ = text_of(render_programme(event, ProgrammeOptions(languages=["de", "kk"])))
    pages_with_abstract = [
        i for i, page in enumerate(reader.pages) if "Сирек жер металдарын" in page.extract_text()
    ]
    assert len(pages_with_abstract) >= 3


# A fuzz-ish check: whatever people type, the programme renders.
awkward_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "<b>", "</para>", "&amp;", "&", "<a href='x'>", "\x00\x0b", "\ud800",
                     "😀" * 50, "x" * 3000, "ә" * 500, "\n\n\n", "<br/>" * 20]),
)  # fmt: skip
languages = st.sampled_from(["de", "kk", "pl", "en"])


def build(title: str, abstract: str, name: str, count: int, lang: str, bio: str) -> EventData:
    stamp = datetime(2023, 10, 12, 3, tzinfo=UTC)
    speaker = SpeakerData(
        id=1, honorific=name[:10] or None, given_name=name, family_name=title[:50],
        position=abstract[:100] or None, organisation=name or None, organisation_short=None,
        country="ZZ", biography={lang: bio}, email=None, updated_at=stamp,
    )  # fmt: skip
    org = OrganisationData(
        id=1, name=title or "x", short_name=name or None, country="KZ", kind="other",
        website=abstract[:80] or None, logo=b"\x89PNG broken",
    )  # fmt: skip
    sessions = [
        SessionData(
            id=n + 1, title={lang: title}, abstract={lang: abstract},
            kind=["talk", "break", "x"][n % 3],
            starts_at=stamp + timedelta(hours=n * 7), ends_at=stamp + timedelta(hours=n * 7 - 1),
            room_id=None, room=name or None, track=title[:20] or None, language=None,
            people=[SessionPersonData(speaker_id=1, role="panelist"),
                    SessionPersonData(speaker_id=99, role="speaker")],
            created_at=stamp, updated_at=stamp,
        )
        for n in range(count)
    ]  # fmt: skip
    return EventData(
        id=1, slug="fuzz", title={lang: title}, description={lang: abstract}, kind="workshop",
        status="published", starts_at=stamp, ends_at=stamp, timezone="Asia/Almaty", venue=name,
        city=None, country="KZ", languages=[lang], default_language="de", partner_countries=[],
        partners=[PartnerData(role="host", organisation=org)],
        rooms=[RoomData(id=1, name=name or "r", capacity=None)], sessions=sessions,
        speakers=[speaker], base_url="http://x", url="http://x/e/fuzz", last_modified=stamp,
    )  # fmt: skip


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=awkward_text,
    abstract=awkward_text,
    name=awkward_text,
    count=st.integers(min_value=0, max_value=6),
    lang=languages,
    bio=awkward_text,
    size=st.sampled_from(["a4", "a5"]),
    second=languages,
)
def test_no_input_makes_the_programme_fail(
    title: str, abstract: str, name: str, count: int, lang: str, bio: str, size: str, second: str
) -> None:
    event = build(title, abstract, name, count, lang, bio)
    pdf = render_programme(event, ProgrammeOptions(languages=[lang, second], size=size))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_long_texts_of_wide_letters_stay_on_the_page(size: str) -> None:
    import pypdfium2 as pdfium

    event = build("Ж" * 300, "Ғ" * 3000, "Щ" * 120, 3, "de", "Ш" * 600)
    document = pdfium.PdfDocument(
        render_programme(event, ProgrammeOptions(languages=["de"], size=size))
    )
    try:
        footers = []
        for number, page in enumerate(document):
            width, height = page.get_size()
            textpage = page.get_textpage()
            for index in range(textpage.count_chars()):
                left, bottom, right, top = textpage.get_charbox(index)
                assert -0.5 <= left <= right <= width + 0.5, (index, left, right)
                assert -0.5 <= bottom <= top <= height + 0.5, (index, bottom, top)
            if "ЖЖЖ…" in textpage.get_text_range():
                footers.append(number)
        # Every page after the (here two-page) cover has the footer: the title's start, cut short.
        assert footers == list(range(2, len(document)))
    finally:
        document.close()
