"""The printed programme: a booklet in one language or two (stacked), A4 or A5.

A pure function from plain data (``EventData`` + ``ProgrammeOptions``) to PDF bytes: a cover with
title, dates, venue and the partners' logos, a welcome text, the agenda day by day, an index of
speakers, the partner institutions, page numbers, an outline with one entry per day, metadata and
working links. Every text a user typed is escaped for reportlab's Paragraph markup, and everything
long is built from splittable flowables so that it flows onto the next page instead of failing.

Two languages are *stacked*: each text appears in the first language, then in the second
(set in italic), and every heading and label carries both.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from events import i18n
from events.documents.fonts import BOLD, ITALIC, REGULAR, register_fonts
from events.publishing.schemas import EventData, ProgrammeOptions, SessionData, SpeakerData
from events.publishing.text import clean

ACCENT = colors.HexColor("#1a4f8b")
MUTED = colors.HexColor("#555555")
BREAK_BACKGROUND = colors.HexColor("#eef1f5")
BIOGRAPHY_CHARS = 500
MAX_LOGOS = 12


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated later, once per programme language."""
    return message


KIND_LABELS = {
    "keynote": N_("Keynote"),
    "talk": N_("Talk"),
    "panel": N_("Panel"),
    "round_table": N_("Round table"),
    "workshop": N_("Workshop"),
    "break": N_("Break"),
    "ceremony": N_("Ceremony"),
    "networking": N_("Networking"),
    "lab_visit": N_("Lab visit"),
}
ROLE_LABELS = {
    "speaker": N_("Speaker"),
    "moderator": N_("Moderator"),
    "panelist": N_("Panelist"),
    "chair": N_("Chair"),
}
PARTNER_ROLE_LABELS = {
    "host": N_("Host"),
    "co_host": N_("Co-host"),
    "partner": N_("Partner"),
    "sponsor": N_("Sponsor"),
    "delegation": N_("Delegation"),
}
PARTNER_ROLE_ORDER = ["host", "co_host", "partner", "delegation", "sponsor"]
LOGO_ROLES = ("host", "co_host", "partner", "delegation")


def markup(value: str | None) -> str:
    """User text made safe for Paragraph markup; line breaks kept."""
    return escape(clean(value)).replace("\r\n", "\n").replace("\n", "<br/>")


def link(url: str, text: str) -> str:
    """A working link for http(s) addresses; anything else is shown as plain text."""
    url = clean(url).strip()
    if not re.match(r"^https?://[^\s<>\"]+$", url):
        return markup(text)
    return f'<a href="{escape(url, {chr(34): "&quot;"})}" color="#1a4f8b">{markup(text)}</a>'


def translate(language: str, message: str) -> str:
    if language in i18n.UI_LANGUAGES:
        return i18n.translations(language).gettext(message)
    return message


def babel_locale(language: str) -> str:
    try:
        Locale.parse(language)
    except (ValueError, LookupError):
        return "en"
    return language


def pick(values: dict[str, str], language: str, default: str) -> str:
    return clean(i18n.pick(values, language, default))


class Labels:
    """Interface labels in the programme's languages, joined as "Programm / Бағдарлама"."""

    def __init__(self, languages: list[str]) -> None:
        self.languages = languages

    def __call__(self, message: str) -> str:
        texts: list[str] = []
        for language in self.languages:
            text = translate(language, message)
            if text not in texts:
                texts.append(text)
        return " / ".join(texts)


class Heading(Paragraph):  # type: ignore[misc]
    """A Paragraph that becomes an entry of the PDF outline where it is drawn."""

    def __init__(self, text: str, style: ParagraphStyle, outline: str, level: int) -> None:
        super().__init__(text, style)
        self.outline_title = outline
        self.outline_level = level


class ProgrammeDoc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: io.BytesIO, **kwargs: Any) -> None:
        super().__init__(buffer, **kwargs)
        self._bookmarks = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            self._bookmarks += 1
            key = f"h{self._bookmarks}"
            self.canv.showOutline()
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(
                flowable.outline_title, key, level=flowable.outline_level, closed=False
            )


