"""Concurrent writers: the room-overlap and slug rules hold when requests race."""

from __future__ import annotations

import asyncio
from datetime import datetime

from events import services
from events.tables import Event, Session
from lib.errors import ValidationFailed
from tests.events.factories import mima_2027


async def test_two_overlapping_sessions_racing_for_one_room_only_one_wins():
    event = await mima_2027()
    room = await services.create_room(venue_id=event["venue_id"], name="Grande salle")

    async def book(n: int):
        return await services.add_session(
            event["id"],
            title=f"Showcase {n}",
            kind="showcase",
            room_id=room["id"],
            starts_at=datetime(2027, 3, 25, 14, n),
            ends_at=datetime(2027, 3, 25, 15, n),
        )

    results = await asyncio.gather(*(book(n) for n in range(6)), return_exceptions=True)
    won = [r for r in results if isinstance(r, dict)]
    lost = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(won) == 1 and len(lost) == 5, results
    assert all("room_id" in e.errors for e in lost)
    assert await Session.count() == 1
    # The event's sequence was bumped exactly once (by the winner).
    assert (await services.get_event(event["id"]))["sequence"] == 1


async def test_events_created_at_once_from_one_title_get_distinct_slugs():
    async def create() -> dict:
        return await services.create_event(
            title="Petit-déjeuner des membres",
            kind="breakfast",
            starts_at=datetime(2027, 6, 4, 8, 30),
            ends_at=datetime(2027, 6, 4, 10, 0),
        )

    results = await asyncio.gather(*(create() for _ in range(4)))
    slugs = sorted(r["slug"] for r in results)
    assert slugs == [
        "petit-dejeuner-des-membres",
        "petit-dejeuner-des-membres-2",
        "petit-dejeuner-des-membres-3",
        "petit-dejeuner-des-membres-4",
    ]
    assert await Event.count() == 4
