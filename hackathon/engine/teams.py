"""Balanced team formation for Culture Experience Days.

Method: a greedy start then local search (moves and swaps of people, iterated with seeded random kicks),
not an integer program: the teams are interchangeable, so an integer program spends its time on symmetric
copies, while the search reaches the proven bound on typical instances in well under a second.

Balance measure (lower is better; each term in its own unit, then weighted):
- sizes: sum over teams of |size - N / T|;
- roles: sum over roles and teams of |members with the role - (people with the role) / T|;
- skills: the same for each skill tag;
- organisations: in each team, for each organisation, one point per extra unit of it (a unit is a person,
  or a group who asked to be together, or an existing team: colleagues who asked to be together cost
  nothing).
Hard rules: sizes within the limits, every team with at least `min_roles` distinct roles, together-groups and
existing teams kept (existing teams keep their id and may receive people).

Bound: each term's own minimum, taken alone (N_a people of attribute a over T teams cost at least
2 m (T - m) / T with m = N_a mod T; an organisation of u units at least max(0, u - T)). No assignment can
beat their weighted sum; when the result reaches it, it is optimal. A random assignment with the same team
sizes is the other reference (`random_formation`).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from juries.engine import highs
from juries.engine.base import N_, EngineInputError, Id, Message, Param, names

ROLES = ("artist", "researcher", "technician", "developer", "designer", "other")
HARD = 1.0e4  # the cost of one unit of a hard rule broken: no balance gain can pay for it

UNKNOWN_ROLE = "team_unknown_role"
PARTICIPANT_TWICE = "team_participant_twice"
BAD_SIZES = "team_bad_sizes"
BAD_TEAMS = "team_bad_team_count"
BAD_MIN_ROLES = "team_bad_min_roles"
GROUP_TOO_BIG = "team_group_too_big"
GROUP_TWO_TEAMS = "team_group_two_teams"
EXISTING_TOO_BIG = "team_existing_too_big"
TOO_FEW_PEOPLE = "team_too_few_people"
NO_TEAM_COUNT = "team_no_team_count"
TEAMS_OUT_OF_RANGE = "team_count_out_of_range"
TOO_MANY_EXISTING = "team_too_many_existing"
TOO_FEW_ROLES = "team_too_few_roles"
SEARCH_FAILED = "team_search_failed"
OPTIMAL = "team_optimal"
GAP = "team_gap"


@dataclass(frozen=True)
class Participant:
    id: Id
    role: str  # one of ROLES
    skills: frozenset[str] = frozenset()
    organisation: Id | None = None
    together: frozenset[Id] = frozenset()  # group ids: people sharing one end up in one team
    team: Id | None = None  # an existing (partial) team: kept, may receive people


@dataclass(frozen=True)
class BalanceWeights:
    size: float = 10.0
    roles: float = 3.0
    organisations: float = 3.0
    skills: float = 1.0


@dataclass(frozen=True)
class TeamRules:
    min_size: int = 4
    max_size: int = 6
    teams: int | None = None  # None: N / target_size rounded, kept within what the size limits allow
    target_size: int | None = None  # None: the middle of the limits, rounded down
    min_roles: int = 2
    weights: BalanceWeights = BalanceWeights()
    rounds: int = (
        40  # local-search restarts from a kicked best (the result depends only on them and the seed)
    )
    seed: int = 1
    time_limit: float = 10.0  # a safety cap; when it stops the search, the result says so


@dataclass(frozen=True)
class BalanceMeasure:
    sizes: float
    roles: float
    skills: float
    organisations: float
    total: float  # weighted sum


@dataclass(frozen=True)
class Team:
    number: int  # 1, 2, ...: existing teams first, in input order
    existing: Id | None  # the existing team's id, or None for a new team
    members: tuple[Id, ...]  # in input order
    roles: tuple[tuple[str, int], ...]  # in ROLES order, present roles only
    skills: tuple[str, ...]  # sorted
    organisations: tuple[tuple[Id, int], ...]  # organisation -> members
    shared_organisations: tuple[Id, ...]  # organisations with more than one unit in the team


@dataclass(frozen=True)
class TeamFormation:
    teams: tuple[Team, ...]
    measure: BalanceMeasure | None  # None when no formation was found
    bound: BalanceMeasure | None  # the per-term minima (see the module docstring)
    method: str  # "local search", "random"
    proven_optimal: bool  # measure.total equals the bound
    seconds: float
    rounds_run: int
    stopped_by_time: bool
    problems: tuple[Message, ...]  # why no formation
    explanation: tuple[Message, ...]

    @property
    def gap(self) -> float:
        if self.measure is None or self.bound is None:
            return math.inf
        return self.measure.total - self.bound.total

    def team_of(self, participant: Id) -> Team:
        for t in self.teams:
            if participant in t.members:
                return t
        raise KeyError(participant)


FloatMatrix = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass
class _Instance:
    people: Sequence[Participant]
    rules: TeamRules
    blocks: list[list[int]]  # participant indices, in input order
    pinned: list[int]  # team index of each block, -1 when free
    existing: list[Id]  # existing team ids, in input order (team indices 0..)
    n_teams: int
    vectors: FloatMatrix  # blocks x attributes
    ideal: FloatMatrix  # per deviation attribute
    weight: FloatMatrix  # per deviation attribute
    n_dev: int  # columns [0, n_dev): size, roles, skills; then organisations
    skills: list[str]
    organisations: list[Id]

    def costs(self, rows: FloatMatrix) -> FloatMatrix:
        """Each team's weighted balance cost plus the hard-rule penalties, for a matrix of team rows."""
        r = self.rules
        dev = np.abs(rows[:, : self.n_dev] - self.ideal) @ self.weight
        org = np.maximum(rows[:, self.n_dev :] - 1.0, 0.0).sum(axis=1) * r.weights.organisations
        size = rows[:, 0]
        present = (rows[:, 1 : 1 + len(ROLES)] > 0.5).sum(axis=1)
        broken = (
            np.maximum(r.min_roles - present, 0)
            + np.maximum(r.min_size - size, 0.0)
            + np.maximum(size - r.max_size, 0.0)
        )
        out: FloatMatrix = dev + org + HARD * broken
        return out

    def measure(self, counts: FloatMatrix) -> BalanceMeasure:
        w = self.rules.weights
        roles_end = 1 + len(ROLES)
        gap = np.abs(counts[:, : self.n_dev] - self.ideal)
        sizes = float(gap[:, 0].sum())
        roles = float(gap[:, 1:roles_end].sum())
        skills = float(gap[:, roles_end : self.n_dev].sum())
        orgs = float(np.maximum(counts[:, self.n_dev :] - 1.0, 0.0).sum())
        total = w.size * sizes + w.roles * roles + w.skills * skills + w.organisations * orgs
        return BalanceMeasure(sizes, roles, skills, orgs, total)

    def bound(self) -> BalanceMeasure:
        """Each term's own minimum, taken alone (see the module docstring): no formation does better."""
        totals = self.vectors.sum(axis=0)
        free = np.array([t < 0 for t in self.pinned])
        pinned_amounts = np.zeros((self.n_teams, self.vectors.shape[1]))
        for b, t in enumerate(self.pinned):
            if t >= 0:
                pinned_amounts[t] += self.vectors[b]
        cap = self.rules.max_size
        minima = [
            _attribute_minimum(
                self.vectors[free, a], pinned_amounts[:, a], self.n_teams, float(totals[a]), cap
            )
            for a in range(self.n_dev)
        ]
        roles_end = 1 + len(ROLES)
        sizes = minima[0]
        roles = math.fsum(minima[1:roles_end])
        skills = math.fsum(minima[roles_end:])
        orgs = math.fsum(max(0.0, float(v) - self.n_teams) for v in totals[self.n_dev :])
        w = self.rules.weights
        total = w.size * sizes + w.roles * roles + w.skills * skills + w.organisations * orgs
        return BalanceMeasure(sizes, roles, skills, orgs, total)


