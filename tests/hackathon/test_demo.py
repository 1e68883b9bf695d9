"""The demo: Culture Experience Days 2027 with 40 participants, 8 teams, submissions, a finished jury and one
accompanied project (with the projects demo's hours on it)."""

from __future__ import annotations

from hackathon.tables import Edition, HackParticipant, Submission, Team
from juries.tables import Entry, Round
from projects.tables import HoursEntry, Project


async def test_demo_edition(demo_data):  # noqa: ARG001
    edition = await Edition.objects().first()
    assert edition is not None and edition.results_published
    assert await HackParticipant.count().where(HackParticipant.status == "accepted") == 40
    assert await HackParticipant.count().where(HackParticipant.status == "waiting") == 2
    assert await Team.count() == 8
    assert (
        await HackParticipant.count().where(
            (HackParticipant.status == "accepted") & HackParticipant.team.is_null()
        )
        == 0
    )
    assert await Submission.count() == 8
    assert await Round.count().where((Round.call == edition.jury_call) & (Round.status == "closed")) == 1
    assert await Entry.count().where((Entry.call == edition.jury_call) & (Entry.status == "selected")) == 2
    [project] = await Project.objects().where(Project.origin == "hackathon")
    assert project.status == "active" and project.convention_on is not None
    assert await Submission.exists().where(Submission.project_id == project.id)
    assert await HoursEntry.count().where(HoursEntry.project == project.id) == 3
