"""Ticket types per event: validation, and the defaults of the cluster's events."""

from __future__ import annotations

from typing import Any

from events.tables import Event
from server.errors import NotFound, ValidationFailed
from server.i18n import _
from server.settings import get_settings
from ticketing.capacity import ensure_event_counter
from ticketing.tables import TicketType

# (name, name_en, price HT in cents, requires_membership, staff_only)
DEFAULT_TYPES: list[tuple[str, str, int, bool, bool]] = [
    ("Adhérent", "Member", 0, True, False),
    ("Non-adhérent", "Non-member", 2000, False, False),
    ("Acheteur / programmateur invité", "Invited buyer / programmer", 0, False, True),
    ("Intervenant", "Speaker", 0, False, True),
    ("Exposant", "Exhibitor", 0, False, True),
]


def _int(
    errors: dict[str, str], field: str, value: Any, *, minimum: int = 0, required: bool = True
) -> int | None:
    if value in (None, ""):
        if required:
            errors[field] = _("A number is required.")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[field] = _("The quantity must be a whole number.")
        return None
    if number < minimum:
        errors[field] = _("At least %(min)s.", min=minimum)
    return number


def parse_price_cents(errors: dict[str, str], field: str, value: Any) -> int | None:
    """'20', '20.50' or '20,50' euros excl. VAT -> cents."""
    text = str(value or "").strip().replace(",", ".").replace("€", "").strip()
    try:
        cents = round(float(text) * 100)
    except ValueError:
        errors[field] = _("Give a price in euros excl. VAT, e.g. 20 or 20.50.")
        return None
    if cents < 0:
        errors[field] = _("At least %(min)s.", min=0)
    return cents


async def create_ticket_type(event_id: int, data: dict[str, Any]) -> TicketType:
    if not await Event.exists().where(Event.id == event_id):
        raise NotFound(_("This event does not exist."))
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = _("A name is required.")
    price = parse_price_cents(errors, "price", data.get("price", "0"))
    capacity = _int(errors, "capacity", data.get("capacity"), minimum=1, required=False)
    max_per_order = _int(errors, "max_per_order", data.get("max_per_order") or 10, minimum=1)
    if errors:
        raise ValidationFailed(errors)
    position = await TicketType.count().where(TicketType.event == event_id)
    ttype = TicketType(
        event=event_id,
        name=name[:120],
        name_en=str(data.get("name_en") or "").strip()[:120],
        price_cents=price,
        vat_rate=get_settings().vat_rate_percent,
        requires_membership=bool(data.get("requires_membership")),
        staff_only=bool(data.get("staff_only")),
        capacity=capacity,
        max_per_order=max_per_order,
        position=position + 1,
    )
    await ttype.save()
    await ensure_event_counter(event_id)
    return ttype


async def add_default_types(event_id: int) -> list[TicketType]:
    """The cluster's usual ticket types (skips names the event already has)."""
    existing = {
        r["name"] for r in await TicketType.select(TicketType.name).where(TicketType.event == event_id)
    }
    created = []
    for name, name_en, price, member, staff in DEFAULT_TYPES:
        if name in existing:
            continue
        created.append(
            await create_ticket_type(
                event_id,
                {
                    "name": name,
                    "name_en": name_en,
                    "price": f"{price / 100:.2f}",
                    "requires_membership": member,
                    "staff_only": staff,
                },
            )
        )
    return created


async def on_sale(event_id: int) -> bool:
    """Whether the public can book this event: it has an active ticket type not reserved to staff."""
    return await TicketType.exists().where(
        (TicketType.event == event_id) & (TicketType.active.eq(True)) & (TicketType.staff_only.eq(False))
    )
