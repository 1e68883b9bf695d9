"""Ticket types per event: validation, editing and closing, and the defaults of the cluster's events."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from events.tables import Event
from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.settings import get_settings
from ticketing.capacity import ensure_event_counter
from ticketing.tables import Ticket, TicketType

# (name, name_en, price HT in cents, requires_membership, staff_only): every usual type of the cluster,
# what the sales page's "add the usual ticket types" button adds (names already there are skipped).
DEFAULT_TYPES: list[tuple[str, str, int, bool, bool]] = [
    ("Adhérent", "Member", 0, True, False),
    ("Non-adhérent", "Non-member", 2000, False, False),
    ("Acheteur / programmateur invité", "Invited buyer / programmer", 0, False, True),
    ("Intervenant", "Speaker", 0, False, True),
    ("Exposant", "Exhibitor", 0, False, True),
]
MAX_PRICE_CENTS = 10_000_000  # 100,000 € excl. VAT: more is a typing error
MAX_COUNT = 1_000_000  # places or tickets per order: more is a typing error


@dataclass(frozen=True)
class DefaultType:
    name: str
    name_en: str
    price_cents: int = 0  # HT
    requires_membership: bool = False
    staff_only: bool = False


MEMBER = DefaultType("Adhérent", "Member", 0, requires_membership=True)
NON_MEMBER = DefaultType("Non-adhérent", "Non-member", 2000)  # DOMAIN.md: 20 € HT for non-members
SPEAKER = DefaultType("Intervenant", "Speaker", staff_only=True)
GUEST = DefaultType("Invité", "Guest", staff_only=True)
FREE_ENTRY = DefaultType("Entrée libre", "Free entry")
WORKSHOP_TYPES = (MEMBER, NON_MEMBER, SPEAKER)

# What a new event starts with, by kind (staff edit, close or delete them on the sales page).
# Les Clés pour réussir, trainings and thematic meetings: free for members, 20 € HT for others.
# MIMA: the same two, and the invitations the team issues (buyers, speakers, exhibitors).
# Le Court d'Ici, apéro-projet and networking: free entry, with invitations.
# General assembly and member breakfasts: members only (and guests the team invites).
DEFAULTS_BY_KIND: dict[str, tuple[DefaultType, ...]] = {
    "cles": WORKSHOP_TYPES,
    "training": WORKSHOP_TYPES,
    "thematic_meeting": WORKSHOP_TYPES,
    "mima": (
        MEMBER,
        NON_MEMBER,
        DefaultType("Acheteur / programmateur invité", "Invited buyer / programmer", staff_only=True),
        SPEAKER,
        DefaultType("Exposant", "Exhibitor", staff_only=True),
    ),
    "court_dici": (FREE_ENTRY, DefaultType("Équipe d'un film", "Film team", staff_only=True)),
    # Culture Experience Days: participants get their ticket from the hackathon's registration (hackathon/),
    # which keeps the capacity and the waiting list; a public type would let anyone skip it.
    "ced": (
        DefaultType("Mentor / intervenant", "Mentor / speaker", staff_only=True),
        DefaultType("Jury", "Jury", staff_only=True),
    ),
    "general_assembly": (MEMBER, GUEST),
    "breakfast": (MEMBER, GUEST),
    "apero_projet": (FREE_ENTRY, GUEST),
    "networking": (FREE_ENTRY, GUEST),
    "other": WORKSHOP_TYPES,
}


def default_types_for(kind: str) -> tuple[DefaultType, ...]:
    return DEFAULTS_BY_KIND.get(kind, WORKSHOP_TYPES)


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
    elif number > MAX_COUNT:
        errors[field] = _("At most %(max)s.", max=MAX_COUNT)
    return number


def parse_price_cents(errors: dict[str, str], field: str, value: Any) -> int | None:
    """'20', '20.50' or '20,50' euros excl. VAT -> cents."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | None):
        errors[field] = _("Give a price in euros excl. VAT, e.g. 20 or 20.50.")
        return None
    text = str(value if value is not None else "").strip().replace(",", ".").replace("€", "").strip()
    try:
        euros = float(text or "0")
    except ValueError:
        euros = math.nan
    if not math.isfinite(euros) or round(euros * 100, 6) != round(euros * 100):
        errors[field] = _("Give a price in euros excl. VAT, e.g. 20 or 20.50.")
        return None
    cents = round(euros * 100)
    if cents < 0:
        errors[field] = _("At least %(min)s.", min=0)
    elif cents > MAX_PRICE_CENTS:
        errors[field] = _("At most %(max)s € excl. VAT.", max=MAX_PRICE_CENTS // 100)
    return cents


def _text(errors: dict[str, str], field: str, value: Any, *, required: bool = False, limit: int = 120) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors[field] = _("A name is required.")
    elif len(text) > limit:
        errors[field] = _("At most %(max)s characters.", max=limit)
    return text


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("1", "true", "on", "yes"))


