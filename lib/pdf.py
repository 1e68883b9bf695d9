"""PDF building blocks shared by tickets, invoices, agendas and attendance sheets (fpdf2).

The DejaVu Sans fonts (for accents and symbols such as €) are vendored in lib/fonts, so PDFs need
nothing from the operating system.
"""

from __future__ import annotations

import copy
import io
import threading
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}

_parsed: dict[str, tuple[TTFFont, bytes]] = {}
_parsing = threading.Lock()


# Tables fpdf2 never reads without text shaping (off here), which each document's subsetting at output
# still had to parse (kern) or drop: without them it takes half the time.
_UNUSED_TABLES = ("GPOS", "GSUB", "GDEF", "kern", "FFTM", "hdmx", "MATH")


def _without_unused_tables(path: Path) -> bytes:
    font = ttLib.TTFont(path, recalcTimestamp=False)
    for tag in _UNUSED_TABLES:
        if tag in font:
            del font[tag]
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _parsed_font(style: str) -> tuple[TTFFont, bytes]:
    """The font of `style` parsed once per process (parsing DejaVu's ~6,000 glyphs took 35 ms per
    font and document), and the font file each document subsets at output."""
    with _parsing:
        if style not in _parsed:
            path = FONT_FILES[style]
            parsed = TTFFont(FPDF(), path, f"{FONT.lower()}{style}", style)
            _parsed[style] = (parsed, _without_unused_tables(path))
        return _parsed[style]


def add_fonts(pdf: FPDF) -> None:
    """DejaVu Sans regular and bold in `pdf`, from the parsed copies.

    Output subsets the font in place (fontTools), so each document gets its own lazily read
    fontTools object, glyph subset and font descriptor (a PDF object output numbers); the other slots of
    fpdf2's TTFFont (widths, glyph ids, cmap) are read-only once parsed and shared
    (tests/lib/test_pdf_fonts.py pins the slots)."""
    for style in FONT_FILES:
        parsed, data = _parsed_font(style)
        font = copy.copy(parsed)
        font.i = len(pdf.fonts) + 1
        font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        font.desc = copy.copy(parsed.desc)  # a PDF object: output numbers it and attaches the font file
        pdf.fonts[font.fontkey] = font


def new_pdf(size: int = 11, orientation: str = "portrait", page_format: str = "A4") -> FPDF:
    """A document (A4 by default) with DejaVu Sans (regular and bold) loaded and selected."""
    pdf = FPDF(orientation=orientation, format=page_format)
    pdf.set_auto_page_break(auto=True, margin=15)
    add_fonts(pdf)
    pdf.set_font(FONT, size=size)
    return pdf


def line(pdf: FPDF, text: str, size: int = 11, bold: bool = False, h: float = 7) -> None:
    """A paragraph on its own line(s), wrapped to the page width."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, h, text, new_x="LMARGIN", new_y="NEXT")


def output(pdf: FPDF) -> bytes:
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()
