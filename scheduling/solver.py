"""Speed-meeting scheduler: an integer program solved with HiGHS (highspy), fair first, then best total.

Variables: x[k, s] in {0, 1} for each candidate pair k (wished by at least one side, not declined, not
already fixed) and each slot s where both are free, the slot has a free table (an accessible one if either
needs it). Constraints:
  - at most one meeting per pair;
  - at most one meeting per person per slot;
  - at most max_meetings per person (minus the fixed meetings);
  - at most T_s meetings in slot s (open tables minus those taken by pins and published meetings), and at
    most A_s meetings needing an accessible table (Hall's condition: tables can then always be assigned);
  - fairness rows: own satisfied wish weight of p + fixed part >= z * attainable_p.
Pins and published meetings are fixed beforehand (their slot is taken, their pair is done): equivalent to
fixing their variables to 1, with a smaller model.

Lexicographic fairness (fair=True):
  0. maximise the total pair weight (the unconstrained optimum, reported as the reference);
  1. maximise z, the minimum over participants with an attainable wish of their satisfied share: the LP
     relaxation (max z) bounds it, then a bisection over the share values that can occur (g / attainable_p)
     where each step is the MIP "maximise the total with every share >= c" (rows rounded up to integers);
  2. the last feasible step is the fair schedule (max-min share first, then the best total).
Every MIP run starts with its LP relaxation, which is often integral here (optimal at once); otherwise HiGHS
branches from a repaired LP solution. Tables are assigned afterwards, slot by slot.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import highspy
import numpy as np

from .core import Prepared, Schedule
from .model import PID, Instance

INF = highspy.kHighsInf
SEARCH_GAP = (
    0.005  # relative MIP gap of the fairness search steps (the final schedule uses the requested one)
)


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


def _limit(h: highspy.Highs, seconds: float) -> None:
    """HiGHS measures time_limit on the run time accumulated by this Highs object."""
    h.setOptionValue("time_limit", h.getRunTime() + max(0.05, float(seconds)))


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
    _limit(h, seconds)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return _Run(None, -INF, -INF, "infeasible")
    if status != highspy.HighsModelStatus.kOptimal:
        return _Run(None, -INF, INF, h.modelStatusToString(status))
    x = np.asarray(h.getSolution().col_value, dtype=float)
    lp_bound = float(h.getInfo().objective_function_value)
    cols = x[: model.N]
    if np.all(np.minimum(cols, 1 - cols) < 1e-7):
        x = np.round(x)
        x[model.z] = h.getSolution().col_value[model.z]
        return _Run(x, lp_bound, lp_bound, "optimal (integral LP)")
    h.setOptionValue("solve_relaxation", False)
    _limit(h, float(seconds) - (time.perf_counter() - started))
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
) -> Schedule:
    """Schedule the instance (pins and published meetings kept as they are).

    fair=False: maximise the total pair weight. fair=True (lexicographic): among the schedules whose
    worst-off participant's share is maximal, maximise the total; the unconstrained optimum is reported
    beside it (price of fairness). time_limit: seconds for all HiGHS runs together (best found so far is
    returned when it runs out; the proven bounds say how far it may be). newcomers: if given, only pairs with
    at least one of them may be added (late registrations into a published schedule).
    """
    t0 = time.perf_counter()
    prep = Prepared(inst, newcomers)
    schedule = Schedule(meetings=[], method="mip")
    fixed_weight = float(sum(prep.pair_weight(p, b) for p, b, _, _ in prep.fixed))
    if len(prep.P) == 0 or not prep.slot_ok().any():
        schedule.build_seconds = time.perf_counter() - t0
        schedule = prep.finish([], schedule)
        schedule.bound, schedule.gap = schedule.total_weight, 0.0
        schedule.unconstrained_weight = schedule.unconstrained_bound = schedule.total_weight
        schedule.unconstrained_min_share = schedule.fairness_target = schedule.fairness_bound = (
            schedule.min_share
        )
        return schedule
    model = _Model(prep)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    h.setOptionValue("random_seed", 1)
    # a warm start is always given: skip the costly feasibility-jump heuristic and symmetry detection
    h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    h.setOptionValue("mip_detect_symmetry", False)
    if threads is not None:
        # HiGHS keeps one global thread pool per process: resize it to the requested count
        highspy.Highs.resetGlobalScheduler(True)
        h.setOptionValue("threads", int(threads))
    model.pass_to(h)
    t1 = time.perf_counter()
    schedule.build_seconds = t1 - t0
    deadline = t1 + time_limit

    def remaining() -> float:
        return max(0.05, deadline - time.perf_counter())

    # step 0: the unconstrained optimum (also the reference for the price of fairness)
    warm = model.repair(prep, np.zeros(model.N + 1))
    ref = _run(h, model, prep, remaining() * (0.5 if fair else 1.0), warm)
    if not ref.found:
        raise RuntimeError(f"HiGHS found no schedule: {ref.status}")
    schedule.unconstrained_weight = ref.objective + fixed_weight
    schedule.unconstrained_bound = max(ref.bound, ref.objective) + fixed_weight
    schedule.unconstrained_min_share = _min_share(prep, model, ref.x)
    best, status, bound = ref.x, ref.status, ref.bound
    if fair and len(model.fair_people):
        best, status, bound = _fair(h, model, prep, ref, remaining, schedule, mip_rel_gap)
    schedule.status = status
    schedule.solve_seconds = time.perf_counter() - t1
    on = np.flatnonzero(best[: model.N] > 0.5)
    chosen = list(zip(model.pp[on].tolist(), model.bb[on].tolist(), model.ss[on].tolist(), strict=True))
    schedule = prep.finish(chosen, schedule)
    schedule.bound = max(bound + fixed_weight, schedule.total_weight)
    schedule.gap = (schedule.bound - schedule.total_weight) / schedule.bound if schedule.bound else 0.0
    if not fair:
        schedule.fairness_target = schedule.min_share
    return schedule


def _fair(
    h: highspy.Highs, model: _Model, prep: Prepared, ref: _Run, remaining, schedule: Schedule, gap: float
):
    """Max-min share by bisection over the share values that can occur (g / attainable_p).

    A step at value c is the MIP "maximise the total weight with own_p >= ceil(c * attainable_p)"; the
    threshold rows are added lazily (only for participants found below c, as in a cutting-plane loop), so
    each solve stays close to the easy unconstrained model. A step without solution narrows the search from
    above (proven only if HiGHS proves infeasibility); the last feasible step is the fair schedule. The steps
    run with a looser gap (SEARCH_GAP); the last feasible one is then polished to the requested gap.
    """
    h.setOptionValue("mip_rel_gap", max(gap, SEARCH_GAP))
    D = prep.attainable[model.fair_people]
    fixed = prep.fixed_own[model.fair_people]
    rows = model.fair_rows
    integral = all(float(w).is_integer() for w in prep.inst.weights.priority.values())

    def own(x: np.ndarray) -> np.ndarray:
        got = np.zeros(prep.n)
        on = x[: model.N] > 0.5
        np.add.at(got, model.pp[on], prep.WP[model.kk[on]])
        np.add.at(got, model.bb[on], prep.WB[model.kk[on]])
        return got[model.fair_people] + fixed

    z0 = float(np.min(own(ref.x) / D))
    values = sorted({g / d for d in set(D.tolist()) for g in range(int(np.ceil(d)) + 1)})
    cands = [c for c in values if c > z0 + 1e-12]
    best, status, bound, target = ref.x, ref.status, ref.bound, z0
    upper = 2.0  # smallest share value proven out of reach
    active = np.zeros(len(D), dtype=bool)
    lo, hi = -1, len(cands)  # cands[lo] reached (or z0), cands[hi] out of reach (or beyond 1)
    while hi - lo > 1 and remaining() > 0.1:
        mid = (lo + hi) // 2
        c = cands[mid]
        need = np.ceil(c * D - 1e-9) if integral else c * D - 1e-9
        active |= own(best) < need - 1e-9
        steps_left = max(1, int(np.ceil(np.log2(hi - lo))))
        step_deadline = time.perf_counter() + remaining() / steps_left
        while True:
            lower = np.where(active, need - fixed, -INF)
            h.changeRowsBounds(len(rows), rows, lower, np.full(len(rows), INF))
            run = _run(h, model, prep, max(0.05, step_deadline - time.perf_counter()), None)
            if not run.found:
                break
            below = own(run.x) < need - 1e-9
            if not below.any():
                break
            active |= below
        if run.found:
            lo, best, status, bound, target = mid, run.x, run.status, run.bound, c
        else:
            hi = mid
            if run.status == "infeasible":
                upper = min(upper, c)
    h.setOptionValue("mip_rel_gap", gap)
    if lo >= 0 and best is not ref.x and (bound - model.cost @ best) > gap * bound and remaining() > 0.1:
        need = np.ceil(target * D - 1e-9) if integral else target * D - 1e-9
        h.changeRowsBounds(len(rows), rows, np.where(active, need - fixed, -INF), np.full(len(rows), INF))
        run = _run(h, model, prep, remaining(), best)
        if run.found and not (own(run.x) < need - 1e-9).any() and model.cost @ run.x >= model.cost @ best:
            best, status, bound = run.x, run.status, min(bound, run.bound)
    schedule.fairness_target = target
    # every share value at or above `upper` is proven out of reach (no proof: the trivial bound 1)
    schedule.fairness_bound = max([target] + [c for c in cands if c < upper - 1e-12])
    return best, status, bound


def _min_share(prep: Prepared, model: _Model, x: np.ndarray) -> float:
    got = prep.fixed_own.copy()
    on = x[: model.N] > 0.5
    np.add.at(got, model.pp[on], prep.WP[model.kk[on]])
    np.add.at(got, model.bb[on], prep.WB[model.kk[on]])
    people = model.fair_people
    if len(people) == 0:
        return 0.0
    return float(np.min(got[people] / prep.attainable[people]))


def add_late(inst: Instance, newcomers: Iterable[PID], **options) -> Schedule:
    """Fit late registrations into the gaps of a published schedule (inst.published): no published meeting
    moves; only pairs with at least one newcomer are added."""
    return solve(inst, newcomers=list(newcomers), **options)
