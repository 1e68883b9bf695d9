"""Read-only speed-meeting counts for the year's figures (figures/), per event and grouped in SQL, with the
same definitions as scheduling.deals.figures: held (a side says it took place), no-show (reported, and
nobody says it took place), deals (the commission records of source 'deal', commissions/) and their amounts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scheduling.tables import Meeting
from ticketing.statistics import id_list


@dataclass(frozen=True)
class MeetingFigures:
    meetings: int = 0
    held: int = 0
    no_shows: int = 0
    deals: int = 0
    deal_amount_cents: int = 0
    commission_proposed_cents: int = 0
    commission_confirmed_cents: int = 0


async def meetings_by_event(event_ids: Iterable[int]) -> dict[int, MeetingFigures]:
    ids = id_list(event_ids)
    meetings = await Meeting.raw(
        "SELECT p.event AS event, COUNT(*) AS meetings, "
        "SUM(CASE WHEN r.held > 0 THEN 1 ELSE 0 END) AS held, "
        "SUM(CASE WHEN r.n > 0 AND r.held = 0 THEN 1 ELSE 0 END) AS no_shows "
        "FROM meeting m JOIN meeting_programme p ON p.id = m.programme "
        "LEFT JOIN (SELECT meeting, COUNT(*) AS n, SUM(CASE WHEN took_place THEN 1 ELSE 0 END) AS held "
        "FROM meeting_report GROUP BY meeting) r ON r.meeting = m.id "
        f"WHERE m.published AND p.event IN ({ids}) GROUP BY p.event"
    )
    deals = await Meeting.raw(
        "SELECT p.event AS event, COUNT(*) AS deals, COALESCE(SUM(c.amount_cents), 0) AS amount, "
        "COALESCE(SUM(CASE WHEN c.status = 'expected' THEN c.commission_cents ELSE 0 END), 0) AS proposed, "
        "COALESCE(SUM(CASE WHEN c.status IN ('confirmed', 'invoiced', 'paid') THEN c.commission_cents "
        "ELSE 0 END), 0) AS confirmed "
        "FROM commission c JOIN meeting_programme p ON p.id = c.programme "
        f"WHERE c.source = 'deal' AND c.status <> 'cancelled' AND p.event IN ({ids}) GROUP BY p.event"
    )
    by_deal = {int(r["event"]): r for r in deals}
    out: dict[int, MeetingFigures] = {}
    for event in {int(r["event"]) for r in meetings} | set(by_deal):
        m = next((r for r in meetings if int(r["event"]) == event), None)
        d = by_deal.get(event)
        out[event] = MeetingFigures(
            meetings=int(m["meetings"]) if m else 0,
            held=int(m["held"] or 0) if m else 0,
            no_shows=int(m["no_shows"] or 0) if m else 0,
            deals=int(d["deals"]) if d else 0,
            deal_amount_cents=int(d["amount"]) if d else 0,
            commission_proposed_cents=int(d["proposed"]) if d else 0,
            commission_confirmed_cents=int(d["confirmed"]) if d else 0,
        )
    return out
