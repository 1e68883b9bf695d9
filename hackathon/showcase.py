"""The public page after the event: the projects of the teams that agreed to be shown, and the winners
(the projects the jury selected, once staff publish the results). Nothing is public before the event ends
or without the team's consent."""

from __future__ import annotations

from dataclasses import dataclass

from hackathon.common import event_of, get_edition
from hackathon.judging import selected_submissions
from hackathon.submissions import images_of, members_named, submissions_of
from hackathon.tables import Challenge, Submission, Team
from juries.common import now


@dataclass(frozen=True)
class ShownProject:
    submission_id: int
    title: str
    team: str
    challenge: str
    pitch: str
    members: list[str]
    prototype_url: str
    video_url: str
    images: list[str]
    winner: bool
    accompanied: bool


@dataclass(frozen=True)
class Board:
    open: bool  # the event is over (projects may be shown)
    results_published: bool
    winners: list[ShownProject]
    projects: list[ShownProject]  # every consenting team's, winners included


async def board(edition_id: int) -> Board:
    edition = await get_edition(edition_id)
    event = await event_of(edition)
    is_open = edition.results_published or event.ends_at <= now()
    if not is_open:
        return Board(False, False, [], [])
    winners = {s.id for s in await selected_submissions(edition.id)} if edition.results_published else set()
    teams = {t.id: t for t in await Team.objects().where(Team.edition == edition.id)}
    titles = {c.id: c.title for c in await Challenge.objects().where(Challenge.edition == edition.id)}
    shown = []
    for s in await submissions_of(edition.id):
        team = teams[s.team]
        if not team.public_consent:
            continue
        shown.append(
            ShownProject(
                s.id,
                s.title,
                team.name,
                titles.get(s.challenge or 0, ""),
                s.pitch,
                await members_named(team.id),
                s.prototype_url,
                s.video_url,
                [i["name"] for i in images_of(s)],
                s.id in winners,
                s.project_id is not None,
            )
        )
    return Board(True, edition.results_published, [p for p in shown if p.winner], shown)


async def is_public(submission: Submission) -> bool:
    team = await Team.objects().where(Team.id == submission.team).first()
    if team is None or not team.public_consent:
        return False
    return (await board(team.edition)).open
