"""Read-only stand counts for the year's figures (figures/): confirmed bookings and their revenue per
event (the exhibitors' shares not cancelled by a credit note), grouped in SQL; trade-fair support."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stands import subsidies
from stands.tables import Booking
from ticketing.statistics import id_list


@dataclass(frozen=True)
class StandFigures:
    booked: int
    revenue_ht_cents: int


@dataclass(frozen=True)
class FairFigures:
    fair_id: int
    name: str
    structures: int
    supported: int
    subsidy_cents: int


async def stands_by_event(event_ids: Iterable[int]) -> dict[int, StandFigures]:
    rows = await Booking.raw(
        "SELECT b.event AS event, COUNT(DISTINCT b.id) AS booked, "
        "COALESCE(SUM(CASE WHEN s.credit_note IS NULL THEN s.amount_ht_cents ELSE 0 END), 0) AS revenue "
        "FROM stand_booking b LEFT JOIN stand_booking_share s ON s.booking = b.id "
        f"WHERE b.event IN ({id_list(event_ids)}) AND b.status = 'approved' GROUP BY b.event"
    )
    return {int(r["event"]): StandFigures(int(r["booked"]), int(r["revenue"])) for r in rows}


async def fairs_of_year(year: int) -> list[FairFigures]:
    """The trade fairs starting in the year, with the support the cluster pays (stands.subsidies)."""
    out = []
    for fair in await subsidies.yearly(year):
        out.append(
            FairFigures(
                fair.fair_id,
                fair.name,
                len(fair.structures),
                sum(1 for s in fair.structures if s.subsidy_cents > 0),
                fair.total_subsidy_cents,
            )
        )
    return out
