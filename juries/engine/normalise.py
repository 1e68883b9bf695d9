"""Per-juror normalisation of rating scores, and the per-entry figures a jury can trust.

Some jurors are generous, some severe, some use the whole scale, some three marks of it. Normalising puts
every juror on a common footing before entries are compared:

- z-score (default): z = (score - juror's mean) / juror's standard deviation, mapped back to the scale with
  the mean and standard deviation of all ratings: mean_all + sd_all x z;
- robust: the same with the median and the median absolute deviation (MAD x 1.4826, comparable to a
  standard deviation), which one extreme score does not move.

Normalised scores are clamped to the scale (the result counts how many were). Standard deviations are
population ones (divide by n). A juror who gave every entry the same score has no spread: their scores carry
no ranking and become the common centre. With the robust method, a juror whose MAD is 0 (more than half of
their scores equal) is scaled by the mean absolute deviation from the median x 1.2533 instead.

When normalisation applies: only when EVERY juror of the round has rated at least `min_ratings_per_juror`
entries; otherwise the raw means are used for everyone and the result says which jurors are short. All or
nothing, because a mean mixing normalised and raw scores favours the entries of the raw lenient jurors, and
a juror's leniency measured from a handful of ratings is mostly noise.

Ties: entries are tied when their means are equal as shown with `tie_decimals` decimals (what staff see);
tied entries share a rank (1, 2, 2, 4) and keep the input order between them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .base import N_, EngineInputError, Id, Message, Param, as_number, names

ZSCORE: Literal["zscore"] = "zscore"
ROBUST: Literal["robust"] = "robust"
Method = Literal["zscore", "robust"]
MAD_TO_SD = 1.4826  # MAD x 1.4826 estimates the standard deviation of normal data
MEAN_AD_TO_SD = 1.2533  # mean absolute deviation x sqrt(pi/2) does the same

# spread fallbacks of a juror
NO_SPREAD = "no_spread"  # every score equal: z = 0 for all
MEAN_ABSOLUTE_DEVIATION = "mean_absolute_deviation"  # robust method with MAD = 0

# message codes
APPLIED = "normalisation_applied"
NOT_APPLIED = "normalisation_not_applied"
JUROR_NO_SPREAD = "juror_no_spread"
JUROR_MAD_FALLBACK = "juror_mad_fallback"
CLAMPED = "normalised_scores_clamped"
TIE = "entries_tied"
NO_RATINGS = "no_ratings"
BAD_SETTINGS = "normalisation_bad_settings"
BAD_SCORE = "rating_bad_score"
DUPLICATE_RATING = "rating_twice"
UNKNOWN_ENTRY = "rating_unknown_entry"


@dataclass(frozen=True)
class Rating:
    juror: Id
    entry: Id
    score: float  # the rating's score on the scale (rubric.Rubric.score(...).score)


@dataclass(frozen=True)
class NormalisationSettings:
    method: Method = ZSCORE
    min_ratings_per_juror: int = 5  # the threshold shown to staff; at least 2
    scale_min: float = 1.0
    scale_max: float = 10.0
    tie_decimals: int = 2


@dataclass(frozen=True)
class JurorProfile:
    juror: Id
    ratings: int
    mean: float
    sd: float
    median: float
    mad: float  # median absolute deviation x 1.4826
    centre: float  # what the method measures from: mean (z-score) or median (robust)
    spread: float  # what it divides by: sd, scaled MAD, or the fallback's value
    leniency: float  # centre - the common centre: above 0 a generous juror, below 0 a severe one
    spread_fallback: str | None  # None, NO_SPREAD or MEAN_ABSOLUTE_DEVIATION
    below_threshold: bool


@dataclass(frozen=True)
class Spread:
    """How far the jurors are apart on one entry."""

    sd: float
    min: float
    max: float

    @property
    def range(self) -> float:
        return self.max - self.min


@dataclass(frozen=True)
class Standing:
    value: float | None  # the entry's mean (None: no rating)
    rank: int | None  # competition rank, 1 = best; None: no rating
    tied_with: tuple[Id, ...]  # other entries shown with the same mean

    @property
    def tied(self) -> bool:
        return bool(self.tied_with)


@dataclass(frozen=True)
class AdjustedScore:
    juror: Id
    raw: float
    normalised: float | None  # None when normalisation is not applied
    clamped: bool


@dataclass(frozen=True)
class EntryResult:
    entry: Id
    ratings: int
    raw: Standing
    normalised: Standing | None  # None when normalisation is not applied
    spread: Spread | None  # of the raw scores; None without ratings
    normalised_spread: Spread | None
    scores: tuple[AdjustedScore, ...]  # one per juror who rated it, in input order

    @property
    def final(self) -> Standing:
        """The standing the result ranks by: normalised when applied, raw otherwise."""
        return self.normalised if self.normalised is not None else self.raw


@dataclass(frozen=True)
class NormalisationResult:
    method: Method
    applied: bool  # False: the raw means are used (see jurors_below_threshold)
    threshold: int
    jurors: tuple[JurorProfile, ...]
    jurors_below_threshold: tuple[Id, ...]
    centre: float  # mean (z-score) or median (robust) of all ratings
    spread: float  # sd (z-score) or scaled MAD (robust) of all ratings
    entries: tuple[EntryResult, ...]  # best first by the final standing; unrated entries last
    clamped: int  # normalised scores set to the nearest end of the scale
    explanation: tuple[Message, ...]  # plain words for the staff page, in order

    @property
    def used(self) -> Literal["normalised", "raw"]:
        return "normalised" if self.applied else "raw"

    def entry(self, entry: Id) -> EntryResult:
        for e in self.entries:
            if e.entry == entry:
                return e
        raise KeyError(entry)


def normalise(
    ratings: Sequence[Rating],
    settings: NormalisationSettings = NormalisationSettings(),
    entries: Sequence[Id] | None = None,
) -> NormalisationResult:
    """Raw and (when every juror rated enough entries) normalised means, spreads, ranks and ties.

    entries: every entry of the round in display order (unrated ones are listed last without a mean);
    by default the entries of the ratings, in order of first appearance. EngineInputError on a score off
    the scale, a juror rating one entry twice, or a rating of an entry not in `entries`.
    """
    _check(ratings, settings, entries)
    entry_order = list(dict.fromkeys(entries if entries is not None else (r.entry for r in ratings)))
    by_juror: dict[Id, list[float]] = {}
    for r in ratings:
        by_juror.setdefault(r.juror, []).append(float(r.score))
    scores = [float(r.score) for r in ratings]
    threshold = settings.min_ratings_per_juror
    short = tuple(j for j, s in by_juror.items() if len(s) < threshold)
    applied = bool(ratings) and not short
    robust = settings.method == ROBUST
    centre, spread = _location_scale(scores, robust)

    profiles: dict[Id, JurorProfile] = {}
    for juror, own in by_juror.items():
        mean, sd = statistics.fmean(own), statistics.pstdev(own)
        median = statistics.median(own)
        mad = MAD_TO_SD * statistics.median(abs(s - median) for s in own)
        fallback: str | None = None
        if robust:
            j_centre, j_spread = median, mad
            if j_spread <= 1e-12:
                j_spread = MEAN_AD_TO_SD * statistics.fmean(abs(s - median) for s in own)
                fallback = MEAN_ABSOLUTE_DEVIATION
        else:
            j_centre, j_spread = mean, sd
        if j_spread <= 1e-12:
            j_spread, fallback = 0.0, NO_SPREAD
        profiles[juror] = JurorProfile(
            juror=juror,
            ratings=len(own),
            mean=mean,
            sd=sd,
            median=median,
            mad=mad,
            centre=j_centre,
            spread=j_spread,
            leniency=j_centre - centre,
            spread_fallback=fallback,
            below_threshold=len(own) < threshold,
        )

    lo, hi = settings.scale_min, settings.scale_max
    adjusted: dict[Id, list[AdjustedScore]] = {e: [] for e in entry_order}
    clamped = 0
    for r in ratings:
        normalised: float | None = None
        was_clamped = False
        if applied:
            p = profiles[r.juror]
            z = 0.0 if p.spread == 0.0 else (float(r.score) - p.centre) / p.spread
            value = centre + spread * z
            normalised = min(hi, max(lo, value))
            was_clamped = normalised != value
            clamped += was_clamped
        adjusted[r.entry].append(AdjustedScore(r.juror, float(r.score), normalised, was_clamped))

    raw_means = {e: _mean([a.raw for a in adjusted[e]]) for e in entry_order}
    raw_standings = _standings(raw_means, entry_order, settings.tie_decimals)
    norm_standings: dict[Id, Standing] | None = None
    if applied:
        norm_means = {
            e: _mean([a.normalised for a in adjusted[e] if a.normalised is not None]) for e in entry_order
        }
        norm_standings = _standings(norm_means, entry_order, settings.tie_decimals)
    results = []
    for e in entry_order:
        rows = adjusted[e]
        results.append(
            EntryResult(
                entry=e,
                ratings=len(rows),
                raw=raw_standings[e],
                normalised=None if norm_standings is None else norm_standings[e],
                spread=_spread([a.raw for a in rows]),
                normalised_spread=_spread([a.normalised for a in rows if a.normalised is not None]),
                scores=tuple(rows),
            )
        )
    position = {e: i for i, e in enumerate(entry_order)}
    results.sort(key=lambda r: (r.final.rank is None, r.final.rank or 0, position[r.entry]))
    result_profiles = tuple(profiles.values())
    return NormalisationResult(
        method=settings.method,
        applied=applied,
        threshold=threshold,
        jurors=result_profiles,
        jurors_below_threshold=short,
        centre=centre,
        spread=spread,
        entries=tuple(results),
        clamped=clamped,
        explanation=_explain(settings, applied, result_profiles, short, centre, spread, clamped, results),
    )


def _check(ratings: Sequence[Rating], settings: NormalisationSettings, entries: Sequence[Id] | None) -> None:
    problems: list[Message] = []
    if settings.method not in (ZSCORE, ROBUST):
        problems.append(
            Message(
                BAD_SETTINGS,
                N_("Choose the z-score or the robust (median) normalisation."),
                field="method",
            )
        )
    if not isinstance(settings.min_ratings_per_juror, int) or settings.min_ratings_per_juror < 2:
        problems.append(
            Message(
                BAD_SETTINGS,
                N_("The minimum number of ratings per juror must be at least 2."),
                field="min_ratings_per_juror",
            )
        )
    if not settings.scale_min < settings.scale_max:
        problems.append(
            Message(BAD_SETTINGS, N_("The top of the scale must be above its bottom."), field="scale_max")
        )
    known = None if entries is None else set(entries)
    seen: set[tuple[Id, Id]] = set()
    for i, r in enumerate(ratings):
        where = f"ratings[{i}]"
        score = as_number(r.score)
        if score is None or not settings.scale_min <= score <= settings.scale_max:
            params: dict[str, Param] = {
                "juror": str(r.juror),
                "entry": str(r.entry),
                "min": settings.scale_min,
                "max": settings.scale_max,
            }
            template = N_(
                "The score of %(juror)s for %(entry)s must be a number between %(min)s and %(max)s."
            )
            problems.append(Message(BAD_SCORE, template, params, field=f"{where}.score"))
        if (r.juror, r.entry) in seen:
            template = N_("%(juror)s rated %(entry)s twice.")
            params = {"juror": str(r.juror), "entry": str(r.entry)}
            problems.append(Message(DUPLICATE_RATING, template, params, field=where, subjects=(r.juror,)))
        seen.add((r.juror, r.entry))
        if known is not None and r.entry not in known:
            template = N_("%(entry)s is not an entry of this round.")
            params = {"entry": str(r.entry)}
            problems.append(Message(UNKNOWN_ENTRY, template, params, field=f"{where}.entry"))
    if problems:
        raise EngineInputError(problems)


def _location_scale(scores: list[float], robust: bool) -> tuple[float, float]:
    if not scores:
        return 0.0, 0.0
    if not robust:
        return statistics.fmean(scores), statistics.pstdev(scores)
    median = statistics.median(scores)
    mad = MAD_TO_SD * statistics.median(abs(s - median) for s in scores)
    if mad <= 1e-12:
        mad = MEAN_AD_TO_SD * statistics.fmean(abs(s - median) for s in scores)
    return median, mad


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _spread(values: list[float]) -> Spread | None:
    return Spread(statistics.pstdev(values), min(values), max(values)) if values else None


def _standings(means: dict[Id, float | None], order: list[Id], decimals: int) -> dict[Id, Standing]:
    """Competition ranks on the means as shown with `decimals` decimals; ties share a rank."""
    shown = {e: None if m is None else round(m, decimals) for e, m in means.items()}
    groups: dict[float, list[Id]] = {}
    for e in order:
        value = shown[e]
        if value is not None:
            groups.setdefault(value, []).append(e)
    out: dict[Id, Standing] = {}
    rank = 1
    for value in sorted(groups, reverse=True):
        members = groups[value]
        for e in members:
            out[e] = Standing(means[e], rank, tuple(m for m in members if m != e))
        rank += len(members)
    for e in order:
        if e not in out:
            out[e] = Standing(None, None, ())
    return out


def _explain(
    settings: NormalisationSettings,
    applied: bool,
    profiles: tuple[JurorProfile, ...],
    short: tuple[Id, ...],
    centre: float,
    spread: float,
    clamped: int,
    results: Iterable[EntryResult],
) -> tuple[Message, ...]:
    notes: list[Message] = []
    scale: dict[str, Param] = {
        "threshold": settings.min_ratings_per_juror,
        "min": _shown(settings.scale_min),
        "max": _shown(settings.scale_max),
        "centre": round(centre, 2),
        "spread": round(spread, 2),
    }
    if not profiles:
        notes.append(Message(NO_RATINGS, N_("No ratings yet.")))
        return tuple(notes)
    if applied and settings.method == ZSCORE:
        template = N_(
            "Normalised scores: every juror rated at least %(threshold)s entries. Each juror's scores were "
            "measured from that juror's own average, in units of that juror's own spread (standard "
            "deviation), then put back on the %(min)s-%(max)s scale with the average (%(centre)s) and the "
            "spread (%(spread)s) of all ratings. A generous juror and a severe one thus count alike."
        )
        notes.append(Message(APPLIED, template, scale))
    elif applied:
        template = N_(
            "Normalised scores (robust method): every juror rated at least %(threshold)s entries. Each "
            "juror's scores were measured from that juror's own median, in units of that juror's median "
            "absolute deviation (which one extreme score does not move), then put back on the "
            "%(min)s-%(max)s scale with the median (%(centre)s) and the spread (%(spread)s) of all ratings."
        )
        notes.append(Message(APPLIED, template, scale))
    else:
        counts = ", ".join(f"{p.juror}: {p.ratings}" for p in profiles if p.below_threshold)
        template = N_(
            "Raw averages: scores are normalised only when every juror has rated at least %(threshold)s "
            "entries, and %(jurors)s did not (%(counts)s). With so few ratings a juror's generosity cannot "
            "be told apart from the entries' quality."
        )
        short_params = {**scale, "jurors": names(short), "counts": counts}
        notes.append(Message(NOT_APPLIED, template, short_params, subjects=short))
    if applied:
        for p in profiles:
            if p.spread_fallback == NO_SPREAD:
                template = N_(
                    "%(juror)s gave every entry the same score: those scores rank nothing and count as the "
                    "common centre."
                )
                notes.append(Message(JUROR_NO_SPREAD, template, {"juror": str(p.juror)}, subjects=(p.juror,)))
            elif p.spread_fallback == MEAN_ABSOLUTE_DEVIATION:
                template = N_(
                    "More than half of the scores of %(juror)s are equal: their spread is measured by the "
                    "mean distance to their median instead."
                )
                notes.append(
                    Message(JUROR_MAD_FALLBACK, template, {"juror": str(p.juror)}, subjects=(p.juror,))
                )
        if clamped:
            template = N_(
                "%(count)s normalised scores fell outside the scale and were set to its nearest end."
            )
            notes.append(Message(CLAMPED, template, {"count": clamped}))
    seen: set[Id] = set()
    for r in results:
        standing = r.final
        if standing.tied and r.entry not in seen and standing.value is not None:
            group = (r.entry, *standing.tied_with)
            seen.update(group)
            template = N_("Tied at %(value)s (rank %(rank)s): %(entries)s.")
            params: dict[str, Param] = {
                "value": round(standing.value, settings.tie_decimals),
                "rank": standing.rank or 0,
                "entries": names(group),
            }
            notes.append(Message(TIE, template, params, subjects=group))
    return tuple(notes)


def _shown(value: float) -> Param:
    return int(value) if float(value).is_integer() else value
