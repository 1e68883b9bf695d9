"""Per-juror normalisation: worked examples by hand, the threshold rule, and properties."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juries.engine import ROBUST, EngineInputError, NormalisationSettings, Rating, normalise
from juries.engine.normalise import (
    APPLIED,
    CLAMPED,
    DUPLICATE_RATING,
    JUROR_MAD_FALLBACK,
    JUROR_NO_SPREAD,
    MEAN_ABSOLUTE_DEVIATION,
    NO_SPREAD,
    NOT_APPLIED,
    TIE,
    UNKNOWN_ENTRY,
)

# Three jurors, each rating 3 of 4 entries: A is generous, B severe, C in between.
WORKED = [
    Rating("A", "e1", 9),
    Rating("A", "e2", 7),
    Rating("A", "e3", 8),
    Rating("B", "e1", 5),
    Rating("B", "e2", 3),
    Rating("B", "e4", 4),
    Rating("C", "e2", 4),
    Rating("C", "e3", 6),
    Rating("C", "e4", 5),
]


def test_worked_example_by_hand():
    result = normalise(WORKED, NormalisationSettings(min_ratings_per_juror=3))
    assert result.applied and result.used == "normalised"
    # every juror's scores are their mean +1, -1, 0 steps of sqrt(2/3): z = +-sqrt(3/2) or 0
    centre = 51 / 9
    spread = math.sqrt(32 / 9)
    assert result.centre == pytest.approx(centre)
    assert result.spread == pytest.approx(spread)
    high, low = centre + spread * math.sqrt(1.5), centre - spread * math.sqrt(1.5)
    expected = {"e1": high, "e2": low, "e3": (centre + high) / 2, "e4": centre}
    for entry, value in expected.items():
        assert result.entry(entry).normalised.value == pytest.approx(value)
    # raw means: e1 and e3 are tied at 7.00; normalisation tells them apart (e3 owes its 8 to A's generosity)
    raw = {e.entry: e.raw for e in result.entries}
    assert raw["e1"].value == pytest.approx(7) and raw["e3"].value == pytest.approx(7)
    assert raw["e1"].tied_with == ("e3",) and raw["e1"].rank == raw["e3"].rank == 1
    assert [e.entry for e in result.entries] == ["e1", "e3", "e4", "e2"]
    assert [e.final.rank for e in result.entries] == [1, 2, 3, 4]
    assert not any(e.final.tied for e in result.entries)
    a = next(p for p in result.jurors if p.juror == "A")
    assert a.mean == pytest.approx(8) and a.sd == pytest.approx(math.sqrt(2 / 3))
    assert a.leniency == pytest.approx(8 - centre)
    e2 = result.entry("e2")
    assert e2.ratings == 3
    assert (e2.spread.min, e2.spread.max) == (3, 7)
    assert e2.spread.sd == pytest.approx(statistics.pstdev([7, 3, 4]))
    assert e2.normalised_spread.sd == pytest.approx(0)  # the three jurors agree once normalised
    assert result.explanation[0].code == APPLIED
    assert "every juror rated at least 3 entries" in result.explanation[0].message


def test_below_the_threshold_raw_means_are_used_and_the_result_says_so():
    result = normalise(WORKED, NormalisationSettings(min_ratings_per_juror=4))
    assert not result.applied and result.used == "raw"
    assert result.threshold == 4
    assert result.jurors_below_threshold == ("A", "B", "C")
    assert all(e.normalised is None and e.final is e.raw for e in result.entries)
    assert all(s.normalised is None for e in result.entries for s in e.scores)
    note = result.explanation[0]
    assert note.code == NOT_APPLIED and note.subjects == ("A", "B", "C")
    assert "at least 4 entries" in note.message and "A: 3, B: 3, C: 3" in note.message
    # the raw tie is flagged in plain words
    ties = [n for n in result.explanation if n.code == TIE]
    assert [t.subjects for t in ties] == [("e1", "e3")]


def test_one_juror_short_keeps_everyone_raw():
    ratings = [*WORKED, Rating("A", "e4", 6), Rating("C", "e1", 7)]
    result = normalise(ratings, NormalisationSettings(min_ratings_per_juror=4))
    assert not result.applied
    assert result.jurors_below_threshold == ("B",)
    assert [p.below_threshold for p in result.jurors] == [False, True, False]


def test_leniency_and_scale_use_are_removed():
    """Juror Y is juror X plus 2 points: after normalisation both count alike."""
    x = [Rating("X", f"e{i}", s) for i, s in enumerate([3, 5, 4, 6, 2])]
    y = [Rating("Y", f"e{i}", s + 2) for i, s in enumerate([3, 5, 4, 6, 2])]
    result = normalise(x + y, NormalisationSettings(min_ratings_per_juror=5))
    for e in result.entries:
        a, b = (s.normalised for s in e.scores)
        assert a == pytest.approx(b)
        assert e.normalised_spread.sd == pytest.approx(0)


def test_robust_method_resists_one_extreme_score_and_falls_back_when_mad_is_zero():
    ratings = [Rating("A", f"e{i}", s) for i, s in enumerate([5, 5, 5, 6, 7])]
    ratings += [Rating("B", f"e{i}", s) for i, s in enumerate([2, 4, 6, 8, 10])]
    result = normalise(ratings, NormalisationSettings(method=ROBUST, min_ratings_per_juror=5))
    a = next(p for p in result.jurors if p.juror == "A")
    assert a.median == 5 and a.mad == 0
    assert a.spread_fallback == MEAN_ABSOLUTE_DEVIATION
    assert a.spread == pytest.approx(1.2533 * (0 + 0 + 0 + 1 + 2) / 5)
    b = next(p for p in result.jurors if p.juror == "B")
    assert b.centre == 6 and b.spread == pytest.approx(1.4826 * 2)
    assert any(n.code == JUROR_MAD_FALLBACK and n.subjects == ("A",) for n in result.explanation)
    # the common centre is the median of all ratings
    assert result.centre == statistics.median([5, 5, 5, 6, 7, 2, 4, 6, 8, 10])


def test_a_juror_without_spread_counts_as_the_centre():
    ratings = [Rating("flat", f"e{i}", 7) for i in range(4)]
    ratings += [Rating("B", f"e{i}", s) for i, s in enumerate([2, 4, 6, 8])]
    result = normalise(ratings, NormalisationSettings(min_ratings_per_juror=4))
    flat = next(p for p in result.jurors if p.juror == "flat")
    assert flat.spread_fallback == NO_SPREAD
    for e in result.entries:
        assert next(s for s in e.scores if s.juror == "flat").normalised == pytest.approx(result.centre)
    assert any(n.code == JUROR_NO_SPREAD for n in result.explanation)


def test_normalised_scores_beyond_the_scale_are_clamped_and_counted():
    ratings = [Rating("A", f"e{i}", s) for i, s in enumerate([1, 1, 1, 1, 10])]  # z = +2 for e4
    ratings += [Rating("B", f"e{i}", s) for i, s in enumerate([9, 9, 10, 10, 10])]
    result = normalise(ratings, NormalisationSettings(min_ratings_per_juror=5))
    assert result.clamped >= 1
    values = [s.normalised for e in result.entries for s in e.scores]
    assert all(1 <= v <= 10 for v in values)
    assert any(n.code == CLAMPED for n in result.explanation)


def test_unrated_entries_come_last_without_a_mean():
    result = normalise(
        WORKED, NormalisationSettings(min_ratings_per_juror=3), entries=["e0", "e1", "e2", "e3", "e4"]
    )
    last = result.entries[-1]
    assert last.entry == "e0" and last.ratings == 0
    assert last.raw.value is None and last.raw.rank is None and last.spread is None


def test_bad_input_is_refused_field_by_field():
    bad = [Rating("A", "e1", 11), Rating("A", "e1", 5), Rating("B", "zz", 5)]
    with pytest.raises(EngineInputError) as caught:
        normalise(bad, entries=["e1"])
    got = [(p.field, p.code) for p in caught.value.problems]
    assert got[0] == ("ratings[0].score", "rating_bad_score")
    assert ("ratings[1]", DUPLICATE_RATING) in got
    assert ("ratings[2].entry", UNKNOWN_ENTRY) in got
    with pytest.raises(EngineInputError):
        normalise(WORKED, NormalisationSettings(min_ratings_per_juror=1))


@st.composite
def juries(draw):
    n_entries = draw(st.integers(3, 8))
    n_jurors = draw(st.integers(2, 5))
    ratings = []
    for j in range(n_jurors):
        rated = draw(st.lists(st.integers(0, n_entries - 1), min_size=2, max_size=n_entries, unique=True))
        for e in rated:
            ratings.append(Rating(f"j{j}", f"e{e}", draw(st.integers(3, 8))))
    return ratings


@settings(max_examples=60, deadline=2000, derandomize=True)
@given(juries(), st.sampled_from(["zscore", "robust"]), st.integers(2, 6))
def test_results_are_consistent(ratings, method, threshold):
    result = normalise(ratings, NormalisationSettings(method=method, min_ratings_per_juror=threshold))
    counts = {}
    for r in ratings:
        counts[r.juror] = counts.get(r.juror, 0) + 1
    assert result.applied == all(c >= threshold for c in counts.values())
    assert sum(e.ratings for e in result.entries) == len(ratings)
    finals = [e.final.value for e in result.entries]
    assert finals == sorted(finals, key=lambda v: -round(v, 2))
    for e in result.entries:
        raw = [s.raw for s in e.scores]
        assert e.raw.value == pytest.approx(statistics.fmean(raw))
        assert e.spread.min == min(raw) and e.spread.max == max(raw)
        if result.applied:
            assert all(1 <= s.normalised <= 10 for s in e.scores)
        for other in e.final.tied_with:
            assert round(result.entry(other).final.value, 2) == round(e.final.value, 2)


@settings(max_examples=40, deadline=2000, derandomize=True)
@given(juries(), st.integers(-2, 2), st.sampled_from([1.0, 0.5]))
def test_zscore_ignores_a_jurors_leniency_and_scale_use(ratings, shift, stretch):
    """Shifting and stretching one juror's scores around their mean changes nothing but the common centre
    and spread: every normalised score moves by the same increasing affine map, so no entry gains on
    another (checked when no score was clamped)."""
    target = ratings[0].juror
    own = [r.score for r in ratings if r.juror == target]
    mean = statistics.fmean(own)
    moved = [
        Rating(r.juror, r.entry, mean + shift + stretch * (r.score - mean)) if r.juror == target else r
        for r in ratings
    ]
    config = NormalisationSettings(min_ratings_per_juror=2)
    before, after = normalise(ratings, config), normalise(moved, config)
    if before.clamped or after.clamped or before.spread == 0:
        return
    old = {(s.juror, e.entry): s.normalised for e in before.entries for s in e.scores}
    new = {(s.juror, e.entry): s.normalised for e in after.entries for s in e.scores}
    ratio = after.spread / before.spread
    for key, value in old.items():
        assert new[key] == pytest.approx(after.centre + ratio * (value - before.centre), abs=1e-9)
