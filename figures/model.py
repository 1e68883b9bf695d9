"""The typed result of the year's figures: sections of metrics and tables, charts, money by source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from events.statistics import EventRow

Kind = Literal["int", "money", "hours", "percent", "text"]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: int  # cents for money, minutes for hours, basis points for percent
    kind: Kind = "int"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "int"


@dataclass(frozen=True)
class FigureTable:
    key: str  # also the CSV file's name
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str | int, ...], ...]

    def column(self, key: str) -> list[str | int]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    metrics: tuple[Metric, ...] = ()
    tables: tuple[FigureTable, ...] = ()
    note: str = ""

    def value(self, key: str) -> int:
        for m in self.metrics:
            if m.key == key:
                return m.value
        raise KeyError(key)


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind: Kind = "int"
    stacked: bool = False


@dataclass(frozen=True)
class MoneyLine:
    source: str
    label: str
    direction: Literal["in", "out"]
    ht_cents: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    event: EventRow | None
    sections: tuple[Section, ...]
    charts: tuple[Chart, ...]
    generated_at: datetime
    history_years: tuple[int, ...] = field(default=())

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def has(self, key: str) -> bool:
        return any(s.key == key for s in self.sections)

    def tables(self) -> list[FigureTable]:
        return [t for s in self.sections for t in s.tables]

    def table(self, key: str) -> FigureTable | None:
        return next((t for t in self.tables() if t.key == key), None)

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)
