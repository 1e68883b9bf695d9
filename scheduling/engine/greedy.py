"""Greedy baseline: pairs by weight (mutual first), each in the earliest slot where it still fits."""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np

from .model import PID, Instance
from .prepared import Prepared, Schedule


def greedy(inst: Instance, newcomers: Iterable[PID] | None = None) -> Schedule:
    t0 = time.perf_counter()
    prep = Prepared(inst, newcomers)
    t1 = time.perf_counter()
    free = prep.free.copy()
    left = prep.remaining_max.copy()
    cap, acc_cap = prep.cap.copy(), prep.acc_cap.copy()
    order = sorted(
        range(len(prep.P)),
        key=lambda k: (not prep.mutual[k], -prep.W[k], prep.P[k], prep.B[k]),
    )
    chosen = []
    for k in order:
        p, b = int(prep.P[k]), int(prep.B[k])
        if left[p] == 0 or left[b] == 0:
            continue
        ok = free[p] & free[b] & (cap > 0)
        needs = prep.needs_acc[p] or prep.needs_acc[b]
        if needs:
            ok &= acc_cap > 0
        slots = np.flatnonzero(ok)
        if len(slots) == 0:
            continue
        s = int(slots[0])
        free[p, s] = free[b, s] = False
        left[p] -= 1
        left[b] -= 1
        cap[s] -= 1
        if needs:
            acc_cap[s] -= 1
        acc_cap[s] = min(acc_cap[s], cap[s])
        chosen.append((p, b, s))
    schedule = Schedule(meetings=[], method="greedy", status="heuristic")
    schedule.build_seconds = t1 - t0
    schedule.solve_seconds = time.perf_counter() - t1
    return prep.finish(chosen, schedule)
