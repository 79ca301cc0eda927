"""Printable name badges: a pure function from plain data to a PDF.

``render_badges(event, badges, layout)`` draws page by page with reportlab's canvas and consumes
``badges`` lazily, so a caller can stream thousands of registrations from the database without
building them all first. Every badge shows the name large, the organisation, the country, a band
in the category's colour with the category label, the event's title, dates and logo, and a QR code
holding only the check-in token.

Text never overflows or clips: each text block is measured with ``pdfmetrics.stringWidth``, shrunk
to fit its width down to a minimum size, then wrapped onto two lines (and shrunk further only if
even two lines at the minimum size would not fit). ``plan_badge`` returns that layout decision so
tests and callers can check it without reading the PDF.
"""

from __future__ import annotations

import enum
import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import msgspec
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from events.documents.fonts import BOLD, REGULAR, register_fonts
from events.documents.qr import draw_qr
from events.errors import InvalidInput

#: The check-in token rule (DESIGN.md): opaque, >= 128 random bits, URL-safe, at most 40 chars.
#: 22 base64url characters carry 132 bits; 32 hex characters carry 128 bits.
CHECKIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,40}")
_HEX_COLOUR = re.compile(r"#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")

TEXT_COLOUR = (0.07, 0.07, 0.07)
MUTED_COLOUR = (0.30, 0.30, 0.30)
CUT_MARK_COLOUR = (0.45, 0.45, 0.45)
LEADING = 1.18


class BadgeLayout(enum.StrEnum):
    """How badges sit on paper."""

    A6 = "a6"  #: one badge per A6 page (105 x 148 mm)
    A6X4 = "a6x4"  #: four A6 badges on an A4 sheet, with cut marks
    CARD8 = "card8"  #: 2 x 4 badges of 90 x 54 mm on an A4 sheet, with cut marks
    LABEL = "label"  #: one badge per 62 x 100 mm label (label printers)


class BadgeEvent(msgspec.Struct, frozen=True):
    """What every badge of one event shares."""

    title: str
    dates: str = ""  #: already formatted in the reader's language, e.g. "12–13 October 2023"
    logo: bytes | str | None = None  #: PNG/JPEG bytes, or a path to such a file
    accent_colour: str = "#1F4E79"  #: hex, the rule under the header


class Badge(msgspec.Struct, frozen=True):
    """One person's badge. All texts are shown as given (NFC-normalised), never interpreted."""

    given_name: str
    family_name: str
    checkin_token: str
    honorific: str = ""
    organisation: str = ""
    country: str = ""  #: the country's name in the badge's language
    category: str = ""  #: the category's label, e.g. "Speaker"
    category_colour: str = "#5B6770"  #: hex


class Rect(msgspec.Struct, frozen=True):
    x: float
    y: float
    width: float
    height: float


class TextLine(msgspec.Struct, frozen=True):
    """A line of text as drawn: (x, y) is the left end of the baseline, relative to the badge."""

    role: str  #: title, dates, honorific, name, organisation, country, category
    text: str
    font: str
    size: float
    x: float
    y: float
    width: float  #: measured with pdfmetrics.stringWidth
    max_width: float  #: the width the line had to fit in


class BadgePlan(msgspec.Struct, frozen=True):
    """The layout decision for one badge, in points relative to the badge's lower-left corner."""

    width: float
    height: float
    padding: float
    lines: list[TextLine]
    qr: Rect
    band: Rect
    band_colour: tuple[float, float, float]
    band_text_colour: tuple[float, float, float]
    logo: Rect | None
    rule: Rect


class Sheet(msgspec.Struct, frozen=True):
    page_width: float
    page_height: float
    badge_width: float
    badge_height: float
    columns: int
    rows: int
    cut_marks: bool

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def origin(self) -> tuple[float, float]:
        """Lower-left corner of the grid of badges, centred on the page."""
        return (
            (self.page_width - self.columns * self.badge_width) / 2,
            (self.page_height - self.rows * self.badge_height) / 2,
        )

    def position(self, index: int) -> tuple[float, float]:
        """Lower-left corner of the badge at ``index`` (left to right, top to bottom)."""
        column, row = index % self.columns, index // self.columns
        ox, oy = self.origin
        return ox + column * self.badge_width, oy + (self.rows - 1 - row) * self.badge_height


