"""Benchmark of the juries engines (a script, not a timed test).

    .venv/bin/python bench/juries.py                 # both parts, fixed seeds
    .venv/bin/python bench/juries.py --only programme --seeds 5
    .venv/bin/python bench/juries.py --only normalisation --seeds 50

(a) Programme builder: 60 selected films (documentary, animation, music video, video art, fiction with
genre-typical runtimes, 25 producing organisations) to a 100-minute programme (window 95-105, 30 s gaps, a
5-minute introduction, at least one documentary, animation and music video, at most 4 films per genre and 2
per organisation, no genre back to back), 3 alternatives; with and without a fixed opener and closer. The
reference beside it: a first-fit greedy (films in random order, each added while the rules allow).

(b) Normalisation on synthetic juries: 40 entries with a true quality q ~ N(0, 1); 7 jurors with a
leniency L ~ N(0, 1) and noise e ~ N(0, 0.8), then also a scale use s ~ U(0.5, 1.5) (s = 1 without it);
juror j rates 25 entries of a cyclic design (every entry 4 or 5 times) with round(5.5 + L + 1.5 s q + e)
clamped to 1-10. Kendall tau-b to the true order of the raw means, the z-score and the median/MAD
normalised means, over the seeds.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python puts this script's folder first on sys.path, where "juries" is this file: the repository goes first
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.machine import describe  # noqa: E402
from juries.engine import (  # noqa: E402
    ROBUST,
    ZSCORE,
    Film,
    NormalisationSettings,
    ProgrammeRules,
    Rating,
    arrange,
    build_programme,
    evaluate_programme,
    normalise,
)
from juries.engine.base import mmss  # noqa: E402
from juries.engine.programme import total_seconds  # noqa: E402

GENRES = {  # share of the films, runtime range in minutes
    "documentary": (0.30, 8, 25),
    "animation": (0.25, 3, 15),
    "music video": (0.20, 3, 6),
    "video art": (0.15, 4, 15),
    "fiction": (0.10, 8, 20),
}


def films_for(seed: int, n: int = 60) -> list[Film]:
    rng = random.Random(seed)
    names = list(GENRES)
    weights = [GENRES[g][0] for g in names]
    films = []
    for i in range(n):
        genre = rng.choices(names, weights=weights)[0]
        _, low, high = GENRES[genre]
        runtime = rng.randint(low * 60, high * 60)
        films.append(Film(f"film{i:02d}", runtime, genre, f"org{rng.randint(1, 25):02d}"))
    return films


def rules_for(films: list[Film], fixed_ends: bool) -> ProgrammeRules:
    opener = next(f.id for f in films if f.genre == "music video") if fixed_ends else None
    closer = next(f.id for f in films if f.genre == "animation") if fixed_ends else None
    return ProgrammeRules(
        gap_seconds=30,
        introduction_seconds=5 * 60,
        genre_min={"documentary": 1, "animation": 1, "music video": 1},
        genre_max=dict.fromkeys(GENRES, 4),
        max_per_organisation=2,
        opener=opener,
        closer=closer,
    )


def greedy_reference(films: list[Film], rules: ProgrammeRules, seed: int) -> str:
    """First fit in random order: its figures, and whether it respects every rule."""
    rng = random.Random(seed)
    order = films[:]
    rng.shuffle(order)
    fixed = [f for f in films if f.id in (rules.opener, rules.closer)]
    chosen = list(fixed)
    for f in order:
        if f in chosen:
            continue
        trial = [*chosen, f]
        genre_count = sum(1 for x in trial if x.genre == f.genre)
        org_count = sum(1 for x in trial if x.organisation == f.organisation)
        if (
            total_seconds(trial, rules) <= rules.window_max_seconds
            and genre_count <= rules.genre_max.get(f.genre, 99)
            and org_count <= (rules.max_per_organisation or 99)
        ):
            chosen = trial
    ordered = arrange(chosen, rules) or chosen
    check = evaluate_programme(films, [f.id for f in ordered], rules)
    p = check.programme
    broken = "" if check.ok else f", breaks {len(check.violations)} rule(s)"
    return f"{mmss(p.total_seconds)} ({p.deviation_seconds:+d} s) {p.genres}/{p.organisations}{broken}"


def bench_programme(seeds: int) -> None:
    print("\n(a) programme builder: 60 films -> 100 minutes (window 95-105), 3 alternatives\n")
    print(
        "| instance | ends fixed | build s | proven | 3 alternatives: total (deviation) genres/organisations | greedy reference |"
    )
    print("|---|---|---|---|---|---|")
    times = []
    for seed in range(1, seeds + 1):
        films = films_for(seed)
        for fixed in (False, True):
            rules = rules_for(films, fixed)
            started = time.perf_counter()
            result = build_programme(films, rules)
            seconds = time.perf_counter() - started
            times.append(seconds)
            alts = "; ".join(
                f"{mmss(p.total_seconds)} ({p.deviation_seconds:+d} s) {p.genres}/{p.organisations}"
                for p in result.alternatives
            )
            ref = greedy_reference(films, rules, seed)
            print(
                f"| seed {seed} | {'yes' if fixed else 'no'} | {seconds:.2f} | {'yes' if result.proven_best else 'no'} "
                f"| {alts or result.problems} | {ref} |"
            )
    print(f"\nbuild time: median {statistics.median(times):.2f} s, max {max(times):.2f} s (goal <= 2 s)")


def kendall_tau_b(x: list[float], y: list[float]) -> float:
    concordant = discordant = ties_x = ties_y = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx * dy > 0:
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else 0.0


def synthetic_jury(
    seed: int, scale_use: bool, entries: int = 40, jurors: int = 7, per_juror: int = 25
) -> tuple[list[float], list[Rating], dict[str, tuple[float, float]]]:
    """(true quality per entry, ratings, each juror's true (leniency, scale use))."""
    rng = random.Random(seed)
    quality = [rng.gauss(0, 1) for _ in range(entries)]
    ids = list(range(entries))
    rng.shuffle(ids)  # which entries the cyclic design puts together changes with the seed
    ratings = []
    bias: dict[str, tuple[float, float]] = {}
    for j in range(jurors):
        leniency, scale = rng.gauss(0, 1), rng.uniform(0.5, 1.5)
        scale = scale if scale_use else 1.0
        bias[f"j{j}"] = (leniency, scale)
        start = round(j * entries / jurors)
        for i in range(per_juror):
            e = ids[(start + i) % entries]
            raw = 5.5 + leniency + 1.5 * scale * quality[e] + rng.gauss(0, 0.8)
            ratings.append(Rating(f"j{j}", e, min(10, max(1, round(raw)))))
    return quality, ratings, bias


def bench_normalisation(seeds: int) -> None:
    print(f"\n(b) synthetic juries: 40 entries, 7 jurors x 25 ratings, {seeds} seeds\n")
    print(
        "| jurors differ by | ranking | mean Kendall tau to the truth | sd | min | max | seeds better / worse than raw |"
    )
    print("|---|---|---|---|---|---|---|")
    started = time.perf_counter()
    calls = 0
    for scale_use in (False, True):
        taus: dict[str, list[float]] = {"raw mean": [], "z-score": [], "median/MAD": [], "oracle": []}
        for seed in range(1, seeds + 1):
            quality, ratings, bias = synthetic_jury(seed, scale_use)
            # the oracle knows each juror's true leniency and scale use and undoes them exactly
            undone: dict[object, list[float]] = {}
            for r in ratings:
                leniency, scale = bias[str(r.juror)]
                undone.setdefault(r.entry, []).append((r.score - 5.5 - leniency) / scale)
            taus["oracle"].append(kendall_tau_b(quality, [statistics.fmean(undone[e]) for e in range(40)]))
            for label, method in (("z-score", ZSCORE), ("median/MAD", ROBUST)):
                result = normalise(
                    ratings, NormalisationSettings(method=method, min_ratings_per_juror=5), entries=range(40)
                )
                calls += 1
                assert result.applied
                by_entry = {e.entry: e for e in result.entries}
                normalised = [by_entry[e].normalised for e in range(40)]
                taus[label].append(
                    kendall_tau_b(quality, [n.value for n in normalised if n and n.value is not None])
                )
                if method == ZSCORE:
                    taus["raw mean"].append(
                        kendall_tau_b(quality, [by_entry[e].raw.value or 0.0 for e in range(40)])
                    )
        raw = taus["raw mean"]
        model = "leniency and noise, scale use" if scale_use else "leniency and noise"
        for label, values in taus.items():
            better = sum(v > r for v, r in zip(values, raw, strict=True))
            worse = sum(v < r for v, r in zip(values, raw, strict=True))
            versus = "-" if label in ("raw mean", "oracle") else f"{better} / {worse}"
            print(
                f"| {model} | {label} | {statistics.fmean(values):.3f} | {statistics.stdev(values):.3f} | "
                f"{min(values):.3f} | {max(values):.3f} | {versus} |"
            )
    elapsed = time.perf_counter() - started
    print(f"\nnormalise(): {1000 * elapsed / calls:.1f} ms per call (175 ratings, Kendall tau included)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["programme", "normalisation"])
    ap.add_argument("--seeds", type=int, default=None, help="instances (default: 5 programme, 50 juries)")
    args = ap.parse_args()
    print(describe())
    if args.only in (None, "programme"):
        bench_programme(args.seeds or 5)
    if args.only in (None, "normalisation"):
        bench_normalisation(args.seeds or 50)
    print(f"\n{describe()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
