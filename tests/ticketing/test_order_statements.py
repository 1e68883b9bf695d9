"""The order path in a handful of SQL statements, counted by the `statements` fixture (tests/plugin.py)
for the task placing the order only (the job worker's statements run in other tasks and are not
counted)."""

from __future__ import annotations

import pytest

from lib.db import is_postgres
from tests.ticketing.factories import make_event, make_type
from ticketing.orders import SoldOutError, place_order

BUYER = {"name": "Zoé Élise", "email": "zoe@example.org"}


async def test_a_free_order_costs_a_handful_of_statements(statements, jobs_worker):
    event = await make_event(100)
    free = await make_type(event, "Invité", 0)
    await place_order(event_id=event.id, buyer=BUYER, items=[{"ticket_type": free.id, "quantity": 1}])
    statements.clear()  # the first order of an event also creates its sales counter
    placed = await place_order(
        event_id=event.id,
        buyer={"name": "Jean Dupré", "email": "jean@example.org"},
        items=[{"ticket_type": free.id, "quantity": 2}],
        attendees=[{"name": "Jean Dupré"}, {"name": "Lou Dupré"}],
        client_ip="203.0.113.7",
    )
    assert placed.order.status == "confirmed"
    # PostgreSQL: the decision read, the throttle, the order + tickets + job (one statement), the
    # capacity (one conditional statement), the job's hand-over. SQLite has no data-modifying CTEs:
    # the throttle, the inserts and the two counters take one statement each.
    assert len(statements) <= (5 if is_postgres() else 11), "\n---\n".join(statements)
    assert statements[0].lstrip().startswith("SELECT") and "ticket_type" in statements[0]


async def test_a_sold_out_buyer_is_answered_without_a_write(statements):
    event = await make_event(1)
    free = await make_type(event, "Invité", 0)
    await place_order(event_id=event.id, buyer=BUYER, items=[{"ticket_type": free.id, "quantity": 1}])
    statements.clear()
    with pytest.raises(SoldOutError):
        await place_order(
            event_id=event.id,
            buyer={"name": "Tard", "email": "tard@example.org"},
            items=[{"ticket_type": free.id, "quantity": 1}],
            client_ip="203.0.113.8",
        )
    # The decision read, then the sold-out message's reads (what is held, by whom, until when).
    assert len(statements) <= 6, "\n---\n".join(statements)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
