"""Fairness, the greedy baseline, re-running around pins, and late registrations."""

from __future__ import annotations

import pytest

from scheduling.engine.greedy import greedy
from scheduling.engine.model import CAPACITY, FROZEN, IF_POSSIBLE, MUST, WOULD_LIKE, Instance, Meeting, Wish
from scheduling.engine.prepared import check
from scheduling.engine.solver import add_late, solve

from .helpers import buyer, pairs, producer, reasons, slots


def unfair_instance() -> Instance:
    # b1 can take one meeting: p1 wants it (must), p2 only has b1 on its list (if possible).
    people = [producer("p1"), producer("p2"), buyer("b1", max_meetings=1), buyer("b2")]
    wishes = [
        Wish("p1", "b1", MUST),
        Wish("p1", "b2", MUST),
        Wish("b2", "p1", MUST),
        Wish("p2", "b1", IF_POSSIBLE),
    ]
    return Instance(people, slots(2, tables=2), wishes)


def test_fairness_raises_the_worst_off_share():
    inst = unfair_instance()
    total = solve(inst, fair=False)
    fair = solve(inst, fair=True, fairness_budget=None)  # strict: whatever it costs
    # the pure total: p1 meets b1 (3) and b2 (3 + 3 + 2 mutual): 11, p2 gets nothing
    assert pairs(total) == {("p1", "b1"), ("p1", "b2")}
    assert total.total_weight == 11 and total.min_share == 0 and total.worst_off == "p2"
    # fair: p2 meets b1, p1 keeps b2: every share >= 1/2 (p1 has half of its wish weight)
    assert pairs(fair) == {("p2", "b1"), ("p1", "b2")}
    assert fair.min_share == pytest.approx(0.5) and fair.worst_off == "p1"
    assert fair.fairness_target == pytest.approx(0.5)
    assert fair.fairness_bound == pytest.approx(0.5)  # proven: no schedule gives everyone more
    assert fair.total_weight == 9
    assert fair.unconstrained_weight == 11
    assert fair.price_of_fairness == pytest.approx(2 / 11)
    assert reasons(fair) == {("p1", "b1"): CAPACITY}
    assert check(inst, fair.meetings) == []


def test_mip_beats_greedy_where_the_earliest_slot_is_a_trap():
    # greedy puts the mutual p1-b1 in slot 0, the only slot of p2, which then cannot meet b1
    people = [producer("p1"), producer("p2", unavailable=frozenset({1})), buyer("b1")]
    wishes = [Wish("p1", "b1", MUST), Wish("b1", "p1", MUST), Wish("p2", "b1", WOULD_LIKE)]
    inst = Instance(people, slots(2, tables=2), wishes)
    g = greedy(inst)
    m = solve(inst, fair=False)
    assert pairs(g) == {("p1", "b1")} and g.total_weight == 8
    assert pairs(m) == {("p1", "b1"), ("p2", "b1")} and m.total_weight == 10
    assert m.bound == 10 and m.gap == 0
    assert {(x.producer, x.slot) for x in m.meetings} == {("p1", 1), ("p2", 0)}


def grid_instance() -> Instance:
    people = [producer(f"p{i}") for i in range(4)] + [buyer(f"b{i}") for i in range(4)]
    wishes = [Wish(f"p{i}", f"b{j}", MUST if i == j else IF_POSSIBLE) for i in range(4) for j in range(4)]
    wishes += [Wish(f"b{i}", f"p{i}", WOULD_LIKE) for i in range(4)]
    return Instance(people, slots(3, tables=3), wishes, accessible_tables=frozenset({1}), max_meetings=2)


def test_rerun_around_a_moved_meeting():
    inst = grid_instance()
    first = solve(inst)
    assert check(inst, first.meetings) == []
    moved = first.meetings[0]
    other_slot = next(s.index for s in inst.slots if s.index != moved.slot)
    inst.pins = [Meeting(moved.producer, moved.buyer, other_slot, table=3)]
    second = solve(inst)
    assert check(inst, second.meetings) == []
    assert Meeting(moved.producer, moved.buyer, other_slot, 3) in second.meetings


def test_late_registrations_fit_into_gaps_without_moving_published_meetings():
    inst = grid_instance()
    published = solve(inst).meetings
    inst.published = published
    # a newcomer on each side, wishing popular people
    inst.participants = [*inst.participants, producer("late_p"), buyer("late_b", max_meetings=3)]
    inst.wishes = [
        *inst.wishes,
        Wish("late_p", "b0", MUST),
        Wish("late_p", "late_b", WOULD_LIKE),
        Wish("late_b", "p1", MUST),
        Wish("late_b", "p2", MUST),
    ]
    late = add_late(inst, ["late_p", "late_b"])
    assert check(inst, late.meetings) == []
    for m in published:
        assert m in late.meetings
    new = [m for m in late.meetings if m not in published]
    assert new, "the newcomers got meetings in the gaps"
    assert all("late_p" in (m.producer, m.buyer) or "late_b" in (m.producer, m.buyer) for m in new)
    # wishes between earlier participants that were not met stay unmet, frozen
    old_unmet = [u for u in late.unmet if not str(u.source).startswith("late")]
    assert old_unmet and all(u.reason in (FROZEN, CAPACITY) for u in old_unmet)
    assert any(u.reason == FROZEN for u in old_unmet)
    # greedy honours the published meetings as well
    g = greedy(inst, ["late_p", "late_b"])
    assert check(inst, g.meetings) == [] and all(m in g.meetings for m in published)


def test_the_fairness_budget_bounds_what_fairness_may_cost():
    inst = unfair_instance()
    # strict fairness costs 2/11 of the total here (see above); the default budget (1 %) does not allow
    # that: the total optimum stays, and the proven max-min share within the budget is 0
    default = solve(inst)
    assert default.fairness_budget == pytest.approx(0.01)
    assert default.total_weight == 11 and default.min_share == 0
    assert default.fairness_target == 0 and default.fairness_bound == 0
    # a budget of 20 % allows it: every share >= 1/2 for a total of 9
    generous = solve(inst, fairness_budget=0.2)
    assert generous.total_weight == 9 and generous.min_share == pytest.approx(0.5)
    assert generous.price_of_fairness == pytest.approx(2 / 11)
    # just below the price: not allowed
    tight = solve(inst, fairness_budget=0.18)
    assert tight.total_weight == 11 and tight.min_share == 0
    assert check(inst, tight.meetings) == [] and check(inst, generous.meetings) == []


def test_a_zero_budget_picks_the_fairest_of_the_best_totals():
    # two schedules reach the best total 6; only one leaves nobody without a meeting
    people = [producer("p1"), producer("p2"), buyer("b1", max_meetings=1), buyer("b2", max_meetings=1)]
    wishes = [
        Wish("p1", "b1", MUST),
        Wish("p1", "b2", MUST),
        Wish("p2", "b1", MUST),
    ]
    inst = Instance(people, slots(1, tables=2), wishes)
    fairest = solve(inst, fairness_budget=0.0)
    assert fairest.total_weight == 6
    assert pairs(fairest) == {("p1", "b2"), ("p2", "b1")}
    assert fairest.min_share == pytest.approx(1.0)
    assert fairest.price_of_fairness == pytest.approx(0.0)
