"""Certificates of attendance: one landscape A4 page per attendee.

A pure function from ``CertificateDoc`` (or a list of them, for the organiser's batch) to PDF bytes.
Each page carries the attendee's name, the event, its dates and place, its organisers, up to three
signatures (an uploaded image above a line, or a line to sign by hand), and the verification code
with a QR code linking to ``/verify/{code}``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from babel.dates import format_date
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from events.documents.badges import fit_text
from events.documents.fonts import BOLD, ITALIC, REGULAR, register_fonts
from events.documents.programme import ACCENT, MUTED, babel_locale, translate
from events.documents.qr import draw_qr
from events.publishing.text import clean
from events.summary.schemas import CertificateDoc

MAX_SIGNATURES = 3


def _dates(doc: CertificateDoc) -> str:
    zone = ZoneInfo(doc.timezone)
    locale = babel_locale(doc.language)
    start, end = doc.starts_at.astimezone(zone).date(), doc.ends_at.astimezone(zone).date()
    text = format_date(start, "long", locale=locale)
    if end != start:
        text = f"{text} – {format_date(end, 'long', locale=locale)}"
    return text


def _one_line(text: str) -> str:
    return " ".join(clean(text).split())


def _centred(canvas: Canvas, text: str, font: str, size: float, y: float, width: float) -> float:
    """Draw text centred on at most two lines within the border; returns the y below it.

    Long texts shrink to fit (as badge names do) instead of being cut off or running off the
    page, so the blocks above the signatures never reach them.
    """
    fitted, lines = fit_text(_one_line(text), font, width - 60 * mm, size, size * 0.6)
    canvas.setFont(font, fitted)
    lines = lines or [""]
    for index, line in enumerate(lines):
        canvas.drawCentredString(width / 2, y - index * fitted * 1.3, line)
    # At least one line of the full size: the next block keeps its distance from a shrunk one.
    return y - max(len(lines) * fitted * 1.3, size * 1.3)


def _page(canvas: Canvas, doc: CertificateDoc) -> None:
    width, height = landscape(A4)

    def t(message: str) -> str:
        return translate(doc.language, message)

    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setFillColor(ACCENT)
    y = height - 40 * mm
    y = _centred(canvas, t("Certificate of attendance"), BOLD, 28, y, width)
    canvas.setFillColor(MUTED)
    y = _centred(canvas, t("This is to certify that"), REGULAR, 13, y - 8 * mm, width)
    canvas.setFillColorRGB(0, 0, 0)
    y = _centred(canvas, doc.name, BOLD, 24, y - 4 * mm, width)
    canvas.setFillColor(MUTED)
    y = _centred(canvas, t("attended"), REGULAR, 13, y - 2 * mm, width)
    canvas.setFillColor(ACCENT)
    y = _centred(canvas, doc.event_title, BOLD, 18, y - 2 * mm, width)
    canvas.setFillColorRGB(0, 0, 0)
    place = ", ".join(p for p in (_dates(doc), doc.place) if p)
    y = _centred(canvas, place, REGULAR, 12, y - 2 * mm, width)
    if doc.organisers:
        label = t("Organised by")
        y = _centred(
            canvas, f"{label}: {' · '.join(doc.organisers)}", ITALIC, 10, y - 2 * mm, width
        )

    signatures = doc.signatures[:MAX_SIGNATURES]
    if signatures:
        slot = (width - 80 * mm) / len(signatures)
        base = 42 * mm
        for index, signature in enumerate(signatures):
            x = 40 * mm + slot * index + slot / 2
            if signature.image:
                try:
                    reader = ImageReader(io.BytesIO(signature.image))
                    iw, ih = reader.getSize()
                    factor = min((60 * mm) / iw, (18 * mm) / ih)
                    canvas.drawImage(
                        reader,
                        x - iw * factor / 2,
                        base + 1 * mm,
                        iw * factor,
                        ih * factor,
                        mask="auto",
                    )
                except Exception:  # noqa: S110 - an unreadable image leaves the line to sign by hand
                    pass
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.line(x - 30 * mm, base, x + 30 * mm, base)
            canvas.setFillColorRGB(0, 0, 0)
            for text, size, dy in ((signature.name[:60], 10, 5), (signature.role[:80], 8, 9)):
                # One line, shrunk to its slot so that neighbouring signatures never overlap.
                fitted, lines = fit_text(_one_line(text), REGULAR, slot - 4 * mm, size, 5, 1)
                canvas.setFont(REGULAR, fitted)
                canvas.drawCentredString(x, base - dy * mm, lines[0] if lines else "")
                canvas.setFillColor(MUTED)

    qr_size = 24 * mm
    draw_qr(canvas, doc.verify_url, width - 18 * mm - qr_size, 16 * mm, qr_size)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 8)
    canvas.drawString(18 * mm, 20 * mm, f"{t('Verification code')}: {doc.code}")
    canvas.drawString(18 * mm, 16 * mm, doc.verify_url)
    canvas.linkURL(
        doc.verify_url, (width - 18 * mm - qr_size, 16 * mm, width - 18 * mm, 16 * mm + qr_size)
    )


def render_certificates(docs: Sequence[CertificateDoc]) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    first = docs[0] if docs else None
    canvas.setTitle(
        translate(first.language, "Certificate of attendance") if first else "Certificates"
    )
    canvas.setAuthor("events")
    canvas.setCreator("events")
    for doc in docs:
        _page(canvas, doc)
        canvas.showPage()
    if not docs:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_certificate(doc: CertificateDoc) -> bytes:
    return render_certificates([doc])
