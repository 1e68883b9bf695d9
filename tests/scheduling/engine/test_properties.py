"""Property-based tests: whatever the random instance, every schedule respects every rule."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduling.engine.greedy import greedy
from scheduling.engine.model import (
    CAPACITY,
    DECLINED,
    NO_COMMON_SLOT,
    PRIORITIES,
    Decline,
    Instance,
    Meeting,
    ScheduleInputError,
    Wish,
)
from scheduling.engine.prepared import Prepared, check
from scheduling.engine.solver import solve, solve_time_indexed

from .helpers import buyer, producer, slots

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def instances(draw) -> Instance:
    n_slots = draw(st.sampled_from([1, 2, 3, 3, 4]))
    tables = draw(st.lists(st.sampled_from([0, 1, 2, 2, 3]), min_size=n_slots, max_size=n_slots))
    some_slots = st.frozensets(st.integers(0, n_slots - 1), min_size=1, max_size=max(1, n_slots // 2))
    slot_ids = st.just(frozenset()) | st.just(frozenset()) | some_slots
    people = [
        producer(
            f"p{i}",
            max_meetings=draw(st.sampled_from([None, None, 0, 1, 2, 3])),
            unavailable=draw(slot_ids),
            needs_accessible=draw(st.integers(0, 9)) == 0,
        )
        for i in range(draw(st.integers(2, 4)))
    ]
    people += [
        buyer(
            f"b{i}",
            max_meetings=draw(st.sampled_from([None, None, 0, 1, 2, 3])),
            unavailable=draw(slot_ids),
            needs_accessible=draw(st.integers(0, 9)) == 0,
        )
        for i in range(draw(st.integers(2, 4)))
    ]
    prods = [p.id for p in people if p.side == "producer"]
    buys = [p.id for p in people if p.side == "buyer"]
    all_pairs = [(p, b) for p in prods for b in buys]
    wished = draw(st.lists(st.sampled_from(all_pairs), unique=True, min_size=3, max_size=len(all_pairs)))
    wishes = []
    for p, b in wished:
        side = draw(st.sampled_from(["producer", "buyer", "both"]))
        if side in ("producer", "both"):
            wishes.append(Wish(p, b, draw(st.sampled_from(PRIORITIES))))
        if side in ("buyer", "both"):
            wishes.append(Wish(b, p, draw(st.sampled_from(PRIORITIES))))
    declines = [Decline(b, p) for p, b in draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=2))]
    pins = [
        Meeting(p, b, draw(st.integers(0, n_slots - 1)), draw(st.none() | st.integers(1, 3)))
        for p, b in draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=2))
    ]
    inst = Instance(
        people,
        slots(n_slots, tables),
        wishes,
        declines,
        accessible_tables=draw(st.frozensets(st.integers(1, 3), min_size=1, max_size=2)),
        max_meetings=draw(st.sampled_from([None, 1, 2, 3])),
    )
    for pin in pins:  # keep the pins that are consistent with the rest (not busy, declined, unavailable...)
        inst.pins = [*inst.pins, pin]
        if not usable(inst):
            inst.pins = inst.pins[:-1]
    return inst


def usable(inst: Instance) -> bool:
    try:
        Prepared(inst)
    except ScheduleInputError:
        return False
    return True


def assert_reasons(inst: Instance, schedule) -> None:
    met = {(m.producer, m.buyer) for m in schedule.meetings}
    declined = {frozenset((d.source, d.target)) for d in inst.declines}
    unmet = {(u.source, u.target): u.reason for u in schedule.unmet}
    for w in inst.wishes:
        pair = (w.source, w.target) if w.source.startswith("p") else (w.target, w.source)
        if pair in met:
            assert (w.source, w.target) not in unmet
            continue
        reason = unmet[(w.source, w.target)]
        p, b = inst.participant(pair[0]), inst.participant(pair[1])
        accessible = p.needs_accessible or b.needs_accessible
        common = [
            s.index
            for s in inst.slots
            if s.tables > 0
            and s.index not in p.unavailable
            and s.index not in b.unavailable
            and (not accessible or any(t <= s.tables for t in inst.accessible_tables))
        ]
        if frozenset(pair) in declined:
            assert reason == DECLINED
        elif not common:
            assert reason == NO_COMMON_SLOT
        else:
            assert reason == CAPACITY


@SETTINGS
@given(instances())
def test_every_schedule_respects_every_rule(inst):
    assume(usable(inst))
    fair = solve(inst, time_limit=10)  # the default fairness budget: at most 1 % below the optimum
    strict = solve(inst, time_limit=10, fairness_budget=None)
    total = solve(inst, fair=False, time_limit=10)
    base = greedy(inst)
    for schedule in (fair, strict, total, base):
        assert check(inst, schedule.meetings) == []
        assert_reasons(inst, schedule)
    # the optimum is at least as good as the greedy baseline, and as the fair schedule
    assert total.total_weight >= base.total_weight - 1e-9
    assert total.total_weight >= fair.total_weight - 1e-9
    assert fair.unconstrained_weight == total.total_weight
    # the pair-level route reaches the optimum of the full time-indexed model, and its bound is valid
    reference = solve_time_indexed(inst, time_limit=10)
    assert check(inst, reference.meetings) == []
    assert total.total_weight == reference.total_weight
    assert total.bound >= reference.total_weight - 1e-9 and reference.bound >= total.total_weight - 1e-9
    # the budget holds, and strict fairness reaches at least the share reached within the budget
    assert fair.total_weight >= 0.99 * total.total_weight - 1e-6
    assert strict.total_weight <= fair.total_weight + 1e-9
    # fairness never lowers the worst-off share
    if fair.min_share is not None:
        assert fair.min_share >= total.min_share - 1e-9
        assert strict.min_share >= fair.min_share - 1e-9
