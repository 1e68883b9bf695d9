"""Rubric scores: weighted means of marks, and ratings checked field by field."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juries.engine import Criterion, RatingError, Rubric, RubricError
from juries.engine.rubric import (
    MARK_MISSING,
    MARK_NOT_A_NUMBER,
    MARK_NOT_WHOLE,
    MARK_OUT_OF_SCALE,
    MARK_UNKNOWN_CRITERION,
    RUBRIC_BAD_SCALE,
    RUBRIC_BAD_WEIGHT,
    RUBRIC_NAME_TWICE,
    RUBRIC_NO_CRITERIA,
)

COURT_DICI = Rubric(
    (
        Criterion("artistic_quality", 3),
        Criterion("fit_with_buyers", 2),
        Criterion("technical_quality", 1),
    )
)


def test_worked_example_weighted_mean_on_the_scale():
    result = COURT_DICI.score({"artistic_quality": 8, "fit_with_buyers": 6, "technical_quality": 9})
    # (3 x 8 + 2 x 6 + 1 x 9) / 6 = 45 / 6
    assert result.score == pytest.approx(7.5)
    assert [m.share for m in result.marks] == pytest.approx([1 / 2, 1 / 3, 1 / 6])
    assert math.fsum(m.contribution for m in result.marks) == pytest.approx(result.score)
    assert COURT_DICI.shares() == pytest.approx(
        {"artistic_quality": 0.5, "fit_with_buyers": 1 / 3, "technical_quality": 1 / 6}
    )


def test_every_problem_of_a_rating_is_named_by_its_field():
    marks = {"artistic_quality": 11, "fit_with_buyers": "7", "sound": 5}
    with pytest.raises(RatingError) as caught:
        COURT_DICI.score(marks)
    by_field = {p.field: p.code for p in caught.value.problems}
    assert by_field == {
        "artistic_quality": MARK_OUT_OF_SCALE,
        "fit_with_buyers": MARK_NOT_A_NUMBER,
        "technical_quality": MARK_MISSING,
        "sound": MARK_UNKNOWN_CRITERION,
    }
    assert set(caught.value.fields) == set(by_field)
    out_of_scale = caught.value.fields["artistic_quality"][0]
    assert out_of_scale.message == "The mark for artistic_quality must be between 1 and 10."


@pytest.mark.parametrize(
    ("value", "code"),
    [(0, MARK_OUT_OF_SCALE), (10.5, MARK_OUT_OF_SCALE), (7.5, MARK_NOT_WHOLE), (True, MARK_NOT_A_NUMBER)]
    + [(float("nan"), MARK_NOT_A_NUMBER), (None, MARK_MISSING), ("", MARK_MISSING)],
)
def test_one_bad_mark(value, code):
    marks = {"artistic_quality": value, "fit_with_buyers": 5, "technical_quality": 5}
    problems = COURT_DICI.validate(marks)
    assert [(p.field, p.code) for p in problems] == [("artistic_quality", code)]


def test_half_marks_when_the_rubric_allows_them():
    rubric = Rubric((Criterion("a"), Criterion("b")), whole_marks=False)
    assert rubric.score({"a": 7.5, "b": 8}).score == pytest.approx(7.75)
    assert rubric.validate({"a": 1, "b": 10}) == ()


def test_a_rubric_that_cannot_work_is_refused():
    with pytest.raises(RubricError) as caught:
        Rubric((Criterion("a", 0), Criterion("a", 1), Criterion("b", -2)), scale_min=10, scale_max=1)
    codes = [(p.field, p.code) for p in caught.value.problems]
    assert codes == [
        ("criteria[0].weight", RUBRIC_BAD_WEIGHT),
        ("criteria[1].name", RUBRIC_NAME_TWICE),
        ("criteria[2].weight", RUBRIC_BAD_WEIGHT),
        ("scale_max", RUBRIC_BAD_SCALE),
    ]
    with pytest.raises(RubricError) as caught:
        Rubric(())
    assert caught.value.problems[0].code == RUBRIC_NO_CRITERIA


def test_messages_render_through_gettext():
    problem = COURT_DICI.validate({"artistic_quality": 4, "fit_with_buyers": 4})[0]
    french = {"Give a mark for %(name)s.": "Donnez une note pour %(name)s."}
    assert problem.render(lambda s: french.get(s, s)) == "Donnez une note pour technical_quality."


weights = st.lists(st.floats(0.1, 10), min_size=1, max_size=5)


@settings(max_examples=60, deadline=1000, derandomize=True)
@given(weights, st.data())
def test_score_stays_on_the_scale_and_rises_with_each_mark(ws, data):
    rubric = Rubric(tuple(Criterion(f"c{i}", w) for i, w in enumerate(ws)))
    marks = {f"c{i}": data.draw(st.integers(1, 10)) for i in range(len(ws))}
    score = rubric.score(marks).score
    assert 1 <= score <= 10
    assert min(marks.values()) - 1e-9 <= score <= max(marks.values()) + 1e-9
    raised = data.draw(st.sampled_from(sorted(marks)))
    if marks[raised] < 10:
        assert rubric.score({**marks, raised: marks[raised] + 1}).score > score
    same = data.draw(st.integers(1, 10))
    assert rubric.score(dict.fromkeys(marks, same)).score == pytest.approx(same)
