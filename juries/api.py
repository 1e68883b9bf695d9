"""Juries JSON API (thin: the rules live in juries.calls/submissions/jurors/recusals/rounds/results/screening).

Staff: /api/juries/... . Submitters and jurors sign in by a one-time email link (attendee session):
/api/juries/me/... (their entries) and /api/juries/jury/{call_id}/... (the entries assigned to them, blind).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accounts.guards import attendee_email, current_staff, staff_guard
from juries import calls, jurors, recusals, results, rounds, screening, submissions
from lib.errors import NotFound
from lib.i18n import _


async def attendee_guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    if not attendee_email(connection):
        raise NotAuthorizedException("sign-in required")


async def _staff_email(request: Request) -> str:
    user = await current_staff(request)
    return user.email if user else ""


class StaffJuryController(Controller):
    path = "/api/juries"
    guards = [staff_guard]
    tags = ["juries"]

    @post("/calls", operation_id="createJuryCall", status_code=HTTP_201_CREATED)
    async def create_call(self, data: dict[str, Any]) -> dict[str, Any]:
        return calls.call_json(await calls.create_call(data))

    @get("/calls", operation_id="listJuryCalls")
    async def list_calls(self) -> list[dict[str, Any]]:
        return [calls.call_json(c) for c in await calls.list_calls()]

    @get("/calls/{call_id:int}", operation_id="getJuryCall")
    async def get_call(self, call_id: int) -> dict[str, Any]:
        return calls.call_json(await calls.get_call(call_id))

    @get("/calls/{call_id:int}/entries", operation_id="listJuryEntries")
    async def entries(self, call_id: int) -> list[dict[str, Any]]:
        call = await calls.get_call(call_id)
        return [await submissions.entry_json(e) for e in await submissions.entries_of_call(call.id)]

    @post("/calls/{call_id:int}/jurors", operation_id="inviteJuror", status_code=HTTP_201_CREATED)
    async def invite(self, call_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return jurors.juror_json(await jurors.invite_juror(call_id, data))

    @get("/calls/{call_id:int}/jurors", operation_id="listJurors")
    async def list_jurors(self, call_id: int) -> list[dict[str, Any]]:
        call = await calls.get_call(call_id)
        return [jurors.juror_json(j) for j in await jurors.jurors_of(call.id, active_only=False)]

    @delete("/jurors/{juror_id:int}", operation_id="dropJuror", status_code=HTTP_200_OK)
    async def drop(self, juror_id: int) -> dict[str, Any]:
        return jurors.juror_json(await jurors.drop_juror(juror_id))

    @get("/calls/{call_id:int}/recusals", operation_id="listRecusals")
    async def recusals(self, call_id: int) -> list[dict[str, Any]]:
        call = await calls.get_call(call_id)
        return [recusals.recusal_json(r) for r in await recusals.recusals_of_call(call.id)]

    @post("/calls/{call_id:int}/rounds", operation_id="createJuryRound", status_code=HTTP_201_CREATED)
    async def create_round(self, call_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return rounds.round_json(await rounds.create_round(call_id, data))

    @patch("/rounds/{round_id:int}", operation_id="setRoundQuorum")
    async def set_quorum(self, round_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return rounds.round_json(await rounds.set_quorum(round_id, data))

    @post("/rounds/{round_id:int}/assign", operation_id="assignJuryRound", status_code=HTTP_200_OK)
    async def assign(self, round_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        return await rounds.assign_round(round_id, (data or {}).get("k"))

    @post("/rounds/{round_id:int}/close", operation_id="closeJuryRound", status_code=HTTP_200_OK)
    async def close(self, request: Request, round_id: int) -> dict[str, Any]:
        return rounds.round_json(await rounds.close_round(round_id, await _staff_email(request)))

    @get("/rounds/{round_id:int}/results", operation_id="getRoundResults")
    async def results(self, round_id: int) -> dict[str, Any]:
        return await results.round_results(round_id)

    @post("/rounds/{round_id:int}/decision", operation_id="decideRound", status_code=HTTP_200_OK)
    async def decide(self, request: Request, round_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await results.decide(round_id, data, await _staff_email(request))

    @post("/calls/{call_id:int}/result-emails", operation_id="sendJuryResults", status_code=HTTP_200_OK)
    async def send_results(self, call_id: int) -> dict[str, int]:
        return await results.send_results(call_id)

    @put("/calls/{call_id:int}/result-templates", operation_id="setJuryResultTemplates")
    async def set_templates(self, call_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await results.set_result_templates(call_id, data)

    @post("/calls/{call_id:int}/programme/build", operation_id="buildScreening", status_code=HTTP_200_OK)
    async def build(self, call_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        return await screening.build(call_id, data or {})

    @put("/calls/{call_id:int}/programme", operation_id="saveScreening")
    async def save(self, call_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await screening.save_order(call_id, data)

    @post("/calls/{call_id:int}/programme/publish", operation_id="publishScreening", status_code=HTTP_200_OK)
    async def publish(self, call_id: int) -> dict[str, Any]:
        return await screening.publish(call_id)

    @get(
        "/calls/{call_id:int}/catalogue.pdf",
        operation_id="getScreeningCatalogue",
        media_type="application/pdf",
    )
    async def catalogue(self, call_id: int) -> Response[bytes]:
        content = await screening.catalogue_pdf(call_id)
        return Response(
            content,
            media_type="application/pdf",
            headers={"content-disposition": f'attachment; filename="catalogue-{call_id}.pdf"'},
        )

    @patch("/entries/{entry_id:int}/copy", operation_id="updateScreeningCopy")
    async def copy(self, entry_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return await screening.update_copy(entry_id, data)


class SubmitterController(Controller):
    path = "/api/juries"
    guards = [attendee_guard]
    tags = ["juries"]

    @post("/calls/{call_id:int}/submissions", operation_id="submitJuryEntry", status_code=HTTP_201_CREATED)
    async def submit(self, request: Request, call_id: int, data: dict[str, Any]) -> dict[str, Any]:
        entry = await submissions.submit_entry(call_id, attendee_email(request) or "", data)
        return await submissions.entry_json(entry)

    @get("/me/entries", operation_id="listMyJuryEntries")
    async def mine(self, request: Request) -> list[dict[str, Any]]:
        return [
            await submissions.entry_json(e)
            for e in await submissions.entries_of_submitter(attendee_email(request))
        ]

    @patch("/me/entries/{entry_id:int}", operation_id="updateMyJuryEntry")
    async def update(self, request: Request, entry_id: int, data: dict[str, Any]) -> dict[str, Any]:
        entry = await submissions.update_entry(entry_id, attendee_email(request), data)
        return await submissions.entry_json(entry)

    @put("/me/entries/{entry_id:int}/still", operation_id="uploadMyJuryStill")
    async def still(self, request: Request, entry_id: int) -> dict[str, Any]:
        body = await request.body()
        entry = await submissions.save_still(
            entry_id, attendee_email(request), request.headers.get("content-type", ""), body
        )
        return await submissions.entry_json(entry)


class JurorController(Controller):
    path = "/api/juries/jury/{call_id:int}"
    guards = [attendee_guard]
    tags = ["juries"]

    @get("/", operation_id="getMyJuryRound")
    async def my_round(self, request: Request, call_id: int) -> dict[str, Any]:
        juror = await jurors.juror_for(call_id, attendee_email(request))
        round_ = await rounds.open_round_of(call_id)
        if round_ is None:
            raise NotFound(_("No round is open."))
        return await rounds.juror_round(juror, round_)

    @put("/rounds/{round_id:int}/entries/{entry_id:int}/score", operation_id="putJuryScore")
    async def score(
        self, request: Request, call_id: int, round_id: int, entry_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        juror = await jurors.juror_for(call_id, attendee_email(request))
        return rounds.score_json(await rounds.record_score(juror, round_id, entry_id, data))

    @post("/entries/{entry_id:int}/recusal", operation_id="declareRecusal", status_code=HTTP_201_CREATED)
    async def recuse(
        self, request: Request, call_id: int, entry_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        juror = await jurors.juror_for(call_id, attendee_email(request))
        return recusals.recusal_json(await recusals.declare(juror, entry_id, data))


ROUTES = [StaffJuryController, SubmitterController, JurorController]
