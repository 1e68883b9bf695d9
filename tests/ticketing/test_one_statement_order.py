"""A confirmed order of one ticket type without a capacity of its own (a free workshop, the MIMA
evening) takes its places and writes its rows in one statement outside any transaction, so the
event's counter row is locked only while that statement runs: a rush is not held up by the round
trips of the buyers ahead of it. Refused, it leaves nothing behind."""

from __future__ import annotations

import pytest

from lib.tables import OutboxJob
from tests.ticketing.factories import make_event, make_type
from ticketing.orders import SoldOutError, place_order
from ticketing.tables import EventSales, Order, Ticket, TicketType

pytestmark = pytest.mark.postgres_only("the one-statement order is PostgreSQL's (data-modifying CTEs)")


async def buy(event_id: int, type_id: int, n: int, who: str = "alice"):
    return await place_order(
        event_id=event_id,
        buyer={"name": who.title(), "email": f"{who}@example.org"},
        items=[{"ticket_type": type_id, "quantity": n}],
        attendees=[{"name": f"{who.title()} {i}", "email": f"{who}{i}@example.org"} for i in range(n)],
    )


async def test_places_order_tickets_and_email_go_in_one_statement(statements):
    event = await make_event(10)
    free = await make_type(event, "Invité", 0)
    statements.clear()
    placed = await buy(event.id, free.id, 3)
    writes = [s for s in statements if "ticketing_order" in s and s.lstrip().upper().startswith("WITH")]
    assert len(writes) == 1, statements
    assert all(
        part in writes[0] for part in ("UPDATE ticket_event_sales", "INSERT INTO ticket ", "outbox_job")
    )
    assert not any(s.lstrip().upper().startswith("UPDATE TICKET_TYPE") for s in statements)
    assert placed.order.status == "confirmed"
    tickets = (
        await Ticket.select(Ticket.attendee_name).where(Ticket.order == placed.order.id).order_by(Ticket.id)
    )
    assert [t["attendee_name"] for t in tickets] == ["Alice 0", "Alice 1", "Alice 2"]  # in the order given
    assert (await EventSales.select(EventSales.sold).where(EventSales.event == event.id).first())["sold"] == 3
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == free.id).first())["sold"] == 3
    assert await OutboxJob.count().where(OutboxJob.actor == "ticketing.order_email") == 1


async def test_a_refused_order_writes_nothing_and_counts_nothing():
    event = await make_event(4)
    free = await make_type(event, "Invité", 0)
    await buy(event.id, free.id, 3)
    with pytest.raises(SoldOutError) as refused:
        await buy(event.id, free.id, 2, who="bob")
    assert refused.value.status_code == 409 and "items" in refused.value.errors
    assert await Order.count().where(Order.event == event.id) == 1
    assert await Ticket.count().where(Ticket.event == event.id) == 3
    assert (await EventSales.select(EventSales.sold).where(EventSales.event == event.id).first())["sold"] == 3
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == free.id).first())["sold"] == 3
    assert await OutboxJob.count().where(OutboxJob.actor == "ticketing.order_email") == 1
    await buy(event.id, free.id, 1, who="carol")  # the last place still goes
    assert (await EventSales.select(EventSales.sold).where(EventSales.event == event.id).first())["sold"] == 4


async def test_a_type_with_its_own_capacity_keeps_the_transaction(statements):
    event = await make_event(10)
    limited = await make_type(event, "Limité", 0, capacity=2)
    statements.clear()
    await buy(event.id, limited.id, 2)
    assert any(s.lstrip().upper().startswith("WITH T AS (UPDATE TICKET_TYPE") for s in statements), statements
    with pytest.raises(SoldOutError):
        await buy(event.id, limited.id, 1, who="bob")
    assert await Ticket.count().where(Ticket.event == event.id) == 2
