"""Waiting list: when places free up, the first people waiting get a time-limited offer.

An offer holds its places (taken from the counters like an order), so the link really gives a
place; unused offers expire after settings.reservation_minutes and pass to the next person.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from events.tables import Event
from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic, enqueue
from lib.settings import get_settings
from lib.validation import whole_number
from ticketing import capacity
from ticketing.capacity import SoldOut
from ticketing.order_fields import email_field, name_field
from ticketing.tables import TicketType, WaitingListEntry


async def join(event_id: int, data: dict[str, Any], locale: str = "fr") -> WaitingListEntry:
    if not await Event.exists().where((Event.id == event_id) & (Event.status == "published")):
        raise NotFound(_("This event does not exist."))
    errors: dict[str, str] = {}
    name = name_field(errors, "name", data.get("name"))
    email = email_field(errors, "email", data.get("email"), required=True)
    type_id = whole_number(data.get("ticket_type"))
    ttype = (
        await TicketType.objects()
        .where(
            (TicketType.id == (type_id or 0))
            & (TicketType.event == event_id)
            & TicketType.staff_only.eq(False)
        )
        .first()
    )
    if ttype is None:
        errors["ticket_type"] = _("Unknown ticket type.")
    quantity = whole_number(data.get("quantity", 1))
    if quantity is None or quantity < 1:
        errors["quantity"] = _("The quantity must be at least 1.")
    elif ttype is not None and quantity > ttype.max_per_order:
        errors["quantity"] = _("At most %(max)s tickets of this type per order.", max=ttype.max_per_order)
    if errors:
        raise ValidationFailed(errors)
    assert ttype is not None
    left = (await capacity.availability(event_id))["types"].get(ttype.id)  # type: ignore[union-attr]
    if (left is None or left >= (quantity or 1)) and not await _held_to_the_cap(event_id):
        raise ValidationFailed.one("ticket_type", _("Places are still available: you can order directly."))
    entry = WaitingListEntry(
        event=event_id, ticket_type=ttype.id, name=name, email=email, locale=locale, quantity=quantity
    )
    await entry.save()
    return entry


async def _held_to_the_cap(event_id: int) -> bool:
    """The places left are held back because unpaid orders already hold their whole share."""
    from ticketing import holds

    event = await Event.select(Event.capacity).where(Event.id == event_id).first()
    if not event or event["capacity"] is None:
        return False
    share = max(1, event["capacity"] * get_settings().hold_max_share_percent // 100)
    return (await holds.held_places(event_id)).places >= share


async def expire_offers(event_id: int) -> None:
    now = datetime.now(UTC)
    for entry in await WaitingListEntry.objects().where(
        (WaitingListEntry.event == event_id)
        & (WaitingListEntry.status == "offered")
        & (WaitingListEntry.offer_expires_at < now)
    ):
        async with write_transaction():
            claimed = (
                await WaitingListEntry.update({WaitingListEntry.status: "expired"})
                .where((WaitingListEntry.id == entry.id) & (WaitingListEntry.status == "offered"))
                .returning(WaitingListEntry.id)
            )
            if claimed:
                await capacity.give_back(event_id, {entry.ticket_type: entry.quantity})


async def offer_freed_places(event_id: int) -> int:
    """Offer freed places to the people waiting, in order. Returns how many offers were made."""
    await expire_offers(event_id)
    offered = 0
    waiting = (
        await WaitingListEntry.objects()
        .where((WaitingListEntry.event == event_id) & (WaitingListEntry.status == "waiting"))
        .order_by(WaitingListEntry.id)
        .limit(50)
    )
    minutes = get_settings().reservation_minutes
    for entry in waiting:
        try:
            async with atomic():
                claimed = (
                    await WaitingListEntry.update(
                        {
                            WaitingListEntry.status: "offered",
                            WaitingListEntry.offer_token: secrets.token_urlsafe(24),
                            WaitingListEntry.offer_expires_at: datetime.now(UTC) + timedelta(minutes=minutes),
                        }
                    )
                    .where((WaitingListEntry.id == entry.id) & (WaitingListEntry.status == "waiting"))
                    .returning(WaitingListEntry.id)
                )
                if not claimed:
                    continue
                await capacity.take(event_id, {entry.ticket_type: entry.quantity})
                from ticketing import notifications  # noqa: F401

                await enqueue(
                    "ticketing.waiting_offer", {"entry_id": entry.id}, dedup_key=f"waiting-offer:{entry.id}"
                )
        except SoldOut:
            break  # first in line keeps priority: nobody behind jumps the queue
        offered += 1
    return offered


async def claim_offer(token: str, event_id: int, quantities: dict[int, int]) -> WaitingListEntry:
    """Inside the order's transaction: consume an offer whose places are already held.

    Returns the entry; the order may use fewer places than offered (the rest is given back).
    """
    entry = await WaitingListEntry.objects().where(WaitingListEntry.offer_token == token).first()
    now = datetime.now(UTC)
    if entry is None or entry.event != event_id or entry.status != "offered":
        raise ValidationFailed.one("waiting_token", _("This waiting-list offer is not valid any more."))
    if entry.offer_expires_at is None or entry.offer_expires_at < now:
        raise ValidationFailed.one("waiting_token", _("This waiting-list offer has expired."))
    if set(quantities) != {entry.ticket_type} or quantities[entry.ticket_type] > entry.quantity:
        raise ValidationFailed.one(
            "items", _("This offer is for %(n)s ticket(s) of the type you waited for.", n=entry.quantity)
        )
    claimed = (
        await WaitingListEntry.update({WaitingListEntry.status: "converted"})
        .where((WaitingListEntry.id == entry.id) & (WaitingListEntry.status == "offered"))
        .returning(WaitingListEntry.id)
    )
    if not claimed:
        raise ValidationFailed.one("waiting_token", _("This waiting-list offer is not valid any more."))
    unused = entry.quantity - quantities[entry.ticket_type]
    if unused:
        await capacity.give_back(event_id, {entry.ticket_type: unused})
    return entry


async def has_expired_offers(event_id: int) -> bool:
    return await WaitingListEntry.exists().where(
        (WaitingListEntry.event == event_id)
        & (WaitingListEntry.status == "offered")
        & (WaitingListEntry.offer_expires_at < datetime.now(UTC))
    )
