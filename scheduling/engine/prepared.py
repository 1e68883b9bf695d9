"""Shared machinery of the schedulers: the prepared (array) form of an instance, table assignment,
the result object with shares and unmet-wish reasons, and an independent checker of any schedule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .model import (
    BUYER,
    CAPACITY,
    DECLINED,
    FROZEN,
    NO_COMMON_SLOT,
    PID,
    PRODUCER,
    Instance,
    Meeting,
    ScheduleInputError,
    validate,
)


@dataclass(frozen=True)
class UnmetWish:
    source: PID
    target: PID
    priority: int
    reason: str


@dataclass
class Schedule:
    """A schedule with its figures. `meetings` all carry a table number."""

    meetings: list[Meeting]
    method: str  # "mip" or "greedy"
    status: str = "optimal"
    total_weight: float = 0.0  # sum of pair weights of the meetings (pins and published included)
    bound: float | None = None  # proven upper bound on total_weight (same constraints)
    gap: float | None = None  # (bound - total) / bound
    shares: dict[PID, float] = field(default_factory=dict)  # own satisfied wish weight / attainable weight
    min_share: float | None = None
    worst_off: PID | None = None
    unmet: list[UnmetWish] = field(default_factory=list)
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    # fairness (MIP with fair=True): target z, and the price vs. the unconstrained optimum
    fairness_target: float | None = None
    fairness_bound: float | None = None  # proven upper bound on the max-min share (within the budget)
    fairness_budget: float | None = None  # the share of the optimum total fairness could give up (None: any)
    unconstrained_weight: float | None = None
    unconstrained_bound: float | None = None
    unconstrained_min_share: float | None = None

    @property
    def seconds(self) -> float:
        return self.build_seconds + self.solve_seconds

    @property
    def price_of_fairness(self) -> float | None:
        """Relative loss of total weight against the unconstrained optimum (>= 0 up to solver gaps)."""
        if self.unconstrained_weight is None or not self.unconstrained_weight:
            return None
        return (self.unconstrained_weight - self.total_weight) / self.unconstrained_weight

    def agenda(self, pid: PID) -> list[Meeting]:
        return sorted((m for m in self.meetings if pid in (m.producer, m.buyer)), key=lambda m: m.slot)


class Prepared:
    """Index form of an instance after fixing pins and published meetings.

    Participants are numbered in instance order; `free[i, s]` says whether i can still meet someone in slot s
    (available, slot open, not already in a fixed meeting). Candidate pairs are (producer, buyer) index pairs
    wished by at least one side, not declined, not already fixed.
    """

    def __init__(self, inst: Instance, newcomers: Iterable[PID] | None = None) -> None:
        problems = validate(inst)
        if problems:
            raise ScheduleInputError(problems)
        self.inst = inst
        self.ids: list[PID] = [p.id for p in inst.participants]
        self.index = {pid: i for i, pid in enumerate(self.ids)}
        n, slots = len(self.ids), sorted(inst.slots, key=lambda s: s.index)
        self.slots = slots
        self.slot_pos = {s.index: k for k, s in enumerate(slots)}
        S = len(slots)
        self.n, self.S = n, S
        self.is_producer = np.array([p.side == PRODUCER for p in inst.participants], dtype=bool)
        self.needs_acc = np.array([p.needs_accessible for p in inst.participants], dtype=bool)
        tables = np.array([s.tables for s in slots], dtype=np.int64)
        acc = np.array(
            [sum(1 for t in inst.accessible_tables if 1 <= t <= s.tables) for s in slots], np.int64
        )
        self.slot_has_acc = acc > 0
        avail = np.ones((n, S), dtype=bool)
        for i, person in enumerate(inst.participants):
            for s in person.unavailable:
                if s in self.slot_pos:
                    avail[i, self.slot_pos[s]] = False
        avail &= (tables > 0)[None, :]
        self.avail = avail  # availability before fixed meetings
        default_max = inst.max_meetings if inst.max_meetings is not None else S
        self.max_total = np.array(
            [p.max_meetings if p.max_meetings is not None else default_max for p in inst.participants],
            np.int64,
        )
        self.max_total = np.minimum(self.max_total, S)

        prio_w = inst.weights.priority
        own: dict[tuple[int, int], float] = {}  # (wisher, target) -> own priority weight
        self.wish_priority: dict[tuple[int, int], int] = {}
        for w in inst.wishes:
            a, b = self.index[w.source], self.index[w.target]
            own[(a, b)] = float(prio_w[w.priority])
            self.wish_priority[(a, b)] = w.priority
        self.own = own
        self.declined = {
            (self.index[d.source], self.index[d.target])
            if self.is_producer[self.index[d.source]]
            else (self.index[d.target], self.index[d.source])
            for d in inst.declines
        }

        # fixed meetings: published (slot and table kept) then pins (table may be chosen)
        problems = []
        free = avail.copy()
        remaining_max = self.max_total.copy()
        open_tables = [set(range(1, s.tables + 1)) for s in slots]
        self.fixed: list[tuple[int, int, int, int | None]] = []  # (p, b, slot position, table)
        for m in list(inst.published) + list(inst.pins):
            p, b, s = self.index[m.producer], self.index[m.buyer], self.slot_pos[m.slot]
            self.fixed.append((p, b, s, m.table))
            free[p, s] = free[b, s] = False
            remaining_max[p] -= 1
            remaining_max[b] -= 1
            if m.table is not None:
                open_tables[s].discard(m.table)
                if (self.needs_acc[p] or self.needs_acc[b]) and m.table not in inst.accessible_tables:
                    problems.append(
                        f"meeting {m.producer!r} / {m.buyer!r}: table {m.table} is not accessible"
                    )
        for over in np.flatnonzero(remaining_max < 0):
            problems.append(f"participant {self.ids[over]!r} has more fixed meetings than max_meetings")
        cap = np.array([len(t) for t in open_tables], dtype=np.int64)
        acc_cap = np.array([len(t & inst.accessible_tables) for t in open_tables], dtype=np.int64)
        for p, b, s, table in self.fixed:
            if table is None:
                cap[s] -= 1
                if self.needs_acc[p] or self.needs_acc[b]:
                    acc_cap[s] -= 1
        for full in np.flatnonzero((cap < 0) | (acc_cap < 0)):
            problems.append(f"slot {slots[full].index}: more pinned meetings than (accessible) tables")
        if problems:
            raise ScheduleInputError(problems)
        self.open_tables = open_tables
        self.cap, self.acc_cap = cap, np.minimum(acc_cap, cap)
        self.free = free
        self.remaining_max = np.maximum(remaining_max, 0)
        self.fixed_pairs = {(p, b) for p, b, _, _ in self.fixed}

        # own satisfied weight already secured by fixed meetings
        self.fixed_own = np.zeros(n)
        for p, b, _, _ in self.fixed:
            self.fixed_own[p] += own.get((p, b), 0.0)
            self.fixed_own[b] += own.get((b, p), 0.0)

        # attainable own wish weight: best min(max meetings, open available slots) of the feasible wishes
        feasible: dict[int, list[float]] = defaultdict(list)
        for (a, b), wgt in own.items():
            pair = (a, b) if self.is_producer[a] else (b, a)
            if pair not in self.declined and self._common_slot(*pair):
                feasible[a].append(wgt)
        self.attainable = np.zeros(n)
        for a, ws in feasible.items():
            k = int(min(self.max_total[a], avail[a].sum()))
            self.attainable[a] = sum(sorted(ws, reverse=True)[:k])

        # candidate pairs
        newcomer_idx = None if newcomers is None else {self.index[x] for x in newcomers}
        self.newcomers = newcomer_idx
        bonus = inst.weights.mutual_bonus
        pairs: dict[tuple[int, int], None] = {}
        for a, b in own:
            pair = (a, b) if self.is_producer[a] else (b, a)
            pairs[pair] = None
        P, B, W, WP, WB = [], [], [], [], []
        for p, b in pairs:
            if (p, b) in self.declined or (p, b) in self.fixed_pairs:
                continue
            if newcomer_idx is not None and p not in newcomer_idx and b not in newcomer_idx:
                continue
            if self.remaining_max[p] == 0 or self.remaining_max[b] == 0:
                continue
            wp, wb = own.get((p, b), 0.0), own.get((b, p), 0.0)
            P.append(p)
            B.append(b)
            WP.append(wp)
            WB.append(wb)
            W.append(wp + wb + (bonus if wp > 0 and wb > 0 else 0.0))
        self.P = np.array(P, dtype=np.int64)
        self.B = np.array(B, dtype=np.int64)
        self.W = np.array(W, dtype=float)
        self.WP = np.array(WP, dtype=float)
        self.WB = np.array(WB, dtype=float)
        self.mutual = (self.WP > 0) & (self.WB > 0)

    def _common_slot(self, p: int, b: int) -> bool:
        common = self.avail[p] & self.avail[b]
        if self.needs_acc[p] or self.needs_acc[b]:
            common &= self.slot_has_acc
        return bool(common.any())

    def slot_ok(self) -> np.ndarray:
        """(K, S) bool: slots where candidate pair k could meet."""
        ok = self.free[self.P] & self.free[self.B] & (self.cap > 0)[None, :]
        needs = self.needs_acc[self.P] | self.needs_acc[self.B]
        ok[needs] &= (self.acc_cap > 0)[None, :]
        return ok

    def pair_weight(self, p: int, b: int) -> float:
        wp, wb = self.own.get((p, b), 0.0), self.own.get((b, p), 0.0)
        return wp + wb + (self.inst.weights.mutual_bonus if wp > 0 and wb > 0 else 0.0)

    # ---- result -----------------------------------------------------------------------------------
    def finish(self, chosen: Sequence[tuple[int, int, int]], schedule: Schedule) -> Schedule:
        """Assign tables to the fixed + chosen (p, b, slot position) meetings and fill the figures."""
        by_slot: dict[int, list[tuple[int, int, int | None]]] = defaultdict(list)
        for p, b, s, table in self.fixed:
            by_slot[s].append((p, b, table))
        for p, b, s in chosen:
            by_slot[s].append((p, b, None))
        acc_tables = self.inst.accessible_tables
        meetings: list[Meeting] = []
        for s, items in sorted(by_slot.items()):
            free_tables = sorted(self.open_tables[s])
            free_acc = [t for t in free_tables if t in acc_tables]
            free_plain = [t for t in free_tables if t not in acc_tables]
            fixed_first = sorted(items, key=lambda it: (it[2] is None, not self._needs(it), self._key(it)))
            for p, b, table in fixed_first:
                if table is None:
                    if self._needs((p, b, table)):
                        table = free_acc.pop(0)
                    elif free_plain:
                        table = free_plain.pop(0)
                    else:
                        table = free_acc.pop(0)
                meetings.append(Meeting(self.ids[p], self.ids[b], self.slots[s].index, table))
        meetings.sort(key=lambda m: (m.slot, m.table))
        schedule.meetings = meetings
        met = {(self.index[m.producer], self.index[m.buyer]) for m in meetings}
        schedule.total_weight = float(sum(self.pair_weight(p, b) for p, b in met))
        got = np.zeros(self.n)
        for p, b in met:
            got[p] += self.own.get((p, b), 0.0)
            got[b] += self.own.get((b, p), 0.0)
        shares = {}
        for i in np.flatnonzero(self.attainable > 0):
            shares[self.ids[i]] = float(got[i] / self.attainable[i])
        schedule.shares = shares
        if shares:
            worst = min(shares, key=lambda k: shares[k])
            schedule.worst_off, schedule.min_share = worst, shares[worst]
        schedule.unmet = self.unmet(met)
        return schedule

    def _needs(self, item: tuple[int, int, int | None]) -> bool:
        return bool(self.needs_acc[item[0]] or self.needs_acc[item[1]])

    def _key(self, item: tuple[int, int, int | None]) -> tuple[int, int]:
        return (item[0], item[1])

    def unmet(self, met: set[tuple[int, int]]) -> list[UnmetWish]:
        out = []
        for (a, b), prio in self.wish_priority.items():
            pair = (a, b) if self.is_producer[a] else (b, a)
            if pair in met:
                continue
            if pair in self.declined:
                reason = DECLINED
            elif not self._common_slot(*pair):
                reason = NO_COMMON_SLOT
            elif (
                self.newcomers is not None and pair[0] not in self.newcomers and pair[1] not in self.newcomers
            ):
                reason = FROZEN
            else:
                reason = CAPACITY
            out.append(UnmetWish(self.ids[a], self.ids[b], prio, reason))
        return out


def check(inst: Instance, meetings: Sequence[Meeting]) -> list[str]:
    """Every rule a schedule must respect; returns the violations (empty list: valid).

    Independent of the solvers on purpose: the tests run it on whatever they produce.
    """
    errors: list[str] = []
    people = {p.id: p for p in inst.participants}
    slots = {s.index: s for s in inst.slots}
    default_max = inst.max_meetings if inst.max_meetings is not None else len(slots)
    declined = {frozenset((d.source, d.target)) for d in inst.declines}
    busy: set[tuple[PID, int]] = set()
    tables: set[tuple[int, int]] = set()
    pairs: set[tuple[PID, PID]] = set()
    count: dict[PID, int] = defaultdict(int)
    per_slot: dict[int, int] = defaultdict(int)
    for m in meetings:
        label = f"{m.producer!r}/{m.buyer!r}@{m.slot}"
        p, b = people.get(m.producer), people.get(m.buyer)
        if p is None or b is None or p.side != PRODUCER or b.side != BUYER:
            errors.append(f"{label}: not a producer/buyer pair")
            continue
        slot = slots.get(m.slot)
        if slot is None:
            errors.append(f"{label}: unknown slot")
            continue
        if (m.producer, m.buyer) in pairs:
            errors.append(f"{label}: pair meets twice")
        pairs.add((m.producer, m.buyer))
        if frozenset((m.producer, m.buyer)) in declined:
            errors.append(f"{label}: declined pair")
        for who in (p, b):
            if m.slot in who.unavailable:
                errors.append(f"{label}: {who.id!r} unavailable")
            if (who.id, m.slot) in busy:
                errors.append(f"{label}: {who.id!r} in two places at once")
            busy.add((who.id, m.slot))
            count[who.id] += 1
        if m.table is None or not 1 <= m.table <= slot.tables:
            errors.append(f"{label}: table {m.table} not open")
        elif (m.slot, m.table) in tables:
            errors.append(f"{label}: table {m.table} used twice")
        tables.add((m.slot, m.table if m.table is not None else -1))
        if (p.needs_accessible or b.needs_accessible) and m.table not in inst.accessible_tables:
            errors.append(f"{label}: needs an accessible table")
        per_slot[m.slot] += 1
    for s, c in per_slot.items():
        if c > slots[s].tables:
            errors.append(f"slot {s}: {c} meetings for {slots[s].tables} tables")
    for pid, c in count.items():
        own_max = people[pid].max_meetings
        limit = own_max if own_max is not None else default_max
        if c > limit:
            errors.append(f"{pid!r}: {c} meetings, max {limit}")
    placed = {(m.producer, m.buyer): m for m in meetings}
    for m in inst.published:
        if placed.get((m.producer, m.buyer)) != m:
            errors.append(f"published meeting {m} moved or dropped")
    for m in inst.pins:
        got = placed.get((m.producer, m.buyer))
        if got is None or got.slot != m.slot or (m.table is not None and got.table != m.table):
            errors.append(f"pin {m} not kept")
    return errors
