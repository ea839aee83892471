"""The embedded fonts (DejaVu Sans, shipped in resources/fonts): Uzbek Latin, Cyrillic and the form symbols."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from blo_desk.config import resources_dir

REGULAR = "BLO-Sans"
BOLD = "BLO-Sans-Bold"
ITALIC = "BLO-Sans-Oblique"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}

_lock = threading.Lock()
_registered = False


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Register the fonts with reportlab once per process (a family, so <b> and <i> work in paragraphs)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / filename)))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
        for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD)):
            addMapping(REGULAR, bold, italic, name)
        _registered = True


def missing_characters(text: str, font_name: str = REGULAR) -> set[str]:
    """Characters of `text` (other than white space) that the font has no glyph for."""
    register_fonts()
    covered = pdfmetrics.getFont(font_name).face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in covered}
