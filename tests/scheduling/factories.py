"""Builders for the speed-meeting tests (through the real services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduling import services
from tests.events.factories import mima_2027


async def programme(
    tables: int = 4, minutes: int = 20, slots: int = 6, start: datetime | None = None, **settings: Any
) -> Any:
    """MIMA 2027 with a speed-meeting: one block of `slots` meetings from 14:00 Paris time (25 March)."""
    event = await mima_2027()
    prog = await services.create_programme(
        event["id"], tables=tables, meeting_minutes=minutes, accessible_tables="1", **settings
    )
    start = start or datetime(2027, 3, 25, 14, 0)
    from datetime import timedelta

    await services.add_day(prog.id, start, start + timedelta(minutes=minutes * slots))
    return await services.update_programme(prog.id, status="wishes_open")


async def participant(prog: Any, name: str, side: str, **profile: Any) -> Any:
    first, _, last = name.partition(" ")
    return await services.add_participant(
        prog.id,
        email=f"{name.replace(' ', '.').lower()}@example.org",
        side=side,
        first_name=first,
        last_name=last or "Test",
        organisation_name=profile.pop("organisation_name", f"Org {name}"),
        **profile,
    )
