"""Pair level of the scheduler: which pairs meet (a small integer program), then in which slot (a
combinatorial assignment with repair).

The pair model has one 0/1 variable per candidate pair (y_k), at most min(max meetings, usable free slots)
meetings per person, at most the free tables overall (accessible ones for those who need them) and the
fairness rows. Every schedule gives a feasible y, so its optimum is a proven upper bound on the
time-indexed problem; when the chosen pairs all get a slot, the schedule is optimal. On the benchmark
instances this bound equals the time-indexed optimum and every chosen pair gets a slot.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import highspy
import numpy as np

from .prepared import Prepared

INF = highspy.kHighsInf


def limit(h: highspy.Highs, seconds: float) -> None:
    """HiGHS measures time_limit on the run time accumulated by this Highs object."""
    h.setOptionValue("time_limit", h.getRunTime() + max(0.05, float(seconds)))


class PairModel:
    def __init__(self, prep: Prepared, mip_rel_gap: float, threads: int | None) -> None:
        self.prep = prep
        ok = prep.slot_ok()
        self.k = k = np.flatnonzero(ok.any(axis=1))  # candidate pairs with at least one possible slot
        K, n = len(k), prep.n
        self.K = K
        usable = prep.free & (prep.cap > 0)[None, :]
        usable_acc = usable & (prep.acc_cap > 0)[None, :]
        per_person = np.where(prep.needs_acc, usable_acc.sum(axis=1), usable.sum(axis=1))
        per_person = np.minimum(per_person, prep.remaining_max).astype(float)
        P, B = prep.P[k], prep.B[k]
        need = prep.needs_acc[P] | prep.needs_acc[B]
        self.fair_people = fair = np.flatnonzero(prep.attainable > 0)
        fair_row = np.full(n, -1, dtype=np.int64)
        fair_row[fair] = n + 2 + np.arange(len(fair))
        wp, wb = prep.WP[k], prep.WB[k]
        has_p = (wp > 0) & (fair_row[P] >= 0)
        has_b = (wb > 0) & (fair_row[B] >= 0)
        cols = np.arange(K)
        z = K
        total_row = n + 2 + len(fair)  # the total weight, bounded below by min_total()
        row = np.concatenate(
            [P, B, np.full(K, n), np.full(int(need.sum()), n + 1), fair_row[P[has_p]], fair_row[B[has_b]]]
            + [fair_row[fair], np.full(K, total_row)]
        )
        col = np.concatenate(
            [cols, cols, cols, cols[need], cols[has_p], cols[has_b], np.full(len(fair), z), cols]
        )
        val = np.concatenate(
            [np.ones(3 * K + int(need.sum())), wp[has_p], wb[has_b], -prep.attainable[fair].astype(float)]
            + [prep.W[k].astype(float)]
        )
        order = np.lexsort((row, col))
        self.num_row = n + 3 + len(fair)
        self.total_row = total_row
        self.row_upper = np.r_[
            per_person, float(prep.cap.sum()), float(prep.acc_cap.sum()), np.full(len(fair) + 1, INF)
        ]
        self.D = prep.attainable[fair]
        self.fixed = prep.fixed_own[fair]
        self.fair_rows = (n + 2 + np.arange(len(fair))).astype(np.int32)
        self.cost = np.r_[prep.W[k], 0.0]
        self.z = z
        h = self.h = highspy.Highs()  # type: ignore[no-untyped-call]  # (its __init__ lacks a -> None)
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        h.setOptionValue("random_seed", 1)
        if threads is not None:
            h.setOptionValue("threads", int(threads))
        upper = np.ones(K + 1)
        upper[z] = 0.0
        integrality = np.ones(K + 1, dtype=np.int32)
        integrality[z] = 0
        h.passModel(
            K + 1,
            self.num_row,
            len(row),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMaximize),
            0.0,
            self.cost,
            np.zeros(K + 1),
            upper,
            np.r_[np.full(n + 2, -INF), -self.fixed, -INF],
            self.row_upper,
            np.searchsorted(col[order], np.arange(K + 2)).astype(np.int32),
            row[order].astype(np.int32),
            val[order].astype(float),
            integrality,
        )

    def own(self, y: np.ndarray) -> np.ndarray:
        """Own satisfied wish weight of each fair participant (fixed meetings included)."""
        prep, k = self.prep, self.k
        got = np.zeros(prep.n)
        np.add.at(got, prep.P[k[y]], prep.WP[k[y]])
        np.add.at(got, prep.B[k[y]], prep.WB[k[y]])
        return got[self.fair_people] + self.fixed

    def min_share(self, y: np.ndarray) -> float:
        return float(np.min(self.own(y) / self.D)) if len(self.D) else 0.0

    def thresholds(self, need: np.ndarray | None) -> None:
        lower = -self.fixed if need is None else need - self.fixed
        self.h.changeRowsBounds(  # type: ignore[attr-defined]  # (in highspy, missing from its stubs)
            len(self.fair_rows), self.fair_rows, lower, np.full(len(lower), INF)
        )

    def min_total(self, value: float | None) -> None:
        """Require the total pair weight of the selection to be at least value (None: no requirement)."""
        self.h.changeRowBounds(self.total_row, -INF if value is None else float(value), INF)

    def total(self, y: np.ndarray) -> float:
        return float(self.cost[: self.K] @ y)

    def max_total(self, seconds: float, feasibility: bool = False) -> tuple[np.ndarray | None, float, str]:
        """(chosen pairs as a bool array over self.k, proven bound, status); None if none was found.
        feasibility=True: any selection meeting the thresholds (zero objective: stops at the first one)."""
        h = self.h
        cost = np.zeros(self.K + 1) if feasibility else self.cost
        h.changeColsCost(self.K + 1, np.arange(self.K + 1, dtype=np.int32), cost)
        h.changeColBounds(self.z, 0.0, 0.0)
        h.setOptionValue("solve_relaxation", False)
        limit(h, seconds)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None, -INF, "infeasible"
        if info.primal_solution_status == 0:
            return None, float(info.mip_dual_bound), h.modelStatusToString(status)
        y = np.asarray(h.getSolution().col_value[: self.K]) > 0.5
        return y, float(info.mip_dual_bound), h.modelStatusToString(status)

    def lp_max_min_share(self, seconds: float) -> float:
        """Upper bound on the max-min share (LP relaxation of max z)."""
        h = self.h
        self.thresholds(None)
        h.changeColsCost(self.K + 1, np.arange(self.K + 1, dtype=np.int32), np.r_[np.zeros(self.K), 1.0])
        h.changeColBounds(self.z, 0.0, 1.0)
        h.setOptionValue("solve_relaxation", True)
        limit(h, seconds)
        h.run()
        ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        value = float(h.getInfo().objective_function_value) if ok else 1.0
        h.changeColBounds(self.z, 0.0, 0.0)
        h.setOptionValue("solve_relaxation", False)
        return min(1.0, value)


def assign_slots(
    prep: Prepared, selected: np.ndarray, fill: bool = True
) -> tuple[list[tuple[int, int, int]], list[int]]:
    """Give each selected candidate pair (indices into prep.P) a slot: pairs with the fewest options first,
    into the slot with the most free tables; a pair without a free common slot moves one or two blocking
    meetings to another slot. Then (fill=True) other candidate pairs fill the gaps, by weight, mutual first.
    Returns the (producer, buyer, slot position) meetings and the selected pairs left without a slot."""
    S = prep.S
    occ = np.where(prep.free, -1, -2).astype(np.int64)  # meeting id in (person, slot); -2: not available
    cap, acc = prep.cap.copy(), prep.acc_cap.copy()
    left = prep.remaining_max.copy()
    slot_of: dict[int, int] = {}
    in_slot: list[set[int]] = [set() for _ in range(S)]
    need = prep.needs_acc[prep.P] | prep.needs_acc[prep.B]

    def can(m: int, s: int) -> bool:
        p, b = prep.P[m], prep.B[m]
        return occ[p, s] == -1 and occ[b, s] == -1 and cap[s] > 0 and (not need[m] or acc[s] > 0)

    def place(m: int, s: int) -> None:
        occ[prep.P[m], s] = occ[prep.B[m], s] = m
        cap[s] -= 1
        acc[s] -= int(need[m])
        slot_of[m] = s
        in_slot[s].add(m)

    def unplace(m: int) -> int:
        s = slot_of.pop(m)
        occ[prep.P[m], s] = occ[prep.B[m], s] = -1
        cap[s] += 1
        acc[s] += int(need[m])
        in_slot[s].discard(m)
        return s

    def best_slot(m: int, avoid: int = -1) -> int:
        options = [s for s in range(S) if s != avoid and can(m, s)]
        return max(options, key=lambda s: (cap[s], -s)) if options else -1

    def relocate(blockers: list[int], m: int, s: int) -> bool:
        """Move the blockers out of slot s so that m fits there; undo everything if it fails."""
        moved: list[tuple[int, int]] = []
        for q in blockers:
            unplace(q)
            moved.append((q, s))
        targets = []
        for q in blockers:
            t = best_slot(q, avoid=s)
            if t < 0:
                break
            place(q, t)
            targets.append(q)
        if len(targets) == len(blockers) and can(m, s):
            place(m, s)
            return True
        for q in targets:
            unplace(q)
        for q, s0 in moved:
            place(q, s0)
        return False

    selected = np.asarray(selected, dtype=np.int64)
    ok = prep.slot_ok()
    n_options = ok[selected].sum(axis=1)
    order = selected[np.lexsort((-prep.W[selected], n_options))]
    unplaced = []
    for m in order.tolist():
        s = best_slot(m)
        if s >= 0:
            place(m, s)
            continue
        done = False
        p, b = prep.P[m], prep.B[m]
        for s in np.flatnonzero(ok[m]).tolist():
            blockers = [int(x) for x in {occ[p, s], occ[b, s]} if x >= 0]
            full = cap[s] <= 0 and not blockers
            acc_short = bool(need[m]) and acc[s] <= 0 and not any(need[q] for q in blockers)
            if full or acc_short:
                # no table for m even without the blockers: also move one (accessible) meeting out
                pool = [q for q in in_slot[s] if q not in blockers and (not acc_short or need[q])]
                done = any(relocate([*blockers, q], m, s) for q in pool[:50])
            else:
                done = relocate(blockers, m, s)
            if done:
                break
        if not done:
            unplaced.append(m)
    for m in slot_of:
        left[prep.P[m]] -= 1
        left[prep.B[m]] -= 1
    if fill:
        rest = np.setdiff1d(np.arange(len(prep.P)), np.fromiter(slot_of, dtype=np.int64, count=len(slot_of)))
        rest = rest[np.lexsort((-prep.W[rest], ~prep.mutual[rest]))]
        for m in rest.tolist():
            p, b = prep.P[m], prep.B[m]
            if left[p] <= 0 or left[b] <= 0:
                continue
            s = best_slot(m)
            if s >= 0:
                place(m, s)
                left[p] -= 1
                left[b] -= 1
    chosen = [(int(prep.P[m]), int(prep.B[m]), s) for m, s in slot_of.items()]
    return chosen, unplaced


def deadline_after(seconds: float) -> Callable[[], float]:
    end = time.perf_counter() + seconds

    def remaining() -> float:
        return max(0.05, end - time.perf_counter())

    return remaining
