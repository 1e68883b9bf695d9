"""Every table of the figures as CSV (lib.csv_export: formula cells neutralised, French Excel or plain),
plus the summary of every section's metrics."""

from __future__ import annotations

from typing import Any

from figures.format import value
from figures.model import Column, FigureTable, YearFigures
from lib import csv_export
from lib.i18n import _

SUMMARY = "summary"

_KINDS: dict[str, csv_export.Kind] = {"int": "int", "money": "money", "text": "text"}


def table_keys(figures: YearFigures) -> list[str]:
    return [SUMMARY, *(t.key for t in figures.tables())]


def _summary(figures: YearFigures) -> FigureTable:
    return FigureTable(
        SUMMARY,
        _("Summary"),
        (
            Column("section", _("Section"), "text"),
            Column("figure", _("Figure"), "text"),
            Column("value", _("Value"), "text"),
        ),
        tuple((s.title, m.label, value(m.value, m.kind)) for s in figures.sections for m in s.metrics),
    )


def table_of(figures: YearFigures, key: str) -> FigureTable | None:
    return _summary(figures) if key == SUMMARY else figures.table(key)


def table_csv(table: FigureTable, dialect: csv_export.Dialect) -> bytes:
    """Money and counts stay numbers (cents written as euros); hours and rates are written as read."""
    columns = [csv_export.Column(c.key, c.label, _KINDS.get(c.kind, "text")) for c in table.columns]
    rows: list[dict[str, Any]] = []
    for row in table.rows:
        rows.append(
            {
                c.key: (cell if c.kind in _KINDS else value(cell, c.kind))
                for c, cell in zip(table.columns, row, strict=True)
            }
        )
    return csv_export.write(columns, rows, dialect)


def filename(figures: YearFigures, key: str) -> str:
    scope = f"{figures.year}" if figures.event is None else f"{figures.event.slug}"
    return f"chiffres-{scope}-{key}.csv"
