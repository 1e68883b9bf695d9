"""Hackathon races (SQLite and PostgreSQL): the last places, a mentor slot, a team's last place."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from hackathon import mentors, registration, teams
from hackathon.tables import Edition, HackParticipant, MentorSlot
from lib.errors import Conflict
from tests.hackathon.factories import edition, register
from ticketing.tables import Ticket


async def test_thirty_people_racing_for_five_places_give_five_accepted_and_an_ordered_waiting_list():
    ed = await edition(capacity=5)
    results = await asyncio.gather(*[register(ed, i) for i in range(30)])
    accepted = [r for r in results if r.waiting_position is None]
    assert len(accepted) == 5
    assert sorted(r.waiting_position for r in results if r.waiting_position) == list(range(1, 26))
    assert (await Edition.objects().where(Edition.id == ed.id).first()).accepted == 5
    assert await HackParticipant.count().where(HackParticipant.status == "accepted") == 5
    assert await Ticket.count().where(Ticket.status == "valid") == 5


async def test_withdrawals_racing_with_registrations_never_exceed_capacity():
    ed = await edition(capacity=3)
    first = [await register(ed, i) for i in range(5)]  # 3 accepted, 2 waiting
    leaving = [r.participant for r in first[:2]]
    await asyncio.gather(
        *[registration.withdraw(p) for p in leaving], *[register(ed, 100 + i) for i in range(6)]
    )
    assert await HackParticipant.count().where(HackParticipant.status == "accepted") == 3
    assert (await Edition.objects().where(Edition.id == ed.id).first()).accepted == 3
    promoted = await HackParticipant.objects().where(
        HackParticipant.email.is_in(["p003@example.org", "p004@example.org"])
    )
    assert {p.status for p in promoted} == {"accepted"}  # the waiting list first, in order


async def test_five_teams_racing_for_one_mentor_slot_give_one_booking():
    ed = await edition()
    people = [(await register(ed, i)).participant for i in range(5)]
    for i, p in enumerate(people):
        await teams.create_team(p, {"name": f"Équipe {i}"})
    fresh = [await HackParticipant.objects().where(HackParticipant.id == p.id).first() for p in people]
    start = datetime(2027, 4, 28, 10, 0, tzinfo=UTC)
    slot = await mentors.offer_slot(
        ed.id,
        {
            "mentor_name": "M",
            "mentor_email": "m@e.org",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
        },
    )

    async def attempt(p):
        try:
            await mentors.book(p, slot.id)
        except Conflict:
            return "taken"
        return "booked"

    outcomes = await asyncio.gather(*[attempt(p) for p in fresh])
    assert sorted(outcomes) == ["booked"] + ["taken"] * 4
    assert (await MentorSlot.objects().where(MentorSlot.id == slot.id).first()).team is not None


async def test_joining_the_last_place_of_a_team_at_once_admits_one():
    ed = await edition(max_team_size=2, min_team_size=2)
    people = [(await register(ed, i)).participant for i in range(4)]
    created = await teams.create_team(people[0], {"name": "Duo"})

    async def attempt(p):
        try:
            await teams.join_team(p, created.invite_token)
        except Conflict:
            return "full"
        return "joined"

    outcomes = await asyncio.gather(*[attempt(p) for p in people[1:]])
    assert sorted(outcomes) == ["full", "full", "joined"]
    assert len(await teams.members_of(created.team.id)) == 2
