"""The activity report for the funders (DRAC, Région Auvergne-Rhône-Alpes, Clermont Auvergne Métropole)
and the General Assembly: one PDF of the year's figures (figures.compute), with the charts drawn from
the same layout as the SVG (figures.charts) and a short table per event."""

from __future__ import annotations

from fpdf import FPDF

from figures import charts
from figures.format import value
from figures.model import Chart, FigureTable, Section, YearFigures
from figures.sections import event_title
from lib.i18n import _
from lib.pdf import FONT, line, new_pdf, output
from lib.settings import get_settings
from lib.templating import fmt_datetime

FUNDERS = "DRAC Auvergne-Rhône-Alpes, Région Auvergne-Rhône-Alpes, Clermont Auvergne Métropole"
PAGE_WIDTH = 180.0  # mm between the margins
FONT_PT = 11


def _clip(pdf: FPDF, text: str, width: float) -> str:
    while text and pdf.get_string_width(text) > width - 2:
        text = text[:-1]
    return text


def _pairs(pdf: FPDF, rows: list[tuple[str, str]], label_w: float = 120) -> None:
    pdf.set_font(FONT, "", 10)
    for label, shown in rows:
        if pdf.will_page_break(7):
            pdf.add_page()
        pdf.cell(label_w, 7, _clip(pdf, label, label_w), border="B")
        pdf.cell(PAGE_WIDTH - label_w, 7, shown, border="B", align="R", new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, table: FigureTable) -> None:
    """fpdf2's table: headers wrap onto several lines instead of being cut; numbers right-aligned."""
    if not table.rows:
        return
    line(pdf, table.title, 11, bold=True)
    n = len(table.columns)
    first = 0.4 if n > 2 else 0.6
    widths = tuple([first * 100] + [(1 - first) * 100 / (n - 1)] * (n - 1))
    align = tuple("LEFT" if c.kind == "text" else "RIGHT" for c in table.columns)
    pdf.set_font(FONT, "", 8)
    with pdf.table(col_widths=widths, text_align=align, line_height=5, first_row_as_headings=True) as grid:
        head = grid.row()
        for c in table.columns:
            head.cell(c.label)
        for row in table.rows:
            cells = grid.row()
            for c, cell in zip(table.columns, row, strict=True):
                cells.cell(value(cell, c.kind))
    pdf.ln(3)


def _chart(pdf: FPDF, chart: Chart) -> None:
    scale = 0.28  # mm per unit: a 640-unit-wide layout fills 179 mm, its 15-unit text is 12 pt
    shapes, height = charts.layout(chart, width=640)
    if pdf.will_page_break(height * scale + 14):
        pdf.add_page()
    line(pdf, chart.title, 11, bold=True)
    x0, y0 = pdf.l_margin, pdf.get_y() + 1
    pdf.set_font(FONT, "", FONT_PT)
    for s in shapes:
        if s.kind == "rect":
            r, g, b = (int(s.colour[i : i + 2], 16) for i in (1, 3, 5))
            pdf.set_fill_color(r, g, b)
            pdf.rect(x0 + s.x * scale, y0 + s.y * scale, max(s.w * scale, 0.1), s.h * scale, style="F")
        else:
            pdf.set_font(FONT, "B" if s.bold else "", FONT_PT)
            pdf.text(x0 + s.x * scale, y0 + s.y * scale, s.text)
    pdf.set_y(y0 + height * scale + 4)


def _event_tables(pdf: FPDF, section: Section) -> None:
    table = section.tables[0]
    line(pdf, _("One short table per event"), 11, bold=True)
    for row in table.rows:
        if pdf.will_page_break(50):
            pdf.add_page()
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 7, f"{row[0]} — {row[1]} · {row[2]}", new_x="LMARGIN", new_y="NEXT")
        _pairs(
            pdf, [(c.label, value(cell, c.kind)) for c, cell in zip(table.columns[3:], row[3:], strict=True)]
        )
        pdf.ln(2)


def report_pdf(figures: YearFigures) -> bytes:
    """The report in the current language (the route asks for French)."""
    settings = get_settings()
    pdf = new_pdf()
    title = (
        _("Activity report %(year)s", year=figures.year)
        if figures.event is None
        else _("Activity report: %(event)s", event=event_title(figures.event))
    )
    pdf.set_title(title)
    pdf.set_author(settings.org_name)
    pdf.add_page()
    line(pdf, title, 18, bold=True, h=10)
    line(pdf, f"{settings.org_name} — {settings.org_address}", 10)
    line(pdf, _("For %(funders)s and the General Assembly.", funders=FUNDERS), 10)
    line(
        pdf,
        _("Figures as of %(when)s; amounts excl. VAT.", when=fmt_datetime(figures.generated_at, "short")),
        9,
    )
    pdf.ln(3)
    for section in figures.sections:
        if pdf.will_page_break(30):
            pdf.add_page()
        line(pdf, section.title, 14, bold=True, h=9)
        _pairs(pdf, [(m.label, value(m.value, m.kind)) for m in section.metrics])
        if section.note:
            line(pdf, section.note, 8, h=5)
        pdf.ln(2)
        if section.key == "events":
            _event_tables(pdf, section)
        else:
            for table in section.tables:
                _table(pdf, table)
    if figures.charts:
        pdf.add_page()
        line(pdf, _("Charts"), 14, bold=True, h=9)
        for chart in figures.charts:
            _chart(pdf, chart)
    return output(pdf)