class Styles:
    def __init__(self, scale: float) -> None:
        def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
            kw.setdefault("fontName", REGULAR)
            kw.setdefault("leading", size * 1.3)
            return ParagraphStyle(name, fontSize=size, **kw)

        s = scale
        self.cover_title = style(
            "cover_title",
            24 * s,
            fontName=BOLD,
            alignment=TA_CENTER,
            textColor=ACCENT,
            spaceAfter=6 * s,
        )
        self.cover_second = style(
            "cover_second",
            18 * s,
            fontName=ITALIC,
            alignment=TA_CENTER,
            textColor=ACCENT,
            spaceAfter=10 * s,
        )
        self.cover_line = style("cover_line", 12 * s, alignment=TA_CENTER, spaceAfter=4 * s)
        self.h1 = style(
            "h1",
            17 * s,
            fontName=BOLD,
            textColor=ACCENT,
            spaceBefore=4 * s,
            spaceAfter=8 * s,
            keepWithNext=1,
        )
        self.h2 = style(
            "h2",
            13 * s,
            fontName=BOLD,
            textColor=ACCENT,
            spaceBefore=10 * s,
            spaceAfter=6 * s,
            keepWithNext=1,
        )
        self.meta = style("meta", 8.5 * s, textColor=MUTED, spaceBefore=6 * s)
        self.title = style("title", 11 * s, fontName=BOLD, spaceAfter=1 * s)
        self.title_second = style("title_second", 10 * s, fontName=ITALIC, spaceAfter=1 * s)
        self.people = style("people", 9 * s, leftIndent=0, spaceBefore=1 * s)
        self.abstract = style(
            "abstract", 8.5 * s, textColor=colors.HexColor("#333333"), spaceBefore=2 * s
        )
        self.abstract_second = style(
            "abstract_second",
            8.5 * s,
            fontName=ITALIC,
            textColor=colors.HexColor("#333333"),
            spaceBefore=2 * s,
        )
        self.break_ = style(
            "break",
            9.5 * s,
            alignment=TA_CENTER,
            backColor=BREAK_BACKGROUND,
            borderPadding=(3 * s, 4 * s, 3 * s, 4 * s),
            spaceBefore=8 * s,
            spaceAfter=6 * s,
            textColor=MUTED,
        )
        self.body = style("body", 10 * s, spaceAfter=5 * s)
        self.body_second = style("body_second", 10 * s, fontName=ITALIC, spaceAfter=5 * s)
        self.name = style("name", 10 * s, fontName=BOLD, spaceBefore=6 * s)
        self.small = style("small", 8.5 * s)
        self.small_second = style("small_second", 8.5 * s, fontName=ITALIC)


def _local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone)


def _time(value: datetime, language: str) -> str:
    return format_time(value, "HH:mm", locale=babel_locale(language))


def _date(value: date, language: str, fmt: str = "long") -> str:
    return format_date(value, fmt, locale=babel_locale(language))


def _date_range(start: date, end: date, language: str) -> str:
    if start == end:
        return _date(start, language)
    return f"{_date(start, language)} – {_date(end, language)}"


def country_name(code: str | None, language: str) -> str:
    if not code:
        return ""
    code = code.upper()
    try:
        name = Locale.parse(babel_locale(language)).territories.get(code)
    except (ValueError, LookupError):
        name = None
    return name or code


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip() + "…"


