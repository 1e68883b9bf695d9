"""Read-only stand counts for the year's figures (figures/): confirmed bookings and their revenue per
event (the exhibitors' shares not cancelled by a credit note), grouped in SQL; trade-fair support."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from events.statistics import standing_on
from stands import subsidies
from stands.tables import Booking, TradeFair, TradeFairParticipant
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


async def fairs_by_year(years: Iterable[int]) -> dict[int, list[FairFigures]]:
    """The trade fairs starting in each year, with the support the cluster pays: stands.subsidies.support
    (the rule) fed with every participant and its standing on the fair's first day, read in three queries."""
    wanted = sorted(set(years))
    out: dict[int, list[FairFigures]] = {y: [] for y in wanted}
    if not wanted:
        return out
    fairs = (
        await TradeFair.objects()
        .where(
            (TradeFair.starts_on >= date(wanted[0], 1, 1)) & (TradeFair.starts_on <= date(wanted[-1], 12, 31))
        )
        .order_by(TradeFair.starts_on)
    )
    fairs = [f for f in fairs if f.starts_on.year in out]
    going = await TradeFairParticipant.select(
        TradeFairParticipant.fair,
        TradeFairParticipant.organisation,
        TradeFairParticipant.shares_stand,
        TradeFairParticipant.organisation.name.as_alias("name"),
    ).where(TradeFairParticipant.fair.is_in([f.id for f in fairs] or [0]))
    start_of = {f.id: f.starts_on for f in fairs}
    standing = await standing_on([(r["organisation"], start_of[r["fair"]]) for r in going])
    rule = subsidies.Rule.from_settings()
    for fair in fairs:
        support = subsidies.support(
            fair_id=fair.id,
            name=fair.name,
            year=fair.starts_on.year,
            accreditation_cents=fair.accreditation_cents,
            shared_stand_cents=fair.shared_stand_cents,
            going=[
                subsidies.Going(
                    r["organisation"],
                    r["name"],
                    (r["organisation"], fair.starts_on) in standing,
                    r["shares_stand"],
                )
                for r in going
                if r["fair"] == fair.id
            ],
            rule=rule,
        )
        out[fair.starts_on.year].append(
            FairFigures(
                fair.id,
                fair.name,
                len(support.structures),
                sum(1 for s in support.structures if s.subsidy_cents > 0),
                support.total_subsidy_cents,
            )
        )
    return out


async def fairs_of_year(year: int) -> list[FairFigures]:
    return (await fairs_by_year([year]))[year]
