"""The published summary as a PDF: the story, the figures (reportlab charts), outcomes, voices.

A pure function from ``SummaryDoc`` to bytes, set in the same embedded DejaVu fonts as the
programme. The narrative's Markdown is turned into Paragraph markup from markdown-it's tokens:
text is escaped, only bold, italic and http(s) links are kept, so nothing typed can inject markup.

Like the programme it is printed in one or two of the event's languages: headings and labels carry
both ("Figures / Сандар"), every short text (title, outcomes, captions) is shown in the first
language and then, in italics, in the second, and the story is told once in each language, each
under its language's name. A text that is the same in both languages is printed once.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date
from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from events import i18n
from events.documents.fonts import BOLD, ITALIC, REGULAR, register_fonts
from events.documents.programme import (
    ACCENT,
    MUTED,
    Labels,
    babel_locale,
    country_name,
    link,
    markup,
    translate,
)
from events.summary import labels as L
from events.summary.figures import Group
from events.summary.schemas import SummaryDoc

_md = MarkdownIt("commonmark", {"html": False})


class _Styles:
    def __init__(self) -> None:
        def style(name: str, size: float, **kw: object) -> ParagraphStyle:
            kw.setdefault("fontName", REGULAR)
            kw.setdefault("leading", size * 1.35)
            return ParagraphStyle(name, fontSize=size, **kw)  # type: ignore[arg-type]

        self.title = style("title", 22, fontName=BOLD, textColor=ACCENT, spaceAfter=4)
        self.title_second = style(
            "title_second", 16, fontName=ITALIC, textColor=ACCENT, spaceAfter=4
        )
        self.subtitle = style("subtitle", 12, textColor=MUTED, spaceAfter=12)
        self.h2 = style("h2", 15, fontName=BOLD, textColor=ACCENT, spaceBefore=10, spaceAfter=6)
        self.h3 = style("h3", 12, fontName=BOLD, spaceBefore=8, spaceAfter=4)
        self.body = style("body", 10.5, spaceAfter=6)
        self.body_second = style(
            "body_second", 10.5, fontName=ITALIC, textColor=MUTED, spaceAfter=6
        )
        self.small = style("small", 8.5, textColor=MUTED, spaceAfter=4)
        self.small_second = style("small_second", 8.5, fontName=ITALIC, textColor=MUTED)
        self.quote = style("quote", 11, fontName=ITALIC, leftIndent=12, spaceAfter=2)
        self.bullet = style("bullet", 10.5, leftIndent=12, bulletIndent=2, spaceAfter=2)


def _inline(token: Token) -> str:
    """Paragraph markup of an inline token: escaped text, <b>, <i>, http(s) links."""
    out: list[str] = []
    link_stack: list[str | None] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(escape(child.content))
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" " if child.type == "softbreak" else "<br/>")
        elif child.type == "strong_open":
            out.append("<b>")
        elif child.type == "strong_close":
            out.append("</b>")
        elif child.type == "em_open":
            out.append("<i>")
        elif child.type == "em_close":
            out.append("</i>")
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if href.startswith(("http://", "https://")):
                link_stack.append(href)
                out.append(f'<a href="{escape(href, {chr(34): "&quot;"})}" color="#1a4f8b">')
            else:
                link_stack.append(None)
        elif child.type == "link_close" and link_stack and link_stack.pop() is not None:
            out.append("</a>")
    return "".join(out)


def narrative_flowables(source: str, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = []
    tokens = _md.parse(source or "")
    style = styles.body
    in_list = False
    for token in tokens:
        if token.type == "heading_open":
            style = styles.h3
        elif token.type == "heading_close" or token.type == "paragraph_close":
            style = styles.body
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            in_list = True
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            in_list = False
        elif token.type == "inline":
            text = _inline(token)
            if not text.strip():
                continue
            if in_list and style is styles.body:
                story.append(Paragraph(text, styles.bullet, bulletText="•"))
            else:
                story.append(Paragraph(text, style))
        elif token.type in ("fence", "code_block"):
            story.append(Paragraph(markup(token.content), styles.body))
    return story


def _group_label(kind: str, group: Group, language: str) -> str:
    if group.key == "other":
        return translate(language, L.OTHER)
    if kind == "country":
        return country_name(group.key, language)
    table = L.INSTITUTION_KINDS if kind == "kind" else L.CATEGORIES
    return translate(language, table.get(group.key, group.key))


def _group_labels(kind: str, group: Group, languages: list[str]) -> str:
    """The group's name in each language, once: "Kazakhstan / Қазақстан"."""
    return " / ".join(unique(_group_label(kind, group, language) for language in languages))


