"""Hackathon JSON API (thin: the rules live in hackathon.registration/formation/...).

Public: the edition and its challenges, registration. A participant: their registration by personal token.
Staff: participants, the balanced-teams preview and apply.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accounts.guards import staff_guard
from hackathon import challenges, editions, formation, registration, teams
from hackathon.common import get_edition, participant_by_token
from lib.i18n import _


def _preview_json(seen: formation.Preview) -> dict[str, Any]:
    f = seen.formation
    return {
        "key": seen.key,
        "unassigned": seen.unassigned,
        "method": f.method,
        "measure": f.measure.total if f.measure else None,
        "bound": f.bound.total if f.bound else None,
        "proven_optimal": f.proven_optimal,
        "problems": [m.render(_) for m in f.problems],
        "teams": [
            {"existing_team_id": t.existing, "members": [int(m) for m in t.members], "roles": dict(t.roles)}
            for t in f.teams
        ],
    }


class HackathonPublicApi(Controller):
    path = "/api/hackathon"
    tags = ["hackathon"]

    @get("/{edition_id:int}", operation_id="getHackathonEdition")
    async def edition(self, edition_id: int) -> dict[str, Any]:
        edition = await get_edition(edition_id)
        body = editions.edition_json(edition)
        body["challenges"] = [
            challenges.challenge_json(c) for c in await challenges.challenges_of(edition.id)
        ]
        return body

    @post(
        "/{edition_id:int}/participants",
        operation_id="registerHackathonParticipant",
        status_code=HTTP_201_CREATED,
    )
    async def register(self, edition_id: int, data: dict[str, Any]) -> dict[str, Any]:
        done = await registration.register(edition_id, data)
        return {
            "participant": registration.participant_json(done.participant),
            "personal_token": done.token,
            "waiting_position": done.waiting_position,
        }

    @get("/me/{token:str}", operation_id="getMyHackathonRegistration")
    async def me(self, token: str) -> dict[str, Any]:
        participant = await participant_by_token(token)
        body = registration.participant_json(participant)
        body["waiting_position"] = await registration.waiting_position(participant)
        body["team"] = (
            await teams.team_json(await teams.get_team(participant.team)) if participant.team else None
        )
        return body


class HackathonStaffApi(Controller):
    path = "/api/hackathon/staff"
    tags = ["hackathon"]
    guards = [staff_guard]

    @get("/{edition_id:int}/participants", operation_id="listHackathonParticipants")
    async def participants(self, edition_id: int) -> list[dict[str, Any]]:
        edition = await get_edition(edition_id)
        return [registration.participant_json(p) for p in await registration.participants_of(edition.id)]

    @get("/{edition_id:int}/formation", operation_id="previewHackathonTeams")
    async def preview(self, edition_id: int) -> dict[str, Any]:
        return _preview_json(await formation.preview(edition_id))

    @post("/{edition_id:int}/formation", operation_id="applyHackathonTeams", status_code=HTTP_200_OK)
    async def apply(self, edition_id: int, data: dict[str, Any]) -> dict[str, Any]:
        key = data.get("key") if isinstance(data.get("key"), str) else ""
        return {"created_team_ids": await formation.apply(edition_id, key or "")}


ROUTES = [HackathonPublicApi, HackathonStaffApi]
