"""The share card: a 1200 × 630 PNG that a shared link to an event shows (Open Graph, Twitter).

:func:`card_from_event` picks what the card says from the published event (title in one of its
languages, dates in the event's zone, place, partner countries and institutions);
:func:`render_card` draws it with Pillow. Both are pure: plain data in, bytes out.

Everything on the card is someone's typed text, so it is cleaned first: control and format
characters (a right-to-left override, zero-width joiners) are dropped, characters the font has no
glyph for are dropped rather than drawn as boxes, and a title of any length is wrapped, shrunk
down to a floor and then cut with an ellipsis, never drawn past the card's edge. The DejaVu fonts
carry Kazakh and Polish letters; the basic layout engine is used so the result is the same on
every machine, whichever text-shaping libraries Pillow found.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import msgspec
from babel.dates import format_date
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase.ttfonts import TTFontFile

from events import i18n
from events.documents.fonts import FONT_DIR
from events.documents.programme import babel_locale, country_name
from events.publishing.schemas import EventData

WIDTH, HEIGHT = 1200, 630
# Raise when the drawing changes, so a client's cached card (ETag) is replaced.
CARD_LAYOUT = "1"
MARGIN = 72
BAND = 92
TITLE_TOP = BAND + 48
TITLE_BOTTOM = 420
TITLE_SIZES = (72, 66, 60, 54, 48, 44, 40, 36)
MAX_PARTNERS = 8
ELLIPSIS = "…"

INK = (27, 31, 36)
MUTED = (74, 82, 96)
ACCENT = (11, 83, 148)
ACCENT_INK = (255, 255, 255)
LINE = (213, 217, 224)
PAPER = (255, 255, 255)

REGULAR_FILE = FONT_DIR / "DejaVuSans.ttf"
BOLD_FILE = FONT_DIR / "DejaVuSans-Bold.ttf"
# Roles whose institutions are named on the card, in this order.
PARTNER_ORDER = ("host", "co_host", "delegation", "partner", "sponsor")


class ShareCard(msgspec.Struct, frozen=True):
    """What the card says, already in the reader's language."""

    title: str
    dates: str
    place: str
    countries: list[str]
    partners: list[str]
    site: str
    language: str


@cache
def _glyphs() -> frozenset[int]:
    # Both faces cover the same letters; a code point missing from either is dropped.
    regular = TTFontFile(str(REGULAR_FILE)).charToGlyph
    bold = TTFontFile(str(BOLD_FILE)).charToGlyph
    return frozenset(regular) & frozenset(bold)


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    path = BOLD_FILE if bold else REGULAR_FILE
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def clean_text(value: str) -> str:
    """One line of drawable text: NFC, no control or format characters, known glyphs only."""
    glyphs = _glyphs()
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", value):
        category = unicodedata.category(char)
        if category in ("Zs", "Zl", "Zp") or char in "\t\n\r":
            kept.append(" ")
        elif category.startswith("C") or ord(char) not in glyphs:
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def dates_line(starts_at: datetime, ends_at: datetime, timezone: str, language: str) -> str:
    """'12 October 2023 – 13 October 2023' in ``language``, days in the event's zone."""
    zone = ZoneInfo(timezone)
    start, end = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
    locale = babel_locale(language)
    if start == end:
        return format_date(start, "long", locale=locale)
    return (
        f"{format_date(start, 'long', locale=locale)} – {format_date(end, 'long', locale=locale)}"
    )


def place_line(venue: str | None, city: str | None, country: str | None, language: str) -> str:
    return ", ".join(p for p in (venue, city, country_name(country, language)) if p)


def card_from_event(event: EventData, language: str) -> ShareCard:
    """The card's text for ``event`` in ``language`` (one of the event's languages)."""
    order = {role: index for index, role in enumerate(PARTNER_ORDER)}
    partners = sorted(event.partners, key=lambda p: order.get(p.role, len(order)))
    names: list[str] = []
    for partner in partners:
        org = partner.organisation
        name = org.name if len(org.name) <= 48 or not org.short_name else org.short_name
        if name not in names:
            names.append(name)
    countries = [country_name(code, language) for code in event.partner_countries]
    return ShareCard(
        title=i18n.pick(event.title, language, event.default_language) or event.slug,
        dates=dates_line(event.starts_at, event.ends_at, event.timezone, language),
        place=place_line(event.venue, event.city, event.country, language),
        countries=countries,
        partners=names,
        site=urlsplit(event.base_url).netloc or event.base_url,
        language=language,
    )


