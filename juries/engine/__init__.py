"""The selection engines: pure computations (no database, no HTTP) the juries domain is built on.

rubric (weighted criteria -> one score per rating), normalise (per-juror normalisation, spreads, ties),
ranking (Schulze and Borda), assignment (entries to jurors, HiGHS), programme (the Court d'Ici programme
builder, HiGHS + exact ordering). Messages carry English msgids with parameters: render them with gettext.
"""

from .assignment import AssignmentProblem, AssignmentResult, assign
from .base import EngineInputError, Id, Message
from .normalise import (
    ROBUST,
    ZSCORE,
    AdjustedScore,
    EntryResult,
    JurorProfile,
    NormalisationResult,
    NormalisationSettings,
    Rating,
    Spread,
    Standing,
    normalise,
)
from .programme import (
    Film,
    Programme,
    ProgrammeCheck,
    ProgrammeResult,
    ProgrammeRules,
    ScheduledFilm,
    arrange,
    build_programme,
    evaluate_programme,
)
from .ranking import Ballot, BordaResult, RankedEntry, RankingResult, SchulzeResult, borda, rank, schulze
from .rubric import Criterion, CriterionMark, RatingError, RatingScore, Rubric, RubricError

__all__ = [
    "ROBUST",
    "ZSCORE",
    "AdjustedScore",
    "AssignmentProblem",
    "AssignmentResult",
    "Ballot",
    "BordaResult",
    "Criterion",
    "CriterionMark",
    "EngineInputError",
    "EntryResult",
    "Film",
    "Id",
    "JurorProfile",
    "Message",
    "NormalisationResult",
    "NormalisationSettings",
    "Programme",
    "ProgrammeCheck",
    "ProgrammeResult",
    "ProgrammeRules",
    "RankedEntry",
    "RankingResult",
    "Rating",
    "RatingError",
    "RatingScore",
    "Rubric",
    "RubricError",
    "ScheduledFilm",
    "SchulzeResult",
    "Spread",
    "Standing",
    "arrange",
    "assign",
    "borda",
    "build_programme",
    "evaluate_programme",
    "normalise",
    "rank",
    "schulze",
]
