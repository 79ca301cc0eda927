"""QR codes drawn straight onto a reportlab canvas as vector rectangles.

Speed: ``qrcode`` normally tries all eight mask patterns and scores each one, which costs about
3-5 ms a code (reportlab's own ``reportlab.graphics.barcode.qr`` does the same and measured about
4-6 ms). Any mask is valid for every decoder, so we fix one, and since every check-in token fits
version 3 we encode that one case with a small table-driven encoder (byte mode, Reed-Solomon from
log tables, a precomputed placement order) that gives exactly qrcode's matrix: about 0.15 ms.
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


#: Version 3 (29 x 29 modules) holds 42 bytes at error correction M: every check-in token fits.
VERSION = 3
VERSION_CAPACITY = 42
_SIZE, _DATA_CODEWORDS, _EC_CODEWORDS = 29, 44, 26

# Reed-Solomon arithmetic in GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _value
    _LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _generator_logs(count: int) -> list[int]:
    poly = [1]
    for i in range(count):
        product = [*poly, 0]
        for j, coefficient in enumerate(poly):
            if coefficient:
                product[j + 1] ^= _EXP[_LOG[coefficient] + i]
        poly = product
    assert all(poly), "a zero coefficient would need a guard in _error_correction"
    return [_LOG[c] for c in poly[1:]]


_GENERATOR = _generator_logs(_EC_CODEWORDS)


def _error_correction(data: list[int]) -> list[int]:
    remainder = [*data, *([0] * _EC_CODEWORDS)]
    for i in range(len(data)):
        coefficient = remainder[i]
        if coefficient:
            lc = _LOG[coefficient]
            end = i + 1 + _EC_CODEWORDS
            remainder[i + 1 : end] = [
                r ^ _EXP[lc + g] for r, g in zip(remainder[i + 1 : end], _GENERATOR, strict=True)
            ]
    return remainder[len(data) :]


def _is_function_module(r: int, c: int) -> bool:
    """Finder patterns with separators and format information, timing lines, alignment pattern."""
    edge = _SIZE - 8
    if (r < 9 and c < 9) or (r < 9 and c >= edge) or (r >= edge and c < 9):
        return True
    return r == 6 or c == 6 or (20 <= r <= 24 and 20 <= c <= 24)


def _data_positions() -> list[tuple[int, int, bool]]:
    """Data modules in placement order (two-column zigzag from the bottom right), with whether
    mask pattern 0, ``(row + column) % 2 == 0``, inverts each."""
    positions = []
    column, upward = _SIZE - 1, True
    while column > 0:
        if column == 6:  # the vertical timing line is skipped as a whole column
            column -= 1
        rows = range(_SIZE - 1, -1, -1) if upward else range(_SIZE)
        for r in rows:
            for c in (column, column - 1):
                if not _is_function_module(r, c):
                    positions.append((r, c, (r + c) % 2 == 0))
        upward = not upward
        column -= 2
    return positions


def _slow_matrix(raw: bytes, version: int | None) -> list[list[bool]]:
    code = qrcode.QRCode(
        version=version, error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN
    )
    code.add_data(QRData(raw, mode=MODE_8BIT_BYTE))
    code.make(fit=version is None)
    return [[bool(module) for module in row] for row in code.modules]


# Function patterns and format information are the same for every version 3-M code with mask 0:
# take them from the library once; the data modules are overwritten for each code.
_TEMPLATE = _slow_matrix(b"template", VERSION)
_POSITIONS = _data_positions()
_BITS = 8 * (_DATA_CODEWORDS + _EC_CODEWORDS)  # 560; the 7 remainder bits are 0, as in the template
_PADDING = [0xEC, 0x11] * (_DATA_CODEWORDS // 2)


def qr_matrix(data: str) -> list[list[bool]]:
    """The module matrix (True is dark) for ``data`` at error correction M, without quiet zone.

    Data up to 42 bytes (every check-in token) is encoded in byte mode at version 3 by a small
    table-driven encoder here, which gives exactly the matrix ``qrcode`` gives (the tests compare
    them) at a fraction of the cost; longer data goes through ``qrcode`` at the smallest version.
    """
    raw = data.encode("utf-8")
    if len(raw) > VERSION_CAPACITY:
        return _slow_matrix(raw, None)
    # Mode indicator 0100 (byte), 8-bit length, the bytes, up to 4 terminator bits, byte padding.
    length = 12 + 8 * len(raw)
    value = (((0b0100 << 8) | len(raw)) << (8 * len(raw))) | int.from_bytes(raw, "big")
    terminator = min(4, 8 * _DATA_CODEWORDS - length)
    value <<= terminator
    length += terminator
    value <<= -length % 8
    length += -length % 8
    codewords = list(value.to_bytes(length // 8, "big"))
    codewords += _PADDING[: _DATA_CODEWORDS - len(codewords)]
    codewords += _error_correction(codewords)
    stream = f"{int.from_bytes(bytes(codewords), 'big'):0{_BITS}b}"
    matrix = [row[:] for row in _TEMPLATE]
    for (r, c, inverted), bit in zip(_POSITIONS, stream, strict=False):
        matrix[r][c] = (bit == "1") != inverted
    return matrix


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
