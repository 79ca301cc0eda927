"""The embedded TrueType fonts every PDF uses.

reportlab's built-in Helvetica draws Cyrillic and Polish letters as black squares without an error,
so every document registers and uses these fonts instead; reportlab embeds and subsets them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = "EventsSans"
BOLD = "EventsSans-Bold"
ITALIC = "EventsSans-Oblique"


@cache
def register_fonts() -> str:
    """Register the family once per process; returns the regular font's name."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(ITALIC, str(FONT_DIR / "DejaVuSans-Oblique.ttf")))
    # So that <b> and <i> inside Paragraph markup pick the right files.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR
