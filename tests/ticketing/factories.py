"""Test data for ticketing tests: events and ticket types written through the tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from events.tables import Event
from ticketing.tables import TicketType


async def make_event(capacity: int | None = 100, *, days: int = 30, status: str = "published", **kw) -> Event:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    event = Event(
        slug=kw.pop("slug", f"cles-{uuid.uuid4().hex[:8]}"),
        kind=kw.pop("kind", "cles"),
        title=kw.pop("title", "Les Clés pour réussir : lever des fonds"),
        title_en=kw.pop("title_en", "Keys to success: raising funds"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=capacity,
        status=status,
        uid=f"{uuid.uuid4().hex}@ledamier.fr",
        **kw,
    )
    await event.save()
    return event


async def make_type(event: Event, name: str = "Non-member", price_cents: int = 2000, **kw) -> TicketType:
    tt = TicketType(event=event.id, name=name, name_en=kw.pop("name_en", name), price_cents=price_cents, **kw)
    await tt.save()
    return tt


async def cles_event(capacity: int | None = 100) -> tuple[Event, TicketType, TicketType]:
    """Les Clés pour réussir with its default ticket types: Member 0 €, Non-member 20 € HT."""
    event = await make_event(capacity)
    member = await make_type(event, "Adhérent", 0, name_en="Member", requires_membership=True, position=1)
    public = await make_type(event, "Non-adhérent", 2000, name_en="Non-member", position=2)
    return event, member, public
