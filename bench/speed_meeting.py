"""Benchmark of the speed-meeting scheduler (a script, not a timed test).

    .venv/bin/python bench/speed_meeting.py            # the three sizes below, fixed seeds
    .venv/bin/python bench/speed_meeting.py --only mima --time-limit 30 --threads 2

Instances: producers x buyers x slots x tables with ~8-10 weighted wishes each, Zipf-like popularity,
partial availability (late arrivals, early leavers, performer blocks), a few declines and accessible-table
needs. For each: the total-optimal schedule (fair=False), the fair one (lexicographic: max-min share,
then total, within the fairness budget: at most 1 % below the optimum by default), the strict fair one
(no budget; --no-strict skips it) and the greedy baseline; every schedule is checked by
scheduling.engine.prepared.check.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduling.engine.greedy import greedy  # noqa: E402
from scheduling.engine.model import (  # noqa: E402
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
from scheduling.engine.prepared import check  # noqa: E402
from scheduling.engine.solver import (
    DEFAULT_FAIRNESS_BUDGET,  # noqa: E402
    solve,  # noqa: E402
)

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
    ap.add_argument("--time-limit", type=float, default=15.0, help="seconds for the total-optimal solve")
    ap.add_argument("--fair-time-limit", type=float, default=60.0, help="seconds for the fair solve")
    ap.add_argument(
        "--fairness-budget",
        type=float,
        default=DEFAULT_FAIRNESS_BUDGET,
        help="share of the optimum total the fair schedule may give up (default 0.01)",
    )
    ap.add_argument("--no-strict", action="store_true", help="skip the strict fair schedule (no budget)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--gap", type=float, default=1e-4, help="HiGHS mip_rel_gap")
    args = ap.parse_args()
    print(machine())
    header = "| instance | pairs | method | weight | bound | gap % | worst-off share | meetings | build s | solve s |"
    print(header)
    print("|" + "---|" * 10)
    notes = []
    for name in args.only or list(SIZES):
        np_, nb, ns, nt, seed = SIZES[name]
        inst = generate(np_, nb, ns, nt, seed)
        label = f"{name} {np_}x{nb}x{ns}x{nt}"
        pairs = len({frozenset((w.source, w.target)) for w in inst.wishes})
        opts = {"threads": args.threads, "mip_rel_gap": args.gap}
        total = solve(inst, fair=False, time_limit=args.time_limit, **opts)
        fair = solve(
            inst,
            fair=True,
            time_limit=args.fair_time_limit,
            fairness_budget=args.fairness_budget,
            **opts,
        )
        rows = [(total, "MIP total"), (fair, f"MIP fair (budget {100 * args.fairness_budget:g} %)")]
        strict = None
        if not args.no_strict:
            strict = solve(inst, fair=True, time_limit=args.fair_time_limit, fairness_budget=None, **opts)
            rows.append((strict, "MIP fair, strict"))
        g = greedy(inst)
        for sched, method in (*rows, (g, "greedy")):
            problems = check(inst, sched.meetings)
            assert not problems, problems[:5]
            bound = "-" if sched.bound is None else f"{sched.bound:.1f}"
            gap = "-" if sched.gap is None else f"{100 * sched.gap:.2f}"
            print(
                f"| {label} | {pairs} | {method} | {sched.total_weight:.0f} | {bound} | {gap} | "
                f"{fmt_share(sched.min_share)} | {len(sched.meetings)} | {sched.build_seconds:.2f} | "
                f"{sched.solve_seconds:.2f} |"
            )
        price = 100 * (total.total_weight - fair.total_weight) / total.total_weight
        price_vs_bound = 100 * (total.bound - fair.total_weight) / total.bound
        greedy_vs = 100 * (total.total_weight - g.total_weight) / total.total_weight
        note = (
            f"{label}: total status {total.status!r}; fair status {fair.status!r}; max-min share within "
            f"the budget {fmt_share(fair.fairness_target)} (proven upper bound "
            f"{fmt_share(fair.fairness_bound)}), {fmt_share(total.min_share)} in the total-optimal schedule; "
            f"fair total {price:.2f} % below the total optimum ({price_vs_bound:.2f} % below its proven "
            f"bound); greedy {greedy_vs:.2f} % below; unmet wishes (fair) by reason: {reasons(fair)}"
        )
        if strict is not None:
            strict_price = 100 * (total.total_weight - strict.total_weight) / total.total_weight
            note += (
                f"; strict: status {strict.status!r}, max-min share {fmt_share(strict.fairness_target)} "
                f"(proven upper bound {fmt_share(strict.fairness_bound)}), total {strict_price:.2f} % below "
                "the optimum"
            )
        notes.append(note)
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
