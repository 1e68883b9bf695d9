"""Check-in test data: events, ticket types, orders and tickets written as the ticketing app stores them."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from checkin import services
from events.tables import Event, Session
from ticketing import signing
from ticketing.tables import Order, Ticket, TicketType


async def make_event(slug: str = "mima-2027", title: str = "MIMA 2027") -> Event:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    event = Event(
        slug=slug,
        kind="mima",
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        status="published",
        uid=f"{slug}@test",
    )
    await event.save()
    return event


async def make_session(event: Event, title: str = "Atelier financement", kind: str = "workshop") -> Session:
    s = Session(
        event=event.id,
        kind=kind,
        title=title,
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(hours=3),
        uid=f"s-{uuid.uuid4().hex}@test",
    )
    await s.save()
    return s


async def make_type(event: Event, name: str = "Non-member", price: int = 2000) -> TicketType:
    t = TicketType(event=event.id, name=name, name_en=name, price_cents=price)
    await t.save()
    return t


async def make_ticket(
    event: Event,
    ttype: TicketType,
    name: str = "Alice Martin",
    *,
    email: str | None = None,
    organisation: str = "Studio A",
    order_status: str = "confirmed",
    ticket_status: str = "valid",
) -> Ticket:
    order = Order(
        token=secrets.token_urlsafe(16),
        event=event.id,
        buyer_name=name,
        buyer_email=email or f"{name.split()[0].lower()}@example.org",
        buyer_organisation=organisation,
        status=order_status,
    )
    await order.save()
    ticket = Ticket(
        public_id=secrets.token_hex(8),
        order=order.id,
        event=event.id,
        ticket_type=ttype.id,
        attendee_name=name,
        attendee_email=email or f"{name.split()[0].lower()}@example.org",
        attendee_organisation=organisation,
        status=ticket_status,
    )
    await ticket.save()
    return ticket


def code_of(ticket: Ticket) -> str:
    return signing.sign(ticket.id, ticket.event)


async def make_device(event: Event, name: str = "Phone 1", door: str = "Main door", session: Any = None):
    return await services.authorise_device(event.id, name, door, session)


def scan_id() -> str:
    return uuid.uuid4().hex


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def login(client, role: str = "staff") -> Any:
    """Create a staff user with this role and sign in through the real login form."""
    from tests.auth import DEFAULT_PASSWORD, make_staff
    from tests.conftest import post

    email = f"{role}@ledamier.test"
    user = await make_staff(role=role, email=email)
    r = post(
        client, "/auth/login", data={"email": email, "password": DEFAULT_PASSWORD}, follow_redirects=False
    )
    assert r.status_code in (302, 303), (r.status_code, r.text[:300])
    return user
