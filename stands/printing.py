"""Printable documents for staff: the plan on A3 (stand numbers and exhibitors) and a set-up sheet per exhibitor."""

from __future__ import annotations

from typing import Any

from lib.i18n import _, localized
from lib.pdf import FONT, new_pdf
from lib.pdf import line as _line
from stands import pricing
from stands.floorplan import PlanView


def plan_pdf(view: PlanView) -> bytes:
    """The hall scaled to an A3 landscape page: features in grey, stands with number and exhibitor names."""
    pdf = new_pdf(orientation="landscape", page_format="A3")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, f"{localized(view.event, 'title')} – {_('Floor plan')}", new_x="LMARGIN", new_y="NEXT")
    left, top, width, height = 10.0, 22.0, 400.0, 265.0
    scale = min(width / view.plan.width_cm, height / view.plan.depth_cm)
    pdf.rect(left, top, view.plan.width_cm * scale, view.plan.depth_cm * scale)
    pdf.set_fill_color(220, 220, 220)
    for f in view.features:
        pdf.rect(
            left + f["x_cm"] * scale,
            top + f["y_cm"] * scale,
            f["width_cm"] * scale,
            f["depth_cm"] * scale,
            style="F",
        )
    for s in view.stands:
        x, y, w, h = (
            left + s["x_cm"] * scale,
            top + s["y_cm"] * scale,
            s["width_cm"] * scale,
            s["depth_cm"] * scale,
        )
        pdf.rect(x, y, w, h)
        pdf.set_xy(x, y + 1)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(w, 4, s["number"], align="C")
        names = ", ".join(e["name"] for e in s["exhibitors"] if e["status"] == "approved")
        if names:
            pdf.set_xy(x + 0.5, y + 5)
            pdf.set_font(FONT, "", 6)
            pdf.multi_cell(max(w - 1, 1), 2.6, names[:80], align="C")
    return bytes(pdf.output())


def setup_sheet(
    event: Any, exhibitor: str, stand: Any, opts: list[tuple[str, int]], badge_names: list[str]
) -> bytes:
    pdf = new_pdf()
    pdf.add_page()
    _line(pdf, localized(event, "title"), 16, bold=True)
    _line(pdf, _("Set-up sheet"), 13, bold=True)
    _line(pdf, exhibitor, 14, bold=True)
    _line(pdf, _("Stand %(number)s, %(area)s m²", number=stand.number, area=pricing.area_m2_label(stand)), 12)
    pdf.ln(3)
    _line(pdf, _("Options"), 12, bold=True)
    for name, quantity in opts or [(_("None"), 0)]:
        _line(pdf, f"• {name}" + (f" × {quantity}" if quantity else ""), 11)
    pdf.ln(3)
    _line(pdf, _("Badges"), 12, bold=True)
    for name in badge_names or [_("None")]:
        _line(pdf, f"• {name}", 11)
    return bytes(pdf.output())
