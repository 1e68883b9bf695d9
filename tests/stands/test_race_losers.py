"""The losers of a race for a stand are answered from one read, without a write (as sold-out ticket
buyers are): 200 members for 20 stands leave 180 requests that only need to hear which stand went."""

from __future__ import annotations

import pytest

from lib.errors import Conflict
from stands import booking
from stands.tables import Booking
from tests.stands.factories import hall, member


async def test_a_request_for_a_taken_stand_writes_nothing(statements):
    h = await hall()
    _a, first = await member("Alpha Films")
    _b, late = await member("Beta Sons")
    await booking.request_stand(h["event"].id, h["stands"][0], email=first, data={})
    statements.clear()
    with pytest.raises(Conflict) as taken:
        await booking.request_stand(h["event"].id, h["stands"][0], email=late, data={})
    assert "A1" in str(taken.value)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "BEGIN"))]
    assert writes == [], "\n---\n".join(writes)
    # one read answers: the stand, its edition's state and its hold together (no event, plan, expiry reads)
    assert len(statements) == 1, "\n---\n".join(statements)
    assert await Booking.count() == 1
