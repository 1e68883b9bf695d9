"""Each rule of the speed-meeting scheduler on a crafted instance (pure unit tests: no database needed)."""

from __future__ import annotations

import pytest

from scheduling.engine.greedy import greedy
from scheduling.engine.model import (
    CAPACITY,
    DECLINED,
    IF_POSSIBLE,
    MUST,
    NO_COMMON_SLOT,
    WOULD_LIKE,
    Decline,
    Instance,
    Meeting,
    ScheduleInputError,
    Wish,
    blocked_slots,
)
from scheduling.engine.prepared import check
from scheduling.engine.solver import solve

from .helpers import START, buyer, pairs, producer, reasons, slots

SOLVERS = [
    pytest.param(lambda inst: solve(inst, time_limit=10), id="mip-fair"),
    pytest.param(lambda inst: solve(inst, fair=False, time_limit=10), id="mip-total"),
    pytest.param(greedy, id="greedy"),
]


@pytest.mark.parametrize("run", SOLVERS)
def test_nobody_in_two_places_at_once(run):
    inst = Instance(
        [producer("p"), buyer("b1"), buyer("b2")],
        slots(1, tables=5),
        [Wish("p", "b1", MUST), Wish("p", "b2", MUST)],
    )
    s = run(inst)
    assert check(inst, s.meetings) == []
    assert len(s.meetings) == 1
    assert list(reasons(s).values()) == [CAPACITY]


@pytest.mark.parametrize("run", SOLVERS)
def test_at_most_the_open_tables_per_slot_and_each_table_once(run):
    people = [producer(f"p{i}") for i in range(3)] + [buyer(f"b{i}") for i in range(3)]
    wishes = [Wish(f"p{i}", f"b{i}", MUST) for i in range(3)]
    inst = Instance(people, slots(2, tables=[1, 0]), wishes)
    s = run(inst)
    assert check(inst, s.meetings) == []
    assert len(s.meetings) == 1 and s.meetings[0].slot == 0 and s.meetings[0].table == 1
    # three tables open in one slot: three distinct table numbers
    inst = Instance(people, slots(1, tables=3), wishes)
    s = run(inst)
    assert sorted(m.table for m in s.meetings) == [1, 2, 3]


@pytest.mark.parametrize("run", SOLVERS)
def test_max_meetings_per_person(run):
    people = [producer("p", max_meetings=2)] + [buyer(f"b{i}") for i in range(4)]
    inst = Instance(people, slots(4, tables=4), [Wish("p", f"b{i}", WOULD_LIKE) for i in range(4)])
    s = run(inst)
    assert check(inst, s.meetings) == []
    assert len(s.meetings) == 2
    # the instance default applies to those without their own limit
    people = [producer("p")] + [buyer(f"b{i}") for i in range(4)]
    inst = Instance(
        people, slots(4, tables=4), [Wish("p", f"b{i}", WOULD_LIKE) for i in range(4)], max_meetings=3
    )
    assert len(run(inst).meetings) == 3


@pytest.mark.parametrize("run", SOLVERS)
def test_availability_is_respected(run):
    inst = Instance(
        [producer("p", unavailable=frozenset({0})), buyer("b", unavailable=frozenset({2}))],
        slots(3, tables=1),
        [Wish("p", "b", MUST)],
    )
    s = run(inst)
    assert [(m.slot, m.table) for m in s.meetings] == [(1, 1)]


@pytest.mark.parametrize("run", SOLVERS)
def test_no_common_slot_is_the_reason(run):
    inst = Instance(
        [producer("p", unavailable=frozenset({0})), buyer("b", unavailable=frozenset({1}))],
        slots(2, tables=3),
        [Wish("p", "b", MUST), Wish("b", "p", MUST)],
    )
    s = run(inst)
    assert s.meetings == []
    assert reasons(s) == {("p", "b"): NO_COMMON_SLOT, ("b", "p"): NO_COMMON_SLOT}