def unique(texts: Iterable[str]) -> list[str]:
    """The non-empty texts in order, each once."""
    seen: list[str] = []
    for text in texts:
        if text and text not in seen:
            seen.append(text)
    return seen


def texts(values: dict[str, str], languages: list[str]) -> list[str]:
    """A multilingual text in the document's languages, each distinct text once."""
    return unique(values.get(language, "") for language in languages)


def stacked(values: dict[str, str], languages: list[str], styles: _Styles) -> list[Flowable]:
    """The first language's text, then (in italics) the second's when it differs."""
    return [
        Paragraph(markup(text), styles.body if index == 0 else styles.body_second)
        for index, text in enumerate(texts(values, languages))
    ]


def bar_chart(
    groups: list[Group], names: list[str], width: float, label_width: int = 120
) -> Drawing:
    """A horizontal bar chart with the count at the end of each bar."""
    row = 16
    height = row * len(groups) + 16
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 8
    chart.width = width - label_width - 40
    chart.height = row * len(groups)
    chart.data = [[g.count for g in reversed(groups)]]
    # About 5 points a letter at 8 points: longer names are cut, never drawn over the bars.
    chart.categoryAxis.categoryNames = [n[: label_width // 5] for n in reversed(names)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([g.count for g in groups] + [1]) * 1.15
    chart.valueAxis.visible = False
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _figures(doc: SummaryDoc, styles: _Styles, width: float, t: Labels) -> list[Flowable]:
    f = doc.figures
    numbers = [
        ("registered", f.registered),
        ("attended", f.attended),
        ("sessions_held", f.sessions_held),
        ("speakers", f.speakers),
        ("partner_institutions", f.partner_institutions),
        ("outcomes", f.outcomes),
    ]
    cells = [
        Paragraph(
            f'<font size="18" color="#1a4f8b"><b>{n}</b></font><br/>'
            f"{escape(t(L.FIGURE_LABELS[key]))}",
            styles.body,
        )
        for key, n in numbers
    ]
    table = Table([cells[:3], cells[3:]], colWidths=[width / 3] * 3)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list[Flowable] = [Paragraph(escape(t("Figures")), styles.h2), table]
    for kind, heading, groups in (
        ("country", L.BY_COUNTRY, f.by_country),
        ("kind", L.BY_KIND, f.by_kind),
        ("category", L.BY_CATEGORY, f.by_category),
    ):
        if not groups:
            continue
        names = [_group_labels(kind, g, doc.languages) for g in groups]
        label_width = 120 if len(doc.languages) == 1 else 190
        chart = bar_chart(groups, names, width, label_width)
        story.append(KeepTogether([Paragraph(escape(t(heading)), styles.h3), chart]))
    basis = L.BASIS_ATTENDED if f.basis == "attended" else L.BASIS_REGISTERED
    for language in doc.languages:
        sentence = f"{translate(language, basis)} {translate(language, L.SMALL_GROUPS)}"
        story.append(Paragraph(escape(sentence), styles.small))
    return story


def _photo(photo_data: bytes, w: int, h: int, max_width: float) -> Flowable:
    factor = min(max_width / w, (110 * mm) / h)
    return Image(io.BytesIO(photo_data), width=w * factor, height=h * factor)


def _dates(doc: SummaryDoc, language: str) -> str:
    zone = ZoneInfo(doc.timezone)
    locale = babel_locale(language)
    start, end = doc.starts_at.astimezone(zone).date(), doc.ends_at.astimezone(zone).date()
    dates = format_date(start, "long", locale=locale)
    if end != start:
        dates = f"{dates} – {format_date(end, 'long', locale=locale)}"
    return dates


def render_summary(doc: SummaryDoc) -> bytes:
    register_fonts()
    styles = _Styles()
    languages = unique(doc.languages)[:2] or ["en"]
    primary = languages[0]
    t = Labels(languages)

    buffer = io.BytesIO()
    titles = texts(doc.title, languages) or [""]
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{titles[0]} — {t('Summary')}",
        author="events",
        subject=t("Summary"),
        creator="events",
        lang=primary,
    )
    story: list[Flowable] = [Paragraph(escape(titles[0]), styles.title)]
    story += [Paragraph(escape(title), styles.title_second) for title in titles[1:]]
    dates = " / ".join(unique(_dates(doc, language) for language in languages))
    story.append(Paragraph(escape(" · ".join(p for p in (dates, doc.place) if p)), styles.subtitle))
    if doc.photos:
        first = doc.photos[0]
        story.append(_photo(first.data, first.width, first.height, pdf.width))
        for index, caption in enumerate(texts(first.caption, languages)):
            style = styles.small if index == 0 else styles.small_second
            story.append(Paragraph(markup(caption), style))
    narratives = [(lang, doc.narrative.get(lang, "")) for lang in languages]
    told: list[str] = []
    for language, source in narratives:
        if not source.strip() or source in told:
            continue
        if len(languages) > 1:
            # Each language's story under its own name, so a reader finds theirs.
            name = i18n.language_name(language)
            story.append(Paragraph(escape(name[:1].upper() + name[1:]), styles.h2))
        story += narrative_flowables(source, styles)
        told.append(source)
    story += _figures(doc, styles, pdf.width, t)
    if doc.outcomes:
        story.append(Paragraph(escape(t("Outcomes")), styles.h2))
        for outcome in doc.outcomes:
            kind = t(L.OUTCOME_KINDS.get(outcome.kind, L.OUTCOME_KINDS["other"]))
            titles_of = texts(outcome.title, languages)
            parts = [f"<b>{markup(titles_of[0] if titles_of else '')}</b> ({escape(kind)})"]
            parts += [f"<i>{markup(title)}</i>" for title in titles_of[1:]]
            if outcome.parties:
                parts.append(markup(" · ".join(outcome.parties)))
            if outcome.signed_on:
                signed = unique(
                    format_date(outcome.signed_on, "long", locale=babel_locale(language))
                    for language in languages
                )
                parts.append(escape(" / ".join(signed)))
            story.append(Paragraph("<br/>".join(parts), styles.body))
            story += stacked(outcome.description, languages, styles)
            if outcome.link:
                story.append(Paragraph(link(outcome.link, outcome.link), styles.small))
    if doc.quotes:
        story.append(Paragraph(escape(t("Voices")), styles.h2))
        for quote in doc.quotes:
            who = ", ".join(p for p in (quote.person, quote.role) if p)
            story.append(Paragraph(f"“{markup(quote.text)}”", styles.quote))
            story.append(Paragraph(f"— {markup(who)}", styles.small))
            story.append(Spacer(1, 4))
    if len(doc.photos) > 1:
        story.append(Paragraph(escape(t("Photos")), styles.h2))
        for photo in doc.photos[1:]:
            story.append(_photo(photo.data, photo.width, photo.height, pdf.width))
            captions = texts(photo.caption, languages) or texts(photo.alt, languages)
            for index, caption in enumerate(captions):
                style = styles.small if index == 0 else styles.small_second
                story.append(Paragraph(markup(caption), style))
    if doc.partners:
        story.append(Paragraph(escape(t("Partner institutions")), styles.h2))
        story.append(Paragraph(markup(" · ".join(doc.partners)), styles.body))
    story.append(Spacer(1, 8))
    story.append(Paragraph(link(doc.url, doc.url), styles.small))
    pdf.build(story)
    return buffer.getvalue()
