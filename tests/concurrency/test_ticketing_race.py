"""Concurrency: simultaneous buyers never oversell; invoice numbers stay gapless (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

from lib.db import write_transaction
from lib.errors import ValidationFailed
from tests.ticketing.factories import make_event, make_type
from ticketing import invoices, orders, payments
from ticketing.tables import EventSales, Invoice, Order, Ticket, TicketType

BUYERS = 40


async def _buy(event_id: int, type_id: int, i: int, qty: int) -> int:
    try:
        placed = await orders.place_order(
            event_id=event_id,
            buyer={"name": f"Buyer {i}", "email": f"buyer{i}@example.org"},
            items=[{"ticket_type": type_id, "quantity": qty}],
            attendees=[{"name": f"Buyer {i} #{n}"} for n in range(qty)],
        )
    except ValidationFailed as exc:
        assert exc.status_code == 409, exc.errors  # sold out, nothing else
        return 0
    return qty if placed.order.status == "confirmed" else -1000


async def test_simultaneous_buyers_never_oversell_the_event(jobs_worker):
    event = await make_event(capacity=25)
    free = await make_type(event, "Libre", 0, max_per_order=3)
    rng = random.Random(7)
    quantities = [rng.choice([1, 1, 2, 3]) for _ in range(BUYERS)]
    results = await asyncio.gather(*[_buy(event.id, free.id, i, q) for i, q in enumerate(quantities)])
    sold = sum(results)
    assert sold <= 25 and min(results) >= 0
    tickets = await Ticket.count().where(Ticket.event == event.id)
    assert tickets == sold
    assert (await EventSales.select(EventSales.sold).first())["sold"] == sold
    # the type's counter moved only with the event's: a refused order took nothing anywhere
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == free.id).first())["sold"] == sold
    assert await Order.count().where(Order.event == event.id) == sum(1 for r in results if r > 0)
    # small quantities fit until the very end: the event fills up (up to one unfillable remainder)
    assert sold >= 25 - 2


async def test_simultaneous_buyers_never_oversell_a_ticket_type(jobs_worker):
    event = await make_event(capacity=None)
    limited = await make_type(event, "Limité", 0, capacity=10)
    results = await asyncio.gather(*[_buy(event.id, limited.id, i, 1) for i in range(BUYERS)])
    assert sum(results) == 10
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == limited.id).first())["sold"] == 10
    assert await Ticket.count() == 10


async def test_document_numbers_gapless_with_concurrent_commits_and_rollbacks():
    year = datetime.now(UTC).year

    async def one(i: int) -> int | None:
        try:
            async with write_transaction():
                seq, _number = await invoices.next_number("invoice", year)
                await asyncio.sleep(0)
                if i % 3 == 0:
                    raise RuntimeError("the transaction fails after taking a number")
                return seq
        except RuntimeError:
            return None

    results = await asyncio.gather(*[one(i) for i in range(30)])
    committed = sorted(r for r in results if r is not None)
    assert committed == list(range(1, len(committed) + 1))  # no gap, no duplicate
    assert len(committed) == 20


async def test_concurrent_payment_confirmations_give_gapless_invoices(stripe_fake, jobs_worker):
    event = await make_event(capacity=100)
    paid = await make_type(event, "Non-adhérent", 2000)
    placed = []
    for i in range(12):
        p = await orders.place_order(
            event_id=event.id,
            buyer={"name": f"Buyer {i}", "email": f"b{i}@example.org"},
            items=[{"ticket_type": paid.id, "quantity": 1}],
        )
        placed.append(p.order)
    for o in placed:
        await asyncio.to_thread(stripe_fake.pay, o.payment_intent_id)
    intents = [await payments.retrieve_payment_intent(o.payment_intent_id) for o in placed]
    # every confirmation delivered twice at once (webhook + return), all orders at the same time
    await asyncio.gather(*[orders.confirm_payment(pi) for pi in intents + intents])
    assert await Order.count().where(Order.status == "confirmed") == 12
    numbers = sorted(r["sequence"] for r in await Invoice.select(Invoice.sequence))
    assert numbers == list(range(1, 13))
