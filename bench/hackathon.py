"""Benchmark of the hackathon's team formation (a script, not a timed test).

    .venv/bin/python bench/hackathon.py               # 5 seeds, with and without groups
    .venv/bin/python bench/hackathon.py --seeds 10 --people 120

Instances: participants with one of 5 roles (artist 25 %, developer 25 %, technician 20 %, researcher
15 %, designer 15 %), 1-3 skill tags out of 15 with uneven popularity (weight 1/rank^0.7), 60 % from one of
30 organisations of uneven size (the rest independent); "with groups": about 10 % in together-groups of
2-3 and 2 existing teams of 3, as at a real registration. Teams of 4-6 (24 teams for 120 people). Beside
each formation: the proven bound and the mean measure of 20 random assignments with the same team sizes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python puts this script's folder first on sys.path, where "hackathon" is this file: the repository goes first
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.machine import describe  # noqa: E402
from hackathon.engine import Participant, TeamRules, form_teams, random_formation  # noqa: E402

ROLE_SHARES = {"artist": 25, "developer": 25, "technician": 20, "researcher": 15, "designer": 15}
SKILLS = [
    "sound design",
    "video",
    "python",
    "unity",
    "3d",
    "ux",
    "arduino",
    "writing",
    "lighting",
    "vr",
    "machine learning",
    "web",
    "stage",
    "photography",
    "marketing",
]


def participants(seed: int, n: int, groups: bool) -> list[Participant]:
    rng = random.Random(seed)
    skill_weights = [1 / (r + 1) ** 0.7 for r in range(len(SKILLS))]
    org_weights = [1 / (r + 1) ** 0.8 for r in range(30)]
    people = []
    for i in range(n):
        skills: set[str] = set()
        for _ in range(rng.randint(1, 3)):
            skills.add(rng.choices(SKILLS, weights=skill_weights)[0])
        org = f"org{rng.choices(range(30), weights=org_weights)[0]:02d}" if rng.random() < 0.6 else None
        role = rng.choices(list(ROLE_SHARES), weights=list(ROLE_SHARES.values()))[0]
        people.append(Participant(f"p{i:03d}", role, frozenset(skills), org))
    if groups:
        order = list(range(n))
        rng.shuffle(order)
        cursor = 0
        for team in ("team A", "team B"):  # two teams already formed, of 3
            for i in order[cursor : cursor + 3]:
                people[i] = Participant(
                    people[i].id, people[i].role, people[i].skills, people[i].organisation, team=team
                )
            cursor += 3
        g = 0
        while cursor < n * 0.15:  # together-groups of 2-3, about 10 % of the people
            size = rng.choice([2, 2, 3])
            for i in order[cursor : cursor + size]:
                p = people[i]
                people[i] = Participant(p.id, p.role, p.skills, p.organisation, together=frozenset({f"g{g}"}))
            cursor += size
            g += 1
    return people


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--people", type=int, default=120)
    args = ap.parse_args()
    print(describe())
    rules = TeamRules(min_size=4, max_size=6)
    print(f"\n{args.people} participants, teams of 4-6, 5 roles\n")
    print(
        "| instance | groups | teams | seconds | measure (sizes / roles / skills / colleagues) | bound | gap | "
        "proven | random (mean of 20) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    times = []
    for seed in range(1, args.seeds + 1):
        for groups in (False, True):
            people = participants(seed, args.people, groups)
            started = time.perf_counter()
            result = form_teams(people, rules)
            seconds = time.perf_counter() - started
            times.append(seconds)
            randoms = [
                random_formation(people, TeamRules(min_size=4, max_size=6, seed=s)).measure.total
                for s in range(20)
            ]
            m, b = result.measure, result.bound
            assert m is not None and b is not None, result.problems
            print(
                f"| seed {seed} | {'yes' if groups else 'no'} | {len(result.teams)} | {seconds:.2f} | "
                f"{m.total:.1f} ({m.sizes:.1f} / {m.roles:.1f} / {m.skills:.1f} / {m.organisations:.0f}) | "
                f"{b.total:.1f} | {max(0.0, m.total - b.total):.1f} | {'yes' if result.proven_optimal else 'no'} | "
                f"{statistics.fmean(randoms):.1f} |"
            )
    print(f"\nformation time: median {statistics.median(times):.2f} s, max {max(times):.2f} s (goal <= 2 s)")
    print(f"\n{describe()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
