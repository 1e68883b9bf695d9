"""Who acts for whom at a stand: the organisations a signed-in email speaks for, and whether it may act
on a booking (it requested it, or it belongs to one of the booking's exhibitors)."""

from __future__ import annotations

from lib.tokens import normalize_email
from members.standing import membership_standing
from stands.tables import Booking, BookingShare


async def organisation_ids_for(email: str | None) -> set[int]:
    """The organisations this signed-in email acts for (its own, or by email domain, in good standing or not)."""
    address = normalize_email(email or "")
    if not address:
        return set()
    standing = await membership_standing(email=address)
    return {standing.organisation.id} if standing.organisation else set()


async def may_act(booking_id: int, email: str | None) -> bool:
    """The email requested the booking or belongs to one of its exhibitors."""
    address = normalize_email(email or "")
    if not address:
        return False
    if await Booking.exists().where((Booking.id == booking_id) & (Booking.requested_by == address)):
        return True
    orgs = await organisation_ids_for(address)
    return bool(orgs) and await BookingShare.exists().where(
        (BookingShare.booking == booking_id) & BookingShare.organisation.is_in(list(orgs))
    )
