"""Benchmark of the speed-meeting scheduler (a script, not a timed test).

    .venv/bin/python bench/speed_meeting.py            # the three sizes below, fixed seeds
    .venv/bin/python bench/speed_meeting.py --only mima --time-limit 30 --threads 2

Instances: producers x buyers x slots x tables with ~8-10 weighted wishes each, Zipf-like popularity,
partial availability (late arrivals, early leavers, performer blocks), a few declines and accessible-table
needs. For each: the fair MIP (lexicographic: max-min share, then total), the unconstrained optimum it is
compared with, and the greedy baseline; every schedule is checked by scheduling.core.check.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduling.core import check  # noqa: E402
from scheduling.greedy import greedy  # noqa: E402
from scheduling.model import (  # noqa: E402
    BUYER,
    IF_POSSIBLE,
    MUST,
    PRODUCER,
    WOULD_LIKE,
    Decline,
    Instance,
    Participant,
    Slot,
    Wish,
)
from scheduling.solver import solve  # noqa: E402

SIZES = {
    "mima": (40, 60, 12, 20, 2017),
    "medium": (150, 250, 16, 60, 2018),
    "large": (600, 1000, 24, 250, 2019),
}


def zipf_choice(rng: random.Random, population: list, weights: list[float], k: int) -> list:
    """k distinct items drawn with probability proportional to weights (uneven popularity)."""
    chosen: list = []
    pool, w = list(population), list(weights)
    for _ in range(min(k, len(pool))):
        i = rng.choices(range(len(pool)), weights=w)[0]
        chosen.append(pool.pop(i))
        w.pop(i)
    return chosen


def generate(producers: int, buyers: int, slots: int, tables: int, seed: int) -> Instance:
    rng = random.Random(seed)
    start = datetime(2019, 10, 10, 7, 30, tzinfo=UTC)  # 09:30 in Paris
    grid, t = [], start
    for s in range(slots):
        if s and s % 6 == 0:
            t += timedelta(minutes=15)  # a break every six meetings
        grid.append(Slot(s, t, t + timedelta(minutes=20), tables))
        t += timedelta(minutes=20)
    people: list[Participant] = []
    for i in range(producers + buyers):
        side = PRODUCER if i < producers else BUYER
        blocked: set[int] = set()
        r = rng.random()
        if r < 0.15:  # arrives late
            blocked |= set(range(rng.randint(1, slots // 3)))
        elif r < 0.30:  # leaves early
            blocked |= set(range(slots - rng.randint(1, slots // 3), slots))
        if side == PRODUCER and rng.random() < 0.10:  # performs in a showcase
            b = rng.randrange(slots - 1)
            blocked |= {b, b + 1}
        pid = f"p{i}" if side == PRODUCER else f"b{i - producers}"
        people.append(
            Participant(pid, side, unavailable=frozenset(blocked), needs_accessible=rng.random() < 0.02)
        )
    prods = [p.id for p in people if p.side == PRODUCER]
    buys = [p.id for p in people if p.side == BUYER]
    pop_b = [1 / (r + 1) ** 0.8 for r in range(len(buys))]
    pop_p = [1 / (r + 1) ** 0.8 for r in range(len(prods))]
    rng.shuffle(pop_b)
    rng.shuffle(pop_p)
    wishes, declines = [], []
    for p in people:
        others, pop = (buys, pop_b) if p.side == PRODUCER else (prods, pop_p)
        for target in zipf_choice(rng, others, pop, rng.randint(8, 10)):
            prio = rng.choices((MUST, WOULD_LIKE, IF_POSSIBLE), weights=(25, 40, 35))[0]
            wishes.append(Wish(p.id, target, prio))
        if rng.random() < 0.05:
            declines.append(Decline(p.id, rng.choice(others)))
    accessible = frozenset(range(1, max(1, tables // 10) + 1))
    return Instance(
        people,
        grid,
        wishes,
        declines,
        accessible_tables=accessible,
        max_meetings=(3 * slots + 3) // 4,
    )


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return (
        f"{platform.node()} {platform.machine()} nproc={os.cpu_count()} cpu={cpu}; "
        f"load avg {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; python {platform.python_version()}"
    )


def fmt_share(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=sorted(SIZES), action="append")
    ap.add_argument("--time-limit", type=float, default=15.0, help="seconds for all HiGHS runs of one size")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--gap", type=float, default=1e-4, help="HiGHS mip_rel_gap")
    args = ap.parse_args()
    print(machine())
    header = (
        "| instance | pairs | method | weight | bound | gap % | worst-off share | meetings | "
        "build s | solve s |"
    )
    print(header)
    print("|" + "---|" * 10)
    notes = []
    for name in args.only or list(SIZES):
        np_, nb, ns, nt, seed = SIZES[name]
        inst = generate(np_, nb, ns, nt, seed)
        label = f"{name} {np_}x{nb}x{ns}x{nt}"
        t = time.perf_counter()
        fair = solve(
            inst,
            fair=True,
            time_limit=args.time_limit,
            threads=args.threads,
            mip_rel_gap=args.gap,
        )
        wall = time.perf_counter() - t
        g = greedy(inst)
        for sched in (fair, g):
            problems = check(inst, sched.meetings)
            assert not problems, problems[:5]
        pairs = len({frozenset((w.source, w.target)) for w in inst.wishes})
        gap = "-" if fair.gap is None else f"{100 * fair.gap:.2f}"
        print(
            f"| {label} | {pairs} | MIP fair | {fair.total_weight:.0f} | {fair.bound:.1f} | {gap} | "
            f"{fmt_share(fair.min_share)} | {len(fair.meetings)} | {fair.build_seconds:.2f} | "
            f"{fair.solve_seconds:.2f} |"
        )
        ref_gap = (fair.unconstrained_bound - fair.unconstrained_weight) / fair.unconstrained_bound
        print(
            f"| {label} | {pairs} | MIP unconstrained | {fair.unconstrained_weight:.0f} | "
            f"{fair.unconstrained_bound:.1f} | {100 * ref_gap:.2f} | "
            f"{fmt_share(fair.unconstrained_min_share)} | - | (same model) | (incl. above) |"
        )
        greedy_vs = 100 * (fair.unconstrained_weight - g.total_weight) / fair.unconstrained_weight
        print(
            f"| {label} | {pairs} | greedy | {g.total_weight:.0f} | - | - | {fmt_share(g.min_share)} | "
            f"{len(g.meetings)} | {g.build_seconds:.2f} | {g.solve_seconds:.2f} |"
        )
        price = 100 * (fair.price_of_fairness or 0.0)
        price_vs_bound = 100 * (fair.unconstrained_bound - fair.total_weight) / fair.unconstrained_bound
        notes.append(
            f"{label}: status {fair.status}; wall {wall:.2f} s; max-min share {fmt_share(fair.fairness_target)} "
            f"(proven bound {fmt_share(fair.fairness_bound)}); price of fairness {price:.2f} % vs. the "
            f"unconstrained incumbent, {price_vs_bound:.2f} % vs. its proven bound; greedy {greedy_vs:.2f} % "
            f"below the unconstrained optimum; unmet wishes by reason: {reasons(fair)}"
        )
    print()
    for line in notes:
        print("- " + line)
    return 0


def reasons(s) -> str:
    counts: dict[str, int] = {}
    for u in s.unmet:
        counts[u.reason] = counts.get(u.reason, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


if __name__ == "__main__":
    raise SystemExit(main())
