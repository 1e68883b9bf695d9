"""Read-only project figures for the year (figures/): projects accompanied during the year, support hours
worked, hours billed and expert costs (invoiced and covered by the cluster), summed in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from piccolo.query.functions.aggregate import Count, Sum

from lib.clock import aware
from projects.tables import ExpertCost, HoursEntry, Project, ProjectBill

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class ProjectFigures:
    accompanied: int
    minutes: int
    billed_ht_cents: int
    expert_costs_cents: int
    expert_covered_cents: int


async def _sum(query) -> int:  # type: ignore[no-untyped-def]
    rows = await query
    value = next(iter(rows[0].values())) if rows else 0
    return int(value or 0)


async def projects_of_year(year: int) -> ProjectFigures:
    first, last = date(year, 1, 1), date(year, 12, 31)
    start, end = datetime(year, 1, 1, tzinfo=PARIS), datetime(year + 1, 1, 1, tzinfo=PARIS)
    # Accompanied: a place taken (active or closed since), from its convention, not ended before the year.
    accompanied = await _sum(
        Project.select(Count(Project.id)).where(
            Project.status.is_in(["active", "closed"])
            & (Project.convention_on <= last)
            & (Project.ends_on.is_null() | (Project.ends_on >= first))
        )
    )
    minutes = await _sum(
        HoursEntry.select(Sum(HoursEntry.minutes)).where(
            (HoursEntry.worked_on >= first) & (HoursEntry.worked_on <= last)
        )
    )
    billed = await _sum(
        ProjectBill.select(Sum(ProjectBill.amount_ht_cents)).where(
            (ProjectBill.created_at >= start) & (ProjectBill.created_at < end)
        )
    )
    in_year = (ExpertCost.invoiced_on >= first) & (ExpertCost.invoiced_on <= last)
    costs = await _sum(ExpertCost.select(Sum(ExpertCost.amount_ht_cents)).where(in_year))
    covered = await _sum(ExpertCost.select(Sum(ExpertCost.covered_cents)).where(in_year))
    return ProjectFigures(accompanied, minutes, billed, costs, covered)


async def project_money_by_year(years: list[int]) -> dict[int, tuple[int, int]]:
    """Year -> (support billed HT, expert costs covered); the year boundaries are Paris midnight. Bills
    and expert invoices are a few rows a year: two reads over the whole span, summed here."""
    out = {year: (0, 0) for year in years}
    if not years:
        return out
    first, last = min(years), max(years)
    bills = await ProjectBill.select(ProjectBill.created_at, ProjectBill.amount_ht_cents).where(
        (ProjectBill.created_at >= datetime(first, 1, 1, tzinfo=PARIS))
        & (ProjectBill.created_at < datetime(last + 1, 1, 1, tzinfo=PARIS))
    )
    costs = await ExpertCost.select(ExpertCost.invoiced_on, ExpertCost.covered_cents).where(
        (ExpertCost.invoiced_on >= date(first, 1, 1)) & (ExpertCost.invoiced_on <= date(last, 12, 31))
    )
    billed = dict.fromkeys(years, 0)
    covered = dict.fromkeys(years, 0)
    for b in bills:
        year = aware(b["created_at"]).astimezone(PARIS).year
        if year in billed:
            billed[year] += int(b["amount_ht_cents"] or 0)
    for c in costs:
        day = c["invoiced_on"]
        year = (date.fromisoformat(day) if isinstance(day, str) else day).year
        if year in covered:
            covered[year] += int(c["covered_cents"] or 0)
    return {year: (billed[year], covered[year]) for year in years}
