"""Assign the entries of a round to jurors: every entry gets k jurors, no recused pair, loads balanced.

An integer program solved with HiGHS, in two stages: x[j, e] = 1 when juror j rates entry e, one column per
pair that is not recused. Each entry gets exactly k jurors (more only when kept assignments already give it
more), a juror at most their capacity. Stage 1 minimises the largest load; stage 2 keeps that maximum and
minimises the sum of squared loads (linearised with one 0-1 step per load level, costs 1, 3, 5...), which
for a fixed total is the most even spread: when loads within one of each other are possible, it finds them.
A seeded tie-break among the equally balanced assignments mixes the jurors (so their samples overlap, which
is what normalisation compares them through).

Assignments to keep (`fixed`: already rated) stay. When no assignment exists, the result says why: the
entries that have fewer than k jurors allowed to rate them, or (a max-flow cut) a group of entries whose
allowed jurors have too little room left.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from . import highs
from .base import N_, EngineInputError, Id, Message, Param, names

BAD_K = "assignment_bad_k"
ID_TWICE = "assignment_id_twice"
UNKNOWN_JUROR = "assignment_unknown_juror"
UNKNOWN_ENTRY = "assignment_unknown_entry"
BAD_CAPACITY = "assignment_bad_capacity"
FIXED_RECUSED = "assignment_fixed_recused"
FIXED_OVER_CAPACITY = "assignment_fixed_over_capacity"
TOO_FEW_JURORS = "assignment_too_few_jurors"
NO_ROOM = "assignment_no_room"
SOLVER_FAILED = "assignment_solver_failed"
BALANCED = "assignment_balanced"
UNBALANCED = "assignment_unbalanced"


@dataclass(frozen=True)
class AssignmentProblem:
    entries: tuple[Id, ...]
    jurors: tuple[Id, ...]
    k: int  # jurors per entry
    recusals: frozenset[tuple[Id, Id]] = frozenset()  # (juror, entry) pairs that may not be assigned
    capacity: Mapping[Id, int] = dataclasses.field(default_factory=dict)  # max entries; absent: no limit
    fixed: frozenset[tuple[Id, Id]] = frozenset()  # (juror, entry) pairs to keep (already rated)


@dataclass(frozen=True)
class AssignmentResult:
    feasible: bool
    pairs: tuple[tuple[Id, Id], ...]  # (juror, entry), jurors then entries in input order
    by_juror: Mapping[Id, tuple[Id, ...]]
    by_entry: Mapping[Id, tuple[Id, ...]]
    loads: Mapping[Id, int]  # every juror, 0 included
    max_load: int
    min_load: int  # over the jurors who may rate at least one entry
    ideal_max_load: int  # ceil(ratings needed / those jurors): no assignment can do better
    ratings_needed: int
    proven_optimal: bool  # both stages solved to optimality
    status: str
    seconds: float
    problems: tuple[Message, ...]  # why there is no assignment (feasible=False)
    explanation: tuple[Message, ...]

    @property
    def spread(self) -> int:
        return self.max_load - self.min_load


def assign(problem: AssignmentProblem, *, time_limit: float = 10.0, seed: int = 1) -> AssignmentResult:
    """Balanced assignment; EngineInputError for inconsistent input (unknown ids, k < 1...)."""
    _check(problem)
    entries, jurors, k = problem.entries, problem.jurors, problem.k
    cap = {j: problem.capacity.get(j, len(entries)) for j in jurors}
    allowed = [
        (j, e)
        for j in jurors
        for e in entries
        if (j, e) not in problem.recusals and (cap[j] > 0 or (j, e) in problem.fixed)
    ]
    fixed_of_entry = {e: 0 for e in entries}
    fixed_of_juror = {j: 0 for j in jurors}
    for j, e in problem.fixed:
        fixed_of_entry[e] += 1
        fixed_of_juror[j] += 1
    demand = {e: max(k, fixed_of_entry[e]) for e in entries}
    needed = sum(demand.values())
    active = [j for j in jurors if any(jj == j for jj, _ in allowed)]
    ideal = math.ceil(needed / len(active)) if active else 0

    problems = _diagnose(problem, allowed, cap, demand, fixed_of_entry, fixed_of_juror)
    if problems:
        return _result(problem, (), False, ideal, needed, False, "infeasible", 0.0, problems, active)

    # stage 1: the smallest possible maximum load
    ip = highs.IntegerProgram()
    col = {pair: ip.column(lower=1.0 if pair in problem.fixed else 0.0) for pair in allowed}
    top = ip.column(cost=1.0, lower=0.0, upper=float(len(entries)))
    for e in entries:
        ip.row({col[(j, e)]: 1.0 for j in jurors if (j, e) in col}, demand[e], demand[e])
    for j in jurors:
        mine = {col[(j, e)]: 1.0 for e in entries if (j, e) in col}
        if mine:
            ip.row(mine, upper=float(cap[j]))
            ip.row({**mine, top: -1.0}, upper=0.0)
    h = ip.highs(seed=seed)
    first = highs.solve(h, time_limit * 0.5, mip_abs_gap=0.5)
    if first.values is None:
        problem_text = Message(
            SOLVER_FAILED,
            N_("No assignment was found in the time allowed (%(status)s)."),
            {"status": first.status},
        )
        return _result(
            problem, (), False, ideal, needed, False, first.status, first.seconds, (problem_text,), active
        )
    max_load = round(max(_loads(first.values, col, jurors).values()))

    # stage 2: the same maximum, the most even loads (sum of squares), a seeded tie-break
    ip2 = highs.IntegerProgram()
    rng = random.Random(seed)
    tie = 1.0 / (needed + 1)  # all tie-break costs together stay below 1; load changes cost at least 2
    col2 = {
        pair: ip2.column(cost=tie * rng.random(), lower=1.0 if pair in problem.fixed else 0.0)
        for pair in allowed
    }
    for e in entries:
        ip2.row({col2[(j, e)]: 1.0 for j in jurors if (j, e) in col2}, demand[e], demand[e])
    for j in jurors:
        mine = {col2[(j, e)]: 1.0 for e in entries if (j, e) in col2}
        if not mine:
            continue
        levels = min(max_load, cap[j], len(mine))
        steps = {ip2.column(cost=2.0 * level - 1.0, integer=False): -1.0 for level in range(1, levels + 1)}
        ip2.row({**mine, **steps}, 0.0, 0.0)
    h2 = ip2.highs(seed=seed)
    second = highs.solve(h2, max(0.1, time_limit - first.seconds), mip_abs_gap=0.5)
    values, chosen_col = (second.values, col2) if second.values is not None else (first.values, col)
    pairs = tuple(pair for pair in allowed if values[chosen_col[pair]] > 0.5)
    proven = first.optimal and second.optimal
    status = second.status if second.values is not None else f"{first.status} (balance not refined)"
    return _result(
        problem, pairs, True, ideal, needed, proven, status, first.seconds + second.seconds, (), active
    )


def _loads(
    values: highs.FloatArray, col: Mapping[tuple[Id, Id], int], jurors: tuple[Id, ...]
) -> dict[Id, float]:
    loads = {j: 0.0 for j in jurors}
    for (j, _), c in col.items():
        loads[j] += float(values[c])
    return loads


def _result(
    problem: AssignmentProblem,
    pairs: tuple[tuple[Id, Id], ...],
    feasible: bool,
    ideal: int,
    needed: int,
    proven: bool,
    status: str,
    seconds: float,
    problems: tuple[Message, ...],
    active: list[Id],
) -> AssignmentResult:
    by_juror = {j: tuple(e for jj, e in pairs if jj == j) for j in problem.jurors}
    by_entry = {e: tuple(j for j, ee in pairs if ee == e) for e in problem.entries}
    loads = {j: len(v) for j, v in by_juror.items()}
    active_loads = [loads[j] for j in active] or [0]
    max_load, min_load = max(active_loads), min(active_loads)
    notes: list[Message] = []
    if feasible:
        params: dict[str, Param] = {"k": problem.k, "max": max_load, "min": min_load, "ideal": ideal}
        if max_load == min_load:
            template = N_("Every entry has %(k)s jurors; each juror rates %(max)s entries.")
            notes.append(Message(BALANCED, template, params))
        elif max_load - min_load <= 1:
            template = N_(
                "Every entry has %(k)s jurors; each juror rates %(min)s to %(max)s entries, as even as it gets."
            )
            notes.append(Message(BALANCED, template, params))
        else:
            template = N_(
                "Every entry has %(k)s jurors; loads run from %(min)s to %(max)s entries per juror: recusals "
                "and capacities allow no more even spread (the best possible maximum is %(max)s)."
            )
            notes.append(Message(UNBALANCED, template, params))
    return AssignmentResult(
        feasible=feasible,
        pairs=pairs,
        by_juror=by_juror,
        by_entry=by_entry,
        loads=loads,
        max_load=max_load,
        min_load=min_load,
        ideal_max_load=ideal,
        ratings_needed=needed,
        proven_optimal=proven,
        status=status,
        seconds=seconds,
        problems=problems,
        explanation=tuple(notes),
    )


def _check(problem: AssignmentProblem) -> None:
    problems: list[Message] = []
    k = problem.k
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        template = N_("The number of jurors per entry must be a whole number of at least 1.")
        problems.append(Message(BAD_K, template, field="k"))
    for what, ids in (("entries", problem.entries), ("jurors", problem.jurors)):
        twice = [x for i, x in enumerate(ids) if x in ids[:i]]
        if twice:
            template = N_("These are listed twice: %(ids)s.")
            problems.append(
                Message(ID_TWICE, template, {"ids": names(twice)}, field=what, subjects=tuple(twice))
            )
    jurors, entries = set(problem.jurors), set(problem.entries)
    for what, pairs in (("recusals", problem.recusals), ("fixed", problem.fixed)):
        for j, e in pairs:
            if j not in jurors:
                template = N_("%(juror)s is not a juror of this round.")
                problems.append(
                    Message(UNKNOWN_JUROR, template, {"juror": str(j)}, field=what, subjects=(j,))
                )
            if e not in entries:
                template = N_("%(entry)s is not an entry of this round.")
                problems.append(
                    Message(UNKNOWN_ENTRY, template, {"entry": str(e)}, field=what, subjects=(e,))
                )
    for j, c in problem.capacity.items():
        if j not in jurors:
            template = N_("%(juror)s is not a juror of this round.")
            problems.append(
                Message(UNKNOWN_JUROR, template, {"juror": str(j)}, field="capacity", subjects=(j,))
            )
        if isinstance(c, bool) or not isinstance(c, int) or c < 0:
            template = N_("The capacity of %(juror)s must be a whole number of entries, 0 or more.")
            problems.append(
                Message(BAD_CAPACITY, template, {"juror": str(j)}, field=f"capacity.{j}", subjects=(j,))
            )
    for j, e in problem.fixed & problem.recusals:
        template = N_("%(juror)s is recused from %(entry)s and cannot keep that assignment.")
        params: dict[str, Param] = {"juror": str(j), "entry": str(e)}
        problems.append(Message(FIXED_RECUSED, template, params, field="fixed", subjects=(j, e)))
    if problems:
        raise EngineInputError(problems)
    for j in problem.jurors:
        kept = sum(1 for jj, _ in problem.fixed if jj == j)
        limit = problem.capacity.get(j)
        if limit is not None and kept > limit:
            template = N_("%(juror)s already has %(kept)s entries, more than their capacity of %(capacity)s.")
            params = {"juror": str(j), "kept": kept, "capacity": limit}
            problems.append(
                Message(FIXED_OVER_CAPACITY, template, params, field=f"capacity.{j}", subjects=(j,))
            )
    if problems:
        raise EngineInputError(problems)


def _diagnose(
    problem: AssignmentProblem,
    allowed: list[tuple[Id, Id]],
    cap: Mapping[Id, int],
    demand: Mapping[Id, int],
    fixed_of_entry: Mapping[Id, int],
    fixed_of_juror: Mapping[Id, int],
) -> tuple[Message, ...]:
    """Why no assignment exists (empty when one does): a max flow from entries to jurors decides it."""
    problems: list[Message] = []
    eligible = {e: [j for j, ee in allowed if ee == e] for e in problem.entries}
    short = [e for e in problem.entries if len(eligible[e]) < demand[e]]
    if short:
        counts = ", ".join(f"{e}: {len(eligible[e])}" for e in short)
        template = N_(
            "These entries cannot get %(k)s jurors who are not recused and have room: %(entries)s "
            "(jurors available: %(counts)s)."
        )
        params: dict[str, Param] = {"k": problem.k, "entries": names(short), "counts": counts}
        problems.append(Message(TOO_FEW_JURORS, template, params, field="k", subjects=tuple(short)))
        return tuple(problems)
    # max flow: source -> entry (ratings still needed) -> juror (1 per allowed pair) -> sink (room left)
    free_pairs = [(j, e) for j, e in allowed if (j, e) not in problem.fixed]
    need = {e: demand[e] - fixed_of_entry[e] for e in problem.entries}
    room = {j: cap[j] - fixed_of_juror[j] for j in problem.jurors}
    flow = _MaxFlow(need, room, free_pairs)
    if flow.value >= sum(need.values()):
        return ()
    cut_entries, _ = flow.source_side()
    group = [e for e in problem.entries if e in cut_entries]
    their_jurors = [j for j in problem.jurors if any((j, e) in flow.pairs for e in group)]
    available = sum(min(room[j], sum(1 for e in group if (j, e) in flow.pairs)) for j in their_jurors)
    template = N_(
        "The entries %(entries)s need %(needed)s more ratings, but the jurors allowed to rate them "
        "(%(jurors)s) have room for only %(room)s: raise a capacity, invite a juror, or lower k."
    )
    params = {
        "entries": names(group),
        "needed": sum(need[e] for e in group),
        "jurors": names(their_jurors) or "-",
        "room": available,
    }
    problems.append(Message(NO_ROOM, template, params, field="capacity", subjects=tuple(group)))
    return tuple(problems)


class _MaxFlow:
    """Edmonds-Karp on the bipartite network (small: entries x jurors of one round)."""

    def __init__(self, need: Mapping[Id, int], room: Mapping[Id, int], pairs: list[tuple[Id, Id]]) -> None:
        self.pairs = set(pairs)
        self.source, self.sink = ("s",), ("t",)
        self.residual: dict[object, dict[object, int]] = {self.source: {}, self.sink: {}}

        def edge(a: object, b: object, c: int) -> None:
            self.residual.setdefault(a, {})
            self.residual.setdefault(b, {})
            self.residual[a][b] = self.residual[a].get(b, 0) + c
            self.residual[b].setdefault(a, 0)

        for e, n in need.items():
            edge(self.source, ("e", e), n)
        for j, e in pairs:
            edge(("e", e), ("j", j), 1)
        for j, r in room.items():
            edge(("j", j), self.sink, r)
        self.value = 0
        while True:
            parent = self._bfs()
            if self.sink not in parent:
                break
            path: list[tuple[object, object]] = []
            node: object = self.sink
            while node != self.source:
                path.append((parent[node], node))
                node = parent[node]
            push = min(self.residual[a][b] for a, b in path)
            for a, b in path:
                self.residual[a][b] -= push
                self.residual[b][a] += push
            self.value += push

    def _bfs(self) -> dict[object, object]:
        parent: dict[object, object] = {self.source: self.source}
        queue: deque[object] = deque([self.source])
        while queue:
            a = queue.popleft()
            for b, c in self.residual[a].items():
                if c > 0 and b not in parent:
                    parent[b] = a
                    if b == self.sink:
                        return parent
                    queue.append(b)
        return parent

    def source_side(self) -> tuple[set[Id], set[Id]]:
        reached = self._bfs()
        entries = {n[1] for n in reached if isinstance(n, tuple) and len(n) == 2 and n[0] == "e"}
        jurors = {n[1] for n in reached if isinstance(n, tuple) and len(n) == 2 and n[0] == "j"}
        return entries, jurors
