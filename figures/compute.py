"""The one computation of the year's figures: every registered section, chart and source of money for a
year (or one edition), as one YearFigures that the page, the PDF and the CSV exports render."""

from __future__ import annotations

from datetime import UTC, datetime

import figures.sections  # noqa: F401  (registers the built-in providers)
from events.statistics import EventRow, event_row, held_events
from figures.model import Chart, Column, FigureTable, Metric, Section, Series, YearFigures
from figures.registry import CHARTS, MONEY, SECTIONS, Scope
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _

FIRST_YEAR, LAST_YEAR = 2000, 2100
HISTORY_YEARS = 10


def check_year(value: object) -> int:
    """A year from a query string: a whole number from 2000 to 2100, else a message naming the field."""
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed(
            {"year": _("Enter a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)}
        )
    return year


async def scope_of(year: int, event_id: int | None = None, history: int = HISTORY_YEARS) -> Scope:
    event: EventRow | None = None
    if event_id is not None:
        event = await event_row(event_id)
        if event is None:
            raise NotFound(_("This event does not exist."))
        year = event.year
        events: tuple[EventRow, ...] = (event,)
    else:
        events = tuple(await held_events(year))
    years = tuple(range(year - history + 1, year + 1)) if event is None else (year,)
    return Scope(year, event, events, years)


def money_section(scope: Scope, amounts: dict[str, dict[int, int]]) -> Section:
    lines = [(MONEY[key], by_year) for key, by_year in amounts.items()]
    directions = {"in": _("In"), "out": _("Out")}
    rows = tuple(
        (source.label(), directions[source.direction], by_year.get(scope.year, 0))
        for source, by_year in lines
    )
    total_in = sum(by_year.get(scope.year, 0) for s, by_year in lines if s.direction == "in")
    total_out = sum(by_year.get(scope.year, 0) for s, by_year in lines if s.direction == "out")
    tables = [
        FigureTable(
            "money",
            _("Money in and out by source (excl. VAT)"),
            (
                Column("source", _("Source"), "text"),
                Column("direction", _("In or out"), "text"),
                Column("amount", _("Amount (excl. VAT)"), "money"),
            ),
            rows,
        )
    ]
    if len(scope.history_years) > 1:
        tables.append(
            FigureTable(
                "money_history",
                _("Money by source over the years (excl. VAT)"),
                (
                    Column("year", _("Year"), "text"),
                    *(Column(s.key, s.label(), "money") for s, _b in lines),
                ),
                tuple((str(y), *(by_year.get(y, 0) for _s, by_year in lines)) for y in scope.history_years),
            )
        )
    return Section(
        "money",
        _("Money in and out"),
        (
            Metric("in", _("Money in (excl. VAT)"), total_in, "money"),
            Metric("out", _("Money out (excl. VAT)"), total_out, "money"),
            Metric("balance", _("Balance"), total_in - total_out, "money"),
        ),
        tuple(tables),
        note=_(
            "Tickets, stands and commissions count in the year of their event; dues in their year; "
            "project support when billed; expert costs when invoiced; trade-fair support in the fair's year."
        ),
    )


def money_charts(scope: Scope, amounts: dict[str, dict[int, int]]) -> list[Chart]:
    if len(scope.history_years) < 2:
        return []
    charts = []
    # The chart starts at the first year with any money (the table keeps every year).
    first = next(
        (i for i, y in enumerate(scope.history_years) if any(by_year.get(y) for by_year in amounts.values())),
        len(scope.history_years) - 1,
    )
    years = scope.history_years[first:]
    for direction, key, title in (
        ("in", "money_in", _("Money in by source over the years (excl. VAT)")),
        ("out", "money_out", _("Money out by source over the years (excl. VAT)")),
    ):
        series = tuple(
            Series(MONEY[k].label(), tuple(by_year.get(y, 0) for y in years))
            for k, by_year in amounts.items()
            if MONEY[k].direction == direction
        )
        if any(any(s.values) for s in series):
            charts.append(Chart(key, title, tuple(str(y) for y in years), series, "money", stacked=True))
    return charts


async def year_figures(year: int, event_id: int | None = None, history: int = HISTORY_YEARS) -> YearFigures:
    """The figures of a year (every published event starting in it) or of one edition (event_id)."""
    scope = await scope_of(check_year(year), event_id, history)
    sections = [s for provider in SECTIONS.values() if (s := await provider(scope)) is not None]
    amounts = {key: await source.amounts(scope, scope.history_years) for key, source in MONEY.items()}
    sections.append(money_section(scope, amounts))
    charts = [c for provider in CHARTS.values() if (c := await provider(scope)) is not None]
    charts += money_charts(scope, amounts)
    return YearFigures(
        scope.year, scope.event, tuple(sections), tuple(charts), datetime.now(UTC), scope.history_years
    )