A4 = (210 * mm, 297 * mm)
SHEETS: dict[BadgeLayout, Sheet] = {
    BadgeLayout.A6: Sheet(105 * mm, 148 * mm, 105 * mm, 148 * mm, 1, 1, False),
    BadgeLayout.A6X4: Sheet(*A4, 105 * mm, 148.5 * mm, 2, 2, True),
    BadgeLayout.CARD8: Sheet(*A4, 90 * mm, 54 * mm, 2, 4, True),
    BadgeLayout.LABEL: Sheet(62 * mm, 100 * mm, 62 * mm, 100 * mm, 1, 1, False),
}


# --- checking the input ---------------------------------------------------------------------


def parse_colour(value: str, field: str) -> tuple[float, float, float]:
    """``#RRGGBB`` or ``#RGB`` (the ``#`` optional) as reportlab RGB fractions."""
    match = _HEX_COLOUR.fullmatch(value.strip())
    if not match:
        raise InvalidInput(
            "invalid_colour", f"{value!r} is not a colour like #1F4E79.", field=field
        )
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b)


def contrasting_text(colour: tuple[float, float, float]) -> tuple[float, float, float]:
    """Black or white, whichever has the higher WCAG contrast ratio against ``colour``."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    against_white = 1.05 / (luminance + 0.05)
    against_black = (luminance + 0.05) / 0.05
    return (1.0, 1.0, 1.0) if against_white >= against_black else (0.0, 0.0, 0.0)


def check_token(token: str) -> str:
    if not CHECKIN_TOKEN.fullmatch(token):
        raise InvalidInput(
            "invalid_checkin_token",
            "A check-in token is 22 to 40 URL-safe characters (A-Z a-z 0-9 - _).",
            field="checkin_token",
        )
    return token


def _clean(text: str) -> str:
    """NFC, and whitespace (including line breaks a user typed) collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- fitting text ---------------------------------------------------------------------------


def _width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def _split_points(text: str) -> list[tuple[str, str]]:
    """Where a text may wrap: at spaces (the space dropped) and after hyphens (kept)."""
    splits: list[tuple[str, str]] = []
    for i, char in enumerate(text):
        if char == " ":
            splits.append((text[:i], text[i + 1 :]))
        elif char in "-‐–" and 0 < i < len(text) - 1:
            splits.append((text[: i + 1], text[i + 1 :]))
    return [(a.strip(), b.strip()) for a, b in splits if a.strip() and b.strip()]


def _best_split(text: str, font: str, candidates: list[tuple[str, str]]) -> tuple[list[str], float]:
    """The two-line split with the narrowest longer line, and that width at size 1."""
    best = min(candidates, key=lambda pair: max(_width(p, font, 1) for p in pair))
    return list(best), max(_width(p, font, 1) for p in best)


def _size_for(unit_width: float, max_width: float, max_size: float) -> float:
    """The largest size (in tenths of a point) at which ``unit_width`` fits ``max_width``."""
    if unit_width <= 0:
        return max_size
    return min(max_size, math.floor(max_width / unit_width * 10) / 10)


def fit_text(
    text: str, font: str, max_width: float, max_size: float, min_size: float, max_lines: int = 2
) -> tuple[float, list[str]]:
    """Choose a size and line breaks so that every line fits ``max_width``.

    One line at ``max_size`` if it fits; else one line shrunk down to ``min_size``; else (when
    ``max_lines`` is 2) two lines, broken where the longer line is shortest, as large as fits up
    to ``max_size``: at a space if that fits at ``min_size``, else at a space or after a hyphen.
    If even that needs less than ``min_size``, the text keeps shrinking: it is never allowed to
    overflow. A single word with no space or hyphen is split between the two characters that
    balance the lines best.
    """
    if not text:
        return max_size, []
    one = _size_for(_width(text, font, 1), max_width, max_size)
    if one >= min_size or max_lines < 2 or len(text) < 2:
        return one, [text]
    candidates = _split_points(text)
    # A break at a space reads better than one inside a hyphenated name: prefer it if it fits.
    at_spaces = [pair for pair in candidates if f"{pair[0]} {pair[1]}" == text]
    if at_spaces and at_spaces != candidates:
        lines, unit = _best_split(text, font, at_spaces)
        size = _size_for(unit, max_width, max_size)
        if size >= min_size:
            return size, lines
    if candidates:
        lines, unit = _best_split(text, font, candidates)
        size = _size_for(unit, max_width, max_size)
        if size >= min_size:
            return size, lines
        # Two lines below the minimum size: still the larger of the two ways, never overflowing.
        return (size, lines) if size >= one else (one, [text])
    # A single long word: break it between the two characters that balance the lines best.
    lines, unit = _best_split(text, font, [(text[:i], text[i:]) for i in range(1, len(text))])
    size = _size_for(unit, max_width, max_size)
    return (size, lines) if size > one else (one, [text])


