"""QR codes drawn straight onto a reportlab canvas as vector rectangles.

Speed: ``qrcode`` normally tries all eight mask patterns and scores each one, which costs about
3-5 ms a code (reportlab's own ``reportlab.graphics.barcode.qr`` does the same and measured about
4-6 ms). Any mask is valid for every decoder, so we fix one: about 0.8 ms a code.
The dark modules of each row are merged into runs, and all runs go into one path filled once, so
a badge's QR costs about a hundred short rectangle operators in the PDF and no image.
"""

from __future__ import annotations

from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_8BIT_BYTE, QRData

#: Fixed mask pattern (0-7): skips the eight-way mask search, the slow part of encoding.
MASK_PATTERN = 0
#: Light modules around the code, as the QR specification asks.
QUIET_ZONE = 4


def qr_matrix(data: str) -> list[list[bool]]:
    """The module matrix (True is dark) for ``data`` at error correction M, without quiet zone."""
    code = qrcode.QRCode(
        version=None, error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN
    )
    code.add_data(QRData(data.encode("utf-8"), mode=MODE_8BIT_BYTE))
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.modules]


def dark_runs(matrix: list[list[bool]]) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, first column, length), row 0 at the top."""
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(matrix):
        start = -1
        for c, dark in enumerate(row):
            if dark and start < 0:
                start = c
            elif not dark and start >= 0:
                runs.append((r, start, c - start))
                start = -1
        if start >= 0:
            runs.append((r, start, len(row) - start))
    return runs


def draw_qr(canvas: Any, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``data`` into the square (x, y, size), quiet zone included.

    (x, y) is the lower-left corner in the canvas's current coordinates. The square is filled
    white first, so the quiet zone holds whatever is drawn around it.
    """
    matrix = qr_matrix(data)
    count = len(matrix)
    module = size / (count + 2 * QUIET_ZONE)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    # One module is one unit, rows count downwards from the code's top-left corner: every
    # rectangle is then four small integers, cheap to write and exact.
    canvas.transform(module, 0, 0, -module, x + QUIET_ZONE * module, y + size - QUIET_ZONE * module)
    runs = " ".join(f"{c} {r} {length} 1 re" for r, c, length in dark_runs(matrix))
    canvas.addLiteral(f"{runs} f")
    canvas.restoreState()