def _fit_width(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (with an ellipsis) to the longest start that fits ``width`` on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """One Paragraph per blank-line separated block, so long texts split naturally."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", clean(text)) if b.strip()]
    return [Paragraph(markup(block), style) for block in blocks]


def _logo_flowable(data: bytes, box: float) -> Flowable | None:
    """The logo scaled into a square box; None for anything that is not a readable image."""
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            probe.verify()
        with PILImage.open(io.BytesIO(data)) as probe:
            width, height = probe.size
        if width <= 0 or height <= 0:
            return None
        factor = min(box / width, box / height)
        return Image(io.BytesIO(data), width=width * factor, height=height * factor)
    except Exception:  # a broken or unsupported image file is skipped, never fatal
        return None


def _speaker_line(
    event: EventData, session: SessionData, speakers: dict[int, SpeakerData], labels: Labels
) -> str:
    """Speakers with their organisation, grouped by role: "Moderation: …<br/>Podiumsgäste: …"."""
    groups: dict[str, list[str]] = {}
    for person in session.people:
        speaker = speakers.get(person.speaker_id)
        if speaker is None:
            continue
        text = f"<b>{markup(speaker.display_name)}</b>"
        if speaker.organisation:
            text += f", {markup(speaker.organisation_short or speaker.organisation)}"
        groups.setdefault(person.role, []).append(text)
    lines = []
    for role, names in groups.items():
        line = "; ".join(names)
        if role != "speaker":
            line = f"{escape(labels(ROLE_LABELS.get(role, role)))}: {line}"
        lines.append(line)
    return "<br/>".join(lines)


def _cover(
    event: EventData, options: ProgrammeOptions, styles: Styles, width: float, scale: float
) -> list[Flowable]:
    languages = options.languages
    primary = languages[0]
    zone = ZoneInfo(event.timezone)
    story: list[Flowable] = [Spacer(1, 30 * mm * scale)]
    for index, language in enumerate(languages):
        title = pick(event.title, language, event.default_language)
        style = styles.cover_title if index == 0 else styles.cover_second
        story.append(Paragraph(markup(title), style))
    start = _local(event.starts_at, zone).date()
    end = _local(event.ends_at, zone).date()
    for language in languages:
        story.append(Paragraph(escape(_date_range(start, end, language)), styles.cover_line))
    place = [p for p in (event.venue, event.city, country_name(event.country, primary)) if p]
    if place:
        story.append(Paragraph(markup(", ".join(place)), styles.cover_line))
    story.append(Spacer(1, 6 * mm * scale))
    story.append(Paragraph(link(event.url, event.url), styles.cover_line))

    box = 28 * mm * scale
    logos = [
        flowable
        for partner in event.partners
        if partner.role in LOGO_ROLES and partner.organisation.logo
        for flowable in [_logo_flowable(partner.organisation.logo, box)]
        if flowable is not None
    ][:MAX_LOGOS]
    if logos:
        per_row = max(1, min(len(logos), int(width // (box + 6 * mm))))
        rows = [logos[i : i + per_row] for i in range(0, len(logos), per_row)]
        rows[-1] = rows[-1] + [""] * (per_row - len(rows[-1]))  # type: ignore[list-item]
        table = Table(rows, colWidths=[width / per_row] * per_row, rowHeights=box + 4 * mm)
        table.setStyle(
            TableStyle(
                [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            )
        )
        story += [Spacer(1, 14 * mm * scale), table]
    hosts = [p.organisation.name for p in event.partners if p.role in ("host", "co_host")]
    if hosts:
        story.append(Spacer(1, 8 * mm * scale))
        story.append(Paragraph(markup(" · ".join(hosts)), styles.cover_line))
    return story


def _welcome(
    event: EventData, options: ProgrammeOptions, styles: Styles, labels: Labels
) -> list[Flowable]:
    texts: list[tuple[int, str]] = []
    for index, language in enumerate(options.languages):
        text = pick(event.description, language, event.default_language)
        if text and text not in [t for _, t in texts]:
            texts.append((index, text))
    if not texts:
        return []
    title = labels(N_("Welcome"))
    story: list[Flowable] = [Heading(escape(title), styles.h1, title, 0)]
    for index, text in texts:
        story += _paragraphs(text, styles.body if index == 0 else styles.body_second)
    return story


def _agenda(
    event: EventData, options: ProgrammeOptions, styles: Styles, labels: Labels
) -> list[Flowable]:
    languages = options.languages
    primary = languages[0]
    zone = ZoneInfo(event.timezone)
    speakers = event.speakers_by_id()
    title = labels(N_("Programme"))
    story: list[Flowable] = [Heading(escape(title), styles.h1, title, 0)]
    if not event.sessions:
        story.append(
            Paragraph(escape(labels(N_("The agenda has not been published yet."))), styles.body)
        )
        return story
    current_day: date | None = None
    for session in event.sessions:
        start = _local(session.starts_at, zone)
        end = _local(session.ends_at, zone)
        if start.date() != current_day:
            current_day = start.date()
            day_title = " / ".join(
                dict.fromkeys(_date(current_day, lang, "full") for lang in languages)
            )
            story.append(Heading(escape(day_title), styles.h2, day_title, 1))
        times = f"{_time(start, primary)}–{_time(end, primary)}"
        titles = list(
            dict.fromkeys(pick(session.title, lang, event.default_language) for lang in languages)
        )
        if session.kind == "break":
            text = f"<b>{times}</b>  " + "  /  ".join(markup(t) for t in titles if t)
            if session.room:
                text += f"  ·  {markup(session.room)}"
            story.append(Paragraph(text, styles.break_))
            continue
        meta = [f"<b>{times}</b>"]
        if session.room:
            meta.append(markup(session.room))
        meta.append(escape(labels(KIND_LABELS.get(session.kind, session.kind))))
        if session.track:
            meta.append(markup(session.track))
        head: list[Flowable] = [Paragraph("  ·  ".join(meta), styles.meta)]
        for index, text in enumerate(titles):
            if text:
                head.append(
                    Paragraph(markup(text), styles.title if index == 0 else styles.title_second)
                )
        people = _speaker_line(event, session, speakers, labels)
        if people:
            head.append(Paragraph(people, styles.people))
        story.append(KeepTogether(head))
        abstracts = list(
            dict.fromkeys(
                pick(session.abstract, lang, event.default_language) for lang in languages
            )
        )
        for index, text in enumerate(abstracts):
            if text:
                story += _paragraphs(
                    text, styles.abstract if index == 0 else styles.abstract_second
                )
    return story


def _speaker_index(
    event: EventData, options: ProgrammeOptions, styles: Styles, labels: Labels
) -> list[Flowable]:
    if not event.speakers:
        return []
    primary = options.languages[0]
    title = labels(N_("Speakers"))
    story: list[Flowable] = [Heading(escape(title), styles.h1, title, 0)]
    for speaker in event.speakers:
        entry: list[Flowable] = [Paragraph(markup(speaker.display_name), styles.name)]
        details = [
            markup(part)
            for part in (
                speaker.position,
                speaker.organisation,
                country_name(speaker.country, primary),
            )
            if part
        ]
        if details:
            entry.append(Paragraph(", ".join(details), styles.small))
        bios = list(
            dict.fromkeys(
                pick(speaker.biography, lang, event.default_language) for lang in options.languages
            )
        )
        for index, bio in enumerate(bios):
            if bio:
                entry.append(
                    Paragraph(
                        markup(_truncate(bio, BIOGRAPHY_CHARS)),
                        styles.small if index == 0 else styles.small_second,
                    )
                )
        story.append(KeepTogether(entry))
    return story


def _partners(
    event: EventData, options: ProgrammeOptions, styles: Styles, labels: Labels
) -> list[Flowable]:
    if not event.partners:
        return []
    primary = options.languages[0]
    title = labels(N_("Partner institutions"))
    story: list[Flowable] = [Heading(escape(title), styles.h1, title, 0)]
    roles = PARTNER_ROLE_ORDER + sorted({p.role for p in event.partners} - set(PARTNER_ROLE_ORDER))
    for role in roles:
        members = [p.organisation for p in event.partners if p.role == role]
        if not members:
            continue
        story.append(Paragraph(escape(labels(PARTNER_ROLE_LABELS.get(role, role))), styles.h2))
        for org in members:
            name = org.name + (f" ({org.short_name})" if org.short_name else "")
            text = link(org.website, name) if org.website else markup(name)
            country = country_name(org.country, primary)
            if country:
                text += f", {escape(country)}"
            story.append(Paragraph(text, styles.body))
    return story


def _footer(title: str, scale: float) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8 * scale)
        canvas.setFillColor(MUTED)
        width = doc.pagesize[0]
        y = doc.bottomMargin / 2
        canvas.drawRightString(width - doc.rightMargin, y, str(canvas.getPageNumber()))
        # By characters alone a title of wide letters still ran off the page: measure it, and
        # leave room for the page number on the right.
        short = _truncate(title, 70 if scale < 1 else 100)
        short = _fit_width(short, REGULAR, 8 * scale, doc.width - 12 * mm * scale)
        canvas.drawString(doc.leftMargin, y, short)
        canvas.restoreState()

    return draw


def render_programme(event: EventData, options: ProgrammeOptions) -> bytes:
    """The programme booklet as PDF bytes."""
    register_fonts()
    languages = [lang for lang in options.languages if lang] or [event.default_language]
    options = ProgrammeOptions(languages=languages[:2], size=options.size)
    scale = 0.85 if options.size == "a5" else 1.0
    pagesize = A5 if options.size == "a5" else A4
    margin = (12 if options.size == "a5" else 18) * mm
    styles = Styles(scale)
    labels = Labels(options.languages)
    primary = options.languages[0]
    title = pick(event.title, primary, event.default_language) or event.slug
    hosts = [clean(p.organisation.name) for p in event.partners if p.role in ("host", "co_host")]

    buffer = io.BytesIO()
    doc = ProgrammeDoc(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=f"{title} — {labels(N_('Programme'))}",
        author=", ".join(hosts) or "events",
        subject=labels(N_("Programme")),
        creator="events",
        lang=primary,
        keywords=[clean(event.slug), *options.languages],
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates(
        [
            PageTemplate(id="cover", frames=[frame]),
            PageTemplate(id="body", frames=[frame], onPage=_footer(title, scale)),
        ]
    )
    story: list[Flowable] = _cover(event, options, styles, doc.width, scale)
    story += [NextPageTemplate("body"), PageBreak()]
    sections: Iterable[list[Flowable]] = (
        _welcome(event, options, styles, labels),
        _agenda(event, options, styles, labels),
        _speaker_index(event, options, styles, labels),
        _partners(event, options, styles, labels),
    )
    first = True
    for section in sections:
        if not section:
            continue
        if not first:
            story.append(PageBreak())
        story += section
        first = False
    doc.build(story)
    return buffer.getvalue()