# --- planning a badge -----------------------------------------------------------------------


class _Block(msgspec.Struct):
    role: str
    font: str
    size: float
    lines: list[str]
    max_width: float
    colour: tuple[float, float, float] = TEXT_COLOUR

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING


def _block(
    role: str,
    text: str,
    font: str,
    max_width: float,
    max_size: float,
    min_size: float,
    max_lines: int = 2,
) -> _Block | None:
    text = _clean(text)
    if not text:
        return None
    size, lines = fit_text(text, font, max_width, max_size, min_size, max_lines)
    return _Block(role, font, size, lines, max_width)


def _place(
    block: _Block, top: float, left: float, width: float, centred: bool = True
) -> tuple[list[TextLine], float]:
    """Lines of ``block`` with the first line's cap top at ``top``; returns them and the bottom."""
    lines: list[TextLine] = []
    y = top
    for text in block.lines:
        y -= block.size * 0.95
        measured = _width(text, block.font, block.size)
        x = left + (width - measured) / 2 if centred else left
        lines.append(
            TextLine(block.role, text, block.font, block.size, x, y, measured, block.max_width)
        )
        y -= block.size * (LEADING - 0.95)
    return lines, y


def plan_badge(
    event: BadgeEvent, badge: Badge, layout: BadgeLayout | str = BadgeLayout.A6
) -> BadgePlan:
    """Where everything on ``badge`` goes for ``layout``: sizes, line breaks, positions."""
    sheet = SHEETS[BadgeLayout(layout)]
    register_fonts()
    w, h = sheet.badge_width, sheet.badge_height
    portrait = h >= w
    pad = max(0.06 * min(w, h), 9.0)
    gap = pad * 0.45
    inner_w = w - 2 * pad
    lines: list[TextLine] = []

    # Category band along the bottom edge.
    band_h = (0.11 if portrait else 0.15) * h
    band = Rect(0, 0, w, band_h)
    band_colour = parse_colour(badge.category_colour, "category_colour")
    band_text = contrasting_text(band_colour)
    category = _block(
        "category", badge.category, BOLD, inner_w, band_h * 0.5, band_h * 0.3, max_lines=2
    )
    if category:
        # Two lines must fit the band's height too.
        if category.height > band_h * 0.85:
            category.size = min(category.size, band_h * 0.85 / (len(category.lines) * LEADING))
        top = (band_h + category.height) / 2
        placed, _ = _place(category, top, pad, inner_w)
        lines += placed

    # Header: logo on the left, title and dates beside it, a rule in the accent colour below.
    logo_side = (0.12 if portrait else 0.20) * h
    header_top = h - pad
    text_left = pad + (logo_side + gap if event.logo is not None else 0)
    text_w = w - pad - text_left
    title_max = min(0.045 * w, logo_side * (0.42 if portrait else 0.3))
    title = _block("title", event.title, BOLD, text_w, title_max, title_max * 0.6)
    dates = _block("dates", event.dates, REGULAR, text_w, title_max * 0.85, title_max * 0.5, 1)
    y = header_top
    for block in (title, dates):
        if block:
            placed, y = _place(block, y, text_left, text_w, centred=False)
            lines += placed
    header_bottom = min(y, header_top - logo_side if event.logo is not None else y)
    logo = Rect(pad, header_top - logo_side, logo_side, logo_side) if event.logo else None
    rule = Rect(pad, header_bottom - gap * 0.8, inner_w, max(0.8, h * 0.004))

    # The middle: QR below (portrait) or to the right (landscape) of the person's texts.
    middle_top = rule.y - gap
    middle_bottom = band_h + gap
    if portrait:
        qr_side = min(0.30 * h, inner_w)
        qr = Rect((w - qr_side) / 2, middle_bottom, qr_side, qr_side)
        column_y = qr.y + qr_side + gap * 0.5
        column = Rect(pad, column_y, inner_w, middle_top - column_y)
    else:
        qr_side = min(middle_top - middle_bottom, 0.40 * inner_w)
        qr = Rect(w - pad - qr_side, (middle_top + middle_bottom - qr_side) / 2, qr_side, qr_side)
        column = Rect(pad, middle_bottom, inner_w - qr_side - gap, middle_top - middle_bottom)

    name_max = min(column.width * 0.1, 30.0)
    full_name = f"{_clean(badge.given_name)} {_clean(badge.family_name)}".strip()
    # Shrink everything together until the person's texts fit the column's height.
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2):
        n_max = name_max * scale
        blocks = [
            _block(
                "honorific", badge.honorific, REGULAR, column.width, n_max * 0.5, n_max * 0.3, 1
            ),
            _block("name", full_name, BOLD, column.width, n_max, n_max * 0.55),
            _block(
                "organisation", badge.organisation, REGULAR, column.width, n_max * 0.5, n_max * 0.3
            ),
            _block("country", badge.country, REGULAR, column.width, n_max * 0.45, n_max * 0.3, 1),
        ]
        present = [b for b in blocks if b]
        total = sum(b.height for b in present) + gap * 0.5 * max(len(present) - 1, 0)
        if total <= column.height:
            break
    y = column.y + column.height - max(column.height - total, 0) / 2
    for block in present:
        if block.role == "country":
            block.colour = MUTED_COLOUR
        placed, y = _place(block, y, column.x, column.width)
        lines += placed
        y -= gap * 0.5

    return BadgePlan(
        width=w,
        height=h,
        padding=pad,
        lines=lines,
        qr=qr,
        band=band,
        band_colour=band_colour,
        band_text_colour=band_text,
        logo=logo,
        rule=rule,
    )


