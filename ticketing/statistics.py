"""Read-only ticket counts for the year's figures (figures/): tickets sold and their revenue per event,
grouped in SQL. A ticket is sold when it is valid and its order paid or confirmed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ticketing.tables import Ticket

SOLD_ORDER_STATUSES = ("paid", "confirmed")
# `status || ''` keeps SQLite's planner off the ticket and order status indexes (almost every ticket is
# valid and every order confirmed: it would scan them all) and on the event index instead.
VALID_TICKET = "t.status || '' = 'valid'"


@dataclass(frozen=True)
class TicketCounts:
    sold: int
    revenue_ht_cents: int


def id_list(ids: Iterable[int]) -> str:
    """Integers only, so the list can be written into the statement."""
    return ", ".join(str(int(i)) for i in ids) or "0"


async def tickets_by_event(event_ids: Iterable[int]) -> dict[int, TicketCounts]:
    statuses = ", ".join(f"'{s}'" for s in SOLD_ORDER_STATUSES)
    rows = await Ticket.raw(
        "SELECT t.event AS event, COUNT(*) AS sold, COALESCE(SUM(t.price_ht_cents), 0) AS revenue "
        'FROM ticket t JOIN ticketing_order o ON o.id = t."order" '
        f"WHERE t.event IN ({id_list(event_ids)}) AND {VALID_TICKET} AND o.status || '' IN ({statuses}) "
        "GROUP BY t.event"
    )
    return {int(r["event"]): TicketCounts(int(r["sold"]), int(r["revenue"])) for r in rows}
