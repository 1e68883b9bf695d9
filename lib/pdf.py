"""PDF building blocks shared by tickets, invoices, agendas and attendance sheets (fpdf2).

The DejaVu Sans fonts (for accents and symbols such as €) are vendored in lib/fonts, so PDFs need
nothing from the operating system.
"""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


def new_pdf(size: int = 11, orientation: str = "portrait") -> FPDF:
    """An A4 document with DejaVu Sans (regular and bold) loaded and selected."""
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
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
