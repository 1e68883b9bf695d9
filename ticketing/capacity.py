"""Capacity counters: one conditional UPDATE ... RETURNING per counter, inside write_transaction().

A place is taken only if `sold + n <= capacity` holds at the moment of the UPDATE, so two buyers
can never both take the last place (SQLite serialises writers with BEGIN IMMEDIATE; PostgreSQL
re-evaluates the WHERE clause on the locked row). Call these inside the transaction that writes
the order: if a later step fails, the rollback gives the places back.
"""

from __future__ import annotations

from collections.abc import Mapping

from events.tables import Event
from lib.db import is_postgres
from ticketing.tables import EventSales, TicketType


class SoldOut(Exception):
    """Not enough places left; `ticket_type_id` is None when the event itself is full."""

    def __init__(self, ticket_type_id: int | None) -> None:
        self.ticket_type_id = ticket_type_id
        super().__init__(f"sold out (ticket type {ticket_type_id})" if ticket_type_id else "event sold out")


async def ensure_event_counter(event_id: int) -> None:
    await EventSales.raw(
        "INSERT INTO ticket_event_sales (event, sold) VALUES ({}, 0) ON CONFLICT (event) DO NOTHING",
        event_id,
    )


async def take(event_id: int, quantities: Mapping[int, int]) -> None:
    """Take places per ticket type and for the event, or raise SoldOut (roll back the transaction).

    Call it as the last statement before the commit: on PostgreSQL the counter rows stay locked
    until then, so the shorter that is, the more buyers per second get through a sold-out race.
    Create the event counter row beforehand (ensure_event_counter) to keep the fast path.
    """
    wanted = {type_id: n for type_id, n in sorted(quantities.items()) if n > 0}
    total = sum(wanted.values())
    if total == 0:
        return
    if is_postgres() and len(wanted) == 1:
        # One round trip: both conditional UPDATEs in one statement (data-modifying CTEs).
        [(type_id, n)] = wanted.items()
        rows = await EventSales.raw(
            "WITH t AS (UPDATE ticket_type SET sold = sold + {} WHERE id = {} AND event = {} "
            "AND (capacity IS NULL OR sold + {} <= capacity) RETURNING id), "
            "e AS (UPDATE ticket_event_sales SET sold = sold + {} WHERE event = {} AND EXISTS (SELECT 1 FROM t) "
            "AND (sold + {} <= COALESCE((SELECT capacity FROM event WHERE event.id = {}), sold + {})) RETURNING sold) "
            "SELECT (SELECT count(*) FROM t) AS t, (SELECT count(*) FROM e) AS e",
            n,
            type_id,
            event_id,
            n,
            n,
            event_id,
            n,
            event_id,
            n,
        )
        if not rows[0]["t"]:
            raise SoldOut(type_id)
        if rows[0]["e"]:
            return
        # No counter row yet (first order of the event) or the event is full: the generic path decides.
        await _take_event(event_id, total)
        return
    for type_id, n in wanted.items():
        rows = await TicketType.raw(
            "UPDATE ticket_type SET sold = sold + {} "
            "WHERE id = {} AND event = {} AND (capacity IS NULL OR sold + {} <= capacity) RETURNING id",
            n,
            type_id,
            event_id,
            n,
        )
        if not rows:
            raise SoldOut(type_id)
    await _take_event(event_id, total)


async def _take_event(event_id: int, total: int) -> None:
    await ensure_event_counter(event_id)
    rows = await EventSales.raw(
        "UPDATE ticket_event_sales SET sold = sold + {} WHERE event = {} AND "
        "(sold + {} <= COALESCE((SELECT capacity FROM event WHERE event.id = {}), sold + {})) RETURNING sold",
        total,
        event_id,
        total,
        event_id,
        total,
    )
    if not rows:
        raise SoldOut(None)


async def give_back(event_id: int, quantities: Mapping[int, int]) -> None:
    """Release places (an expired reservation, a cancellation). Never goes below zero."""
    total = 0
    for type_id, n in sorted(quantities.items()):
        if n <= 0:
            continue
        await TicketType.raw(
            "UPDATE ticket_type SET sold = CASE WHEN sold >= {} THEN sold - {} ELSE 0 END WHERE id = {}",
            n,
            n,
            type_id,
        )
        total += n
    if total:
        await EventSales.raw(
            "UPDATE ticket_event_sales SET sold = CASE WHEN sold >= {} THEN sold - {} ELSE 0 END "
            "WHERE event = {}",
            total,
            total,
            event_id,
        )


async def availability(event_id: int) -> dict[str, object]:
    """Places left for the event and per ticket type (None: unlimited)."""
    event = await Event.select(Event.capacity).where(Event.id == event_id).first()
    sales = await EventSales.select(EventSales.sold).where(EventSales.event == event_id).first()
    event_sold = sales["sold"] if sales else 0
    event_left = None if not event or event["capacity"] is None else max(0, event["capacity"] - event_sold)
    types = await TicketType.select(TicketType.id, TicketType.capacity, TicketType.sold).where(
        TicketType.event == event_id
    )
    per_type: dict[int, int | None] = {}
    for t in types:
        left = None if t["capacity"] is None else max(0, t["capacity"] - t["sold"])
        if event_left is not None:
            left = event_left if left is None else min(left, event_left)
        per_type[t["id"]] = left
    return {"event_sold": event_sold, "event_left": event_left, "types": per_type}


# The places of an order taken by the statement that writes it (ticketing.orders._write_order): the
# type's row locked first (the order every other taker locks them in: type, then event), the event's
# counter taken under its capacity, the type's counted only if the event's was; the order's rows follow.
ONE_STATEMENT_TAKE = (
    "WITH lk AS (SELECT id FROM ticket_type WHERE id = {} AND event = {} FOR UPDATE), "
    "e AS (UPDATE ticket_event_sales SET sold = sold + {} WHERE event = {} AND EXISTS (SELECT 1 FROM lk) "
    "AND (sold + {} <= COALESCE((SELECT capacity FROM event WHERE event.id = {}), sold + {})) RETURNING sold), "
    "k AS (UPDATE ticket_type SET sold = sold + {} WHERE id = {} AND EXISTS (SELECT 1 FROM e) RETURNING id), "
)


def one_statement_take_params(event_id: int, type_id: int, places: int) -> list[object]:
    """ONE_STATEMENT_TAKE's parameters, in the order of its placeholders."""
    return [type_id, event_id, places, event_id, places, event_id, places, places, type_id]
