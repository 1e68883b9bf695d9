"""Engine messages come out in French through the project's catalogues (web/translations/fr, compiled by
`make translations`), the way a page renders them: message.render(gettext)."""

from __future__ import annotations

from pathlib import Path

from babel.support import Translations

from hackathon.engine import Participant, form_teams
from juries.engine import Criterion, NormalisationSettings, Rating, Rubric, normalise

TRANSLATIONS = Path(__file__).resolve().parent.parent.parent / "web" / "translations"


def french(domain: str) -> Translations:
    catalogue = Translations.load(str(TRANSLATIONS), ["fr"], domain=domain)
    assert isinstance(catalogue, Translations), f"{domain}.mo missing: run make translations"
    return catalogue


def test_rating_problems_and_explanations_in_french():
    fr = french("juries")
    rubric = Rubric((Criterion("qualité artistique", 2), Criterion("technique", 1)))
    problems = rubric.validate({"qualité artistique": 12})
    assert [p.render(fr.gettext) for p in problems] == [
        "La note pour qualité artistique doit être comprise entre 1 et 10.",
        "Donnez une note pour technique.",
    ]
    ratings = [Rating("Ana", f"film{i}", 5 + i % 3) for i in range(3)]
    note = normalise(ratings, NormalisationSettings(min_ratings_per_juror=4)).explanation[0]
    assert note.render(fr.gettext).startswith(
        "Moyennes brutes : les notes ne sont normalisées que si chaque juré a évalué au moins 4 candidatures"
    )


def test_team_explanation_in_french():
    people = [Participant(f"p{i}", ("artist", "developer")[i % 2]) for i in range(8)]
    result = form_teams(people)
    assert (
        result.explanation[0]
        .render(french("hackathon").gettext)
        .startswith("Équilibre 0 : le meilleur possible")
    )


def test_decimals_follow_the_locale_when_the_page_asks():
    from babel.numbers import format_decimal

    ratings = [
        Rating(j, f"film{i}", s)
        for j, scores in (("A", (9, 7, 8)), ("B", (5, 3, 4)))
        for i, s in enumerate(scores)
    ]
    note = normalise(ratings, NormalisationSettings(min_ratings_per_juror=3)).explanation[0]
    assert "average (6)" in note.message
    assert "moyenne (6)" in note.render(french("juries").gettext, lambda x: format_decimal(x, locale="fr"))
    assert note.params["spread"] == 2.16
    assert "spread (2.16)" in note.message
    assert "dispersion (2,16)" in note.render(
        french("juries").gettext, lambda x: format_decimal(x, locale="fr")
    )
