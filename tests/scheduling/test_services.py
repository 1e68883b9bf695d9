"""Speed-meeting services end to end on the real database: wishes, performers, runs, pins, late."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from events import services as events
from events.tables import SessionPerson
from lib.errors import ValidationFailed
from members.tables import Person
from scheduling import planning, services
from scheduling.tables import Meeting, UnmetWish
from tests.scheduling.factories import participant, programme


async def test_wish_limit_priority_and_side_errors_name_the_field() -> None:
    prog = await programme(wish_limit=2)
    p = await participant(prog, "Anne Prod", "producer")
    b1, b2, b3 = [await participant(prog, f"Buyer {i}", "buyer") for i in (1, 2, 3)]
    other_p = await participant(prog, "Paul Prod", "producer")
    await services.set_wish(p, b1.id, "must")
    await services.set_wish(p, b2.id, "if_possible")
    with pytest.raises(ValidationFailed) as exc:
        await services.set_wish(p, b3.id, "would_like")
    assert list(exc.value.errors) == ["target_id"]
    assert "2" in exc.value.errors["target_id"]
    # changing the priority of an existing wish is not a new wish
    await services.set_wish(p, b2.id, "must")
    assert sorted(w["priority"] for w in await services.wishes_of(p.id)) == [3, 3]
    with pytest.raises(ValidationFailed) as exc:
        await services.set_wish(p, other_p.id, "must")
    assert list(exc.value.errors) == ["target_id"]
    with pytest.raises(ValidationFailed) as exc:
        await services.set_wish(p, b1.id, "urgent")
    assert list(exc.value.errors) == ["priority"]
    # a decline drops the wish and frees a place under the limit
    await services.decline(p, b1.id)
    assert [w["target"] for w in await services.wishes_of(p.id)] == [b2.id]
    assert await services.declines_of(p.id) == [b1.id]
    await services.set_wish(p, b3.id, "would_like")
    # closed phase
    await services.update_programme(prog.id, status="draft")
    with pytest.raises(ValidationFailed) as exc:
        await services.set_wish(p, b1.id, "must")
    assert "__all__" in exc.value.errors


async def test_programme_and_grid_validation() -> None:
    prog = await programme(slots=3)
    with pytest.raises(ValidationFailed) as exc:
        await services.update_programme(prog.id, reserved_tables=4)
    assert "reserved_tables" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        await services.update_programme(prog.id, accessible_tables="9")
    assert "accessible_tables" in exc.value.errors
    start = datetime(2027, 3, 26, 10, 0)
    with pytest.raises(ValidationFailed) as exc:
        await services.add_day(prog.id, start, start - timedelta(hours=1))
    assert "ends_at" in exc.value.errors
    # a second block with a coffee break: 10:00-12:00 cut in 20 min, break 10:40-11:00 -> 5 slots
    await services.add_day(
        prog.id,
        start,
        start + timedelta(hours=2),
        [(start + timedelta(minutes=40), start + timedelta(minutes=60))],
    )
    slots = await services.grid_slots(await services.get_programme(prog.id))
    assert len(slots) == 3 + 5
    paris = [s.start.astimezone(services.PARIS).strftime("%d %H:%M") for s in slots[3:]]
    assert paris == ["26 10:00", "26 10:20", "26 11:00", "26 11:20", "26 11:40"]
    with pytest.raises(ValidationFailed) as exc:
        await services.add_day(prog.id, start + timedelta(minutes=30), start + timedelta(hours=3))
    assert "starts_at" in exc.value.errors


async def test_catalogue_filters() -> None:
    prog = await programme()
    await participant(
        prog, "Anne Prod", "producer", genres="Jazz, Rock", formats="Concert", territory="Auvergne"
    )
    await participant(prog, "Paul Prod", "producer", genres="Documentaire", audiences="Jeune public")
    await participant(prog, "Bea Buyer", "buyer", genres="Jazz")
    assert [p["name"] for p in await services.catalogue(prog.id, side="producer", genre="jazz")] == [
        "Anne Prod"
    ]
    assert [
        p["name"] for p in await services.catalogue(prog.id, side="producer", audience="jeune public")
    ] == ["Paul Prod"]
    assert [p["name"] for p in await services.catalogue(prog.id, territory="auvergne")] == ["Anne Prod"]
    assert len(await services.catalogue(prog.id, side="buyer")) == 1


async def test_performers_are_blocked_during_their_showcase() -> None:
    prog = await programme(slots=3)  # 14:00, 14:20, 14:40
    p = await participant(prog, "Anne Prod", "producer")
    b = await participant(prog, "Bea Buyer", "buyer")
    person = await Person.objects().where(Person.id == p.person).first()
    show = await events.add_session(
        prog.event,
        kind="showcase",
        title="Showcase Anne",
        starts_at=datetime(2027, 3, 25, 14, 0),
        ends_at=datetime(2027, 3, 25, 14, 30),
    )
    await SessionPerson(session=show["id"], person=person.id, role="performer").save()
    busy = await services.busy_times(prog)
    assert [x.reason for x in busy[p.id]] == ["Showcase Anne"]
    await services.set_wish(p, b.id, "must")
    await planning.run(prog.id, time_limit=10)
    meetings = await Meeting.select().where(Meeting.programme == prog.id)
    assert len(meetings) == 1
    # 14:00 and 14:20 overlap the showcase (14:00-14:30): only 14:40 is left
    assert services.utc(meetings[0]["starts_at"]).astimezone(services.PARIS).strftime("%H:%M") == "14:40"
    # her own block on 14:40 too: no common slot left, and the run says so
    await services.add_block(p, datetime(2027, 3, 25, 14, 40), datetime(2027, 3, 25, 15, 0))
    await Meeting.delete().where(Meeting.programme == prog.id)
    await planning.run(prog.id, time_limit=10)
    assert await Meeting.count().where(Meeting.programme == prog.id) == 0
    unmet = await UnmetWish.select().where(UnmetWish.source == p.id)
    assert [u["reason"] for u in unmet] == ["no_common_slot"]


async def test_run_pins_rerun_and_moves() -> None:
    prog = await programme(tables=2, slots=3)
    producers = [await participant(prog, f"Prod {i}", "producer") for i in range(3)]
    buyers = [await participant(prog, f"Buyer {i}", "buyer") for i in range(3)]
    for p in producers:
        for b in buyers:
            await services.set_wish(p, b.id, "would_like")
    await services.decline(buyers[2], producers[0].id)
    run = await planning.run(prog.id, time_limit=10)
    meetings = await Meeting.select().where(Meeting.programme == prog.id)
    assert run.meetings == len(meetings) > 0
    assert not await planning.conflicts(prog.id)
    pairs = {(m["producer"], m["buyer"]) for m in meetings}
    assert (producers[0].id, buyers[2].id) not in pairs
    unmet = {(u["source"], u["target"]): u["reason"] for u in await planning.unmet_wishes(prog.id)}
    assert unmet[(producers[0].id, buyers[2].id)] == "declined"
    # 2 tables x 3 slots = 6 meetings at most for 8 possible pairs: the others are capacity
    assert len(meetings) == 6
    assert "capacity" in unmet.values()

    # pin one meeting, move it by hand, re-run: it stays where it was put
    first = meetings[0]
    slots = await services.grid_slots(await services.get_programme(prog.id))
    target_slot = next(s for s in slots if s.start != services.utc(first["starts_at"]))
    # moving onto a table already used by one of them then is refused with the field named
    clash = next(
        m
        for m in meetings
        if services.utc(m["starts_at"]) == target_slot.start
        and {m["producer"], m["buyer"]} & {first["producer"], first["buyer"]}
    )
    with pytest.raises(ValidationFailed) as exc:
        await planning.move(first["id"], target_slot.start, 2)
    assert "starts_at" in exc.value.errors or "table_number" in exc.value.errors
    assert clash  # the clash exists; now free the target slot by deleting everything unpinned there
    moved = await planning.move(first["id"], slots[0].start, first["table_number"])
    assert moved.pinned
    await planning.run(prog.id, time_limit=10)
    again = await Meeting.objects().where(Meeting.id == first["id"]).first()
    assert again is not None and again.pinned
    assert services.utc(again.starts_at) == slots[0].start
    assert not await planning.conflicts(prog.id)
    # a pair placed by hand on a slot where one side is busy is refused
    busy_meeting = await Meeting.objects().where(Meeting.programme == prog.id).first()
    with pytest.raises(ValidationFailed):
        await planning.pin_pair(prog.id, busy_meeting.producer, buyers[2].id, busy_meeting.starts_at)


async def test_late_registration_fills_gaps_without_moving_published_meetings(jobs_worker) -> None:  # noqa: ARG001
    from scheduling import agenda

    prog = await programme(tables=3, slots=3)
    p1 = await participant(prog, "Prod One", "producer")
    b1 = await participant(prog, "Buyer One", "buyer")
    b2 = await participant(prog, "Buyer Two", "buyer")
    await services.set_wish(p1, b1.id, "must")
    await services.set_wish(p1, b2.id, "must")
    await planning.run(prog.id, time_limit=10)
    await agenda.publish(prog.id)
    before = {
        m["id"]: (m["starts_at"], m["table_number"], m["published"])
        for m in await Meeting.select().where(Meeting.programme == prog.id)
    }
    assert len(before) == 2 and all(v[2] for v in before.values())
    late = await participant(prog, "Late Prod", "producer")
    assert late.late
    await services.set_wish(late, b1.id, "must", staff=True)
    await services.set_wish(late, b2.id, "must", staff=True)
    # an existing participant's new wish is frozen: only pairs with a newcomer may be added
    p2 = await participant(prog, "Prod Two", "producer")
    await services.set_wish(p1, b1.id, "would_like", staff=True)
    run = await planning.run(prog.id, time_limit=10)
    assert run.kind == "late"
    after = await Meeting.select().where(Meeting.programme == prog.id)
    for m in after:
        if m["id"] in before:
            assert (m["starts_at"], m["table_number"], m["published"]) == before[m["id"]]
    new = [m for m in after if m["id"] not in before]
    assert {m["buyer"] for m in new} == {b1.id, b2.id}
    assert all(m["producer"] == late.id and not m["published"] for m in new)
    assert not await planning.conflicts(prog.id)
    assert p2.late