Measure = Callable[[str], float]


def _fit(text: str, measure: Measure, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width``."""
    if measure(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits together with the ellipsis
        middle = (low + high + 1) // 2
        if measure(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def wrap(text: str, measure: Measure, width: float, max_lines: int) -> tuple[list[str], bool]:
    """Greedy word wrap; a word wider than a line is broken between letters.

    Returns at most ``max_lines`` lines and whether everything fitted (if not, the last line
    ends with an ellipsis).
    """
    lines: list[str] = []
    current = ""
    words = text.split(" ")
    index = 0
    while index < len(words):
        word = words[index]
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            index += 1
            continue
        if current:
            lines.append(current)
            current = ""
        else:
            # One word wider than the line: take as many letters as fit.
            cut = max(1, len(_fit(word, measure, width)) - 1)
            while cut > 1 and measure(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            words[index] = word[cut:]
        if len(lines) >= max_lines:
            break
    if current and len(lines) < max_lines:
        lines.append(current)
        current = ""
    fitted = index >= len(words) and not current
    if not fitted and lines:
        rest = " ".join(words[index:]) if index < len(words) else current
        lines[-1] = _fit(f"{lines[-1]} {rest}".strip(), measure, width)
        if not lines[-1].endswith(ELLIPSIS):
            lines[-1] = _fit(lines[-1] + ELLIPSIS, measure, width)
    return lines, fitted


def title_layout(title: str, width: float, height: float) -> tuple[int, list[str]]:
    """The largest size at which the whole title fits the box; else the smallest, cut."""
    for size in TITLE_SIZES:
        font = _font(True, size)
        max_lines = max(1, int(height // (size * 1.18)))
        lines, fitted = wrap(title, font.getlength, width, max_lines)
        if fitted:
            return size, lines
    return size, lines


def render_card(card: ShareCard) -> bytes:
    """The card as PNG bytes, ``WIDTH`` × ``HEIGHT``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN

    # The band: the partner countries (the two sides of the event) and the site.
    draw.rectangle((0, 0, WIDTH, BAND), fill=ACCENT)
    band_font = _font(True, 30)
    site_font = _font(False, 24)
    site = _fit(clean_text(card.site), site_font.getlength, inner / 3)
    site_width = site_font.getlength(site)
    countries = clean_text(" — ".join(card.countries))
    countries = _fit(countries, band_font.getlength, inner - site_width - 32)
    draw.text((MARGIN, BAND / 2), countries, font=band_font, fill=ACCENT_INK, anchor="lm")
    draw.text((WIDTH - MARGIN, BAND / 2), site, font=site_font, fill=ACCENT_INK, anchor="rm")

    # The title: as large as fits.
    title = clean_text(card.title) or "events"
    size, lines = title_layout(title, inner, TITLE_BOTTOM - TITLE_TOP)
    font = _font(True, size)
    y = TITLE_TOP
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK, anchor="la")
        y += round(size * 1.18)

    # Dates and place under the title, then the institutions at the foot.
    line_font = _font(False, 32)
    y = max(y + 12, TITLE_BOTTOM + 8)
    for text in (card.dates, card.place):
        text = _fit(clean_text(text), line_font.getlength, inner)
        if text:
            draw.text((MARGIN, y), text, font=line_font, fill=MUTED, anchor="la")
            y += 44
    draw.line((MARGIN, 540, WIDTH - MARGIN, 540), fill=LINE, width=2)
    partner_font = _font(False, 26)
    names = [clean_text(name) for name in card.partners[:MAX_PARTNERS]]
    names = [name for name in names if name]
    if names:
        partner_lines, _ = wrap(" · ".join(names), partner_font.getlength, inner, 2)
        y = 556
        for line in partner_lines:
            draw.text((MARGIN, y), line, font=partner_font, fill=INK, anchor="la")
            y += 34
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
