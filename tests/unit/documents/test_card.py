"""The share card: plain data in, a 1200 × 630 PNG out, whatever the title holds."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from events.documents import card
from events.documents.card import ShareCard, card_from_event, clean_text, render_card
from events.publishing import services
from events.publishing.schemas import EventData
from events.settings import Settings
from tests.unit.publishing.factory import SLUG, create_event

KAZAKH = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"
POLISH = "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"
HOSTILE_TITLES = {
    "html": "<script>alert('x')</script><img src=x onerror=alert(1)> & Co",
    "rtl_override": "\u202eevil.exe\u202c gpj.\u200f\u200d\u2066isolated\u2069",
    "long": "Қазақ-неміс ғылым күні " * 86 + "Ż" * 20,  # about 2,000 characters
    "one_long_word": "Ż" * 2000,
    "emoji": "🇰🇿🇩🇪 😀👩‍🔬 Science day 🧪🔬" * 20,
    "controls": "\x00\x07line\nbreak\ttab\r\x1b[31m",
}


@pytest.fixture
async def event_data(db: AsyncSession, settings: Settings) -> EventData:
    await create_event(db, settings.data_dir)
    return await services.load_event(db, SLUG, settings)


def sample(title: str = "Round table of KarIU and AGH Kraków", **changes: object) -> ShareCard:
    values: dict[str, object] = {
        "title": title,
        "dates": "12 қазан 2023 ж. – 13 қазан 2023 ж.",
        "place": "Қарағанды, Қазақстан",
        "countries": ["Қазақстан", "Польша"],
        "partners": [
            "Karaganda Industrial University",
            "Akademia Górniczo-Hutnicza im. Stanisława Staszica w Krakowie",
        ],
        "site": "events.example.org",
        "language": "kk",
    }
    values.update(changes)
    return ShareCard(**values)  # type: ignore[arg-type]


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (1200, 630) == (card.WIDTH, card.HEIGHT)
    image.load()
    return image


def ink_in(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Whether anything darker than the background is drawn inside ``box``."""
    region = image.convert("L").crop(box)
    return region.getextrema()[0] < 128


def test_a_card_is_a_1200_by_630_png_with_the_title_drawn() -> None:
    image = decoded(render_card(sample()))
    assert ink_in(image, (card.MARGIN, card.TITLE_TOP, 1128, card.TITLE_BOTTOM))
    assert not ink_in(image, (0, card.BAND + 4, card.MARGIN - 8, 630))  # the left margin is clear
    assert render_card(sample()) == render_card(sample())  # the same data, the same bytes


def test_kazakh_and_polish_letters_are_in_the_fonts_and_kept() -> None:
    assert clean_text(f"{KAZAKH} {POLISH}") == f"{KAZAKH} {POLISH}"
    decoded(render_card(sample(title=f"{KAZAKH} {POLISH}")))


@pytest.mark.parametrize("name", sorted(HOSTILE_TITLES))
def test_hostile_titles_render_inside_the_card(name: str) -> None:
    title = HOSTILE_TITLES[name]
    image = decoded(render_card(sample(title=title, place=title, partners=[title] * 12)))
    assert ink_in(image, (card.MARGIN, card.TITLE_TOP, 1128, card.TITLE_BOTTOM))
    # Nothing is drawn into the right margin: long text is wrapped, shrunk and cut.
    assert not ink_in(image, (card.WIDTH - card.MARGIN + 4, card.BAND + 4, 1200, 630))
    size, lines = card.title_layout(clean_text(title) or "events", 1056, 280)
    font = card._font(True, size)
    assert all(font.getlength(line) <= 1056 for line in lines)
    assert len(lines) * size * 1.18 <= 280 + size


def test_format_and_control_characters_and_missing_glyphs_are_dropped() -> None:
    assert clean_text("\u202eabc\u202c") == "abc"
    assert clean_text("a\u200db\u2066c\u2069") == "abc"
    assert clean_text("line\nbreak\ttab\x00") == "line break tab"
    assert clean_text("🇰🇿 flag") == "flag"  # regional indicators: no glyph in DejaVu


def test_long_titles_shrink_before_they_are_cut() -> None:
    short_size, short_lines = card.title_layout("Round table", 1056, 280)
    long_title = "Нанокомпозитные материалы для водородной энергетики: от лабораторных синтезов"
    long_size, long_lines = card.title_layout(long_title, 1056, 280)
    assert short_size == card.TITLE_SIZES[0] and short_lines == ["Round table"]
    assert long_size < short_size and "".join(long_lines).replace(" ", "") == long_title.replace(
        " ", ""
    )
    huge_size, huge_lines = card.title_layout(HOSTILE_TITLES["long"], 1056, 280)
    assert huge_size == card.TITLE_SIZES[-1] and huge_lines[-1].endswith("…")


def test_the_card_data_comes_from_the_event_in_the_asked_language(event_data: EventData) -> None:
    kk = card_from_event(event_data, "kk")
    assert kk.title == "Қазақ-неміс ғылым күні"
    assert "қазан" in kk.dates and "2023" in kk.dates  # October in Kazakh, dates in Almaty
    assert kk.place.startswith("Rixos Almaty") and "Қазақстан" in kk.place
    assert kk.countries == ["Германия", "Қазақстан"]
    assert kk.partners[:2] == [
        "Әл-Фараби атындағы Қазақ ұлттық университеті",
        "Technische Universität Berlin",
    ]
    assert kk.site and "/" not in kk.site  # the host of the base URL
    de = card_from_event(event_data, "de")
    assert de.title == "Deutsch-Kasachischer Wissenschaftstag" and "Oktober" in de.dates
    decoded(render_card(kk))
