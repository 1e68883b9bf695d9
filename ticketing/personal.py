"""What a signed-in attendee (email proven by a one-time link) sees of their tickets and orders.

Orders: those the address bought. Tickets: confirmed, valid tickets held by the address (as attendee)
or bought by it for someone else. A ticket held in someone else's order is shown without that order:
its holder gets its own PDF and calendar file, never the buyer's order page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from events.tables import Event, Venue
from lib.clock import now_utc
from lib.errors import NotFound
from lib.i18n import _
from lib.tokens import normalize_email
from ticketing import documents, orders
from ticketing.tables import CreditNote, Invoice, Order, Ticket


@dataclass(frozen=True)
class MyOrder:
    token: str
    event: dict[str, Any]  # id, slug, title, title_en, starts_at, ends_at
    status: str
    created_at: datetime
    total_ttc_cents: int
    tickets: int


@dataclass(frozen=True)
class MyTicket:
    public_id: str
    event: dict[str, Any]
    venue: str
    type_name: str
    attendee_name: str
    attendee_organisation: str
    order_token: str | None  # only when this address bought the order
    past: bool


def _event_columns() -> list[Any]:
    return [Event.id, Event.slug, Event.title, Event.title_en, Event.starts_at, Event.ends_at, Event.venue]


async def _events(ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = await Event.select(*_event_columns()).where(Event.id.is_in(sorted(ids)))
    return {r["id"]: r for r in rows}


async def _venues(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await Venue.select(Venue.id, Venue.name, Venue.city).where(Venue.id.is_in(sorted(ids)))
    return {r["id"]: ", ".join(p for p in (r["name"], r["city"]) if p) for r in rows}


async def orders_for_email(email: str) -> list[MyOrder]:
    """The orders this address bought, the newest first."""
    email = normalize_email(email)
    if not email:
        return []
    rows = (
        await Order.select(
            Order.id,
            Order.token,
            Order.event,
            Order.status,
            Order.created_at,
            Order.total_ttc_cents,
        )
        .where(Order.buyer_email == email)
        .order_by(Order.created_at, ascending=False)
        .order_by(Order.id, ascending=False)
    )
    counts: dict[int, int] = {}
    if rows:
        for t in await Ticket.select(Ticket.order).where(Ticket.order.is_in([r["id"] for r in rows])):
            counts[t["order"]] = counts.get(t["order"], 0) + 1
    events = await _events({r["event"] for r in rows})
    return [
        MyOrder(
            token=r["token"],
            event=events.get(r["event"], {}),
            status=r["status"],
            created_at=r["created_at"],
            total_ttc_cents=r["total_ttc_cents"],
            tickets=counts.get(r["id"], 0),
        )
        for r in rows
    ]


async def _ticket_rows(email: str, public_id: str | None = None) -> list[dict[str, Any]]:
    query = Ticket.select(
        Ticket.all_columns(),
        Ticket.ticket_type.name.as_alias("type_name"),
        Ticket.ticket_type.name_en.as_alias("type_name_en"),
        Ticket.order.token.as_alias("order_token"),
        Ticket.order.buyer_email.as_alias("buyer_email"),
    ).where(
        ((Ticket.attendee_email == email) | (Ticket.order.buyer_email == email))
        & (Ticket.status == "valid")
        & (Ticket.order.status == "confirmed")
    )
    if public_id is not None:
        query = query.where(Ticket.public_id == public_id)
    return await query.order_by(Ticket.id)


async def tickets_for_email(email: str) -> list[MyTicket]:
    """Valid tickets of confirmed orders this address holds or bought: coming events first, by date."""
    email = normalize_email(email)
    if not email:
        return []
    rows = await _ticket_rows(email)
    events = await _events({r["event"] for r in rows})
    venues = await _venues({e["venue"] for e in events.values() if e.get("venue")})
    now = now_utc()
    tickets = []
    for r in rows:
        event = events.get(r["event"], {})
        tickets.append(
            MyTicket(
                public_id=r["public_id"],
                event=event,
                venue=venues.get(event.get("venue") or 0, ""),
                type_name=orders.type_label(r),
                attendee_name=r["attendee_name"],
                attendee_organisation=r["attendee_organisation"],
                order_token=r["order_token"] if r["buyer_email"] == email else None,
                past=bool(event) and event["ends_at"] < now,
            )
        )
    upcoming = sorted((t for t in tickets if not t.past), key=lambda t: t.event.get("starts_at") or now)
    past = sorted((t for t in tickets if t.past), key=lambda t: t.event["starts_at"], reverse=True)
    return upcoming + past


async def ticket_for_email(email: str, public_id: str) -> tuple[Event, Order, dict[str, Any]] | None:
    """One of this address's tickets (as tickets_for_email shows them) with its event and order."""
    email = normalize_email(email)
    if not email or not public_id or len(public_id) > 64:
        return None
    rows = await _ticket_rows(email, public_id)
    if not rows:
        return None
    ticket = rows[0]
    event = await Event.objects().where(Event.id == ticket["event"]).first()
    order = await Order.objects().where(Order.id == ticket["order"]).first()
    if event is None or order is None:
        return None
    return event, order, ticket


