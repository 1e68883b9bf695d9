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


async def test_a_request_that_read_the_stand_free_but_lost_the_claim_reads_nothing_more(
    statements, monkeypatch
):
    # In a race most requests read the stand free before the winner commits; each loser must then be
    # answered by the claim itself, not after the event, plan, stand and membership reads.
    h = await hall()
    _a, winner = await member("Alpha Films")
    _b, loser = await member("Beta Sons")
    read_the_stand = booking._glance
    raced: list[object] = []

    async def winner_commits_after_the_read(event_key, stand_id):
        glance = await read_the_stand(event_key, stand_id)
        if not raced:
            raced.append(None)  # the winner's own read goes straight through
            raced[0] = await booking.request_stand(h["event"].id, h["stands"][0], email=winner, data={})
            statements.clear()
        return glance

    monkeypatch.setattr(booking, "_glance", winner_commits_after_the_read)
    with pytest.raises(Conflict) as taken:
        await booking.request_stand(h["event"].id, h["stands"][0], email=loser, data={})
    assert "A1" in str(taken.value)
    assert raced[0].status == "held"
    # after its read: the conditional UPDATE, nothing else
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("UPDATE STAND"), statements
    assert await Booking.count() == 1
