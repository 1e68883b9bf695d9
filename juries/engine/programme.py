"""The Court d'Ici programme builder: from the selected films, a screening of about 100 minutes.

Total = introduction + sum of runtimes + gap x (films - 1), inside the window (95-105 min by default).
Variety rules: minimum and maximum films per genre, at most k films per organisation, no two films of the
same genre back to back, an opener and a closer staff may fix, films staff want in (must_include).

Selection: an integer program (HiGHS) minimises
    cost = |total - target| (seconds) - seconds_per_genre x (genres in the mix)
           - seconds_per_organisation x (organisations shown) - seconds_per_priority x (sum of priorities)
The variety score is the two middle terms: by default one more genre is worth being a minute further from
the target and one more member organisation on screen 20 seconds; films' priorities (e.g. the jury's
scores) count only when staff give them a weight. Back to back: a genre can fill at most every
other place, so 2 x count(g) <= films + 1 - (fixed ends of another genre) is a row of the program; the
order itself comes from an exact search over genre sequences (memoised), which spreads the largest genre
first and, within a genre, avoids two films of one organisation in a row. A selection the search cannot
order is cut off and the program solved again, so every programme returned respects every rule.

Alternatives: up to 3, best first by cost; each differs from every better one by at least `min_difference`
films (films in one and not the other; 2 = at least one swap). `evaluate_programme` re-checks a hand-edited order.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from . import highs
from .base import N_, EngineInputError, Id, Message, Param, mmss, names

# input problems
FILM_TWICE = "film_twice"
FILM_BAD_RUNTIME = "film_bad_runtime"
FILM_NO_GENRE = "film_no_genre"
BAD_WINDOW = "programme_bad_window"
BAD_TARGET = "programme_bad_target"
BAD_DURATION = "programme_bad_duration"
BAD_GENRE_LIMIT = "programme_bad_genre_limit"
BAD_ORGANISATION_LIMIT = "programme_bad_organisation_limit"
BAD_END = "programme_bad_end"
BAD_ALTERNATIVES = "programme_bad_alternatives"
# rules broken (evaluate) and reasons for no programme (build)
TOO_SHORT = "programme_too_short"
TOO_LONG = "programme_too_long"
GENRE_BELOW_MIN = "programme_genre_below_min"
GENRE_ABOVE_MAX = "programme_genre_above_max"
ORGANISATION_OVER = "programme_organisation_over"
SAME_GENRE_ADJACENT = "programme_same_genre_adjacent"
OPENER_NOT_FIRST = "programme_opener_not_first"
CLOSER_NOT_LAST = "programme_closer_not_last"
MUST_INCLUDE_MISSING = "programme_must_include_missing"
UNKNOWN_FILM = "programme_unknown_film"
FILM_REPEATED = "programme_film_repeated"
EMPTY = "programme_empty"
NOT_ENOUGH_FILMS_OF_GENRE = "programme_not_enough_films_of_genre"
FIXED_FILMS_TOO_LONG = "programme_fixed_films_too_long"
NO_PROGRAMME_WITHOUT = "programme_infeasible_rule"
NO_PROGRAMME = "programme_infeasible"
SOLVER_LIMIT = "programme_solver_limit"
FEWER_ALTERNATIVES = "programme_fewer_alternatives"

# rule families, for the diagnosis of an impossible programme
WINDOW = "window"
GENRE_MINIMA = "genre_min"
GENRE_MAXIMA = "genre_max"
ORGANISATIONS = "max_per_organisation"
ADJACENCY = "no_same_genre_adjacent"
FIXED = "fixed_films"
RULES = (WINDOW, GENRE_MINIMA, GENRE_MAXIMA, ORGANISATIONS, ADJACENCY, FIXED)
WITHOUT_RULE = {  # the reason given when leaving out that family alone lets a programme exist
    WINDOW: N_("No programme meets every rule; one exists if the runtime window is widened."),
    GENRE_MINIMA: N_("No programme meets every rule; one exists without the minimum films per genre."),
    GENRE_MAXIMA: N_("No programme meets every rule; one exists without the maximum films per genre."),
    ORGANISATIONS: N_(
        "No programme meets every rule; one exists without the maximum films per organisation."
    ),
    ADJACENCY: N_("No programme meets every rule; one exists if two films of a genre may follow each other."),
    FIXED: N_("No programme meets every rule; one exists without the fixed films (opener, closer, pinned)."),
}


@dataclass(frozen=True)
class Film:
    id: Id
    runtime_seconds: int
    genre: str
    organisation: Id | None = None  # the producing organisation; None: counts for no limit
    must_include: bool = False  # pinned into the selection by staff
    priority: float = 0.0  # e.g. the jury's score; counts only with ProgrammeRules.seconds_per_priority


@dataclass(frozen=True)
class ProgrammeRules:
    window_min_seconds: int = 95 * 60
    window_max_seconds: int = 105 * 60
    target_seconds: int = 100 * 60
    gap_seconds: int = 0  # between two films
    introduction_seconds: int = 0  # before the first film
    genre_min: Mapping[str, int] = dataclasses.field(default_factory=dict)
    genre_max: Mapping[str, int] = dataclasses.field(default_factory=dict)
    max_per_organisation: int | None = None
    no_same_genre_adjacent: bool = True
    opener: Id | None = None
    closer: Id | None = None
    # the objective and the alternatives
    seconds_per_genre: float = 60.0
    seconds_per_organisation: float = 20.0
    seconds_per_priority: float = 0.0
    alternatives: int = 3
    min_difference: int = 2


@dataclass(frozen=True)
class ScheduledFilm:
    film: Id
    position: int  # 1 = first
    starts_at_seconds: int  # from the start of the programme (the introduction comes first)
    ends_at_seconds: int
    genre: str
    organisation: Id | None


@dataclass(frozen=True)
class Programme:
    order: tuple[Id, ...]
    timeline: tuple[ScheduledFilm, ...]
    total_seconds: int
    deviation_seconds: int  # total - target (negative: shorter)
    genre_mix: tuple[tuple[str, int], ...]  # genre -> films, in the order genres first appear in the input
    genres: int  # the variety score: genres in the mix
    organisations: int  # distinct organisations
    priority_total: float
    cost: float  # the objective above; lower is better


@dataclass(frozen=True)
class ProgrammeCheck:
    programme: Programme
    violations: tuple[Message, ...]  # the rules the order breaks; empty: it respects every rule

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class ProgrammeResult:
    alternatives: tuple[Programme, ...]  # best first; empty when no programme meets the rules
    problems: tuple[Message, ...]  # why there is none (or fewer than asked)
    proven_best: bool  # the first alternative's cost is proven within tolerance_seconds of the minimum
    status: str
    seconds: float

    @property
    def best(self) -> Programme | None:
        return self.alternatives[0] if self.alternatives else None


def build_programme(
    films: Sequence[Film],
    rules: ProgrammeRules = ProgrammeRules(),
    *,
    time_limit: float = 10.0,
    tolerance_seconds: float = 10.0,
) -> ProgrammeResult:
    """Up to `rules.alternatives` programmes, best first. EngineInputError for inconsistent input; no
    programme (with the reasons in `problems`) when the rules cannot all be met. tolerance_seconds: the
    solver stops when no programme can be better by more than this much cost (10 s by default: a
    programme 10 s closer to the target is not worth the wait; proving the last second costs seconds)."""
    started = time.perf_counter()
    _check(films, rules)
    reasons = _obvious_reasons(films, rules)
    if reasons:
        return ProgrammeResult((), reasons, False, "infeasible", time.perf_counter() - started)
    model = _Model(films, rules, frozenset(RULES), tolerance_seconds)
    deadline = started + time_limit
    found: list[Programme] = []
    proven = False
    status = "optimal"
    problems: list[Message] = []
    while len(found) < rules.alternatives:
        left = deadline - time.perf_counter()
        if left <= 0.05:
            status = "time limit"
            break
        outcome = model.solve(left)
        if outcome.values is None:
            if outcome.status != "infeasible":
                status = outcome.status
            break
        chosen = [f for i, f in enumerate(films) if outcome.values[i] > 0.5]
        order = arrange(chosen, rules)
        if order is None:  # the genre counts pass the row but no order exists (the fixed ends): cut it off
            model.exclude(chosen, 1)
            continue
        check = evaluate_programme(films, [f.id for f in order], rules)
        if not check.ok:  # cannot happen: the program and the search enforce every rule; never return it
            raise AssertionError(f"programme breaks its rules: {check.violations}")
        if not found:
            proven = outcome.optimal
            status = outcome.status
        found.append(check.programme)
        model.exclude(chosen, rules.min_difference)
    if not found:
        if status in ("optimal", "infeasible"):
            problems.extend(_diagnose(films, rules, deadline))
            status = "infeasible"
        else:
            template = N_("No programme was found in the time allowed (%(status)s).")
            problems.append(Message(SOLVER_LIMIT, template, {"status": status}))
    elif len(found) < rules.alternatives and status == "optimal":
        template = N_(
            "Only %(found)s programme(s) meet the rules while differing by at least %(difference)s films."
        )
        problems.append(
            Message(FEWER_ALTERNATIVES, template, {"found": len(found), "difference": rules.min_difference})
        )
    found.sort(key=lambda p: p.cost)
    return ProgrammeResult(tuple(found), tuple(problems), proven, status, time.perf_counter() - started)


def evaluate_programme(
    films: Sequence[Film], order: Sequence[Id], rules: ProgrammeRules = ProgrammeRules()
) -> ProgrammeCheck:
    """The figures of a hand-made order (staff pinned, swapped, reordered) and the rules it breaks."""
    by_id = {f.id: f for f in films}
    violations: list[Message] = []
    seen: set[Id] = set()
    chosen: list[Film] = []
    for i, fid in enumerate(order):
        if fid not in by_id:
            template = N_("%(film)s is not one of the selected films.")
            violations.append(
                Message(UNKNOWN_FILM, template, {"film": str(fid)}, field=f"order[{i}]", subjects=(fid,))
            )
        elif fid in seen:
            template = N_("%(film)s appears twice in the programme.")
            violations.append(
                Message(FILM_REPEATED, template, {"film": str(fid)}, field=f"order[{i}]", subjects=(fid,))
            )
        else:
            chosen.append(by_id[fid])
        seen.add(fid)
    programme = _figures(films, chosen, rules)
    total = programme.total_seconds
    window: dict[str, Param] = {
        "total": mmss(total),
        "min": mmss(rules.window_min_seconds),
        "max": mmss(rules.window_max_seconds),
    }
    if not chosen:
        violations.append(Message(EMPTY, N_("The programme has no film."), field="order"))
    elif total < rules.window_min_seconds:
        template = N_("The programme lasts %(total)s, shorter than the window's %(min)s.")
        violations.append(Message(TOO_SHORT, template, window, field="order"))
    elif total > rules.window_max_seconds:
        template = N_("The programme lasts %(total)s, longer than the window's %(max)s.")
        violations.append(Message(TOO_LONG, template, window, field="order"))
    mix = dict(programme.genre_mix)
    for genre, low in rules.genre_min.items():
        if mix.get(genre, 0) < low:
            template = N_("%(genre)s: %(count)s film(s), fewer than the minimum of %(limit)s.")
            params: dict[str, Param] = {"genre": genre, "count": mix.get(genre, 0), "limit": low}
            violations.append(Message(GENRE_BELOW_MIN, template, params, field=f"genre_min.{genre}"))
    for genre, high in rules.genre_max.items():
        if mix.get(genre, 0) > high:
            template = N_("%(genre)s: %(count)s films, more than the maximum of %(limit)s.")
            params = {"genre": genre, "count": mix.get(genre, 0), "limit": high}
            violations.append(Message(GENRE_ABOVE_MAX, template, params, field=f"genre_max.{genre}"))
    if rules.max_per_organisation is not None:
        per_org: dict[Id, list[Id]] = {}
        for f in chosen:
            if f.organisation is not None:
                per_org.setdefault(f.organisation, []).append(f.id)
        for org, ids in per_org.items():
            if len(ids) > rules.max_per_organisation:
                template = N_("%(organisation)s has %(count)s films, more than the maximum of %(limit)s.")
                params = {"organisation": str(org), "count": len(ids), "limit": rules.max_per_organisation}
                violations.append(
                    Message(
                        ORGANISATION_OVER, template, params, field="max_per_organisation", subjects=tuple(ids)
                    )
                )
    if rules.no_same_genre_adjacent:
        for i in range(1, len(chosen)):
            a, b = chosen[i - 1], chosen[i]
            if a.genre == b.genre:
                template = N_(
                    "%(first)s and %(second)s are both %(genre)s, back to back (places %(place)s-%(next)s)."
                )
                params = {
                    "first": str(a.id),
                    "second": str(b.id),
                    "genre": a.genre,
                    "place": i,
                    "next": i + 1,
                }
                violations.append(
                    Message(SAME_GENRE_ADJACENT, template, params, field=f"order[{i}]", subjects=(a.id, b.id))
                )
    if rules.opener is not None and (not chosen or chosen[0].id != rules.opener):
        template = N_("%(film)s is fixed as the opener but does not come first.")
        violations.append(
            Message(
                OPENER_NOT_FIRST,
                template,
                {"film": str(rules.opener)},
                field="opener",
                subjects=(rules.opener,),
            )
        )
    if rules.closer is not None and (not chosen or chosen[-1].id != rules.closer):
        template = N_("%(film)s is fixed as the closer but does not come last.")
        violations.append(
            Message(
                CLOSER_NOT_LAST,
                template,
                {"film": str(rules.closer)},
                field="closer",
                subjects=(rules.closer,),
            )
        )
    chosen_ids = {f.id for f in chosen}
    for f in films:
        if f.must_include and f.id not in chosen_ids:
            template = N_("%(film)s is pinned into the programme but missing.")
            violations.append(
                Message(MUST_INCLUDE_MISSING, template, {"film": str(f.id)}, field="order", subjects=(f.id,))
            )
    return ProgrammeCheck(programme, tuple(violations))


def arrange(chosen: Sequence[Film], rules: ProgrammeRules) -> list[Film] | None:
    """An order of the chosen films with the opener first, the closer last and (if the rule is on) no
    two films of one genre back to back; None when none exists. Exact: a memoised search over the genre
    counts; the largest remaining genre goes first, and within a genre the next film is the first (input
    order) whose organisation differs from the previous film's. With the rule off, genres still alternate
    when they can."""
    opener = next((f for f in chosen if f.id == rules.opener), None)
    closer = next((f for f in chosen if f.id == rules.closer), None)
    if (rules.opener is not None and opener is None) or (rules.closer is not None and closer is None):
        return None
    order = _arrange(chosen, opener, closer, strict=True)
    if order is None and not rules.no_same_genre_adjacent:
        order = _arrange(chosen, opener, closer, strict=False)
    return order


def _arrange(
    chosen: Sequence[Film], opener: Film | None, closer: Film | None, *, strict: bool
) -> list[Film] | None:
    middle = [f for f in chosen if f is not opener and f is not closer]
    genres = list(dict.fromkeys(f.genre for f in middle))
    pool = {g: [f for f in middle if f.genre == g] for g in genres}
    closing_genre = None if closer is None else closer.genre

    @cache
    def can(counts: tuple[int, ...], last: str | None) -> bool:
        """Whether the films left (counts per genre) can follow a film of genre `last`."""
        if not strict:
            return True
        if not any(counts):
            return closing_genre is None or last != closing_genre
        return any(
            c and genres[g] != last and can(_minus(counts, g), genres[g]) for g, c in enumerate(counts)
        )

    counts = tuple(len(pool[g]) for g in genres)
    last = None if opener is None else opener.genre
    if not can(counts, last):
        return None
    sequence: list[Film] = [opener] if opener is not None else []
    while any(counts):
        options = [g for g, c in enumerate(counts) if c and (not strict or genres[g] != last)]
        options = [g for g in options if can(_minus(counts, g), genres[g])]
        preferred = [g for g in options if genres[g] != last] or options
        g = max(preferred, key=lambda x: (counts[x], -x))
        previous_org = sequence[-1].organisation if sequence else None
        films_of_g = pool[genres[g]]
        pick = next(
            (f for f in films_of_g if f.organisation is None or f.organisation != previous_org), films_of_g[0]
        )
        films_of_g.remove(pick)
        sequence.append(pick)
        counts, last = _minus(counts, g), genres[g]
    if closer is not None:
        sequence.append(closer)
    return sequence


def _minus(counts: tuple[int, ...], g: int) -> tuple[int, ...]:
    return counts[:g] + (counts[g] - 1,) + counts[g + 1 :]


def total_seconds(chosen: Sequence[Film], rules: ProgrammeRules) -> int:
    if not chosen:
        return 0
    return (
        rules.introduction_seconds
        + sum(f.runtime_seconds for f in chosen)
        + rules.gap_seconds * (len(chosen) - 1)
    )


def _figures(films: Sequence[Film], chosen: Sequence[Film], rules: ProgrammeRules) -> Programme:
    timeline: list[ScheduledFilm] = []
    clock = rules.introduction_seconds
    for i, f in enumerate(chosen):
        if i:
            clock += rules.gap_seconds
        timeline.append(ScheduledFilm(f.id, i + 1, clock, clock + f.runtime_seconds, f.genre, f.organisation))
        clock += f.runtime_seconds
    total = total_seconds(chosen, rules)
    genre_order = list(dict.fromkeys(f.genre for f in films))
    counts = {g: sum(1 for f in chosen if f.genre == g) for g in genre_order}
    mix = tuple((g, c) for g, c in counts.items() if c)
    priority = sum(f.priority for f in chosen)
    organisations = {f.organisation for f in chosen if f.organisation is not None}
    cost = (
        abs(total - rules.target_seconds)
        - rules.seconds_per_genre * len(mix)
        - rules.seconds_per_organisation * len(organisations)
        - rules.seconds_per_priority * priority
    )
    return Programme(
        order=tuple(f.id for f in chosen),
        timeline=tuple(timeline),
        total_seconds=total,
        deviation_seconds=total - rules.target_seconds,
        genre_mix=mix,
        genres=len(mix),
        organisations=len(organisations),
        priority_total=priority,
        cost=cost,
    )


class _Model:
    """The selection program; `rules_on` leaves rule families out for the diagnosis."""

    def __init__(
        self, films: Sequence[Film], rules: ProgrammeRules, rules_on: frozenset[str], tolerance: float = 10.0
    ) -> None:
        self.films = films
        self.tolerance = max(1e-6, float(tolerance))
        ip = highs.IntegerProgram()
        fixed_ids = {rules.opener, rules.closer} - {None}
        forced = [f.must_include or f.id in fixed_ids for f in films]
        use_fixed = FIXED in rules_on
        x = [
            ip.column(
                cost=-rules.seconds_per_priority * f.priority, lower=1.0 if (use_fixed and forced[i]) else 0.0
            )
            for i, f in enumerate(films)
        ]
        step = [float(f.runtime_seconds + rules.gap_seconds) for f in films]
        base = float(rules.introduction_seconds - rules.gap_seconds)
        ip.row(dict.fromkeys(x, 1.0), lower=1.0)  # at least one film (the total formula needs it)
        total = dict(zip(x, step, strict=True))  # + base: the programme's length
        if WINDOW in rules_on:
            ip.row(total, rules.window_min_seconds - base, rules.window_max_seconds - base)
        deviation = ip.column(cost=1.0, upper=highs.INF, integer=False)
        ip.row({**total, deviation: -1.0}, upper=rules.target_seconds - base)  # dev >= total - target
        ip.row({**total, deviation: 1.0}, lower=rules.target_seconds - base)  # dev >= target - total
        genres = list(dict.fromkeys(f.genre for f in films))
        ends = [f for f in films if f.id in fixed_ids]
        for g in genres:
            members = {x[i]: 1.0 for i, f in enumerate(films) if f.genre == g}
            present = ip.column(cost=-rules.seconds_per_genre)
            ip.row({**members, present: -1.0}, lower=0.0)  # counted only when the mix has it
            low = rules.genre_min.get(g, 0) if GENRE_MINIMA in rules_on else 0
            high = rules.genre_max.get(g) if GENRE_MAXIMA in rules_on else None
            if low or high is not None:
                ip.row(members, float(low), highs.INF if high is None else float(high))
            if ADJACENCY in rules_on and rules.no_same_genre_adjacent:
                other_ends = sum(1 for f in ends if f.genre != g) if use_fixed else 0
                # 2 c_g - n <= 1 - other_ends
                ip.row(
                    {xi: (2.0 if films[i].genre == g else 0.0) - 1.0 for i, xi in enumerate(x)},
                    upper=1.0 - other_ends,
                )
        organisations = list(dict.fromkeys(f.organisation for f in films if f.organisation is not None))
        for o in organisations if rules.seconds_per_organisation else ():
            shown = ip.column(cost=-rules.seconds_per_organisation)
            ip.row(
                {**{x[i]: 1.0 for i, f in enumerate(films) if f.organisation == o}, shown: -1.0}, lower=0.0
            )
        if ORGANISATIONS in rules_on and rules.max_per_organisation is not None:
            for o in organisations:
                ip.row(
                    {x[i]: 1.0 for i, f in enumerate(films) if f.organisation == o},
                    upper=float(rules.max_per_organisation),
                )
        self.x = x
        self.h = ip.highs()

    def solve(self, seconds: float) -> highs.Outcome:
        return highs.solve(self.h, seconds, mip_rel_gap=1e-9, mip_abs_gap=self.tolerance)

    def exclude(self, chosen: Sequence[Film], distance: int) -> None:
        """Every later selection differs from `chosen` by at least `distance` films:
        sum over chosen of (1 - x) + sum over the others of x >= distance."""
        ids = {f.id for f in chosen}
        coefficients = np.array([-1.0 if f.id in ids else 1.0 for f in self.films])
        index = np.arange(len(self.films), dtype=np.int32)
        self.h.addRow(float(distance - len(ids)), highs.INF, len(index), index, coefficients)


def _check(films: Sequence[Film], rules: ProgrammeRules) -> None:
    problems: list[Message] = []
    seen: set[Id] = set()
    for i, f in enumerate(films):
        if f.id in seen:
            template = N_("%(film)s is listed twice.")
            problems.append(
                Message(FILM_TWICE, template, {"film": str(f.id)}, field=f"films[{i}]", subjects=(f.id,))
            )
        seen.add(f.id)
        if (
            isinstance(f.runtime_seconds, bool)
            or not isinstance(f.runtime_seconds, int)
            or f.runtime_seconds <= 0
        ):
            template = N_("The runtime of %(film)s must be a positive number of seconds.")
            problems.append(
                Message(
                    FILM_BAD_RUNTIME,
                    template,
                    {"film": str(f.id)},
                    field=f"films[{i}].runtime_seconds",
                    subjects=(f.id,),
                )
            )
        if not isinstance(f.genre, str) or not f.genre:
            template = N_("%(film)s needs a genre.")
            problems.append(
                Message(
                    FILM_NO_GENRE, template, {"film": str(f.id)}, field=f"films[{i}].genre", subjects=(f.id,)
                )
            )
    durations = {
        "window_min_seconds": rules.window_min_seconds,
        "window_max_seconds": rules.window_max_seconds,
        "target_seconds": rules.target_seconds,
        "gap_seconds": rules.gap_seconds,
        "introduction_seconds": rules.introduction_seconds,
    }
    for name, value in durations.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            template = N_("Durations are whole numbers of seconds, 0 or more.")
            problems.append(Message(BAD_DURATION, template, field=name))
    if not problems:
        if rules.window_min_seconds > rules.window_max_seconds:
            template = N_("The window's end (%(max)s) comes before its start (%(min)s).")
            params: dict[str, Param] = {
                "min": mmss(rules.window_min_seconds),
                "max": mmss(rules.window_max_seconds),
            }
            problems.append(Message(BAD_WINDOW, template, params, field="window_max_seconds"))
        elif not rules.window_min_seconds <= rules.target_seconds <= rules.window_max_seconds:
            template = N_("The target (%(target)s) must lie inside the window (%(min)s-%(max)s).")
            params = {
                "target": mmss(rules.target_seconds),
                "min": mmss(rules.window_min_seconds),
                "max": mmss(rules.window_max_seconds),
            }
            problems.append(Message(BAD_TARGET, template, params, field="target_seconds"))
    for kind, limits in (("genre_min", rules.genre_min), ("genre_max", rules.genre_max)):
        for genre, value in limits.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                template = N_("The limit for %(genre)s must be a whole number, 0 or more.")
                problems.append(Message(BAD_GENRE_LIMIT, template, {"genre": genre}, field=f"{kind}.{genre}"))
    for genre, low in rules.genre_min.items():
        high = rules.genre_max.get(genre)
        if high is not None and isinstance(low, int) and isinstance(high, int) and low > high:
            template = N_("%(genre)s: the minimum (%(min)s) is above the maximum (%(max)s).")
            params = {"genre": genre, "min": low, "max": high}
            problems.append(Message(BAD_GENRE_LIMIT, template, params, field=f"genre_max.{genre}"))
    limit = rules.max_per_organisation
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        template = N_("The maximum films per organisation must be a whole number of at least 1.")
        problems.append(Message(BAD_ORGANISATION_LIMIT, template, field="max_per_organisation"))
    for name, end in (("opener", rules.opener), ("closer", rules.closer)):
        if end is not None and end not in seen:
            template = N_("%(film)s is not one of the selected films.")
            problems.append(Message(BAD_END, template, {"film": str(end)}, field=name, subjects=(end,)))
    if rules.opener is not None and rules.opener == rules.closer:
        template = N_("One film cannot both open and close the programme.")
        problems.append(Message(BAD_END, template, field="closer", subjects=(rules.opener,)))
    counts = {"alternatives": rules.alternatives, "min_difference": rules.min_difference}
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            template = N_("This must be a whole number of at least 1.")
            problems.append(Message(BAD_ALTERNATIVES, template, field=name))
    if problems:
        raise EngineInputError(problems)


def _obvious_reasons(films: Sequence[Film], rules: ProgrammeRules) -> tuple[Message, ...]:
    """Reasons that need no solver, in the words of the rule they break."""
    reasons: list[Message] = []
    if not films:
        return (Message(EMPTY, N_("There is no selected film to build a programme from."), field="films"),)
    for genre, low in rules.genre_min.items():
        have = sum(1 for f in films if f.genre == genre)
        if have < low:
            template = N_("%(genre)s: only %(count)s selected film(s), fewer than the minimum of %(limit)s.")
            params: dict[str, Param] = {"genre": genre, "count": have, "limit": low}
            reasons.append(Message(NOT_ENOUGH_FILMS_OF_GENRE, template, params, field=f"genre_min.{genre}"))
    fixed_ids = {rules.opener, rules.closer} - {None}
    fixed = [f for f in films if f.must_include or f.id in fixed_ids]
    fixed_total = total_seconds(fixed, rules)
    if fixed_total > rules.window_max_seconds:
        template = N_(
            "The films that must be in (%(films)s) already last %(total)s, more than the window's %(max)s."
        )
        params = {
            "films": names(f.id for f in fixed),
            "total": mmss(fixed_total),
            "max": mmss(rules.window_max_seconds),
        }
        reasons.append(
            Message(
                FIXED_FILMS_TOO_LONG, template, params, field="films", subjects=tuple(f.id for f in fixed)
            )
        )
    check = evaluate_programme(
        films,
        [f.id for f in fixed],
        dataclasses.replace(rules, no_same_genre_adjacent=False, opener=None, closer=None),
    )
    for v in check.violations:
        if v.code in (GENRE_ABOVE_MAX, ORGANISATION_OVER):
            reasons.append(v)
    return tuple(reasons)


def _diagnose(films: Sequence[Film], rules: ProgrammeRules, deadline: float) -> list[Message]:
    """Which single rule family, left out, lets a programme exist."""
    culprits: list[str] = []
    for family in RULES:
        left = deadline - time.perf_counter()
        if left <= 0.05:
            break
        outcome = _Model(films, rules, frozenset(RULES) - {family}).solve(min(left, 2.0))
        if outcome.values is not None:
            culprits.append(family)
    window: dict[str, Param] = {"min": mmss(rules.window_min_seconds), "max": mmss(rules.window_max_seconds)}
    if not culprits:
        template = N_(
            "No programme between %(min)s and %(max)s meets the variety rules together with the fixed films, "
            "and leaving out any one rule is not enough: relax several."
        )
        return [Message(NO_PROGRAMME, template, window)]
    return [Message(NO_PROGRAMME_WITHOUT, WITHOUT_RULE[family], window, field=family) for family in culprits]
