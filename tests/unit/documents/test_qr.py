"""The fixed-mask QR encoder: any data decodes back exactly, tokens and longer texts alike."""

from __future__ import annotations

import io
import secrets

import pypdfium2 as pdfium
import pytest
import zxingcpp
from reportlab.pdfgen.canvas import Canvas

from events.documents.qr import QUIET_ZONE, dark_runs, draw_qr, qr_matrix


@pytest.mark.parametrize(
    "data",
    [
        secrets.token_urlsafe(16),
        secrets.token_urlsafe(30),  # 40 characters, the longest token
        "0123456789" * 4,
        "https://events.example/r/" + secrets.token_urlsafe(32),  # past version 3
        "Қазақстан — Groß",
    ],
    ids=["token-22", "token-40", "digits", "url-past-version-3", "unicode"],
)
def test_a_drawn_code_decodes_to_exactly_its_data(data: str) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(200, 200))
    draw_qr(canvas, data, 20, 30, 150)
    canvas.showPage()
    canvas.save()
    image = pdfium.PdfDocument(buffer.getvalue())[0].render(scale=3).to_pil()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [data]


def test_tokens_use_version_3_and_runs_cover_exactly_the_dark_modules() -> None:
    matrix = qr_matrix(secrets.token_urlsafe(30))
    assert len(matrix) == 29
    covered = {(r, c + i) for r, c, n in dark_runs(matrix) for i in range(n)}
    dark = {(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}
    assert covered == dark
    assert QUIET_ZONE == 4
