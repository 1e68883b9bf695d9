"""Capacity counters: conditional UPDATE ... RETURNING inside write_transaction()."""

from __future__ import annotations

import pytest

from lib.db import write_transaction
from tests.ticketing.factories import make_event, make_type
from ticketing import capacity
from ticketing.capacity import SoldOut
from ticketing.tables import EventSales, TicketType


async def _take(event_id: int, q: dict[int, int]) -> None:
    async with write_transaction():
        await capacity.take(event_id, q)


async def test_type_and_event_limits():
    event = await make_event(capacity=5)
    a = await make_type(event, "A", 0, capacity=3)
    b = await make_type(event, "B", 2000)
    await _take(event.id, {a.id: 3})
    with pytest.raises(SoldOut) as exc:
        await _take(event.id, {a.id: 1})
    assert exc.value.ticket_type_id == a.id
    await _take(event.id, {b.id: 2})
    with pytest.raises(SoldOut) as exc:
        await _take(event.id, {b.id: 1})
    assert exc.value.ticket_type_id is None  # the event is full
    # the failed attempt rolled back its ticket-type increment
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == b.id).first())["sold"] == 2
    avail = await capacity.availability(event.id)
    assert avail["event_left"] == 0 and avail["types"] == {a.id: 0, b.id: 0}


async def test_give_back_and_unlimited():
    event = await make_event(capacity=None)
    t = await make_type(event, "Free", 0)
    await _take(event.id, {t.id: 50})
    async with write_transaction():
        await capacity.give_back(event.id, {t.id: 20})
    assert (await EventSales.select(EventSales.sold).first())["sold"] == 30
    async with write_transaction():
        await capacity.give_back(event.id, {t.id: 100})  # never below zero
    assert (await TicketType.select(TicketType.sold).first())["sold"] == 0


async def test_type_of_another_event_is_refused():
    e1 = await make_event(capacity=10)
    e2 = await make_event(capacity=10)
    t2 = await make_type(e2, "Other", 0)
    with pytest.raises(SoldOut):
        await _take(e1.id, {t2.id: 1})
