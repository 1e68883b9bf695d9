"""A small integer program in coordinate form, handed to HiGHS in one passModel call (CSC arrays), as
scheduling's solver does. Shared by the assignment and programme engines."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt

INF = highspy.kHighsInf

FloatArray = npt.NDArray[np.float64]


@dataclass
class IntegerProgram:
    """Columns and rows added one by one; coefficients as (row, column, value) triples."""

    cost: list[float] = field(default_factory=list)
    col_lower: list[float] = field(default_factory=list)
    col_upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)

    def column(self, cost: float = 0.0, lower: float = 0.0, upper: float = 1.0, integer: bool = True) -> int:
        self.cost.append(cost)
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, terms: dict[int, float], lower: float = -INF, upper: float = INF) -> int:
        r = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        for c, v in terms.items():
            if v:
                self.rows.append(r)
                self.cols.append(c)
                self.vals.append(v)
        return r

    def highs(self, *, seed: int = 1, threads: int | None = None) -> highspy.Highs:
        h = highspy.Highs()  # type: ignore[no-untyped-call]  # (highspy's __init__ lacks a -> None)
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", int(seed))
        if threads is not None:
            h.setOptionValue("threads", int(threads))
        ncol, nrow = len(self.cost), len(self.row_lower)
        row = np.asarray(self.rows, dtype=np.int64)
        col = np.asarray(self.cols, dtype=np.int64)
        val = np.asarray(self.vals, dtype=np.float64)
        order = np.lexsort((row, col))
        start = np.searchsorted(col[order], np.arange(ncol + 1)).astype(np.int32)
        h.passModel(
            ncol,
            nrow,
            len(val),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            np.asarray(self.cost, dtype=np.float64),
            np.asarray(self.col_lower, dtype=np.float64),
            np.asarray(self.col_upper, dtype=np.float64),
            np.asarray(self.row_lower, dtype=np.float64),
            np.asarray(self.row_upper, dtype=np.float64),
            start,
            row[order].astype(np.int32),
            val[order],
            np.asarray(self.integer, dtype=np.int32),
        )
        return h


@dataclass(frozen=True)
class Outcome:
    values: FloatArray | None  # None: no solution found
    objective: float
    bound: float  # proven lower bound on the minimum
    status: str  # "optimal", "infeasible", "time limit"...
    optimal: bool
    seconds: float


def solve(
    h: highspy.Highs, seconds: float, *, mip_rel_gap: float = 1e-6, mip_abs_gap: float = 1e-6
) -> Outcome:
    """Run with a time limit (seconds from now, on this Highs object's own clock)."""
    started = time.perf_counter()
    h.setOptionValue("time_limit", h.getRunTime() + max(0.05, float(seconds)))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    h.setOptionValue("mip_abs_gap", float(mip_abs_gap))
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    elapsed = time.perf_counter() - started
    if status == highspy.HighsModelStatus.kInfeasible:
        return Outcome(None, INF, INF, "infeasible", False, elapsed)
    name = h.modelStatusToString(status).lower()
    if info.primal_solution_status == 0:
        return Outcome(None, INF, float(info.mip_dual_bound), name, False, elapsed)
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    optimal = status == highspy.HighsModelStatus.kOptimal
    return Outcome(
        values, float(info.objective_function_value), float(info.mip_dual_bound), name, optimal, elapsed
    )
