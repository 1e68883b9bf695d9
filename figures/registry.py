"""Where the figures come from: one provider per section and one per source of money, in display order.

A domain (or the integrator, for a domain built later such as commissions/ or hackathon/) plugs its own
in with `section_provider` / `money_source`; `replace=True` takes over a built-in key (the commissions
domain replacing the speed-meeting commission records, for instance)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from events.statistics import EventRow
from figures.model import Chart, Section


@dataclass
class Scope:
    """What the figures are about: a year, or one edition (event) of it; `events` are the published
    events in scope. `once` shares a query's result between providers of one computation."""

    year: int
    event: EventRow | None
    events: tuple[EventRow, ...]
    history_years: tuple[int, ...]
    _memo: dict[str, Any] = field(default_factory=dict)

    @property
    def event_ids(self) -> list[int]:
        return [e.id for e in self.events]

    @property
    def whole_year(self) -> bool:
        return self.event is None

    async def once(self, key: str, compute: Callable[[], Awaitable[Any]]) -> Any:
        if key not in self._memo:
            self._memo[key] = await compute()
        return self._memo[key]


SectionProvider = Callable[[Scope], Awaitable[Section | None]]
ChartProvider = Callable[[Scope], Awaitable[Chart | None]]
# Money of one source for the given years: year -> cents HT (the scope tells whether one event only).
MoneyProvider = Callable[[Scope, tuple[int, ...]], Awaitable[dict[int, int]]]


@dataclass(frozen=True)
class MoneySource:
    key: str
    label: Callable[[], str]  # called at render time, in the reader's language
    direction: Literal["in", "out"]
    amounts: MoneyProvider


SECTIONS: dict[str, SectionProvider] = {}
CHARTS: dict[str, ChartProvider] = {}
MONEY: dict[str, MoneySource] = {}


def _register(table: dict[str, Any], key: str, value: Any, replace: bool) -> None:
    if key in table and not replace:
        raise ValueError(f"figures: {key!r} is already registered")
    table[key] = value


def section_provider(key: str, *, replace: bool = False) -> Callable[[SectionProvider], SectionProvider]:
    def register(fn: SectionProvider) -> SectionProvider:
        _register(SECTIONS, key, fn, replace)
        return fn

    return register


def chart_provider(key: str, *, replace: bool = False) -> Callable[[ChartProvider], ChartProvider]:
    def register(fn: ChartProvider) -> ChartProvider:
        _register(CHARTS, key, fn, replace)
        return fn

    return register


def money_source(
    key: str, label: Callable[[], str], direction: Literal["in", "out"], *, replace: bool = False
) -> Callable[[MoneyProvider], MoneyProvider]:
    def register(fn: MoneyProvider) -> MoneyProvider:
        _register(MONEY, key, MoneySource(key, label, direction, fn), replace)
        return fn

    return register
