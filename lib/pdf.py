"""PDF building blocks shared by tickets, invoices, agendas and attendance sheets (fpdf2).

The DejaVu Sans fonts (for accents and symbols such as €) are vendored in lib/fonts, so PDFs need
nothing from the operating system.
"""

from __future__ import annotations

import copy
import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import qrcode
from fontTools import subset as ftsubset
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from qrcode.constants import ERROR_CORRECT_M

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
FONT_FILES = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}

# The characters of French, English and the other Latin-script languages, with their punctuation and €:
# nearly every document is written with these alone, and subsetting this part of DejaVu at output
# is several times faster than subsetting its ~6,000 glyphs (docs/benchmarks.md).
COMMON_CHARACTERS = (
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),  # Latin-1 Supplement, Latin Extended-A and -B
    *range(0x2000, 0x2070),  # general punctuation: dashes, quotes, ellipsis, narrow spaces
    0x20AC,  # €
    0x2116,  # №
    0x2122,  # ™
    *range(0x2190, 0x2200),  # arrows
    0x2212,  # minus
    0x2713,  # ✓
)


@dataclass(frozen=True)
class _FontFiles:
    """The font program a document subsets at output: the common part when the document uses
    only its glyphs, else the whole font. Both keep DejaVu's glyph names, which output looks up."""

    whole: bytes
    common: bytes
    common_glyphs: frozenset[str]

    def for_glyphs(self, names: Iterable[str]) -> bytes:
        return self.common if self.common_glyphs.issuperset(names) else self.whole


_parsed: dict[str, tuple[TTFFont, _FontFiles]] = {}
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


def _common_part(whole: bytes) -> tuple[bytes, frozenset[str]]:
    font = ttLib.TTFont(io.BytesIO(whole), recalcTimestamp=False)
    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True)
    options.layout_features = []
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=COMMON_CHARACTERS)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue(), frozenset(font.getGlyphOrder())


def _parsed_font(style: str) -> tuple[TTFFont, _FontFiles]:
    """The font of `style` parsed once per process (parsing DejaVu's ~6,000 glyphs took 35 ms per
    font and document), and the font files each document subsets at output."""
    with _parsing:
        if style not in _parsed:
            path = FONT_FILES[style]
            parsed = TTFFont(FPDF(), path, f"{FONT.lower()}{style}", style)
            whole = _without_unused_tables(path)
            _parsed[style] = (parsed, _FontFiles(whole, *_common_part(whole)))
        return _parsed[style]


class Document(FPDF):
    """An FPDF document whose DejaVu fonts are subset at output from the smallest font file that
    holds every glyph it uses (the width and glyph tables fpdf2 lays text out with are the whole font's)."""

    font_files: dict[str, _FontFiles]

    def output(self, *args: Any, **kwargs: Any) -> Any:
        for key, files in self.font_files.items():
            font = self.fonts[key]
            assert isinstance(font, TTFFont)
            data = files.for_glyphs(font.subset.get_all_glyph_names())
            # outlines are copied as stored: recomputing each glyph's box at save took a third of the output
            font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
        return super().output(*args, **kwargs)


def add_fonts(pdf: Document) -> None:
    """DejaVu Sans regular and bold in `pdf`, from the parsed copies.

    Output subsets the font in place (fontTools), so each document gets its own lazily read
    fontTools object (chosen at output), glyph subset and font descriptor (a PDF object output numbers);
    the other slots of fpdf2's TTFFont (widths, glyph ids, cmap) are read-only once parsed and shared
    (tests/lib/test_pdf_fonts.py pins the slots)."""
    pdf.font_files = {}
    for style in FONT_FILES:
        parsed, files = _parsed_font(style)
        font = copy.copy(parsed)
        font.i = len(pdf.fonts) + 1
        font.ttfont = None
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        font.desc = copy.copy(parsed.desc)  # a PDF object: output numbers it and attaches the font file
        pdf.fonts[font.fontkey] = font
        pdf.font_files[font.fontkey] = files


def new_pdf(size: int = 11, orientation: str = "portrait", page_format: str = "A4") -> Document:
    """A document (A4 by default) with DejaVu Sans (regular and bold) loaded and selected."""
    pdf = Document(orientation=orientation, format=page_format)
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


def qr_code(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    """`text` as a QR code (error correction M, a 4-module quiet zone) drawn as filled rectangles in a
    `size` mm square: sharp at any zoom or print size, and no image to encode, embed or decode."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    cell = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        column, width = 0, len(row)
        while column < width:
            if not row[column]:
                column += 1
                continue
            start = column
            while column < width and row[column]:
                column += 1
            # one rectangle per run of dark modules in the row
            pdf.rect(x + start * cell, y + row_index * cell, (column - start) * cell, cell, style="F")
