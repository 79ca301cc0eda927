"""Badges: the QR decodes to the exact token, names survive, fonts are embedded, text fits."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from events.documents.badges import (
    SHEETS,
    Badge,
    BadgeEvent,
    BadgeLayout,
    BadgePlan,
    contrasting_text,
    fit_text,
    plan_badge,
    render_badges,
)
from events.documents.fonts import BOLD, register_fonts
from events.errors import InvalidInput

DPI = 200
KAZAKH = "Айгерім Сәрсенбаева-Нұрмағамбетова"
#: A 60-character name (given names and a double family name).
SIXTY = "Maximilian-Alexander Friedrich von Hohenzollern-Sigmaringens"


def _logo() -> bytes:
    image = Image.new("RGBA", (240, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 152, 152), fill=(31, 78, 121, 255))
    draw.rectangle((120, 50, 232, 110), fill=(192, 57, 43, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


EVENT = BadgeEvent(
    title="German–Kazakh Science Day 2023: Raw Materials and Energy",
    dates="12–13 October 2023 · Almaty",
    logo=_logo(),
    accent_colour="#1F4E79",
)

PEOPLE = [
    (
        "Prof. Dr.",
        "Айгерім",
        "Сәрсенбаева-Нұрмағамбетова",
        "Қарағанды индустриялық университеті",
        "Қазақстан",
        "Спикер",
        "#C0392B",
    ),
    (
        "",
        "Łukasz",
        "Wójcik",
        "Akademia Górniczo-Hutnicza w Krakowie",
        "Polska",
        "Delegacja",
        "#F1C40F",
    ),
    (
        "Dr.",
        "Jürgen",
        "Groß",
        "Bundesministerium für Bildung und Forschung",
        "Deutschland",
        "Gast",
        "#2ECC71",
    ),
    ("", "Ғалымжан", "Өтегенұлы", "Қазақ ұлттық университеті", "Қазақстан", "Қатысушы", "#1F4E79"),
    ("", "Zofia", "Żółkiewska-Ślęzak", "Politechnika Śląska", "Polska", "Speaker", "#000000"),
    (
        "Mag.",
        "Anna",
        "<b>Müller & Söhne</b>",
        "Österreichische Akademie",
        "Österreich",
        "VIP",
        "#FFFFFF",
    ),
]


def make_badges(count: int) -> list[Badge]:
    badges = []
    for i in range(count):
        honorific, given, family, organisation, country, category, colour = PEOPLE[i % len(PEOPLE)]
        badges.append(
            Badge(
                honorific=honorific,
                given_name=given,
                family_name=family,
                organisation=organisation,
                country=country,
                category=category,
                category_colour=colour,
                # Vary the length across the allowed range: 22 to 40 characters.
                checkin_token=secrets.token_urlsafe(16 + (i % 4) * 4)[:40],
            )
        )
    return badges


def page_images(pdf: bytes) -> Iterator[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    for page in document:
        yield page.render(scale=DPI / 72).to_pil()


def decoded(image: Image.Image) -> list[tuple[str, float, float]]:
    """Every QR code on the image: its text and its centre as fractions of the page (top-left 0)."""
    found = []
    for barcode in zxingcpp.read_barcodes(image):
        p = barcode.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        found.append((barcode.text, sum(xs) / 4 / image.width, sum(ys) / 4 / image.height))
    return found


@pytest.mark.parametrize("layout", list(BadgeLayout))
def test_every_qr_decodes_to_the_exact_token_in_its_own_place_on_the_sheet(
    layout: BadgeLayout,
) -> None:
    sheet = SHEETS[layout]
    # A full sheet plus a partly filled one, so every position is proven and a short last page too.
    count = sheet.per_page + max(sheet.per_page - 1, 1)
    badges = make_badges(count)
    pdf = render_badges(EVENT, badges, layout)
    pages = list(page_images(pdf))
    assert len(pages) == -(-count // sheet.per_page)
    for page_number, image in enumerate(pages):
        expected = badges[page_number * sheet.per_page : (page_number + 1) * sheet.per_page]
        found = decoded(image)
        assert sorted(text for text, _, _ in found) == sorted(b.checkin_token for b in expected)
        for index, badge in enumerate(expected):
            x, y = sheet.position(index)
            (cx, cy) = next((cx, cy) for text, cx, cy in found if text == badge.checkin_token)
            # The code sits inside its own badge's cell (pixel y grows downwards).
            assert x / sheet.page_width < cx < (x + sheet.badge_width) / sheet.page_width
            top = 1 - (y + sheet.badge_height) / sheet.page_height
            assert top < cy < 1 - y / sheet.page_height


def test_the_qr_holds_only_the_token_even_beside_personal_data() -> None:
    badge = make_badges(1)[0]
    pdf = render_badges(EVENT, [badge], BadgeLayout.A6)
    [(text, _, _)] = decoded(next(page_images(pdf)))
    assert text == badge.checkin_token
    assert badge.family_name not in text


def _page_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("layout", list(BadgeLayout))
def test_names_and_letters_come_back_intact_from_the_pdf(layout: BadgeLayout) -> None:
    badges = make_badges(len(PEOPLE))
    text = "".join(_page_text(render_badges(EVENT, badges, layout)))
    squashed = "".join(text.split())
    for badge in badges:
        # A name wrapped onto two lines comes back with a line break: compare without whitespace.
        for part in (badge.given_name, badge.family_name, badge.organisation, badge.country):
            assert "".join(part.split()) in squashed, part
        assert badge.category in text
    for letters in ("әғқңөұүһі", "ĄąĆćĘęŁłŃńÓóŚśŹźŻż", "äöüß"):
        for letter in letters:
            if any(letter in f"{b.given_name}{b.family_name}{b.organisation}" for b in badges):
                assert letter in text
    # Markup characters are drawn as typed, never interpreted.
    assert "<b>Müller&Söhne</b>" in squashed


def test_fonts_are_embedded_subsets_of_dejavu_and_helvetica_never_appears() -> None:
    pdf = render_badges(EVENT, make_badges(3), BadgeLayout.A6X4)
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # the TrueType program is embedded
    assert names, "no fonts at all"
    for name in names:
        prefix, _, family = name.lstrip("/").partition("+")
        assert len(prefix) == 6 and prefix.isupper(), name  # a subset tag like AAAAAA+
        assert family.startswith("DejaVuSans"), name
    assert b"Helvetica" not in pdf


def _boxes_inside(plan: BadgePlan) -> None:
    for line in plan.lines:
        assert line.width <= line.max_width + 1e-6, line
        assert line.x >= plan.padding - 1e-6, line
        assert line.x + line.width <= plan.width - plan.padding + 1e-6, line
        # The plan's width is the real width of the drawn string.
        assert line.width == pytest.approx(stringWidth(line.text, line.font, line.size))


@pytest.mark.parametrize("layout", list(BadgeLayout))
@pytest.mark.parametrize(
    ("given", "family"),
    [
        (SIXTY[:30], SIXTY[30:].strip()),
        ("Maximilian-Alexander Friedrich", "von Hohenzollern-Sigmaringen-Wittelsbach"),
        ("Айгерім", "Сәрсенбаева-Нұрмағамбетова"),
        ("X" * 30, "Y" * 30),
        ("Anna", "Li"),
    ],
)
def test_names_shrink_then_wrap_and_never_leave_the_badge(
    layout: BadgeLayout, given: str, family: str
) -> None:
    badge = Badge(
        given_name=given,
        family_name=family,
        organisation="Karaganda Industrial University of the Republic of Kazakhstan, "
        "Department of Metallurgy and Materials Science",
        country="Kazakhstan",
        category="Distinguished guest of the organising committee",
        checkin_token=secrets.token_urlsafe(16),
    )
    plan = plan_badge(EVENT, badge, layout)
    _boxes_inside(plan)
    name = [line for line in plan.lines if line.role == "name"]
    assert 1 <= len(name) <= 2
    assert "".join(line.text for line in name).replace(" ", "") == (given + family).replace(" ", "")
    # The category label stays inside its band.
    for line in plan.lines:
        if line.role == "category":
            assert line.y - 0.25 * line.size >= plan.band.y
            assert line.y + line.size <= plan.band.y + plan.band.height
    # Nothing of the person's texts overlaps the QR code or the category band.
    for line in plan.lines:
        if line.role in ("honorific", "name", "organisation", "country"):
            bottom, top = line.y - 0.25 * line.size, line.y + line.size
            assert bottom >= plan.band.y + plan.band.height
            q = plan.qr
            overlaps_qr = (
                line.x < q.x + q.width
                and line.x + line.width > q.x
                and bottom < q.y + q.height
                and top > q.y
            )
            assert not overlaps_qr, line


def test_a_short_name_stays_on_one_line_at_full_size_and_a_60_character_one_wraps() -> None:
    token = secrets.token_urlsafe(16)
    short = plan_badge(EVENT, Badge("Anna", "Li", token), BadgeLayout.A6)
    long = plan_badge(EVENT, Badge(SIXTY[:30], SIXTY[30:], token), BadgeLayout.A6)
    [short_line] = [line for line in short.lines if line.role == "name"]
    long_lines = [line for line in long.lines if line.role == "name"]
    assert len(SIXTY) == 60
    assert len(long_lines) == 2
    assert long_lines[0].size < short_line.size


def test_kazakh_double_name_wraps_between_given_and_family_name_on_a_label() -> None:
    plan = plan_badge(EVENT, Badge("Айгерім", "Сәрсенбаева-Нұрмағамбетова", "a" * 22), "label")
    assert [line.text for line in plan.lines if line.role == "name"] == [
        "Айгерім",
        "Сәрсенбаева-Нұрмағамбетова",
    ]


def test_long_names_stay_inside_the_page_as_drawn() -> None:
    """Measured from the PDF itself: every character's box lies inside the page's margins."""
    badges = [
        Badge(SIXTY[:30], SIXTY[30:], secrets.token_urlsafe(16), organisation="W" * 80),
        Badge("Айгерім", "Сәрсенбаева-Нұрмағамбетова", secrets.token_urlsafe(16)),
    ]
    for layout in (BadgeLayout.A6, BadgeLayout.LABEL):
        document = pdfium.PdfDocument(render_badges(EVENT, badges, layout))
        for page in document:
            width, _ = page.get_size()
            text = page.get_textpage()
            padding = plan_badge(EVENT, badges[0], layout).padding
            for i in range(text.count_chars()):
                left, _, right, _ = text.get_charbox(i)
                if right > left:  # spaces and line breaks have empty boxes
                    assert padding - 1 < left and right < width - padding + 1, (layout, i)


def test_fit_text_shrinks_to_the_minimum_before_wrapping() -> None:
    register_fonts()
    text = "Jürgen Groß-Oberhauser"
    full = stringWidth(text, BOLD, 20)
    size, lines = fit_text(text, BOLD, full * 0.8, 20, 12)
    assert lines == [text] and 12 <= size < 20
    # Too wide at the minimum size: two lines, broken at the space while that fits ...
    size, lines = fit_text(text, BOLD, full * 0.55, 20, 12)
    assert lines == ["Jürgen", "Groß-Oberhauser"] and size >= 12
    assert all(stringWidth(line, BOLD, size) <= full * 0.55 for line in lines)
    # ... and after the hyphen when only that keeps the minimum size.
    size, lines = fit_text(text, BOLD, full * 0.4, 20, 12)
    assert lines == ["Jürgen Groß-", "Oberhauser"] and size >= 12
    assert all(stringWidth(line, BOLD, size) <= full * 0.4 for line in lines)
    # One word too long for two lines at the minimum keeps shrinking instead of overflowing.
    size, lines = fit_text("W" * 200, BOLD, 100, 20, 12)
    assert len(lines) == 2 and size < 12
    assert all(stringWidth(line, BOLD, size) <= 100 for line in lines)


def test_band_text_contrasts_with_the_category_colour() -> None:
    white, black = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)
    assert contrasting_text((0.0, 0.0, 0.0)) == white
    assert contrasting_text((1.0, 1.0, 1.0)) == black
    assert contrasting_text((0xF1 / 255, 0xC4 / 255, 0x0F / 255)) == black  # yellow
    assert contrasting_text((0xC0 / 255, 0x39 / 255, 0x2B / 255)) == white  # red
    plan = plan_badge(EVENT, Badge("A", "B", "a" * 22, category_colour="#F1C40F"), "a6")
    assert plan.band_text_colour == black


def test_badges_are_taken_lazily_from_a_generator() -> None:
    badges = make_badges(9)
    pulled = 0

    def stream() -> Iterator[Badge]:
        nonlocal pulled
        for badge in badges:
            pulled += 1
            yield badge

    pdf = render_badges(EVENT, stream(), BadgeLayout.CARD8)
    assert pulled == 9
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2


def test_an_event_without_logo_or_dates_still_renders() -> None:
    pdf = render_badges(BadgeEvent(title="Round table"), make_badges(2), BadgeLayout.LABEL)
    assert "Round table" in _page_text(pdf)[0]


@pytest.mark.parametrize(
    ("event", "badge_changes", "layout", "code", "field"),
    [
        (EVENT, {"category_colour": "red"}, "a6", "invalid_colour", "category_colour"),
        (BadgeEvent("T", accent_colour="#12"), {}, "a6", "invalid_colour", "accent_colour"),
        (EVENT, {"checkin_token": "short"}, "a6", "invalid_checkin_token", "checkin_token"),
        (EVENT, {"checkin_token": "a" * 41}, "a6", "invalid_checkin_token", "checkin_token"),
        (EVENT, {"checkin_token": "a" * 21 + "/"}, "a6", "invalid_checkin_token", "checkin_token"),
        (EVENT, {}, "a5", "invalid_layout", "layout"),
        (BadgeEvent("T", logo=b"not an image"), {}, "a6", "invalid_logo", "logo"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_the_field(
    event: BadgeEvent, badge_changes: dict[str, str], layout: str, code: str, field: str
) -> None:
    import msgspec

    badge = msgspec.structs.replace(make_badges(1)[0], **badge_changes)
    with pytest.raises(InvalidInput) as caught:
        render_badges(event, [badge], layout)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_no_badges_is_an_error_not_an_empty_pdf() -> None:
    with pytest.raises(InvalidInput) as caught:
        render_badges(EVENT, [], BadgeLayout.A6)
    assert caught.value.code == "no_badges"


def test_the_logo_is_stored_once_however_many_badges_show_it() -> None:
    pdf = render_badges(EVENT, make_badges(12), BadgeLayout.A6)
    # The image and its transparency mask, once each, not once per page.
    assert pdf.count(b"/Subtype /Image") == 2
    # ... yet drawn on every badge: the middle of the logo's box is the logo's blue, not paper.
    box = plan_badge(EVENT, make_badges(1)[0], BadgeLayout.A6).logo
    assert box is not None
    document = pdfium.PdfDocument(pdf)
    for i in (0, 11):
        image = document[i].render(scale=1).to_pil().convert("RGB")
        height = image.height
        x, y = box.x + box.width * 0.3, height - (box.y + box.height / 2)
        assert image.getpixel((round(x), round(y))) == (31, 78, 121)
