"""Rubrics: weighted criteria marked on one scale (1-10 by default) give one score per rating.

The score of a rating is the weighted mean of its marks, sum(weight_i x mark_i) / sum(weight_i), so it stays
on the rubric's scale whatever the weights (a juror who gives 7 everywhere scores 7).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .base import N_, EngineInputError, Message, Param, as_number

RUBRIC_NO_CRITERIA = "rubric_no_criteria"
RUBRIC_NAME_EMPTY = "rubric_name_empty"
RUBRIC_NAME_TWICE = "rubric_name_twice"
RUBRIC_BAD_WEIGHT = "rubric_bad_weight"
RUBRIC_BAD_SCALE = "rubric_bad_scale"
MARK_MISSING = "mark_missing"
MARK_NOT_A_NUMBER = "mark_not_a_number"
MARK_OUT_OF_SCALE = "mark_out_of_scale"
MARK_NOT_WHOLE = "mark_not_whole"
MARK_UNKNOWN_CRITERION = "mark_unknown_criterion"


class RubricError(EngineInputError):
    """The rubric itself is unusable (no criteria, a weight that is not positive, a scale upside down)."""


class RatingError(EngineInputError):
    """A rating does not fit its rubric; each problem's `field` is the criterion's name."""


@dataclass(frozen=True)
class Criterion:
    name: str  # the key of the mark in a rating (and of the form field)
    weight: float = 1.0


@dataclass(frozen=True)
class CriterionMark:
    name: str
    mark: float
    weight: float
    share: float  # weight / total weight: what the criterion counts for in the score
    contribution: float  # share x mark; the contributions add up to the score


@dataclass(frozen=True)
class RatingScore:
    score: float
    marks: tuple[CriterionMark, ...]


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    scale_min: int = 1
    scale_max: int = 10
    whole_marks: bool = True  # marks are whole numbers (7, not 7.5)

    def __post_init__(self) -> None:
        problems = rubric_problems(self)
        if problems:
            raise RubricError(problems)

    @property
    def total_weight(self) -> float:
        return math.fsum(c.weight for c in self.criteria)

    def shares(self) -> dict[str, float]:
        total = self.total_weight
        return {c.name: c.weight / total for c in self.criteria}

    def validate(self, marks: Mapping[str, object]) -> tuple[Message, ...]:
        """Problems of one rating: every criterion present, a number, on the scale (whole if required),
        nothing else. Empty when the rating is valid."""
        return self._parse(marks)[1]

    def score(self, marks: Mapping[str, object]) -> RatingScore:
        """The rating's score with each criterion's part in it; RatingError if the rating is invalid."""
        parsed, problems = self._parse(marks)
        if problems:
            raise RatingError(problems)
        total = self.total_weight
        parts = tuple(
            CriterionMark(
                c.name, parsed[c.name], c.weight, c.weight / total, c.weight / total * parsed[c.name]
            )
            for c in self.criteria
        )
        score = math.fsum(p.weight * p.mark for p in parts) / total
        # a weighted mean of marks on the scale is on the scale; clamp the last bit of rounding
        return RatingScore(min(self.scale_max, max(self.scale_min, score)), parts)

    def _parse(self, marks: Mapping[str, object]) -> tuple[dict[str, float], tuple[Message, ...]]:
        parsed: dict[str, float] = {}
        problems: list[Message] = []
        for c in self.criteria:
            raw = marks.get(c.name)
            number = as_number(raw)
            about = {"name": c.name}
            if raw is None or raw == "":
                problems.append(Message(MARK_MISSING, N_("Give a mark for %(name)s."), about, field=c.name))
            elif number is None:
                template = N_("The mark for %(name)s must be a number.")
                problems.append(Message(MARK_NOT_A_NUMBER, template, about, field=c.name))
            elif not self.scale_min <= number <= self.scale_max:
                template = N_("The mark for %(name)s must be between %(min)s and %(max)s.")
                params: dict[str, Param] = {"name": c.name, "min": self.scale_min, "max": self.scale_max}
                problems.append(Message(MARK_OUT_OF_SCALE, template, params, field=c.name))
            elif self.whole_marks and not number.is_integer():
                template = N_("The mark for %(name)s must be a whole number.")
                problems.append(Message(MARK_NOT_WHOLE, template, about, field=c.name))
            else:
                parsed[c.name] = number
        known = {c.name for c in self.criteria}
        for name in marks:
            if name not in known:
                template = N_("%(name)s is not a criterion of this rubric.")
                problems.append(
                    Message(MARK_UNKNOWN_CRITERION, template, {"name": str(name)}, field=str(name))
                )
        return parsed, tuple(problems)


def rubric_problems(rubric: Rubric) -> tuple[Message, ...]:
    problems: list[Message] = []
    if not rubric.criteria:
        problems.append(
            Message(RUBRIC_NO_CRITERIA, N_("A rubric needs at least one criterion."), field="criteria")
        )
    seen: set[str] = set()
    for i, c in enumerate(rubric.criteria):
        if not isinstance(c.name, str) or not c.name.strip():
            problems.append(
                Message(RUBRIC_NAME_EMPTY, N_("Every criterion needs a name."), field=f"criteria[{i}].name")
            )
        elif c.name in seen:
            problems.append(
                Message(
                    RUBRIC_NAME_TWICE,
                    N_("The criterion %(name)s appears twice."),
                    {"name": c.name},
                    field=f"criteria[{i}].name",
                )
            )
        seen.add(c.name)
        weight = as_number(c.weight)
        if weight is None or weight <= 0:
            problems.append(
                Message(
                    RUBRIC_BAD_WEIGHT,
                    N_("The weight of %(name)s must be a positive number."),
                    {"name": str(c.name)},
                    field=f"criteria[{i}].weight",
                )
            )
    if not (isinstance(rubric.scale_min, int) and isinstance(rubric.scale_max, int)) or (
        rubric.scale_min >= rubric.scale_max
    ):
        problems.append(
            Message(
                RUBRIC_BAD_SCALE,
                N_("The top of the scale (%(max)s) must be above its bottom (%(min)s)."),
                {"min": str(rubric.scale_min), "max": str(rubric.scale_max)},
                field="scale_max",
            )
        )
    return tuple(problems)
