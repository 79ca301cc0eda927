"""The summary's narrative: Markdown rendered to HTML, then sanitised with nh3.

Organisers may write Markdown and a little HTML; whatever they write, nothing executable survives:
nh3 keeps only the tags and attributes listed here, drops <script>/<style> with their content,
every on* attribute, and every link whose scheme is not http, https or mailto (javascript:,
data:, vbscript: ...). Links get rel="nofollow noopener noreferrer".
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "blockquote", "ul", "ol", "li",
    "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_CHARS = 50_000


@cache
def _parser() -> MarkdownIt:
    # Raw HTML is let through markdown-it on purpose: nh3 is the one place that decides what stays.
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def render(source: str | None) -> str:
    """Markdown (with optional HTML) to safe HTML. Headings start at h2 (the page has the h1)."""
    if not source:
        return ""
    html = _parser().render(source[:MAX_CHARS])
    # The page's own title is the h1: shift the narrative's headings one level down.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 1, 4)}>")
        html = html.replace(f"</h{level}>", f"</h{min(level + 1, 4)}>")
    return sanitise(html)


def plain_text(source: str | None, limit: int = 300) -> str:
    """The narrative as plain text (feed summaries, Open Graph descriptions), cut at a word."""
    if not source:
        return ""
    text = nh3.clean(render(source), tags=set())
    import html as _html

    text = " ".join(_html.unescape(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
