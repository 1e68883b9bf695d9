"""Speed-meeting scheduler: integer programs solved with HiGHS (highspy), fair first, then best total.

The time-indexed model (the reference formulation): x[k, s] in {0, 1} for each candidate pair k (wished by
at least one side, not declined, not already fixed) and each slot s where both are free and the slot has a
free table (an accessible one if either needs it); at most one meeting per pair, per person and slot,
max_meetings per person, T_s per slot (open tables minus pins/published), A_s needing an accessible table
(Hall's condition, so tables can always be assigned afterwards), and fairness rows
own satisfied weight of p >= share * attainable_p. Pins and published meetings are fixed beforehand.

Solving it directly is slow at 600 x 1000 (300k columns; the LP relaxation alone takes minutes on two
cores), so `solve` goes through its pair-level relaxation (scheduling.engine.pairs): choose the pairs with a small
integer program whose optimum is a proven upper bound, then give each chosen pair a slot. When every chosen
pair gets one, the schedule is optimal for the time-indexed model too (bound = value). If some pair finds no
slot, the time-indexed model is solved from that schedule (when its size allows).

Lexicographic fairness (fair=True): first maximise the minimum over participants with an attainable wish
of their satisfied share (own satisfied wish weight / attainable wish weight), then the total with every
share at least that value; the unconstrained optimum is reported beside it (price of fairness). A fairness
budget (default 1 %, a programme setting) bounds that price: only schedules whose total is at least
(1 - budget) x the unconstrained optimum are considered, so the worst-off participant is raised as far as
the budget allows. On the benchmark instances the strict rule (budget None) costs 3-7 % of the total.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable
from typing import Any

import highspy
import numpy as np

from .model import PID, Instance
from .pairs import PairModel, assign_slots, deadline_after, limit
from .prepared import Prepared, Schedule

INF = highspy.kHighsInf
# The fair schedule gives up at most this share of the best total (the benchmark goal: 1 %).
DEFAULT_FAIRNESS_BUDGET = 0.01


class _Model:
    """The integer program in column-wise (CSC) arrays, handed to HiGHS in one passModel call."""

    def __init__(self, prep: Prepared) -> None:
        ok = prep.slot_ok()
        kk, ss = np.nonzero(ok)
        self.kk, self.ss = kk, ss
        pp, bb = prep.P[kk], prep.B[kk]
        self.pp, self.bb = pp, bb
        N, K, n, S = len(kk), len(prep.P), prep.n, prep.S
        self.N = N
        cols_idx = np.arange(N, dtype=np.int64)
        need = prep.needs_acc[pp] | prep.needs_acc[bb]

        r_pair, r_ps = 0, K
        r_max = r_ps + n * S
        r_slot = r_max + n
        r_acc = r_slot + S
        r_fair = r_acc + S
        fair_people = np.flatnonzero(prep.attainable > 0)
        fair_row = np.full(n, -1, dtype=np.int64)
        fair_row[fair_people] = r_fair + np.arange(len(fair_people))
        n_rows_full = r_fair + len(fair_people)

        wp, wb = prep.WP[kk], prep.WB[kk]
        has_p = (wp > 0) & (fair_row[pp] >= 0)
        has_b = (wb > 0) & (fair_row[bb] >= 0)
        z = N  # the fairness variable is the last column
        rows = [
            r_pair + kk,
            r_ps + pp * S + ss,
            r_ps + bb * S + ss,
            r_max + pp,
            r_max + bb,
            r_slot + ss,
            r_acc + ss[need],
            fair_row[pp[has_p]],
            fair_row[bb[has_b]],
            fair_row[fair_people],
        ]
        ones = np.ones(N)
        cols = [cols_idx] * 6 + [
            cols_idx[need],
            cols_idx[has_p],
            cols_idx[has_b],
            np.full(len(fair_people), z),
        ]
        vals = [ones] * 6 + [ones[need], wp[has_p], wb[has_b], -prep.attainable[fair_people]]
        row = np.concatenate(rows)
        col = np.concatenate(cols)
        val = np.concatenate(vals)

        upper_full = np.full(n_rows_full, INF)
        lower_full = np.full(n_rows_full, -INF)
        upper_full[r_pair:r_ps] = 1
        upper_full[r_ps:r_max] = 1
        upper_full[r_max:r_slot] = prep.remaining_max
        upper_full[r_slot:r_acc] = prep.cap
        upper_full[r_acc:r_fair] = prep.acc_cap
        lower_full[r_fair:] = -prep.fixed_own[fair_people]
        # keep only the rows that have a coefficient (renumbered), sorted column-major
        used, row = np.unique(row, return_inverse=True)
        self.row_lower, self.row_upper = lower_full[used], upper_full[used]
        order = np.lexsort((row, col))
        self.index = row[order].astype(np.int32)
        self.value = val[order].astype(float)
        self.start = np.searchsorted(col[order], np.arange(N + 2)).astype(np.int32)
        self.num_row = len(used)
        self.cost = np.concatenate([prep.W[kk], [0.0]])
        self.fair_people = fair_people
        self.fair_rows = np.searchsorted(used, fair_row[fair_people]).astype(np.int32)
        self.z = z

    def pass_to(self, h: highspy.Highs) -> None:
        ncol = self.N + 1
        lower = np.zeros(ncol)
        upper = np.ones(ncol)
        upper[self.z] = 0.0
        integrality = np.ones(ncol, dtype=np.int32)
        integrality[self.z] = 0
        h.passModel(
            ncol,
            self.num_row,
            len(self.index),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMaximize),
            0.0,
            self.cost,
            lower,
            upper,
            self.row_lower,
            self.row_upper,
            self.start,
            self.index,
            self.value,
            integrality,
        )

    def repair(self, prep: Prepared, x: np.ndarray) -> np.ndarray:
        """An integer solution from a fractional one: keep the ones, add fractional columns greedily."""
        out = np.zeros(self.N + 1)
        on = x[: self.N] > 1 - 1e-6
        out[: self.N][on] = 1.0
        busy = set(zip(self.pp[on].tolist(), self.ss[on].tolist(), strict=True))
        busy |= set(zip(self.bb[on].tolist(), self.ss[on].tolist(), strict=True))
        done = set(self.kk[on].tolist())
        left = prep.remaining_max.copy()
        np.subtract.at(left, self.pp[on], 1)
        np.subtract.at(left, self.bb[on], 1)
        cap, acc = prep.cap.copy(), prep.acc_cap.copy()
        need = prep.needs_acc[self.pp] | prep.needs_acc[self.bb]
        np.subtract.at(cap, self.ss[on], 1)
        np.subtract.at(acc, self.ss[on & need], 1)
        frac = np.flatnonzero((x[: self.N] > 1e-6) & ~on)
        for j in frac[np.argsort(-x[frac] * self.cost[frac], kind="stable")].tolist():
            k, p, b, s = int(self.kk[j]), int(self.pp[j]), int(self.bb[j]), int(self.ss[j])
            if k in done or (p, s) in busy or (b, s) in busy or left[p] <= 0 or left[b] <= 0 or cap[s] <= 0:
                continue
            if need[j] and acc[s] <= 0:
                continue
            out[j] = 1.0
            done.add(k)
            busy |= {(p, s), (b, s)}
            left[p] -= 1
            left[b] -= 1
            cap[s] -= 1
            acc[s] -= int(need[j])
        return out


class _Run:
    def __init__(self, x: np.ndarray | None, objective: float, bound: float, status: str) -> None:
        self.x, self.objective, self.bound, self.status = x, objective, bound, status

    @property
    def found(self) -> bool:
        return self.x is not None


def _run(h: highspy.Highs, model: _Model, prep: Prepared, seconds: float, warm: np.ndarray | None) -> _Run:
    """LP relaxation first (on these models it is often integral, which proves optimality at once), then
    the MIP warm-started with the better of `warm` and the repaired LP solution."""
    started = time.perf_counter()
    h.setOptionValue("solve_relaxation", True)
    limit(h, seconds)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return _Run(None, -INF, -INF, "infeasible")
    if status != highspy.HighsModelStatus.kOptimal:  # out of time: the start given, if any, unproven
        if warm is not None:
            return _Run(warm, float(model.cost @ warm), INF, "time limit (LP unfinished, greedy start)")
        return _Run(None, -INF, INF, h.modelStatusToString(status))
    x = np.asarray(h.getSolution().col_value, dtype=float)
    lp_bound = float(h.getInfo().objective_function_value)
    cols = x[: model.N]
    if np.all(np.minimum(cols, 1 - cols) < 1e-7):
        x = np.round(x)
        x[model.z] = h.getSolution().col_value[model.z]
        return _Run(x, lp_bound, lp_bound, "optimal (integral LP)")
    h.setOptionValue("solve_relaxation", False)
    limit(h, float(seconds) - (time.perf_counter() - started))
    start = model.repair(prep, x)
    if warm is not None and model.cost @ warm > model.cost @ start:
        start = warm
    solution = highspy.HighsSolution()
    solution.col_value = start.tolist()  # a complete solution (a sparse one makes HiGHS solve to complete it)
    solution.value_valid = True
    h.setSolution(solution)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    bound = min(lp_bound, float(info.mip_dual_bound))
    if status == highspy.HighsModelStatus.kInfeasible:
        return _Run(None, -INF, -INF, "infeasible")
    if info.primal_solution_status == 0:
        return _Run(None, -INF, bound, h.modelStatusToString(status))
    x = np.asarray(h.getSolution().col_value, dtype=float)
    return _Run(x, float(info.objective_function_value), bound, h.modelStatusToString(status))


def solve(
    inst: Instance,
    *,
    fair: bool = True,
    time_limit: float = 60.0,
    mip_rel_gap: float = 1e-4,
    threads: int | None = None,
    newcomers: Iterable[PID] | None = None,
    fairness_budget: float | None = DEFAULT_FAIRNESS_BUDGET,
) -> Schedule:
    """Schedule the instance (pins and published meetings kept as they are).

    fair=False: maximise the total pair weight. fair=True (lexicographic): among the schedules whose
    worst-off participant's share is maximal, maximise the total; the unconstrained optimum is reported
    beside it (price of fairness). time_limit: seconds for all HiGHS runs together (the best schedule found
    is returned when it runs out; the proven bounds say how far it may be). newcomers: if given, only pairs
    with at least one of them may be added (late registrations into a published schedule).
    fairness_budget: with fair=True, the share of the unconstrained optimum total the fair schedule may
    give up to raise the worst-off participant (0.01: at most 1 % below the optimum; 0: the fairest of
    the schedules with the best total; None: the strict lexicographic rule, whatever it costs).
    """
    t0 = time.perf_counter()
    prep = Prepared(inst, newcomers)
    schedule = Schedule(meetings=[], method="mip")
    fixed_weight = float(sum(prep.pair_weight(p, b) for p, b, _, _ in prep.fixed))
    if threads is not None:
        # HiGHS keeps one thread pool per process: resize it to the requested count
        highspy.Highs.resetGlobalScheduler(True)
    pm = PairModel(prep, mip_rel_gap, threads)
    t1 = time.perf_counter()
    schedule.build_seconds = t1 - t0
    remaining = deadline_after(time_limit)
    if pm.K == 0:
        schedule = prep.finish([], schedule)
        schedule.solve_seconds = time.perf_counter() - t1
        schedule.bound, schedule.gap, schedule.status = schedule.total_weight, 0.0, "optimal"
        schedule.unconstrained_weight = schedule.unconstrained_bound = schedule.total_weight
        schedule.unconstrained_min_share = schedule.fairness_target = schedule.min_share
        schedule.fairness_bound = schedule.min_share
        return schedule

    # 1. which pairs meet, for the best total (the reference)
    y_ref, ref_bound, status = pm.max_total(remaining() * (0.3 if fair else 0.8))
    if y_ref is None:
        y_ref, status = np.zeros(pm.K, dtype=bool), f"{status} (no pair selection)"

    def place(y: np.ndarray, need: np.ndarray | None) -> tuple[list[tuple[int, int, int]], int, str]:
        """Slots for the chosen pairs; if some pair finds none (rare), the time-indexed model is solved
        from that schedule (3)."""
        meetings, unplaced = assign_slots(prep, pm.k[y])
        note = ""
        if unplaced and remaining() > 0.2:
            better = _time_indexed(prep, meetings, need, pm, remaining, mip_rel_gap)
            if better is not None:
                meetings, note = better[0], f"; time-indexed model: {better[1]}"
                unplaced = []
        if unplaced:
            note = f"; {len(unplaced)} chosen pair(s) without slot"
        return meetings, len(unplaced), note

    ref_meetings, _, ref_note = place(y_ref, None)
    ref_bound += fixed_weight
    bound, target = ref_bound, None
    meetings, note = ref_meetings, ref_note
    schedule.unconstrained_weight = _weight(prep, ref_meetings) + fixed_weight
    schedule.unconstrained_bound = max(ref_bound, schedule.unconstrained_weight)
    if fair:
        schedule.fairness_budget = fairness_budget
    if fair and len(pm.D):
        schedule.unconstrained_min_share = float(np.min(_own_of(prep, pm, ref_meetings) / pm.D))
        # 2. max-min share at the pair level, then the best total with every share at least that
        floor = None
        if fairness_budget is not None:  # the fair total may not fall below (1 - budget) x the optimum
            floor = (1.0 - min(1.0, max(0.0, fairness_budget))) * (pm.total(y_ref) + fixed_weight)
            floor -= fixed_weight + 1e-6
        y_fair, fair_bound, status, target, need = _fair(pm, y_ref, remaining, schedule, floor)
        if y_fair is not None and y_fair is not y_ref:
            meetings, _, note = place(y_fair, need)
            # (without a bound of its own, the unconstrained bound holds: the fair problem is more constrained)
            bound = ref_bound if fair_bound is None else fair_bound + fixed_weight
    schedule.status = status + note
    schedule.solve_seconds = time.perf_counter() - t1
    schedule = prep.finish(meetings, schedule)
    schedule.bound = max(bound, schedule.total_weight)
    schedule.gap = (schedule.bound - schedule.total_weight) / schedule.bound if schedule.bound else 0.0
    if not fair:
        schedule.unconstrained_min_share = schedule.fairness_target = schedule.min_share
    elif target is None:
        schedule.fairness_target = schedule.min_share
    return schedule


def _weight(prep: Prepared, meetings: list[tuple[int, int, int]]) -> float:
    return float(sum(prep.pair_weight(p, b) for p, b, _ in meetings))


def _own_of(prep: Prepared, pm: PairModel, meetings: list[tuple[int, int, int]]) -> np.ndarray:
    got = np.zeros(prep.n)
    for p, b, _ in meetings:
        got[p] += prep.own.get((p, b), 0.0)
        got[b] += prep.own.get((b, p), 0.0)
    return got[pm.fair_people] + pm.fixed


# (selection, bound on its total or None, solver status, min share reached, the per-person floor that reached it)
_FairResult = tuple[np.ndarray, float | None, str, float, np.ndarray | None]


def _fair(
    pm: PairModel, y_ref: np.ndarray, remaining: Callable[[], float], schedule: Schedule, floor: float | None
) -> _FairResult:
    """Max-min share over the pair model: the LP relaxation of max z bounds it, then a bisection over the
    share values that can occur (g / attainable_p); each step is the
    feasibility MIP "own_p >= ceil(c * attainable_p) for every p" (stops at the first selection found, whose
    actual min share may jump further). Then the best total at the highest value reached. Steps are
    relaxations of the time-indexed problem, so an infeasible step proves that no schedule reaches c.
    floor: if given, every selection considered keeps a total pair weight of at least floor (the
    fairness budget), and the bounds found hold under that requirement."""
    pm.min_total(floor)
    try:
        return _fair_search(pm, y_ref, remaining, schedule)
    finally:
        pm.min_total(None)
        pm.thresholds(None)


def _fair_search(
    pm: PairModel, y_ref: np.ndarray, remaining: Callable[[], float], schedule: Schedule
) -> _FairResult:
    D = pm.D
    integral = all(float(w).is_integer() for w in pm.prep.inst.weights.priority.values())
    z0 = pm.min_share(y_ref)
    z_lp = pm.lp_max_min_share(remaining() * 0.2)
    values = sorted({g / d for d in set(D.tolist()) for g in range(int(np.ceil(d)) + 1)})
    cands = [c for c in values if z0 + 1e-12 < c <= z_lp + 1e-9]
    best, status, target, need_best = y_ref, "optimal", z0, None
    lo, hi = -1, len(cands)
    upper = z_lp + 1.0
    reserve = 0.35 * remaining()  # kept for the final "best total" solve

    def search_time() -> float:
        return remaining() - reserve

    while hi - lo > 1 and search_time() > 0.1:
        mid = (lo + hi) // 2
        c = cands[mid]
        need = np.ceil(c * D - 1e-9) if integral else c * D - 1e-9
        pm.thresholds(need)
        steps_left = max(1, int(np.ceil(np.log2(hi - lo))))
        y, _, st = pm.max_total(search_time() / steps_left, feasibility=True)
        if y is not None:
            reached = pm.min_share(y)
            lo = max(mid, bisect.bisect_right(cands, reached + 1e-12) - 1)
            best, target, need_best = y, cands[lo], np.ceil(cands[lo] * D - 1e-9) if integral else need
            hi = max(hi, lo + 1)
        else:
            hi = mid
            if st == "infeasible":
                upper = min(upper, c)
    # share values at or above `upper` are proven out of reach (or above the LP bound)
    schedule.fairness_target = target
    schedule.fairness_bound = max([target] + [c for c in cands if c < upper - 1e-12])
    if need_best is None:  # z0 is already the best share value reached: the reference is the fair selection
        pm.thresholds(None)
        return y_ref, -INF, status, z0, None
    # the best total with every share at least the target
    pm.thresholds(need_best)
    y, bound, st = pm.max_total(remaining())
    if y is None or pm.min_share(y) < target - 1e-9:
        return best, None, f"{st} (fair total not optimised)", target, need_best
    return y, bound, st, target, need_best


def _time_indexed(
    prep: Prepared,
    meetings: Iterable[tuple[int, int, int]],
    need: np.ndarray | None,
    pm: PairModel,
    remaining: Callable[[], float],
    gap: float,
) -> tuple[list[tuple[int, int, int]], str] | None:
    """The full model (a variable per pair and slot) warm-started with `meetings`; None if no better."""
    model = _Model(prep)
    if model.N > 200_000:  # too large to help within a sensible time on two cores
        return None
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    h.setOptionValue("mip_detect_symmetry", False)
    model.pass_to(h)
    if need is not None:
        h.changeRowsBounds(  # type: ignore[attr-defined]
            len(model.fair_rows), model.fair_rows, need - pm.fixed, np.full(len(need), INF)
        )
    col = {
        (int(p), int(b), int(s)): j
        for j, (p, b, s) in enumerate(zip(model.pp, model.bb, model.ss, strict=True))
    }
    warm = np.zeros(model.N + 1)
    for m in meetings:
        warm[col[m]] = 1.0
    run = _run(h, model, prep, remaining(), warm)
    if not run.found or run.x is None or model.cost @ run.x <= model.cost @ warm + 1e-9:
        return None
    on = np.flatnonzero(run.x[: model.N] > 0.5)
    return list(
        zip(model.pp[on].tolist(), model.bb[on].tolist(), model.ss[on].tolist(), strict=True)
    ), run.status


def solve_time_indexed(inst: Instance, *, time_limit: float = 60.0, mip_rel_gap: float = 1e-4) -> Schedule:
    """Best total by the full time-indexed model alone (no fairness): the reference formulation, for
    checking the pair-level route on small instances. Slow beyond a few tens of thousands of columns."""
    t0 = time.perf_counter()
    prep = Prepared(inst)
    schedule = Schedule(meetings=[], method="mip-time-indexed")
    fixed_weight = float(sum(prep.pair_weight(p, b) for p, b, _, _ in prep.fixed))
    chosen: list[tuple[int, int, int]] = []
    bound = 0.0
    if len(prep.P) and prep.slot_ok().any():
        model = _Model(prep)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        model.pass_to(h)
        schedule.build_seconds = time.perf_counter() - t0
        run = _run(h, model, prep, time_limit, None)
        if not run.found or run.x is None:
            raise RuntimeError(f"HiGHS found no schedule: {run.status}")
        on = np.flatnonzero(run.x[: model.N] > 0.5)
        chosen = list(zip(model.pp[on].tolist(), model.bb[on].tolist(), model.ss[on].tolist(), strict=True))
        bound, schedule.status = run.bound, run.status
    schedule.solve_seconds = time.perf_counter() - t0 - schedule.build_seconds
    schedule = prep.finish(chosen, schedule)
    schedule.bound = max(bound + fixed_weight, schedule.total_weight)
    schedule.gap = (schedule.bound - schedule.total_weight) / schedule.bound if schedule.bound else 0.0
    return schedule


def add_late(inst: Instance, newcomers: Iterable[PID], **options: Any) -> Schedule:
    """Fit late registrations into the gaps of a published schedule (inst.published): no published meeting
    moves; only pairs with at least one newcomer are added."""
    return solve(inst, newcomers=list(newcomers), **options)