def _moment(errors: dict[str, str], field: str, value: Any) -> datetime | None:
    """A datetime, or an ISO / datetime-local text (naive means Paris time); empty means none."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            errors[field] = _("Enter a valid date and time.")
            return None
    if not isinstance(value, datetime):
        errors[field] = _("Enter a valid date and time.")
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(get_settings().timezone))
    return value.astimezone(UTC)


def clean_ticket_type(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The fields given (all of them unless partial), checked: {column: value} or ValidationFailed
    naming each bad field (name, name_en, price, capacity, max_per_order, sales_start, sales_end)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def given(field: str) -> bool:
        return not partial or field in data

    if given("name"):
        values["name"] = _text(errors, "name", data.get("name"), required=True)
    if given("name_en"):
        values["name_en"] = _text(errors, "name_en", data.get("name_en"))
    for field in ("description", "description_en"):
        if field in data:
            values[field] = _text(errors, field, data.get(field), limit=2000)
    if given("price"):
        values["price_cents"] = parse_price_cents(errors, "price", data.get("price", "0"))
    if given("capacity"):
        values["capacity"] = _int(errors, "capacity", data.get("capacity"), minimum=1, required=False)
    if given("max_per_order"):
        values["max_per_order"] = _int(errors, "max_per_order", data.get("max_per_order") or 10, minimum=1)
    for field in ("sales_start", "sales_end"):
        if given(field):
            values[field] = _moment(errors, field, data.get(field))
    for field in ("requires_membership", "staff_only"):
        if given(field):
            values[field] = _flag(data.get(field))
    if "active" in data:
        values["active"] = _flag(data.get("active"))
    start, end = values.get("sales_start"), values.get("sales_end")
    if start and end and end <= start and "sales_end" not in errors:
        errors["sales_end"] = _("The sales must close after they open.")
    if errors:
        raise ValidationFailed(errors)
    return values


async def create_ticket_type(event_id: int, data: dict[str, Any]) -> TicketType:
    if not await Event.exists().where(Event.id == event_id):
        raise NotFound(_("This event does not exist."))
    values = clean_ticket_type(data, partial=False)
    position = await TicketType.count().where(TicketType.event == event_id)
    ttype = TicketType(
        event=event_id,
        vat_rate=get_settings().vat_rate_percent,
        position=position + 1,
        **values,
    )
    await ttype.save()
    await ensure_event_counter(event_id)
    return ttype


async def get_ticket_type(event_id: int, type_id: int) -> TicketType:
    ttype = (
        await TicketType.objects().where((TicketType.id == type_id) & (TicketType.event == event_id)).first()
    )
    if ttype is None:
        raise NotFound(_("This ticket type does not exist."))
    return ttype


async def update_ticket_type(event_id: int, type_id: int, data: dict[str, Any]) -> TicketType:
    """Change the fields given. A new price applies to new orders only (tickets keep what they cost).

    The capacity never goes below the places already sold or held: checked by the UPDATE itself,
    so an order taking the last places at the same moment cannot slip under it."""
    current = await get_ticket_type(event_id, type_id)
    values = clean_ticket_type(data, partial=True)
    start = values.get("sales_start", current.sales_start)
    end = values.get("sales_end", current.sales_end)
    if start and end and end <= start:
        raise ValidationFailed({"sales_end": _("The sales must close after they open.")})
    if not values:
        return current
    capacity = values.get("capacity", current.capacity)
    async with write_transaction():
        query = TicketType.update({getattr(TicketType, k): v for k, v in values.items()}).where(
            (TicketType.id == type_id) & (TicketType.event == event_id)
        )
        if capacity is not None:
            query = query.where(TicketType.sold <= capacity)
        done = await query.returning(TicketType.id)
    if not done:
        sold = (await get_ticket_type(event_id, type_id)).sold
        raise ValidationFailed(
            {
                "capacity": _(
                    "At least %(sold)s: %(sold)s places are already sold or held for this ticket type.",
                    sold=sold,
                )
            }
        )
    return await get_ticket_type(event_id, type_id)


async def set_active(event_id: int, type_id: int, active: bool) -> TicketType:
    """Close a ticket type (no more sales; the tickets sold stay valid) or open it again."""
    return await update_ticket_type(event_id, type_id, {"active": "1" if active else ""})


async def delete_ticket_type(event_id: int, type_id: int) -> None:
    """Only a ticket type that never issued a ticket can go (otherwise close it)."""
    await get_ticket_type(event_id, type_id)
    async with write_transaction():
        if await Ticket.exists().where(Ticket.ticket_type == type_id):
            raise ValidationFailed(
                {"__all__": _("Tickets of this type exist: close it instead, so they stay valid.")}
            )
        await TicketType.delete().where((TicketType.id == type_id) & (TicketType.event == event_id))


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


async def ensure_default_types(event_id: int) -> list[TicketType]:
    """A new event's ticket types, by its kind (see DEFAULTS_BY_KIND); none if it has some already."""
    event = await Event.select(Event.kind).where(Event.id == event_id).first()
    if event is None:
        raise NotFound(_("This event does not exist."))
    if await TicketType.exists().where(TicketType.event == event_id):
        return []
    return [
        await create_ticket_type(
            event_id,
            {
                "name": t.name,
                "name_en": t.name_en,
                "price": f"{t.price_cents / 100:.2f}",
                "requires_membership": t.requires_membership,
                "staff_only": t.staff_only,
            },
        )
        for t in default_types_for(event["kind"])
    ]


