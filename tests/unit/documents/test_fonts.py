from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.pdfgen import canvas

from events.documents.fonts import BOLD, REGULAR, register_fonts

SAMPLE = "Айгерім Сәрсенбаева ғ қ ң ө ұ ү һ і — Łukasz Wójcik — Jürgen Groß"


def test_kazakh_polish_and_german_letters_survive_a_round_trip_through_a_pdf() -> None:
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(REGULAR, 12)
    pdf.drawString(40, 800, SAMPLE)
    pdf.setFont(BOLD, 12)
    pdf.drawString(40, 780, SAMPLE)
    pdf.save()
    text = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert text.count(SAMPLE) == 2
