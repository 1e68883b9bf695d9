"""Many arrivals at once in a waiting room (SQLite and PostgreSQL): one conditional UPDATE hands out
the places, so positions are unique and gapless and admissions keep their spacing — where a read then
write of the same counter hands the same place to several buyers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from lib.db import engine, is_postgres
from tests.ticketing.factories import make_event
from ticketing import waiting_room
from ticketing.tables import SaleQueue

ARRIVALS = 300


async def _room(rate: int = 50) -> int:
    event = await make_event(500)
    opens = datetime.now(UTC) + timedelta(seconds=30)
    await waiting_room.configure(event.id, {"opens_at": opens.isoformat(), "admit_per_second": rate})
    return event.id


async def _naive_join(event_id: int) -> int:
    """What the one statement prevents: read the counter, then write it back plus one."""
    row = await SaleQueue.select(SaleQueue.issued).where(SaleQueue.event == event_id).first()
    await asyncio.sleep(0)  # another request is served between the read and the write
    await SaleQueue.update({SaleQueue.issued: row["issued"] + 1}).where(SaleQueue.event == event_id)
    return row["issued"] + 1


async def test_simultaneous_arrivals_get_unique_gapless_places():
    if is_postgres():
        await engine().start_connection_pool(
            min_size=2, max_size=10
        )  # parallel connections, as under `serve`
    try:
        event_id = await _room(rate=50)
        naive = await asyncio.gather(*[_naive_join(event_id) for _ in range(40)])
        assert len(set(naive)) < len(naive)  # the race is real: places handed out twice

        event_id = await _room(rate=50)
        places = await asyncio.gather(*[waiting_room.join(event_id) for _ in range(ARRIVALS)])
    finally:
        if is_postgres():
            await engine().close_connection_pool()
    assert all(p is not None for p in places)
    by_position = sorted(places, key=lambda p: p.position)  # type: ignore[union-attr]
    assert [p.position for p in by_position] == list(range(1, ARRIVALS + 1))  # type: ignore[union-attr]
    # admissions in the order of the places, exactly 1 / rate apart, from the opening on
    room = await waiting_room.room_of(event_id)
    assert room is not None and room.issued == ARRIVALS
    first = waiting_room.to_us(room.opens_at)
    assert [p.admit_us for p in by_position] == [first + i * 20_000 for i in range(ARRIVALS)]  # type: ignore[union-attr]
    # every pass reads back to its own place
    for p in by_position:
        assert waiting_room.read_pass(waiting_room.sign(p), event_id) == p  # type: ignore[arg-type]
