"""Teams participants form themselves: create one (with its invitation link), join by the link, leave.
The link carries an HMAC of the team's salt with a secret of var/, so members can see it again and staff can
revoke it (a new salt) without any stored copy of it.

The size limit is checked under a named lock on the team (lib.locking), so two people joining the last
place at once never make a team larger than the edition allows. Only accepted participants take part.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from hackathon.common import get_edition
from hackathon.tables import Challenge, HackParticipant, Submission, Team
from juries.common import row_or_404, text
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from lib.locking import lock
from lib.settings import get_settings, secret_from_var


@dataclass(frozen=True)
class CreatedTeam:
    team: Team
    invite_token: str


def _secret() -> bytes:
    settings = get_settings()
    return secret_from_var(settings.var_dir, "hackathon_invite_secret").encode()


def invite_token(team: Team) -> str:
    """The team's invitation secret: its id and an HMAC of its salt (nothing to store, shown to members)."""
    mac = hmac.new(_secret(), f"{team.id}:{team.invite_salt}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{team.id}-{mac}"


def invite_path(token: str) -> str:
    return f"/hackathon/join/{token}"


def _must_be_accepted(participant: HackParticipant) -> None:
    if participant.status != "accepted":
        raise ValidationFailed.one("participant", _("Only accepted participants take part in teams."))


async def _challenge_of(edition_id: int, data: dict[str, Any], errors: dict[str, str]) -> int | None:
    raw = data.get("challenge_id")
    if raw in (None, ""):
        return None
    try:
        challenge_id = int(raw)
    except (TypeError, ValueError):
        challenge_id = 0
    found = await Challenge.exists().where((Challenge.id == challenge_id) & (Challenge.edition == edition_id))
    if not found:
        errors["challenge_id"] = _("Choose one of this edition's challenges.")
        return None
    return challenge_id


async def create_team(participant: HackParticipant, data: Any) -> CreatedTeam:
    _must_be_accepted(participant)
    data = data if isinstance(data, dict) else {}
    errors: dict[str, str] = {}
    name = text(errors, data, "name", required=True, max_length=120)
    challenge = await _challenge_of(participant.edition, data, errors)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        await lock("hackathon-participant", participant.id)
        current = await HackParticipant.objects().where(HackParticipant.id == participant.id).first()
        if current is None or current.team is not None:
            raise Conflict(_("Leave your team before creating another one."))
        if await Team.exists().where((Team.edition == participant.edition) & (Team.name == name)):
            raise ValidationFailed.one("name", _("A team of this name already exists."))
        team = Team(
            edition=participant.edition, name=name, challenge=challenge, invite_salt=secrets.token_hex(16)
        )
        await team.save()
        await HackParticipant.update({HackParticipant.team: team.id}).where(
            HackParticipant.id == participant.id
        )
    return CreatedTeam(team, invite_token(team))


async def team_by_invite(token: str) -> Team:
    head, _sep, _mac = (token or "").partition("-")
    team = (
        await Team.objects().where(Team.id == int(head)).first()
        if head.isdigit() and len(head) < 10
        else None
    )
    if team is None or not hmac.compare_digest(invite_token(team), token):
        raise NotFound(_("This invitation link is not valid."))
    return team


async def join_team(participant: HackParticipant, invite_token: str) -> Team:
    _must_be_accepted(participant)
    team = await team_by_invite(invite_token)
    if team.edition != participant.edition:
        raise NotFound(_("This invitation link is not valid."))
    edition = await get_edition(team.edition)
    async with atomic():
        await lock("hackathon-team", team.id)
        await lock("hackathon-participant", participant.id)
        current = await HackParticipant.objects().where(HackParticipant.id == participant.id).first()
        if current is None or current.team == team.id:
            return team
        if current.team is not None:
            raise Conflict(_("Leave your team before joining another one."))
        size = await HackParticipant.count().where(
            (HackParticipant.team == team.id) & (HackParticipant.status == "accepted")
        )
        if size >= edition.max_team_size:
            raise Conflict(_("This team is full (%(n)s people at most).", n=edition.max_team_size))
        await HackParticipant.update({HackParticipant.team: team.id}).where(
            HackParticipant.id == participant.id
        )
    return team


async def leave_team(participant: HackParticipant) -> None:
    """Leave; the last one leaving dissolves a team that has not submitted."""
    async with atomic():
        current = await HackParticipant.objects().where(HackParticipant.id == participant.id).first()
        if current is None or current.team is None:
            raise Conflict(_("You are in no team."))
        team_id = current.team
        await lock("hackathon-team", team_id)
        await HackParticipant.update({HackParticipant.team: None}).where(HackParticipant.id == participant.id)
        left = await HackParticipant.count().where(HackParticipant.team == team_id)
        if left == 0 and not await Submission.exists().where(Submission.team == team_id):
            await Team.delete().where(Team.id == team_id)


async def new_invite(team_id: int) -> str:
    """A fresh invitation link (the old one stops working)."""
    await Team.update({Team.invite_salt: secrets.token_hex(16)}).where(Team.id == team_id)
    return invite_token(await get_team(team_id))


async def get_team(team_id: Any) -> Team:
    return await row_or_404(Team, team_id, _("This team does not exist."))


async def members_of(team_id: int) -> list[HackParticipant]:
    return (
        await HackParticipant.objects()
        .where((HackParticipant.team == team_id) & (HackParticipant.status == "accepted"))
        .order_by(HackParticipant.id)
    )


async def teams_of(edition_id: int) -> list[Team]:
    return await Team.objects().where(Team.edition == edition_id).order_by(Team.id)


async def set_consent(participant: HackParticipant, consent: bool) -> None:
    if participant.team is None:
        raise Conflict(_("You are in no team."))
    await Team.update({Team.public_consent: consent}).where(Team.id == participant.team)


async def team_json(team: Team) -> dict[str, Any]:
    members = await members_of(team.id)
    return {
        "id": team.id,
        "name": team.name,
        "challenge_id": team.challenge,
        "formed_by_staff": team.formed_by_staff,
        "public_consent": team.public_consent,
        "members": [
            {"id": m.id, "name": m.name, "role": m.role, "organisation": m.organisation_name} for m in members
        ],
    }
