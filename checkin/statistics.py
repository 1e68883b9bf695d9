"""Read-only door counts for the year's figures (figures/): sold tickets admitted at the event entrance,
grouped in SQL (one winning check-in per ticket and admission point, see checkin.tables)."""

from __future__ import annotations

from collections.abc import Iterable

from checkin.tables import CheckIn
from ticketing.statistics import SOLD_ORDER_STATUSES, VALID_TICKET, id_list


async def admitted_by_event(event_ids: Iterable[int]) -> dict[int, int]:
    """Event id -> sold tickets checked in at the entrance (the rest of the sold tickets are no-shows)."""
    statuses = ", ".join(f"'{s}'" for s in SOLD_ORDER_STATUSES)
    rows = await CheckIn.raw(
        "SELECT c.event AS event, COUNT(DISTINCT c.ticket) AS n FROM checkin c "
        "JOIN ticket t ON t.id = c.ticket "
        'JOIN ticketing_order o ON o.id = t."order" '
        f"WHERE c.event IN ({id_list(event_ids)}) AND c.status = 'ok' AND c.session_key = 0 "
        f"AND {VALID_TICKET} AND o.status || '' IN ({statuses}) GROUP BY c.event"
    )
    return {int(r["event"]): int(r["n"]) for r in rows}
