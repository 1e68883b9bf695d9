"""Staff form balanced teams for the accepted participants without one (hackathon.engine.teams):
a preview first, then apply. Existing teams are kept and may receive people; people who asked to be
together (each naming the other's email) end up in one team. Applying checks that nothing changed since
the preview (the preview's key), so staff apply what they saw."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from hackathon.common import get_edition
from hackathon.engine import Participant, TeamFormation, TeamRules, form_teams
from hackathon.registration import skills_of
from hackathon.tables import Edition, HackParticipant, Team
from juries.engine.base import EngineInputError
from lib.errors import Conflict, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from lib.locking import lock


@dataclass(frozen=True)
class Preview:
    formation: TeamFormation
    people: dict[int, HackParticipant]
    team_names: dict[int, str]  # existing team id -> name
    key: str  # what the preview was computed from
    unassigned: int  # accepted participants without a team before the formation


def _groups(people: list[HackParticipant]) -> dict[int, frozenset[str]]:
    """Pairs who named each other's email (or one named the other) share a group id."""
    by_email = {p.email: p for p in people}
    out: dict[int, set[str]] = {p.id: set() for p in people}
    for p in people:
        other = by_email.get(p.together_with)
        if other is not None and other.id != p.id:
            group = "-".join(sorted((p.email, other.email)))
            out[p.id].add(group)
            out[other.id].add(group)
    return {k: frozenset(v) for k, v in out.items()}


def _key(people: list[HackParticipant], edition: Edition) -> str:
    parts = [f"{p.id}:{p.team or 0}" for p in people]
    parts.append(f"{edition.min_team_size}-{edition.max_team_size}-{edition.min_roles}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


async def preview(edition_id: Any) -> Preview:
    edition = await get_edition(edition_id)
    people = (
        await HackParticipant.objects()
        .where((HackParticipant.edition == edition.id) & (HackParticipant.status == "accepted"))
        .order_by(HackParticipant.id)
    )
    groups = _groups(people)
    engine_people = [
        Participant(
            id=p.id,
            role=p.role,
            skills=frozenset(skills_of(p)),
            organisation=p.organisation,
            together=groups[p.id],
            team=p.team,
        )
        for p in people
    ]
    rules = TeamRules(
        min_size=edition.min_team_size,
        max_size=edition.max_team_size,
        min_roles=edition.min_roles,
        time_limit=5.0,
    )
    try:
        formation = form_teams(engine_people, rules)
    except EngineInputError as exc:
        raise ValidationFailed({m.field or "teams": m.render(_) for m in exc.problems}) from exc
    teams = await Team.select(Team.id, Team.name).where(Team.edition == edition.id)
    return Preview(
        formation=formation,
        people={p.id: p for p in people},
        team_names={t["id"]: t["name"] for t in teams},
        key=_key(people, edition),
        unassigned=sum(1 for p in people if p.team is None),
    )


async def apply(edition_id: Any, key: str) -> list[int]:
    """Write the previewed formation; the ids of the teams created."""
    async with atomic():
        await lock("hackathon-formation", edition_id)
        seen = await preview(edition_id)
        if seen.key != key:
            raise Conflict(_("Participants or teams changed since the preview: look at the new preview."))
        if seen.formation.problems or not seen.formation.teams:
            raise ValidationFailed.one("teams", _("No formation to apply."))
        created: list[int] = []
        taken = set(seen.team_names.values())
        number = 1
        for team in seen.formation.teams:
            team_id = team.existing
            if team_id is None:
                while f"Équipe {number}" in taken:
                    number += 1
                name = f"Équipe {number}"
                taken.add(name)
                row = Team(
                    edition=edition_id, name=name, formed_by_staff=True, invite_salt=secrets.token_hex(16)
                )
                await row.save()
                team_id = row.id
                created.append(team_id)
            newcomers = [m for m in team.members if seen.people[int(m)].team is None]
            if newcomers:
                await HackParticipant.update({HackParticipant.team: team_id}).where(
                    HackParticipant.id.is_in([int(m) for m in newcomers]) & HackParticipant.team.is_null()
                )
    return created