def _attribute_minimum(
    chunks: FloatMatrix, pinned: FloatMatrix, n_teams: int, total: float, cap: int
) -> float:
    """min over teams of sum |c_t - total / T| for one attribute, where c_t is made of the free blocks'
    amounts (chunks, which cannot be split) and each team's pinned amount. Without chunks above 1 or pinned
    amounts it is 2 m (T - m) / T (m = total mod T: m teams get one more). Otherwise a small integer program
    over team values (how many free teams take each value 0..cap, which value each pinned team takes), with
    the chunks relaxed to "a team of free amount u holds at most floor(u / k) chunks of k or more"."""
    T = n_teams
    q = total / T
    sizes = [int(round(c)) for c in chunks if c > 0.5]
    held = [int(round(p)) for p in pinned]
    if max(sizes, default=0) <= 1 and not any(held):
        m = int(round(total)) % T
        return 2.0 * m * (T - m) / T
    ip = highs.IntegerProgram()
    pinned_teams = [t for t in range(T) if held[t] > 0]
    free_teams = T - len(pinned_teams)
    count = {v: ip.column(cost=abs(v - q), upper=float(free_teams)) for v in range(cap + 1)}
    value = {
        (t, v): ip.column(cost=abs(v - q))
        for t in pinned_teams
        for v in range(held[t], max(cap, held[t]) + 1)
    }
    ip.row(dict.fromkeys(count.values(), 1.0), free_teams, free_teams)
    for t in pinned_teams:
        ip.row({c: 1.0 for (tt, _), c in value.items() if tt == t}, 1.0, 1.0)
    amount = {c: float(v) for v, c in count.items()} | {c: float(v) for (_, v), c in value.items()}
    ip.row(amount, total, total)
    for k in range(2, max(sizes, default=0) + 1):
        room = {c: float(v // k) for v, c in count.items()}
        room |= {c: float((v - held[t]) // k) for (t, v), c in value.items()}
        ip.row(room, lower=float(sum(1 for s in sizes if s >= k)))
    outcome = highs.solve(ip.highs(), 2.0)
    if outcome.values is None:  # cannot happen (the actual formation is a solution); the weaker bound holds
        m = int(round(total)) % T
        return 2.0 * m * (T - m) / T
    return max(0.0, outcome.bound)


def form_teams(people: Sequence[Participant], rules: TeamRules = TeamRules()) -> TeamFormation:
    """Balanced teams (see the module docstring). EngineInputError for inconsistent input; no teams, with
    the reasons in `problems`, when the rules cannot be met."""
    started = time.perf_counter()
    _check(people, rules)
    inst, problems = _prepare(people, rules)
    if inst is None:
        return _empty(problems, started)
    search = _Search(inst, random.Random(rules.seed))
    assign = search.greedy()
    best, best_cost = search.improve(assign)
    bound = inst.bound()
    rounds, stopped = 0, False
    deadline = started + rules.time_limit
    for _ in range(rules.rounds):
        if best_cost <= bound.total + 1e-6:
            break
        if time.perf_counter() > deadline:
            stopped = True
            break
        rounds += 1
        candidate, cost = search.improve(search.kick(best.copy()))
        if cost < best_cost - 1e-9:
            best, best_cost = candidate, cost
    return _finish(inst, best, bound, "local search", rounds, stopped, started)


def random_formation(people: Sequence[Participant], rules: TeamRules = TeamRules()) -> TeamFormation:
    """A random assignment with the same team sizes (groups and existing teams kept): the reference a
    balance measure is compared with. Hard rules other than sizes may be broken (then listed in problems)."""
    started = time.perf_counter()
    _check(people, rules)
    inst, problems = _prepare(people, rules)
    if inst is None:
        return _empty(problems, started)
    search = _Search(inst, random.Random(rules.seed))
    return _finish(inst, search.random_start(), inst.bound(), "random", 0, False, started)


def team_count(n_people: int, rules: TeamRules) -> int | None:
    """The number of teams for n people: rules.teams, or n / target size rounded, within what the size
    limits allow; None when no count fits."""
    if n_people == 0:
        return 0
    low, high = math.ceil(n_people / rules.max_size), n_people // rules.min_size
    if low > high:
        return None
    if rules.teams is not None:
        return rules.teams if low <= rules.teams <= high else None
    target = rules.target_size or (rules.min_size + rules.max_size) // 2
    return min(high, max(low, math.floor(n_people / target + 0.5)))


class _Search:
    def __init__(self, inst: _Instance, rng: random.Random) -> None:
        self.inst = inst
        self.rng = rng
        self.free = [b for b, t in enumerate(inst.pinned) if t < 0]

    def counts(self, assign: IntArray) -> FloatMatrix:
        counts = np.zeros((self.inst.n_teams, self.inst.vectors.shape[1]))
        np.add.at(counts, assign, self.inst.vectors)
        return counts

    def total(self, assign: IntArray) -> float:
        return float(self.inst.costs(self.counts(assign)).sum())

    def greedy(self) -> IntArray:
        """Pinned blocks in their teams; then the free blocks, largest and rarest first, each into the team
        where it adds least to the cost (room permitting)."""
        inst = self.inst
        assign = np.array([max(t, 0) for t in inst.pinned], dtype=np.int64)
        counts = np.zeros((inst.n_teams, inst.vectors.shape[1]))
        for b, t in enumerate(inst.pinned):
            if t >= 0:
                counts[t] += inst.vectors[b]
        rarity = 1.0 / np.maximum(inst.vectors.sum(axis=0), 1.0)
        order = sorted(
            self.free, key=lambda b: (-inst.vectors[b, 0], -float(inst.vectors[b, 1:] @ rarity[1:]), b)
        )
        for b in order:
            v = inst.vectors[b]
            rows = counts + v
            delta = inst.costs(rows) - inst.costs(counts)
            delta[rows[:, 0] > inst.rules.max_size] += HARD * 100  # room first
            t = int(np.argmin(delta))
            assign[b] = t
            counts[t] += v
        return assign

    def random_start(self) -> IntArray:
        """Free blocks in random order, each into a random team among the smallest ones with room."""
        inst = self.inst
        assign = np.array([max(t, 0) for t in inst.pinned], dtype=np.int64)
        sizes = np.zeros(inst.n_teams)
        for b, t in enumerate(inst.pinned):
            if t >= 0:
                sizes[t] += inst.vectors[b, 0]
        order = list(self.free)
        self.rng.shuffle(order)
        order.sort(key=lambda b: -inst.vectors[b, 0])  # big groups first, so they find room
        for b in order:
            size = inst.vectors[b, 0]
            room = [t for t in range(inst.n_teams) if sizes[t] + size <= inst.rules.max_size] or list(
                range(inst.n_teams)
            )
            smallest = min(sizes[t] for t in room)
            t = self.rng.choice([t for t in room if sizes[t] == smallest])
            assign[b] = t
            sizes[t] += size
        return assign

    def improve(self, assign: IntArray) -> tuple[IntArray, float]:
        """Best-improvement moves and swaps of free blocks until none lowers the cost."""
        inst = self.inst
        V = inst.vectors
        counts = self.counts(assign)
        costs = inst.costs(counts)
        free = np.array(self.free, dtype=np.int64)
        if not len(free):
            return assign, float(costs.sum())
        improved = True
        while improved:
            improved = False
            order = list(self.free)
            self.rng.shuffle(order)
            for b in order:
                t = int(assign[b])
                v = V[b]
                leave = float(inst.costs((counts[t] - v)[None, :])[0] - costs[t])
                move = inst.costs(counts + v) - costs + leave
                move[t] = np.inf
                u = int(np.argmin(move))
                best_delta, best_kind, best_other = float(move[u]), "move", u
                others = free[assign[free] != t]
                if len(others):
                    V2 = V[others]
                    t2 = assign[others]
                    here = inst.costs(counts[t] - v + V2)
                    there = inst.costs(counts[t2] - V2 + v)
                    swap = here + there - costs[t] - costs[t2]
                    j = int(np.argmin(swap))
                    if swap[j] < best_delta:
                        best_delta, best_kind, best_other = float(swap[j]), "swap", int(others[j])
                if best_delta < -1e-9:
                    if best_kind == "move":
                        counts[t] -= v
                        counts[best_other] += v
                        assign[b] = best_other
                        costs[[t, best_other]] = inst.costs(counts[[t, best_other]])
                    else:
                        c = best_other
                        tc = int(assign[c])
                        counts[t] += V[c] - v
                        counts[tc] += v - V[c]
                        assign[b], assign[c] = tc, t
                        costs[[t, tc]] = inst.costs(counts[[t, tc]])
                    improved = True
        return assign, float(costs.sum())

    def kick(self, assign: IntArray) -> IntArray:
        """A few random swaps of free blocks of equal size between teams (sizes stay as they are)."""
        inst = self.inst
        if len(self.free) < 2:
            return assign
        for _ in range(max(2, len(self.free) // 15)):
            b, c = self.rng.sample(self.free, 2)
            if assign[b] != assign[c] and inst.vectors[b, 0] == inst.vectors[c, 0]:
                assign[b], assign[c] = assign[c], assign[b]
        return assign


def _check(people: Sequence[Participant], rules: TeamRules) -> None:
    problems: list[Message] = []
    seen: set[Id] = set()
    for i, p in enumerate(people):
        if p.id in seen:
            template = N_("%(person)s is listed twice.")
            problems.append(Message(PARTICIPANT_TWICE, template, {"person": str(p.id)}, field=f"people[{i}]"))
        seen.add(p.id)
        if p.role not in ROLES:
            template = N_("The role of %(person)s must be one of: %(roles)s.")
            params: dict[str, Param] = {"person": str(p.id), "roles": ", ".join(ROLES)}
            problems.append(
                Message(UNKNOWN_ROLE, template, params, field=f"people[{i}].role", subjects=(p.id,))
            )
    sizes_ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (rules.min_size, rules.max_size))
    if not sizes_ok or rules.min_size < 1 or rules.max_size < rules.min_size:
        template = N_("Team sizes need a minimum of at least 1 and a maximum no smaller than the minimum.")
        problems.append(Message(BAD_SIZES, template, field="max_size"))
    if rules.teams is not None and (
        isinstance(rules.teams, bool) or not isinstance(rules.teams, int) or rules.teams < 1
    ):
        template = N_("The number of teams must be a whole number of at least 1.")
        problems.append(Message(BAD_TEAMS, template, field="teams"))
    if (
        rules.target_size is not None
        and sizes_ok
        and not rules.min_size <= rules.target_size <= rules.max_size
    ):
        template = N_("The target team size must lie within the size limits.")
        problems.append(Message(BAD_SIZES, template, field="target_size"))
    if not isinstance(rules.min_roles, int) or not 1 <= rules.min_roles <= len(ROLES):
        template = N_("The minimum number of roles per team must be between 1 and %(roles)s.")
        problems.append(Message(BAD_MIN_ROLES, template, {"roles": len(ROLES)}, field="min_roles"))
    if problems:
        raise EngineInputError(problems)


def _blocks(people: Sequence[Participant]) -> list[list[int]]:
    """People linked by a together-group or an existing team, as lists of indices (union-find)."""
    parent = list(range(len(people)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, Id], int] = {}
    for i, p in enumerate(people):
        keys = [("group", g) for g in p.together] + ([("team", p.team)] if p.team is not None else [])
        for key in keys:
            if key in first:
                a, b = find(first[key]), find(i)
                parent[max(a, b)] = min(a, b)
            else:
                first[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(people)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _prepare(people: Sequence[Participant], rules: TeamRules) -> tuple[_Instance | None, tuple[Message, ...]]:
    blocks = _blocks(people)
    existing = list(dict.fromkeys(p.team for p in people if p.team is not None))
    input_problems: list[Message] = []
    pinned: list[int] = []
    for block in blocks:
        teams = list(dict.fromkeys(people[i].team for i in block if people[i].team is not None))
        members = [people[i].id for i in block]
        if len(teams) > 1:
            template = N_("A together-group joins people of two existing teams (%(teams)s): %(people)s.")
            params: dict[str, Param] = {"teams": names(teams), "people": names(members)}
            input_problems.append(
                Message(GROUP_TWO_TEAMS, template, params, field="together", subjects=tuple(members))
            )
        if len(block) > rules.max_size:
            if teams:
                template = N_(
                    "The team %(team)s already has %(count)s people, more than the maximum of %(max)s."
                )
                params = {"team": str(teams[0]), "count": len(block), "max": rules.max_size}
                code = EXISTING_TOO_BIG
            else:
                template = N_(
                    "%(count)s people asked to be together (%(people)s), more than a team's maximum of %(max)s."
                )
                params = {"count": len(block), "people": names(members), "max": rules.max_size}
                code = GROUP_TOO_BIG
            input_problems.append(Message(code, template, params, field="together", subjects=tuple(members)))
        pinned.append(existing.index(teams[0]) if teams else -1)
    if input_problems:
        raise EngineInputError(input_problems)
    n = len(people)
    problems: list[Message] = []
    if n == 0:
        return None, ()
    params = {"count": n, "min": rules.min_size, "max": rules.max_size}
    if n < rules.min_size:
        template = N_("%(count)s participants are too few for a team of at least %(min)s.")
        return None, (Message(TOO_FEW_PEOPLE, template, params, field="min_size"),)
    n_teams = team_count(n, rules)
    if n_teams is None:
        if rules.teams is not None:
            template = N_("%(count)s participants cannot make %(teams)s teams of %(min)s to %(max)s people.")
            return None, (
                Message(TEAMS_OUT_OF_RANGE, template, {**params, "teams": rules.teams}, field="teams"),
            )
        template = N_("%(count)s participants cannot be split into teams of %(min)s to %(max)s people.")
        return None, (Message(NO_TEAM_COUNT, template, params, field="max_size"),)
    if len(existing) > n_teams:
        template = N_("There are %(existing)s existing teams, more than the %(teams)s teams to form.")
        problems.append(
            Message(TOO_MANY_EXISTING, template, {"existing": len(existing), "teams": n_teams}, field="teams")
        )
    role_counts = {r: sum(1 for p in people if p.role == r) for r in ROLES}
    if sum(min(c, n_teams) for c in role_counts.values()) < rules.min_roles * n_teams:
        template = N_(
            "Every team needs %(min_roles)s different roles, but the participants' roles (%(roles)s) do not "
            "allow it for %(teams)s teams."
        )
        mix = ", ".join(f"{r}: {c}" for r, c in role_counts.items() if c)
        params = {"min_roles": rules.min_roles, "roles": mix, "teams": n_teams}
        problems.append(Message(TOO_FEW_ROLES, template, params, field="min_roles"))
    if problems:
        return None, tuple(problems)

    skills = sorted({s for p in people for s in p.skills})
    organisations = list(dict.fromkeys(p.organisation for p in people if p.organisation is not None))
    n_dev = 1 + len(ROLES) + len(skills)
    vectors = np.zeros((len(blocks), n_dev + len(organisations)))
    role_col = {r: 1 + i for i, r in enumerate(ROLES)}
    skill_col = {s: 1 + len(ROLES) + i for i, s in enumerate(skills)}
    org_col = {o: n_dev + i for i, o in enumerate(organisations)}
    for b, block in enumerate(blocks):
        for i in block:
            p = people[i]
            vectors[b, 0] += 1
            vectors[b, role_col[p.role]] += 1
            for s in p.skills:
                vectors[b, skill_col[s]] += 1
            if p.organisation is not None:
                vectors[b, org_col[p.organisation]] = 1.0  # one unit per block, however many colleagues
    w = rules.weights
    weight = np.concatenate([[w.size], np.full(len(ROLES), w.roles), np.full(len(skills), w.skills)])
    ideal = vectors[:, :n_dev].sum(axis=0) / n_teams
    inst = _Instance(
        people=people,
        rules=rules,
        blocks=blocks,
        pinned=pinned,
        existing=existing,
        n_teams=n_teams,
        vectors=vectors,
        ideal=ideal,
        weight=weight,
        n_dev=n_dev,
        skills=skills,
        organisations=organisations,
    )
    return inst, ()


def _empty(problems: tuple[Message, ...], started: float) -> TeamFormation:
    zero = BalanceMeasure(0.0, 0.0, 0.0, 0.0, 0.0)
    ok = not problems
    return TeamFormation(
        teams=(),
        measure=zero if ok else None,
        bound=zero if ok else None,
        method="none",
        proven_optimal=ok,
        seconds=time.perf_counter() - started,
        rounds_run=0,
        stopped_by_time=False,
        problems=problems,
        explanation=(),
    )


def _finish(
    inst: _Instance,
    assign: IntArray,
    bound: BalanceMeasure,
    method: str,
    rounds: int,
    stopped: bool,
    started: float,
) -> TeamFormation:
    people, rules = inst.people, inst.rules
    members: list[list[int]] = [[] for _ in range(inst.n_teams)]
    for b, block in enumerate(inst.blocks):
        members[int(assign[b])].extend(block)
    counts = np.zeros((inst.n_teams, inst.vectors.shape[1]))
    np.add.at(counts, assign, inst.vectors)
    measure = inst.measure(counts)
    teams: list[Team] = []
    problems: list[Message] = []
    for t, idx in enumerate(members):
        idx.sort()
        team_people = [people[i] for i in idx]
        roles = tuple((r, n) for r in ROLES if (n := sum(1 for p in team_people if p.role == r)))
        orgs: dict[Id, int] = {}
        for p in team_people:
            if p.organisation is not None:
                orgs[p.organisation] = orgs.get(p.organisation, 0) + 1
        shared = tuple(
            o for o in inst.organisations if counts[t, inst.n_dev + inst.organisations.index(o)] > 1.5
        )
        teams.append(
            Team(
                number=t + 1,
                existing=inst.existing[t] if t < len(inst.existing) else None,
                members=tuple(p.id for p in team_people),
                roles=roles,
                skills=tuple(sorted({s for p in team_people for s in p.skills})),
                organisations=tuple(orgs.items()),
                shared_organisations=shared,
            )
        )
        size = len(idx)
        if not rules.min_size <= size <= rules.max_size or len(roles) < rules.min_roles:
            template = N_(
                "Team %(team)s would have %(count)s people and %(roles)s role(s); no formation meeting the size "
                "limits and %(min_roles)s roles per team was found."
            )
            params: dict[str, Param] = {
                "team": t + 1,
                "count": size,
                "roles": len(roles),
                "min_roles": rules.min_roles,
            }
            problems.append(Message(SEARCH_FAILED, template, params, field="teams"))
    proven = measure.total <= bound.total + 1e-6
    notes: list[Message] = []
    figures: dict[str, Param] = {"measure": round(measure.total, 2), "bound": round(bound.total, 2)}
    if proven:
        template = N_("Balance %(measure)s: the best possible (it equals the proven lower bound).")
        notes.append(Message(OPTIMAL, template, figures))
    else:
        template = N_(
            "Balance %(measure)s (lower is better); no formation can do better than %(bound)s, so this one is at "
            "most %(gap)s away from the best."
        )
        notes.append(Message(GAP, template, {**figures, "gap": round(measure.total - bound.total, 2)}))
    if problems and method != "random":
        return TeamFormation(
            (),
            None,
            bound,
            method,
            False,
            time.perf_counter() - started,
            rounds,
            stopped,
            tuple(problems),
            (),
        )
    return TeamFormation(
        teams=tuple(teams),
        measure=measure,
        bound=bound,
        method=method,
        proven_optimal=proven,
        seconds=time.perf_counter() - started,
        rounds_run=rounds,
        stopped_by_time=stopped,
        problems=tuple(problems),
        explanation=tuple(notes),
    )