async def copy_types(source_event_id: int, target_event_id: int) -> list[TicketType]:
    """A duplicated edition keeps the previous one's ticket types (prices, limits, flags; nothing sold),
    or gets the defaults of its kind when the previous one had none."""
    if await TicketType.exists().where(TicketType.event == target_event_id):
        return []
    rows = (
        await TicketType.select()
        .where(TicketType.event == source_event_id)
        .order_by(TicketType.position)
        .order_by(TicketType.id)
    )
    if not rows:
        return await ensure_default_types(target_event_id)
    copies = []
    for position, r in enumerate(rows, start=1):
        copy = TicketType(
            event=target_event_id,
            **{
                k: r[k]
                for k in (
                    "name",
                    "name_en",
                    "description",
                    "description_en",
                    "price_cents",
                    "vat_rate",
                    "requires_membership",
                    "staff_only",
                    "capacity",
                    "max_per_order",
                    "active",
                )
            },
            position=position,
        )
        await copy.save()
        copies.append(copy)
    await ensure_event_counter(target_event_id)
    return copies


async def on_sale(event_id: int) -> bool:
    """Whether the public can book this event: it has an active ticket type not reserved to staff."""
    return await TicketType.exists().where(
        (TicketType.event == event_id) & (TicketType.active.eq(True)) & (TicketType.staff_only.eq(False))
    )


async def staff_only_type(event_id: int, name: str, name_en: str, *, max_per_order: int = 20) -> int:
    """The event's free staff-only ticket type of this name, created on first use: what a domain issues
    its own tickets through (stands' "Exposant" badges, the hackathon's accepted participants), so the
    door check-in accepts them like any ticket."""
    row = (
        await TicketType.select(TicketType.id)
        .where((TicketType.event == event_id) & (TicketType.name == name) & TicketType.staff_only.eq(True))
        .first()
    )
    if row:
        return row["id"]
    ttype = TicketType(
        event=event_id,
        name=name,
        name_en=name_en,
        staff_only=True,
        price_cents=0,
        max_per_order=max_per_order,
        position=99,
    )
    await ttype.save()
    return ttype.id
