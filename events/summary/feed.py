"""The Atom feed (RFC 4287) of published summaries, built with ElementTree (escaping included)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from events.agenda.models import Event
from events.settings import Settings
from events.summary import markdown
from events.summary.models import Summary

ATOM = "http://www.w3.org/2005/Atom"


def _time(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def entry_id(settings: Settings, event: Event) -> str:
    """A tag: URI (RFC 4151) that stays the same when the summary is edited."""
    host = urlsplit(settings.base_url).hostname or "localhost"
    return f"tag:{host},{event.created_at:%Y-%m-%d}:summary/{event.id}"


def atom(settings: Settings, entries: list[tuple[Event, Summary]], *, now: datetime) -> bytes:
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    base = settings.base_url
    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"{base}/feed.atom")
    sub(feed, "title", "events — summaries")
    sub(feed, "subtitle", "Published summaries of bilateral science days and round tables")
    updated = max((s.updated_at for _, s in entries), default=now)
    sub(feed, "updated", _time(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/feed.atom")
    sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/")
    author = sub(feed, "author")
    sub(author, "name", "events")
    sub(feed, "generator", "events")
    for event, summary in entries:
        language = event.default_language
        source = summary.narrative.get(language, "")
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(settings, event))
        sub(entry, "title", event.text("title", language), type="text")
        sub(entry, "updated", _time(summary.updated_at))
        if summary.published_at:
            sub(entry, "published", _time(summary.published_at))
        url = f"{base}/e/{event.slug}/summary"
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "link", rel="enclosure", type="application/pdf", href=f"{url}.pdf")
        lead = summary.lead.get(language) or markdown.plain_text(source, 300)
        sub(entry, "summary", lead, type="text")
        sub(entry, "content", markdown.render(source), type="html")
        entry.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