@pytest.mark.parametrize("run", SOLVERS)
def test_declined_pairs_are_never_scheduled(run):
    inst = Instance(
        [producer("p"), buyer("b"), buyer("c")],
        slots(2, tables=3),
        [Wish("p", "b", MUST), Wish("p", "c", IF_POSSIBLE)],
        [Decline("b", "p")],
    )
    s = run(inst)
    assert pairs(s) == {("p", "c")}
    assert reasons(s) == {("p", "b"): DECLINED}


@pytest.mark.parametrize("run", SOLVERS)
def test_accessible_tables_go_to_those_who_need_them(run):
    people = [producer("p1", needs_accessible=True), producer("p2"), producer("p3", needs_accessible=True)]
    people += [buyer("b1"), buyer("b2"), buyer("b3")]
    wishes = [Wish("p1", "b1", MUST), Wish("p2", "b2", MUST), Wish("p3", "b3", MUST)]
    # one slot, three tables of which only table 3 is accessible: p1 or p3 meets, not both
    inst = Instance(people, slots(1, tables=3), wishes, accessible_tables=frozenset({3}))
    s = run(inst)
    assert check(inst, s.meetings) == []
    assert len(s.meetings) == 2
    needing = [m for m in s.meetings if m.producer in ("p1", "p3")]
    assert len(needing) == 1 and needing[0].table == 3
    # a second slot lets both meet, each at the accessible table
    inst = Instance(people, slots(2, tables=3), wishes, accessible_tables=frozenset({3}))
    s = run(inst)
    assert len(s.meetings) == 3
    assert {m.table for m in s.meetings if m.producer != "p2"} == {3}


@pytest.mark.parametrize("run", SOLVERS)
def test_mutual_wishes_first_then_priority(run):
    people = [producer("p1"), producer("p2"), producer("p3"), buyer("b")]
    wishes = [
        Wish("p1", "b", MUST),  # one-sided must: 3
        Wish("p2", "b", IF_POSSIBLE),
        Wish("b", "p2", IF_POSSIBLE),  # mutual if-possible: 1 + 1 + bonus 2 = 4
        Wish("p3", "b", WOULD_LIKE),
    ]
    inst = Instance(people, slots(1, tables=3), wishes)
    assert pairs(run(inst)) == {("p2", "b")}
    inst = Instance(people, slots(2, tables=3), wishes)
    assert pairs(run(inst)) == {("p2", "b"), ("p1", "b")}


@pytest.mark.parametrize("run", SOLVERS)
def test_pins_are_kept_and_block_their_slot(run):
    people = [producer("p"), producer("q"), buyer("b"), buyer("c")]
    wishes = [Wish("p", "b", MUST), Wish("b", "p", MUST), Wish("q", "b", MUST), Wish("p", "c", IF_POSSIBLE)]
    pins = [Meeting("q", "c", 0, table=2)]  # staff pin a pair nobody wished, at a given table
    inst = Instance(people, slots(2, tables=[2, 1]), wishes, pins=pins)
    s = run(inst)
    assert check(inst, s.meetings) == []
    assert Meeting("q", "c", 0, 2) in s.meetings
    # q is busy in slot 0 and slot 1 has one table: p-b (mutual) and q-b compete for b
    assert ("p", "b") in pairs(s)
    pinned_no_table = Instance(people, slots(2, tables=[1, 1]), wishes, pins=[Meeting("q", "b", 1)])
    s = run(pinned_no_table)
    assert check(pinned_no_table, s.meetings) == []
    assert ("q", "b") in pairs(s) and [m.slot for m in s.meetings if m.producer == "q"] == [1]
    assert ("p", "b") in pairs(s)  # moved to slot 0 around the pin


