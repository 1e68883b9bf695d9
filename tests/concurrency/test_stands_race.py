"""Stand races (SQLite and PostgreSQL): one conditional write decides, nobody ever holds a stand twice."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

from lib.errors import Conflict
from stands import booking
from stands.tables import Booking, Stand
from tests.stands.factories import hall, member


async def _try(event_id: int, stand_id: int, email: str) -> str:
    try:
        await booking.request_stand(event_id, stand_id, email=email, data={})
    except Conflict as exc:
        return f"taken: {exc}"
    return "held"


async def test_two_requests_for_one_stand_give_exactly_one_hold():
    h = await hall(stands=1)
    emails = [(await member(name))[1] for name in ("Alpha", "Beta")]
    results = await asyncio.gather(*[_try(h["event"].id, h["stands"][0], e) for e in emails])
    assert sorted(r.split(":")[0] for r in results) == ["held", "taken"]
    assert await Booking.count().where(Booking.status == "held") == 1
    assert "A1" in next(r for r in results if r.startswith("taken"))


async def test_fifty_members_racing_for_five_stands_get_exactly_five_holds():
    h = await hall(stands=5)
    emails = [(await member(f"Membre {i:02d}"))[1] for i in range(50)]
    results = await asyncio.gather(
        *[_try(h["event"].id, h["stands"][i % 5], e) for i, e in enumerate(emails)]
    )
    assert results.count("held") == 5
    assert all(r == "held" or r.startswith("taken: ") for r in results)
    # every refusal names the stand that was taken
    named = [re.findall(r"\bA[1-5]\b", r) for r in results if r.startswith("taken")]
    assert all(len(n) == 1 for n in named) and len(named) == 45
    held = await Booking.select(Booking.stand).where(Booking.status == "held")
    assert sorted(r["stand"] for r in held) == sorted(h["stands"])
    assert await Stand.count().where(Stand.status == "held") == 5


async def test_a_hold_expiring_while_staff_approve_ends_one_way_only():
    h = await hall(stands=1)
    _a, a = await member("Alpha")
    held = await booking.request_stand(h["event"].id, h["stands"][0], email=a, data={})
    await Booking.update({Booking.hold_expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Booking.id == held.id
    )

    async def approve() -> str:
        try:
            return (await booking.approve(held.id)).status
        except Conflict:
            return "conflict"

    results = await asyncio.gather(approve(), booking.expire_due())
    final = (await booking.summary(held.id)).status
    stand = (await Stand.select(Stand.status).where(Stand.id == h["stands"][0]).first())["status"]
    # either approved (stand booked) or expired then re-approved on the still free stand: never both
    assert final == "approved" and stand == "booked", (results, final, stand)