# --- drawing --------------------------------------------------------------------------------


LOGO_FORM = "EventsBadgeLogo"


def _logo_form(canvas: Canvas, logo: bytes | str | None) -> str | None:
    """Store the logo once in the PDF, as a form in a 1 x 1 box that each badge scales."""
    if logo is None:
        return None
    try:
        source: Any = io.BytesIO(logo) if isinstance(logo, bytes) else str(Path(logo))
        reader = ImageReader(source)
        reader.getSize()
    except Exception as error:
        raise InvalidInput(
            "invalid_logo", "The event's logo is not a readable PNG or JPEG image.", field="logo"
        ) from error
    canvas.beginForm(LOGO_FORM, 0, 0, 1, 1)
    canvas.drawImage(reader, 0, 0, 1, 1, preserveAspectRatio=True, anchor="c", mask="auto")
    canvas.endForm()
    return LOGO_FORM


def _draw_badge(
    canvas: Canvas,
    plan: BadgePlan,
    badge: Badge,
    accent: tuple[float, float, float],
    logo: str | None,
    include_qr: bool,
) -> None:
    canvas.setFillColorRGB(*plan.band_colour)
    canvas.rect(plan.band.x, plan.band.y, plan.band.width, plan.band.height, stroke=0, fill=1)
    canvas.setFillColorRGB(*accent)
    canvas.rect(plan.rule.x, plan.rule.y, plan.rule.width, plan.rule.height, stroke=0, fill=1)
    if logo and plan.logo is not None:
        box = plan.logo
        canvas.saveState()
        canvas.transform(box.width, 0, 0, box.height, box.x, box.y)
        canvas.doForm(logo)
        canvas.restoreState()
    for line in plan.lines:
        if line.role == "category":
            canvas.setFillColorRGB(*plan.band_text_colour)
        elif line.role in ("country", "dates", "honorific"):
            canvas.setFillColorRGB(*MUTED_COLOUR)
        else:
            canvas.setFillColorRGB(*TEXT_COLOUR)
        canvas.setFont(line.font, line.size)
        canvas.drawString(line.x, line.y, line.text)
    if include_qr:
        draw_qr(canvas, badge.checkin_token, plan.qr.x, plan.qr.y, plan.qr.width)


