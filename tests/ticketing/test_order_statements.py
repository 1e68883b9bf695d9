"""The order path in a handful of SQL statements, counted by the `statements` fixture (tests/plugin.py)
for the task placing the order only (the job worker's statements run in other tasks and are not
counted)."""

from __future__ import annotations

import pytest

from lib.db import is_postgres
from tests.ticketing.factories import cles_event, make_event, make_type
from tests.ticketing.helpers import make_member_org, order
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
    # PostgreSQL: the decision read (with the waiting room), the throttle, the capacity taken with the
    # order + tickets + job (one statement), the job's hand-over. SQLite has no data-modifying CTEs:
    # the throttle, the inserts and the two counters take one statement each.
    assert len(statements) <= (4 if is_postgres() else 11), "\n---\n".join(statements)
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
    # The decision read only: it saw that no place is held by an order not confirmed yet, so the
    # sold-out message has nothing more to read.
    assert len(statements) == 1, "\n---\n".join(statements)
    assert statements[0].lstrip().startswith("SELECT")


async def test_a_sold_out_buyer_hears_of_the_places_held_for_now(statements):
    event = await make_event(1)
    paid = await make_type(event, "Plein tarif", 2000)
    held = await place_order(event_id=event.id, buyer=BUYER, items=[{"ticket_type": paid.id, "quantity": 1}])
    assert held.order.status == "pending_payment"
    statements.clear()
    with pytest.raises(SoldOutError) as refused:
        await place_order(
            event_id=event.id,
            buyer={"name": "Tard", "email": "tard@example.org"},
            items=[{"ticket_type": paid.id, "quantity": 1}],
            client_ip="203.0.113.8",
        )
    assert "for now" in str(refused.value.errors) or "pour le moment" in str(refused.value.errors)
    # The decision read, then the sold-out message's read (what is held, until when); no write.
    assert len(statements) == 2, "\n---\n".join(statements)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


@pytest.mark.parametrize("kind", ["free", "member awaiting proof", "two types"])
async def test_the_order_answer_is_the_one_read_back_and_reads_no_ticket(client, statements, kind):
    """The order's answer comes from the rows it has just written: the same JSON as GET /api/orders/…,
    without reading its tickets or member confirmations back."""
    event, member, public = await cles_event(None)
    free = await make_type(event, "Invité", 0, name_en="Guest", position=3)
    await make_member_org("label-auvergne.fr")
    items, attendees = {
        "free": ([{"ticket_type": free.id, "quantity": 2}], [{"name": "Jean Dupré"}, {"name": "Lou Dupré"}]),
        "member awaiting proof": (
            [{"ticket_type": member.id, "quantity": 1}],
            [{"name": "Ana Lima", "email": "ana@label-auvergne.fr"}],
        ),
        "two types": (
            [{"ticket_type": free.id, "quantity": 1}, {"ticket_type": public.id, "quantity": 1}],
            [{"name": "Jean Dupré"}, {"name": "Lou Dupré", "email": "lou@example.org"}],
        ),
    }[kind]
    order(client, event.id, [{"ticket_type": free.id, "quantity": 1}])  # the event's sales counter exists
    statements.clear()
    r = order(client, event.id, items, attendees=attendees)
    assert r.status_code == 201, r.text
    reads = [
        s for s in statements if "FROM ticket t JOIN ticket_type" in s or "ticket_member_confirmation c" in s
    ]
    placed = r.json()
    expected = {
        "free": "confirmed",
        "member awaiting proof": "awaiting_member",
        "two types": "pending_payment",
    }
    assert placed["status"] == expected[kind]
    if kind == "member awaiting proof":  # the confirmations the order asked for are read back
        assert len(reads) == 1 and "ticket_member_confirmation" in reads[0], reads
        assert len(placed["member_confirmations"]) == 1
    else:
        assert reads == []
    # the event's waiting room (it has none) is read with the event, not by a statement of its own
    assert not [s for s in statements if "ticket_sale_queue" in s and " e_id" not in s.replace('"', " ")]
    again = client.get(f"/api/orders/{placed['token']}").json()
    assert {**placed, "client_secret": None} == {**again, "client_secret": None}
