"""Read-only project figures for the year (figures/): projects accompanied during the year, support hours
worked, hours billed and expert costs (invoiced and covered by the cluster), summed in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from piccolo.query.functions.aggregate import Count, Sum

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
    """Year -> (support billed HT, expert costs covered), two sums per year (bills and expert invoices
    are a few rows a year; the year boundaries are Paris midnight)."""
    out = {}
    for year in years:
        first, last = date(year, 1, 1), date(year, 12, 31)
        start, end = datetime(year, 1, 1, tzinfo=PARIS), datetime(year + 1, 1, 1, tzinfo=PARIS)
        billed = await _sum(
            ProjectBill.select(Sum(ProjectBill.amount_ht_cents)).where(
                (ProjectBill.created_at >= start) & (ProjectBill.created_at < end)
            )
        )
        covered = await _sum(
            ExpertCost.select(Sum(ExpertCost.covered_cents)).where(
                (ExpertCost.invoiced_on >= first) & (ExpertCost.invoiced_on <= last)
            )
        )
        out[year] = (billed, covered)
    return out
