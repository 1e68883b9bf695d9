"""Assignment of entries to jurors: k jurors each, recusals, balanced loads (checked against brute force)."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juries.engine import AssignmentProblem, EngineInputError, assign
from juries.engine.assignment import (
    BAD_K,
    FIXED_OVER_CAPACITY,
    FIXED_RECUSED,
    NO_ROOM,
    TOO_FEW_JURORS,
    UNKNOWN_ENTRY,
    UNKNOWN_JUROR,
)

FILMS = tuple(f"film{i}" for i in range(1, 26))
JURY = ("Ana", "Bruno", "Chloé", "David", "Emma")


def check(problem, result):
    """Every rule, independently of the engine."""
    assert result.feasible
    for e in problem.entries:
        assert len(result.by_entry[e]) == max(problem.k, sum(1 for _, ee in problem.fixed if ee == e))
    assert not set(result.pairs) & problem.recusals
    assert problem.fixed <= set(result.pairs)
    for j, c in problem.capacity.items():
        assert result.loads[j] <= c
    assert len(set(result.pairs)) == len(result.pairs)
    assert sum(result.loads.values()) == len(result.pairs) == result.ratings_needed


def test_court_dici_round_25_films_5_jurors_3_each():
    recused = frozenset({("Ana", "film3"), ("Ana", "film7"), ("Bruno", "film3"), ("Emma", "film20")})
    problem = AssignmentProblem(FILMS, JURY, 3, recusals=recused)
    result = assign(problem)
    check(problem, result)
    assert set(result.loads.values()) == {15}  # 75 ratings over 5 jurors
    assert result.ideal_max_load == 15 and result.proven_optimal
    assert set(result.by_entry["film3"]) == {"Chloé", "David", "Emma"}
    assert result.explanation[0].message == "Every entry has 3 jurors; each juror rates 15 entries."


def test_capacity_and_kept_assignments():
    problem = AssignmentProblem(
        FILMS[:10],
        ("A", "B", "C", "D"),
        2,
        capacity={"A": 2},
        fixed=frozenset({("B", "film1"), ("C", "film1"), ("D", "film1")}),
    )
    result = assign(problem)
    check(problem, result)
    assert result.loads["A"] == 2
    assert set(result.by_entry["film1"]) == {"B", "C", "D"}  # 3 kept: more than k, all stay
    # 21 ratings, A takes 2: the other 19 as even as possible (7, 6, 6)
    assert sorted(result.loads[j] for j in "BCD") == [6, 6, 7]


def test_entries_without_k_free_jurors_are_named():
    recused = frozenset({("Ana", "film2"), ("Bruno", "film2"), ("Chloé", "film2"), ("Ana", "film9")})
    result = assign(AssignmentProblem(FILMS[:10], JURY[:4], 2, recusals=recused))
    assert not result.feasible and result.pairs == ()
    problem = result.problems[0]
    assert problem.code == TOO_FEW_JURORS and problem.subjects == ("film2",)
    assert problem.message == (
        "These entries cannot get 2 jurors who are not recused and have room: film2 (jurors available: film2: 1)."
    )


def test_a_group_of_entries_short_of_room_is_found_by_the_cut():
    """film1-film4 may only be rated by A and B (C and D are recused), who have room for 3 each: 8 ratings
    needed, 6 possible. Total room (3 + 3 + 10 + 10) would be enough: only the cut shows it."""
    entries = tuple(f"film{i}" for i in range(1, 9))
    recused = frozenset((j, f"film{i}") for j in "CD" for i in range(1, 5))
    problem = AssignmentProblem(entries, tuple("ABCD"), 2, recusals=recused, capacity={"A": 3, "B": 3})
    result = assign(problem)
    assert not result.feasible
    reason = result.problems[0]
    assert reason.code == NO_ROOM
    assert set(reason.subjects) == {"film1", "film2", "film3", "film4"}
    assert reason.params["needed"] == 8 and reason.params["room"] == 6
    assert reason.params["jurors"] == "A, B"


def test_inconsistent_input_is_refused():
    with pytest.raises(EngineInputError) as caught:
        assign(
            AssignmentProblem(
                ("e1",),
                ("A",),
                0,
                recusals=frozenset({("Z", "e1"), ("A", "e9"), ("A", "e1")}),
                fixed=frozenset({("A", "e1")}),
            )
        )
    codes = {p.code for p in caught.value.problems}
    assert {BAD_K, UNKNOWN_JUROR, UNKNOWN_ENTRY, FIXED_RECUSED} <= codes
    with pytest.raises(EngineInputError) as caught:
        assign(
            AssignmentProblem(
                ("e1", "e2"), ("A",), 1, capacity={"A": 1}, fixed=frozenset({("A", "e1"), ("A", "e2")})
            )
        )
    assert caught.value.problems[0].code == FIXED_OVER_CAPACITY


def test_the_same_seed_gives_the_same_assignment():
    problem = AssignmentProblem(FILMS, JURY, 2)
    assert assign(problem, seed=4).pairs == assign(problem, seed=4).pairs


@st.composite
def instances(draw, max_jurors=7, max_entries=14):
    jurors = tuple(f"j{i}" for i in range(draw(st.integers(1, max_jurors))))
    entries = tuple(f"e{i}" for i in range(draw(st.integers(1, max_entries))))
    k = draw(st.integers(1, min(3, len(jurors))))
    pairs = [(j, e) for j in jurors for e in entries]
    recusals = frozenset(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs) // 4)))
    capacity = {}
    for j in jurors:
        if draw(st.integers(0, 3)) == 0:
            capacity[j] = draw(st.integers(0, len(entries)))
    return AssignmentProblem(entries, jurors, k, recusals=recusals, capacity=capacity)


SETTINGS = settings(max_examples=50, deadline=5000, derandomize=True)


@SETTINGS
@given(instances())
def test_every_assignment_respects_every_rule(problem):
    result = assign(problem)
    if result.feasible:
        check(problem, result)
        assert result.max_load >= result.ideal_max_load
    else:
        assert result.problems
        # the reason is true: either some entry lacks k allowed jurors, or the cut's group lacks room
        reason = result.problems[0]
        if reason.code == TOO_FEW_JURORS:
            assert all(
                sum(
                    1
                    for j in problem.jurors
                    if (j, e) not in problem.recusals and problem.capacity.get(j, 1) > 0
                )
                < problem.k
                for e in reason.subjects
            )
        else:
            assert reason.code == NO_ROOM and reason.params["room"] < reason.params["needed"]


@SETTINGS
@given(instances())
def test_loads_within_one_when_capacity_allows(problem):
    """Without recusals and with every capacity at least ceil(total / jurors), max - min <= 1."""
    needed = len(problem.entries) * problem.k
    room = math.ceil(needed / len(problem.jurors))
    capacity = {j: max(c, room) for j, c in problem.capacity.items()}
    plain = AssignmentProblem(problem.entries, problem.jurors, problem.k, capacity=capacity)
    result = assign(plain)
    check(plain, result)
    assert result.max_load - result.min_load <= 1
    assert result.max_load == result.ideal_max_load


def brute_force(problem):
    """The lexicographic optimum (max load, sum of squared loads) over every assignment; None if none."""
    best = None
    options = []
    for e in problem.entries:
        allowed = [j for j in problem.jurors if (j, e) not in problem.recusals]
        options.append(list(itertools.combinations(allowed, problem.k)))
    for choice in itertools.product(*options):
        loads = dict.fromkeys(problem.jurors, 0)
        for group in choice:
            for j in group:
                loads[j] += 1
        if any(loads[j] > c for j, c in problem.capacity.items()):
            continue
        active = [
            j
            for j in problem.jurors
            if problem.capacity.get(j, 1) > 0 and any((j, e) not in problem.recusals for e in problem.entries)
        ]
        value = (max(loads[j] for j in active), sum(v * v for v in loads.values()))
        best = value if best is None or value < best else best
    return best


@settings(max_examples=40, deadline=5000, derandomize=True)
@given(instances(max_jurors=4, max_entries=4))
def test_optimal_against_brute_force(problem):
    expected = brute_force(problem)
    result = assign(problem)
    assert result.feasible == (expected is not None)
    if expected is not None:
        got = (result.max_load, sum(v * v for v in result.loads.values()))
        assert got == expected
        assert result.proven_optimal
