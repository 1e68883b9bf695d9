"""Exhibitor staff badges: named, up to the stand's quota, issued as staff-only "Exposant" tickets of
the edition (QR code, PDF, emailed; the door check-in accepts them like any ticket)."""

from __future__ import annotations

from typing import Any

from lib.db import is_postgres
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from stands import pricing
from stands.floorplan import text
from stands.parties import may_act
from stands.tables import Badge, Booking, BookingShare, Stand, StandCategory
from ticketing import capacity, types
from ticketing.orders import place_order
from ticketing.tables import Order, Ticket

BADGE_TYPE_NAME = "Exposant"


async def badge_type(event_id: int) -> int:
    """The edition's staff-only "Exposant" ticket type (created on first use)."""
    return await types.staff_only_type(event_id, BADGE_TYPE_NAME, "Exhibitor")


async def quota(booking_id: int) -> int:
    booking = await Booking.objects().where(Booking.id == booking_id).first()
    stand = await Stand.objects().where(Stand.id == booking.stand).first() if booking else None
    category = (
        await StandCategory.objects().where(StandCategory.id == stand.category).first() if stand else None
    )
    if category is None:
        return 0
    return pricing.badge_quota(category, stand)


async def badges_of(booking_id: int) -> list[dict[str, Any]]:
    return (
        await Badge.select(
            Badge.id,
            Badge.name,
            Badge.share,
            Badge.ticket,
            Badge.ticket.status.as_alias("status"),
            Badge.share.name.as_alias("exhibitor"),
        )
        .where(Badge.share.booking == booking_id)
        .order_by(Badge.id)
    )


async def issue(
    share_id: int, names: Any, *, email: str | None, by_staff: bool = False
) -> list[dict[str, Any]]:
    """Named badges for an exhibitor of an approved booking, within the stand's quota (shared stands share it)."""
    share = await BookingShare.objects().where(BookingShare.id == share_id).first()
    if share is None or (not by_staff and not await may_act(share.booking, email)):
        raise NotFound(_("This booking does not exist."))
    booking = await Booking.objects().where(Booking.id == share.booking).first()
    assert booking is not None
    if booking.status != "approved":
        raise ValidationFailed.one("booking", _("Badges come with an approved stand."))
    if not isinstance(names, list) or not names:
        raise ValidationFailed.one("names", _("Give at least one name."))
    errors: dict[str, str] = {}
    clean = [
        text(errors, {f"names.{i}": n}, f"names.{i}", length=200, required=True) for i, n in enumerate(names)
    ]
    if errors:
        raise ValidationFailed(errors)
    allowed = await quota(booking.id)
    type_id = await badge_type(booking.event)
    async with atomic():
        if is_postgres():  # badges of one booking are counted and issued one request at a time
            await Booking.raw("SELECT id FROM stand_booking WHERE id = {} FOR UPDATE", booking.id)
        used = await Badge.count().where(
            (Badge.share.booking == booking.id) & (Badge.ticket.status == "valid")
        )
        if used + len(clean) > allowed:
            raise ValidationFailed.one(
                "names",
                _("This stand includes %(n)s badges; %(left)s left.", n=allowed, left=max(0, allowed - used)),
            )
        placed = await place_order(
            event_id=booking.event,
            buyer={"name": share.name, "email": share.email, "organisation": share.name},
            items=[{"ticket_type": type_id, "quantity": len(clean)}],
            attendees=[{"name": n, "email": share.email, "organisation": share.name} for n in clean],
            issued_by_staff=True,
        )
        tickets = (
            await Ticket.select(Ticket.id, Ticket.attendee_name)
            .where(Ticket.order == placed.order.id)
            .order_by(Ticket.id)
        )
        for t in tickets:
            await Badge(share=share.id, ticket=t["id"], name=t["attendee_name"]).save()
    return await badges_of(booking.id)


async def cancel_for_booking(booking_id: int) -> None:
    """Inside the cancelling transaction: the booking's badge tickets stop opening the door."""
    rows = await Badge.select(
        Badge.ticket,
        Badge.ticket.event.as_alias("event"),
        Badge.ticket.ticket_type.as_alias("type"),
        Badge.ticket.order.as_alias("order"),
    ).where((Badge.share.booking == booking_id) & (Badge.ticket.status == "valid"))
    if not rows:
        return
    await Ticket.update({Ticket.status: "cancelled"}).where(Ticket.id.is_in([r["ticket"] for r in rows]))
    counts: dict[int, int] = {}
    for r in rows:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    await capacity.give_back(rows[0]["event"], counts)
    for order_id in {r["order"] for r in rows}:
        if not await Ticket.exists().where((Ticket.order == order_id) & (Ticket.status == "valid")):
            await Order.update({Order.status: "cancelled"}).where(Order.id == order_id)


async def get_share(share_id: int) -> BookingShare:
    share = await BookingShare.objects().where(BookingShare.id == share_id).first()
    if share is None:
        raise NotFound(_("This booking does not exist."))
    return share