def _draw_cut_marks(canvas: Canvas, sheet: Sheet) -> None:
    """Short hairlines on every cut line, outside the badges where the sheet has room.

    Where the badges reach the paper's edge (4 x A6 on A4), the marks run inward from the edge
    along the cut lines themselves, so the guillotine removes them.
    """
    ox, oy = sheet.origin
    right = ox + sheet.columns * sheet.badge_width
    top = oy + sheet.rows * sheet.badge_height
    length, offset = 8 * mm, 2 * mm
    canvas.saveState()
    canvas.setStrokeColorRGB(*CUT_MARK_COLOUR)
    canvas.setLineWidth(0.3)
    xs = [ox + i * sheet.badge_width for i in range(sheet.columns + 1)]
    ys = [oy + j * sheet.badge_height for j in range(sheet.rows + 1)]
    edge = 0.5 * mm
    for x in xs:
        if oy > length:  # room below and above the grid
            canvas.line(x, oy - offset, x, oy - offset - length)
            canvas.line(x, top + offset, x, top + offset + length)
        elif edge < x < sheet.page_width - edge:  # inner cut line reaching the paper's edge
            canvas.line(x, 0, x, 10 * mm)
            canvas.line(x, sheet.page_height, x, sheet.page_height - 10 * mm)
    for y in ys:
        if ox > length:
            canvas.line(ox - offset, y, ox - offset - length, y)
            canvas.line(right + offset, y, right + offset + length, y)
        elif edge < y < sheet.page_height - edge:
            canvas.line(0, y, 10 * mm, y)
            canvas.line(sheet.page_width, y, sheet.page_width - 10 * mm, y)
    canvas.restoreState()


def _chunks(items: Iterable[Badge], size: int) -> Iterator[list[Badge]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Write compressed streams as binary, not ASCII85 on top of zlib.

    reportlab's default wraps every compressed stream in ASCII85, computed in pure Python unless
    the optional C accelerator is installed; that encoding alone cost more than the QR codes did.
    Binary streams are ordinary PDF and a fifth smaller. The setting is global to reportlab, so it
    is restored afterwards.
    """
    previous = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = previous


def write_badges(
    out: BinaryIO,
    event: BadgeEvent,
    badges: Iterable[Badge],
    layout: BadgeLayout | str = BadgeLayout.A6,
    *,
    include_qr: bool = True,
) -> int:
    """Write the badges' PDF to ``out``; returns how many badges it holds.

    ``badges`` is consumed lazily, one sheet at a time. ``include_qr=False`` leaves the QR codes
    out (for the benchmark that compares against the same pages without them).
    """
    with _binary_streams():
        return _write_badges(out, event, badges, layout, include_qr)


def _write_badges(
    out: BinaryIO,
    event: BadgeEvent,
    badges: Iterable[Badge],
    layout: BadgeLayout | str,
    include_qr: bool,
) -> int:
    try:
        layout = BadgeLayout(layout)
    except ValueError as error:
        choices = ", ".join(item.value for item in BadgeLayout)
        raise InvalidInput(
            "invalid_layout", f"The layout must be one of {choices}.", field="layout"
        ) from error
    sheet = SHEETS[layout]
    register_fonts()
    accent = parse_colour(event.accent_colour, "accent_colour")
    canvas = Canvas(
        out,
        pagesize=(sheet.page_width, sheet.page_height),
        pageCompression=1,
        initialFontName=REGULAR,  # else every page names Helvetica in its resources
        initialFontSize=10,
    )
    canvas.setTitle(_clean(event.title))
    canvas.setCreator("events")
    logo = _logo_form(canvas, event.logo)
    count = 0
    for chunk in _chunks(badges, sheet.per_page):
        for index, badge in enumerate(chunk):
            check_token(badge.checkin_token)
            plan = plan_badge(event, badge, layout)
            x, y = sheet.position(index)
            canvas.saveState()
            canvas.translate(x, y)
            _draw_badge(canvas, plan, badge, accent, logo, include_qr)
            canvas.restoreState()
            count += 1
        if sheet.cut_marks:
            _draw_cut_marks(canvas, sheet)
        canvas.showPage()
    if count == 0:
        raise InvalidInput("no_badges", "There are no badges to print.", field="badges")
    canvas.save()
    return count


def render_badges(
    event: BadgeEvent,
    badges: Iterable[Badge],
    layout: BadgeLayout | str = BadgeLayout.A6,
    *,
    include_qr: bool = True,
) -> bytes:
    """The PDF of ``badges`` in ``layout`` as bytes (see ``write_badges``)."""
    buffer = io.BytesIO()
    write_badges(buffer, event, badges, layout, include_qr=include_qr)
    return buffer.getvalue()