def test_inconsistent_input_is_refused():
    people = [producer("p"), producer("q"), buyer("b")]
    with pytest.raises(ScheduleInputError, match="both are producers"):
        solve(Instance(people, slots(1), [Wish("p", "q")]))
    with pytest.raises(ScheduleInputError, match="unknown participant"):
        solve(Instance(people, slots(1), [Wish("p", "nobody")]))
    with pytest.raises(ScheduleInputError, match="already has a meeting"):
        solve(Instance(people, slots(1, 2), pins=[Meeting("p", "b", 0), Meeting("q", "b", 0)]))
    with pytest.raises(ScheduleInputError, match="published meeting has a table"):
        solve(Instance(people, slots(1, 2), published=[Meeting("p", "b", 0)]))
    with pytest.raises(ScheduleInputError, match="declined"):
        solve(Instance(people, slots(1, 2), declines=[Decline("b", "p")], pins=[Meeting("p", "b", 0)]))
    with pytest.raises(ScheduleInputError, match="unavailable"):
        unavailable = [producer("p", unavailable=frozenset({0})), buyer("b")]
        greedy(Instance(unavailable, slots(1, 2), pins=[Meeting("p", "b", 0)]))
    with pytest.raises(ScheduleInputError, match="more pinned meetings than"):
        two = people + [buyer("c")]
        solve(Instance(two, slots(1, 1), pins=[Meeting("p", "b", 0), Meeting("q", "c", 0)]))


def test_checker_reports_every_kind_of_violation():
    people = [
        producer("p", max_meetings=1, unavailable=frozenset({1})),
        producer("q"),
        buyer("b"),
        buyer("c"),
    ]
    inst = Instance(people, slots(2, tables=1), declines=[Decline("q", "c")], pins=[Meeting("q", "b", 1)])
    bad = [
        Meeting("p", "b", 0, 1),
        Meeting("q", "b", 0, 1),  # b twice in slot 0, table 1 twice
        Meeting("p", "c", 1, 2),  # p unavailable, table 2 not open, p over max
        Meeting("q", "c", 1, 1),  # declined; pin q-b not kept
        Meeting("q", "c", 0, 1),  # pair twice
    ]
    text = "\n".join(check(inst, bad))
    for expected in (
        "two places",
        "used twice",
        "unavailable",
        "not open",
        "max 1",
        "declined",
        "pin",
        "meets twice",
        "meetings for 1 tables",
    ):
        assert expected in text


def test_performer_blocks_become_unavailable_slots():
    grid = slots(4)
    from datetime import timedelta

    show = (START + timedelta(minutes=25), START + timedelta(minutes=35))  # inside slot 1
    assert blocked_slots(grid, [show]) == {1}
    long_show = (START + timedelta(minutes=10), START + timedelta(minutes=60))
    assert blocked_slots(grid, [long_show]) == {0, 1, 2}


def test_nothing_to_schedule():
    inst = Instance([producer("p"), buyer("b")], slots(2))
    for s in (solve(inst), greedy(inst)):
        assert s.meetings == [] and s.unmet == [] and s.total_weight == 0


def test_time_indexed_model_takes_over_when_the_slot_assignment_gets_stuck():
    # the pair level picks all three pairs; placing them needs p0 (accessible table, the only one in
    # slot 0) in both slots and p1-b0 in slot 1: the quick assignment misses it, the full model finds it
    people = [producer("p0", needs_accessible=True), producer("p1"), buyer("b0"), buyer("b1")]
    wishes = [Wish("p0", "b0", MUST), Wish("p0", "b1", MUST), Wish("p1", "b0", MUST)]
    inst = Instance(people, slots(2, tables=[1, 2]), wishes, accessible_tables=frozenset({1}))
    for s in (solve(inst, fair=False), solve(inst)):
        assert check(inst, s.meetings) == []
        assert s.total_weight == 9 and s.bound == 9 and s.gap == 0
        assert {m.slot for m in s.meetings if m.producer == "p0"} == {0, 1}
        assert all(m.table == 1 for m in s.meetings if m.producer == "p0")
