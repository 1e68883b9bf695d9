"""What an organisation has in the hackathons, for its member space: the teams its people were in, the
project each team submitted, and — once staff publish the results — whether the jury selected it and
whether the cluster accompanies it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hackathon.judging import selected_submissions
from hackathon.registration import status_label
from hackathon.tables import Challenge, Edition, HackParticipant, Submission, Team
from lib.i18n import get_locale


@dataclass(frozen=True)
class OrganisationTeam:
    team_id: int
    event_title: str
    starts_at: datetime
    team: str
    challenge: str
    our_people: list[str]  # the organisation's participants in the team
    size: int
    project_title: str  # "" before the team submits
    selected: bool | None  # None until the results are published
    project_id: int | None  # the accompanied project, once the cluster takes the team on


@dataclass(frozen=True)
class OrganisationParticipant:
    """One of the organisation's people registered for an edition, with or without a team."""

    name: str
    event_title: str
    status: str  # its label
    team: str


@dataclass(frozen=True)
class OrganisationHackathons:
    teams: list[OrganisationTeam]
    participants: list[OrganisationParticipant]


async def hackathons_of_organisation(organisation_id: int) -> OrganisationHackathons:
    ours = await HackParticipant.objects().where(HackParticipant.organisation == organisation_id)
    if not ours:
        return OrganisationHackathons([], [])
    editions = {
        e["id"]: e
        for e in await Edition.select(
            Edition.id,
            Edition.results_published,
            Edition.event.title.as_alias("title"),
            Edition.event.title_en.as_alias("title_en"),
            Edition.event.starts_at.as_alias("starts_at"),
        ).where(Edition.id.is_in(sorted({p.edition for p in ours})))
    }
    team_ids = sorted({p.team for p in ours if p.team is not None})
    teams = {t.id: t for t in await Team.objects().where(Team.id.is_in(team_ids))} if team_ids else {}
    sizes: dict[int, int] = {}
    if team_ids:
        for r in await HackParticipant.select(HackParticipant.team).where(
            HackParticipant.team.is_in(team_ids)
        ):
            sizes[r["team"]] = sizes.get(r["team"], 0) + 1
    submissions = (
        {s.team: s for s in await Submission.objects().where(Submission.team.is_in(team_ids))}
        if team_ids
        else {}
    )
    challenge_ids = sorted({t.challenge for t in teams.values() if t.challenge is not None})
    challenges = (
        {c.id: c for c in await Challenge.objects().where(Challenge.id.is_in(challenge_ids))}
        if challenge_ids
        else {}
    )
    selected: set[int] = set()
    for edition_id, edition in editions.items():
        if edition["results_published"]:
            selected |= {s.id for s in await selected_submissions(edition_id)}
    english = get_locale() == "en"

    def title_of(edition_id: int) -> str:
        e = editions[edition_id]
        return (english and e["title_en"]) or e["title"]

    result: list[OrganisationTeam] = []
    for team_id in team_ids:
        team = teams[team_id]
        challenge = challenges.get(team.challenge or 0)
        submission = submissions.get(team_id)
        published = bool(editions[team.edition]["results_published"])
        result.append(
            OrganisationTeam(
                team_id=team_id,
                event_title=title_of(team.edition),
                starts_at=editions[team.edition]["starts_at"],
                team=team.name,
                challenge=((english and challenge.title_en) or challenge.title) if challenge else "",
                our_people=sorted(p.name for p in ours if p.team == team_id),
                size=sizes.get(team_id, 0),
                project_title=submission.title if submission else "",
                selected=(submission is not None and submission.id in selected) if published else None,
                project_id=submission.project_id if submission else None,
            )
        )
    result.sort(key=lambda t: (t.starts_at, t.team), reverse=True)
    people = [
        OrganisationParticipant(
            name=p.name,
            event_title=title_of(p.edition),
            status=status_label(p.status),
            team=teams[p.team].name if p.team in teams else "",
        )
        for p in sorted(ours, key=lambda p: (editions[p.edition]["starts_at"], p.name), reverse=True)
    ]
    return OrganisationHackathons(result, people)
