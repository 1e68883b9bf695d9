"""Server-rendered SVG charts of the figures (no JavaScript): horizontal bars, one row per category with
its label above the bars, so long event names fit a 360 px phone; every bar carries its value and the
colours differ in lightness too, so the chart reads in black-and-white print. `layout()` places the
shapes; `svg()` writes them and figures.report draws the same layout into the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from figures.format import chart_value
from figures.model import Chart

WIDTH = 480
FONT = 15
BAR = 16
GAP = 6
VALUE_ROOM = 96  # right of the longest bar, for its value
YEAR_LABEL = 48  # stacked charts: the category (a year) on the left of its bar
# Dark to light, distinct hues: readable on screen and in grey print.
PALETTE = ("#1d3f6e", "#e07b00", "#5aa02c", "#9b59b6", "#c0392b", "#7f8c8d", "#16a085", "#f1c40f")


@dataclass(frozen=True)
class Shape:
    kind: str  # rect | text | legend
    x: float
    y: float
    w: float = 0
    h: float = 0
    text: str = ""
    colour: str = "#000"
    bold: bool = False
    anchor: str = "start"


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def fit(text: str, width: float, font: float) -> str:
    """Cut a label to what the width holds (about 0.58 em per character), with an ellipsis."""
    room = max(4, int(width / (font * 0.58)))
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def layout(
    chart: Chart, width: float = WIDTH, font: float = FONT, bar: float = BAR
) -> tuple[list[Shape], float]:
    """Shapes in a box `width` wide, and its height (same units)."""
    shapes: list[Shape] = []
    y = 0.0
    # Legend: a swatch and the series label, wrapped onto as many lines as needed.
    x = 0.0
    for i, s in enumerate(chart.series):
        room = bar + 6 + len(s.label) * font * 0.55 + 14
        if x and x + room > width:
            x, y = 0.0, y + font + 6
        shapes.append(Shape("rect", x, y + 2, bar * 0.8, bar * 0.8, colour=colour(i)))
        shapes.append(
            Shape("text", x + bar, y + font * 0.9, text=fit(s.label, width - bar, font), colour="#222")
        )
        x += room
    y += font + 12
    if chart.stacked:
        totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.categories))]
        top = max(totals or [0]) or 1
        span = width - YEAR_LABEL - VALUE_ROOM * 0.9
        for i, category in enumerate(chart.categories):
            shapes.append(Shape("text", 0, y + bar * 0.8, text=category, colour="#222"))
            x = float(YEAR_LABEL)
            for j, s in enumerate(chart.series):
                w = span * s.values[i] / top
                if w > 0:
                    shapes.append(Shape("rect", x, y, w, bar, colour=colour(j)))
                x += w
            shapes.append(
                Shape("text", x + 4, y + bar * 0.8, text=chart_value(totals[i], chart.kind), bold=True)
            )
            y += bar + GAP
    else:
        top = max((v for s in chart.series for v in s.values), default=0) or 1
        span = width - VALUE_ROOM
        for i, category in enumerate(chart.categories):
            shapes.append(
                Shape("text", 0, y + font * 0.9, text=fit(category, width, font), colour="#222", bold=True)
            )
            y += font + 4
            for j, s in enumerate(chart.series):
                w = span * s.values[i] / top
                if w > 0:
                    shapes.append(Shape("rect", 0, y, w, bar, colour=colour(j)))
                shapes.append(Shape("text", w + 4, y + bar * 0.8, text=chart_value(s.values[i], chart.kind)))
                y += bar + 2
            y += GAP + 2
    return shapes, y


def svg(chart: Chart) -> str:
    """The chart as an inline SVG that scales to its container (role img, titled, values as text)."""
    shapes, height = layout(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="chart-{chart.key}-title" class="figure-chart" data-testid="chart-{chart.key}" '
        f'font-family="DejaVu Sans, Verdana, sans-serif" font-size="{FONT}">',
        f'<title id="chart-{chart.key}-title">{escape(chart.title)}</title>',
    ]
    for s in shapes:
        if s.kind == "rect":
            parts.append(
                f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" fill="{s.colour}"/>'
            )
        else:
            weight = ' font-weight="bold"' if s.bold else ""
            parts.append(
                f'<text x="{s.x:.1f}" y="{s.y:.1f}" fill="{s.colour}"{weight}>{escape(s.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