@dataclass(frozen=True)
class OrganisationOrder:
    """An order bought by one of an organisation's people, with its documents (for the member space)."""

    id: int
    event: dict[str, Any]  # id, slug, title, title_en, starts_at, ends_at
    buyer_name: str
    buyer_email: str
    status: str
    created_at: datetime
    total_ttc_cents: int
    tickets: int
    invoice_number: str
    credit_note_number: str


async def orders_of_emails(emails: list[str]) -> list[OrganisationOrder]:
    """The orders bought with any of these addresses (an organisation's people), newest first."""
    addresses = sorted({normalize_email(e) for e in emails if e})
    if not addresses:
        return []
    rows = await Order.select(
        Order.id,
        Order.event,
        Order.buyer_name,
        Order.buyer_email,
        Order.status,
        Order.created_at,
        Order.total_ttc_cents,
    ).where(Order.buyer_email.is_in(addresses))
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    counts: dict[int, int] = {}
    for t in await Ticket.select(Ticket.order).where(Ticket.order.is_in(ids)):
        counts[t["order"]] = counts.get(t["order"], 0) + 1
    invoices = {
        r["order"]: r["number"]
        for r in await Invoice.select(Invoice.order, Invoice.number).where(Invoice.order.is_in(ids))
    }
    notes = {
        r["order"]: r["number"]
        for r in await CreditNote.select(CreditNote.order, CreditNote.number).where(
            CreditNote.order.is_in(ids)
        )
    }
    events = await _events({r["event"] for r in rows})
    out = [
        OrganisationOrder(
            id=r["id"],
            event=events.get(r["event"], {}),
            buyer_name=r["buyer_name"],
            buyer_email=r["buyer_email"],
            status=r["status"],
            created_at=r["created_at"],
            total_ttc_cents=r["total_ttc_cents"],
            tickets=counts.get(r["id"], 0),
            invoice_number=invoices.get(r["id"], ""),
            credit_note_number=notes.get(r["id"], ""),
        )
        for r in rows
    ]
    return sorted(out, key=lambda o: o.created_at, reverse=True)


async def order_invoice_pdf(order_id: int) -> tuple[str, bytes]:
    """The invoice of an order: (number, PDF bytes)."""
    order = await Order.objects().where(Order.id == order_id).first()
    invoice = await Invoice.select().where(Invoice.order == order_id).first()
    if order is None or invoice is None:
        raise NotFound(_("This order has no invoice."))
    event = await Event.objects().where(Event.id == order.event).first()
    assert event is not None
    return invoice["number"], documents.invoice_pdf(invoice, event, await orders.order_tickets(order.id))


async def order_credit_note_pdf(order_id: int) -> tuple[str, bytes]:
    """The credit note of an order: (number, PDF bytes)."""
    order = await Order.objects().where(Order.id == order_id).first()
    note = await CreditNote.select().where(CreditNote.order == order_id).first()
    invoice = await Invoice.select().where(Invoice.order == order_id).first()
    if order is None or note is None or invoice is None:
        raise NotFound(_("This order has no credit note."))
    event = await Event.objects().where(Event.id == order.event).first()
    assert event is not None
    return note["number"], documents.credit_note_pdf(
        note, invoice, event, await orders.order_tickets(order.id)
    )
