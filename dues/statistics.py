"""Read-only dues figures for the year (figures/): dues called (not cancelled) and paid, HT, summed in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from dues.tables import DuesCall


@dataclass(frozen=True)
class DuesFigures:
    called: int
    paid: int
    called_ht_cents: int
    paid_ht_cents: int


async def dues_of_year(year: int) -> DuesFigures:
    rows = await DuesCall.raw(
        "SELECT COUNT(*) AS called, COALESCE(SUM(CASE WHEN paid_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS paid, "
        "COALESCE(SUM(amount_ht_cents), 0) AS called_ht, "
        "COALESCE(SUM(CASE WHEN paid_at IS NOT NULL THEN amount_ht_cents ELSE 0 END), 0) AS paid_ht "
        "FROM dues_call WHERE year = {} AND credit_note IS NULL",
        int(year),
    )
    r = rows[0]
    return DuesFigures(int(r["called"]), int(r["paid"]), int(r["called_ht"]), int(r["paid_ht"]))


async def dues_paid_by_year(years: list[int]) -> dict[int, int]:
    """Year -> dues paid HT (not cancelled), for many years in one grouped query."""
    listed = ", ".join(str(int(y)) for y in years) or "0"
    rows = await DuesCall.raw(
        "SELECT year, COALESCE(SUM(amount_ht_cents), 0) AS paid FROM dues_call "
        f"WHERE year IN ({listed}) AND credit_note IS NULL AND paid_at IS NOT NULL GROUP BY year"
    )
    found = {int(r["year"]): int(r["paid"]) for r in rows}
    return {y: found.get(y, 0) for y in years}
