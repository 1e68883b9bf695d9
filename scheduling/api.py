"""Speed-meeting JSON API (thin: business rules live in the scheduling modules beside it).

Participants (signed in by a one-time email link): /api/meetings/{programme_id}/me/...
Staff: /api/meetings/staff/...
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accounts.guards import attendee_email, staff_guard
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.validation import is_id, whole_number
from scheduling import agenda, availability, deals, participants, planning, programmes, wishes
from scheduling.fields import PRIORITY_NAMES, parse_tables
from scheduling.tables import Participant


async def attendee_guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    if not attendee_email(connection):
        raise NotAuthorizedException("sign-in required")


async def me(request: Request, programme_id: int) -> Participant:
    participant = await participants.participant_for_email(programme_id, attendee_email(request))
    if participant is None:
        raise NotFound(_("You are not registered for this speed-meeting."))
    return participant


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def _when(data: dict[str, Any], field: str) -> datetime:
    try:
        return datetime.fromisoformat(str(data.get(field) or ""))
    except ValueError:
        raise ValidationFailed({field: _("Enter a valid date and time.")}) from None


def _whole(errors: dict[str, str], data: dict[str, Any], field: str, *, required: bool) -> int | None:
    """A whole number field of a JSON body (an int or a string of digits), or an error for it."""
    raw = data.get(field)
    if raw in (None, ""):
        if required:
            errors[field] = _("This field is required.")
        return None
    value = whole_number(raw)  # an int or a string of digits, never a bool
    if value is None or not is_id(value):
        errors[field] = _("Enter a whole number.")
        return None
    return value


def programme_json(p: Any) -> dict[str, Any]:
    return {
        "id": p.id,
        "event": p.event,
        "status": p.status,
        "wishes_open_at": _iso(p.wishes_open_at),
        "wishes_close_at": _iso(p.wishes_close_at),
        "publish_at": _iso(p.publish_at),
        "meeting_minutes": p.meeting_minutes,
        "max_meetings": p.max_meetings,
        "wish_limit": p.wish_limit,
        "tables": p.tables,
        "reserved_tables": p.reserved_tables,
        "accessible_tables": parse_tables(p.accessible_tables),
        "commission_rate_bp": p.commission_rate_bp,
        "fairness_budget_bp": p.fairness_budget_bp,  # None: strict fairness
    }


def agenda_json(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": m["id"],
            "starts_at": m["starts_at"].isoformat(),
            "ends_at": m["ends_at"].isoformat(),
            "table": m["table"],
            "with": {"id": m["other_id"], "name": m["other_name"], "organisation": m["other_organisation"]},
            "published": m["published"],
        }
        for m in items
    ]


def _file(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content, media_type=media_type, headers={"content-disposition": f'attachment; filename="{filename}"'}
    )


class ParticipantController(Controller):
    path = "/api/meetings/{programme_id:int}/me"
    guards = [attendee_guard]
    tags = ["speed-meetings"]

    @get("/", operation_id="getMyParticipation")
    async def get_me(self, request: Request, programme_id: int) -> dict[str, Any]:
        participant = await me(request, programme_id)
        info = await participants.participant_info(participant.id)
        info["wishes"] = [
            {"target_id": w["target"], "priority": PRIORITY_NAMES[w["priority"]]}
            for w in await wishes.wishes_of(participant.id)
        ]
        info["declines"] = await wishes.declines_of(participant.id)
        info["unavailable"] = [
            {"id": b["id"], "starts_at": _iso(b["starts_at"]), "ends_at": _iso(b["ends_at"])}
            for b in await availability.blocks_of(participant.id)
        ]
        return info

    @patch("/profile", operation_id="updateMyProfile")
    async def update_profile(
        self, request: Request, programme_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        participant = await me(request, programme_id)
        allowed = {
            k: v for k, v in data.items() if k in (*participants.PROFILE_TEXT, *participants.PROFILE_TAGS)
        }
        await participants.update_profile(participant.id, **allowed)
        return await participants.participant_info(participant.id)

    @get("/catalogue", operation_id="getCatalogue")
    async def catalogue(
        self,
        request: Request,
        programme_id: int,
        genre: str = "",
        format: str = "",  # noqa: A002
        audience: str = "",
        territory: str = "",
        q: str = "",
    ) -> list[dict[str, Any]]:
        participant = await me(request, programme_id)
        other = "buyer" if participant.side == "producer" else "producer"
        rows = await participants.catalogue(programme_id, other, genre, format, audience, territory, q)
        return [{k: v for k, v in r.items() if k not in ("email", "max_meetings", "late")} for r in rows]

    @put("/wishes/{target_id:int}", operation_id="setWish", status_code=HTTP_200_OK)
    async def set_wish(
        self, request: Request, programme_id: int, target_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        participant = await me(request, programme_id)
        wish = await wishes.set_wish(participant, target_id, data.get("priority"))
        return {"target_id": wish.target, "priority": PRIORITY_NAMES[wish.priority]}

    @delete("/wishes/{target_id:int}", operation_id="removeWish", status_code=HTTP_200_OK)
    async def remove_wish(self, request: Request, programme_id: int, target_id: int) -> dict[str, Any]:
        await wishes.remove_wish(await me(request, programme_id), target_id)
        return {"removed": target_id}

    @put("/declines/{target_id:int}", operation_id="declineParticipant", status_code=HTTP_200_OK)
    async def decline(self, request: Request, programme_id: int, target_id: int) -> dict[str, Any]:
        await wishes.decline(await me(request, programme_id), target_id)
        return {"declined": target_id}

    @delete("/declines/{target_id:int}", operation_id="undeclineParticipant", status_code=HTTP_200_OK)
    async def undecline(self, request: Request, programme_id: int, target_id: int) -> dict[str, Any]:
        await wishes.undecline(await me(request, programme_id), target_id)
        return {"undeclined": target_id}

    @post("/unavailable", operation_id="addUnavailability", status_code=HTTP_201_CREATED)
    async def add_block(self, request: Request, programme_id: int, data: dict[str, Any]) -> dict[str, Any]:
        participant = await me(request, programme_id)
        block = await availability.add_block(
            participant, _when(data, "starts_at"), _when(data, "ends_at"), str(data.get("note") or "")
        )
        return {"id": block.id, "starts_at": _iso(block.starts_at), "ends_at": _iso(block.ends_at)}

    @delete("/unavailable/{block_id:int}", operation_id="removeUnavailability", status_code=HTTP_200_OK)
    async def remove_block(self, request: Request, programme_id: int, block_id: int) -> dict[str, Any]:
        await availability.remove_block(await me(request, programme_id), block_id)
        return {"removed": block_id}

    @get("/agenda", operation_id="getMyAgenda")
    async def agenda(self, request: Request, programme_id: int) -> list[dict[str, Any]]:
        participant = await me(request, programme_id)
        return agenda_json(await agenda.agenda(participant.id, published_only=True))

    @get("/agenda.ics", operation_id="getMyAgendaIcs", media_type="text/calendar")
    async def agenda_ics(self, request: Request, programme_id: int) -> Response[bytes]:
        participant = await me(request, programme_id)
        content = await agenda.agenda_ics(participant.id)
        return _file(content, "text/calendar", "agenda.ics")  # Litestar appends the charset

    @get("/agenda.pdf", operation_id="getMyAgendaPdf", media_type="application/pdf")
    async def agenda_pdf(self, request: Request, programme_id: int) -> Response[bytes]:
        participant = await me(request, programme_id)
        return _file(await agenda.agenda_pdf(participant.id), "application/pdf", "agenda.pdf")

    @post("/meetings/{meeting_id:int}/report", operation_id="reportMeeting", status_code=HTTP_200_OK)
    async def report(
        self, request: Request, programme_id: int, meeting_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        participant = await me(request, programme_id)
        row = await deals.report(
            meeting_id,
            participant,
            took_place=bool(data.get("took_place")),
            deal=bool(data.get("deal")),
            deal_nature=str(data.get("deal_nature") or ""),
            amount=data.get("amount_cents") if data.get("amount_cents") is not None else data.get("amount"),
        )
        return {
            "meeting": row.meeting,
            "took_place": row.took_place,
            "deal": row.deal,
            "amount_cents": row.amount_cents,
        }


class StaffMeetingsController(Controller):
    path = "/api/meetings/staff"
    guards = [staff_guard]
    tags = ["speed-meetings (staff)"]

    @post("/programmes", operation_id="createMeetingProgramme", status_code=HTTP_201_CREATED)
    async def create(self, data: dict[str, Any]) -> dict[str, Any]:
        event_id = data.pop("event_id", None)
        try:
            event_id = int(event_id)
        except (TypeError, ValueError):
            raise ValidationFailed({"event_id": _("Choose an event.")}) from None
        return programme_json(await programmes.create_programme(event_id, **data))

    @get("/programmes/{programme_id:int}", operation_id="getMeetingProgramme")
    async def get_programme(self, programme_id: int) -> dict[str, Any]:
        programme = await programmes.get_programme(programme_id)
        out = programme_json(programme)
        out["days"] = [
            {
                "id": d["id"],
                "starts_at": _iso(d["starts_at"]),
                "ends_at": _iso(d["ends_at"]),
                "breaks": [[_iso(a), _iso(b)] for a, b in d["breaks"]],
            }
            for d in await programmes.list_days(programme_id)
        ]
        out["slots"] = [
            {"index": s.index, "starts_at": s.start.isoformat(), "ends_at": s.end.isoformat()}
            for s in await programmes.grid_slots(programme)
        ]
        return out

    @patch("/programmes/{programme_id:int}", operation_id="updateMeetingProgramme")
    async def update(self, programme_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return programme_json(await programmes.update_programme(programme_id, **data))

    @post("/programmes/{programme_id:int}/days", operation_id="addMeetingDay", status_code=HTTP_201_CREATED)
    async def add_day(self, programme_id: int, data: dict[str, Any]) -> dict[str, Any]:
        breaks = data.get("breaks") or []
        day = await programmes.add_day(programme_id, _when(data, "starts_at"), _when(data, "ends_at"), breaks)
        return {"id": day.id}

    @delete(
        "/programmes/{programme_id:int}/days/{day_id:int}", operation_id="removeMeetingDay", status_code=200
    )
    async def remove_day(self, programme_id: int, day_id: int) -> dict[str, Any]:
        await programmes.remove_day(programme_id, day_id)
        return {"removed": day_id}

    @get("/programmes/{programme_id:int}/participants", operation_id="listMeetingParticipants")
    async def participants(self, programme_id: int, side: str | None = None) -> list[dict[str, Any]]:
        return await participants.list_participants(programme_id, side)

    @post(
        "/programmes/{programme_id:int}/participants",
        operation_id="addMeetingParticipant",
        status_code=HTTP_201_CREATED,
    )
    async def add_participant(self, programme_id: int, data: dict[str, Any]) -> dict[str, Any]:
        fields = {k: v for k, v in data.items() if k not in ("email", "side", "programme_id")}
        participant = await participants.add_participant(
            programme_id, email=data.get("email"), side=data.get("side"), **fields
        )
        return await participants.participant_info(participant.id)

    @post("/programmes/{programme_id:int}/run", operation_id="runScheduler", status_code=HTTP_200_OK)
    async def run(self, programme_id: int) -> dict[str, Any]:
        record = await planning.run(programme_id)
        unmet = await planning.unmet_wishes(programme_id)
        return {
            "run": record.id,
            "kind": record.kind,
            "status": record.status,
            "meetings": record.meetings,
            "min_share": record.min_share,
            "total_weight": record.total_weight,
            "best_total_weight": record.best_total_weight,
            "fairness_budget_bp": record.fairness_budget_bp,
            "fairness_cost": planning.fairness_cost(record.total_weight, record.best_total_weight),
            "unmet": [
                {
                    "source": u["source"],
                    "target": u["target"],
                    "priority": u["priority"],
                    "reason": u["reason"],
                }
                for u in unmet
            ],
        }

    @get("/programmes/{programme_id:int}/grid", operation_id="getMeetingGrid")
    async def grid(self, programme_id: int) -> dict[str, Any]:
        data = await planning.grid(programme_id)
        return {
            "tables": data["tables"],
            "accessible": data["accessible"],
            "conflicts": data["conflicts"],
            "rows": [
                {
                    "starts_at": r["starts_at"].isoformat(),
                    "on_grid": r["on_grid"],
                    "cells": {str(t): c for t, c in r["cells"].items()},
                }
                for r in data["rows"]
            ],
        }

    @post(
        "/programmes/{programme_id:int}/meetings", operation_id="placeMeeting", status_code=HTTP_201_CREATED
    )
    async def place(self, programme_id: int, data: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        producer_id = _whole(errors, data, "producer_id", required=True)
        buyer_id = _whole(errors, data, "buyer_id", required=True)
        table = _whole(errors, data, "table_number", required=False)
        if errors:
            raise ValidationFailed(errors)
        meeting = await planning.pin_pair(
            programme_id, producer_id, buyer_id, _when(data, "starts_at"), table
        )
        return {"id": meeting.id, "table_number": meeting.table_number}

    @post("/meetings/{meeting_id:int}/pin", operation_id="pinMeeting", status_code=HTTP_200_OK)
    async def pin(self, meeting_id: int, data: dict[str, Any]) -> dict[str, Any]:
        meeting = await planning.set_pinned(meeting_id, bool(data.get("pinned", True)))
        return {"id": meeting.id, "pinned": meeting.pinned}

    @post("/meetings/{meeting_id:int}/move", operation_id="moveMeeting", status_code=HTTP_200_OK)
    async def move(self, meeting_id: int, data: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        table = _whole(errors, data, "table_number", required=True)
        if errors or table is None:
            raise ValidationFailed(errors)
        meeting = await planning.move(meeting_id, _when(data, "starts_at"), table)
        return {"id": meeting.id, "starts_at": _iso(meeting.starts_at), "table_number": meeting.table_number}

    @post("/programmes/{programme_id:int}/publish", operation_id="publishSchedule", status_code=HTTP_200_OK)
    async def publish(self, programme_id: int) -> dict[str, Any]:
        return {"emails": await agenda.publish(programme_id)}

    @get(
        "/programmes/{programme_id:int}/table-sheets.pdf",
        operation_id="getTableSheets",
        media_type="application/pdf",
    )
    async def sheets(self, programme_id: int) -> Response[bytes]:
        return _file(await agenda.table_sheets_pdf(programme_id), "application/pdf", "tables.pdf")

    @get("/programmes/{programme_id:int}/commissions", operation_id="listCommissions")
    async def commissions(self, programme_id: int) -> list[dict[str, Any]]:
        return [
            {
                **c,
                **{
                    key: _iso(c[key])
                    for key in (
                        "created_at",
                        "confirmed_at",
                        "invoiced_at",
                        "paid_at",
                        "cancelled_at",
                        "reminded_at",
                    )
                },
                "won_on": str(c["won_on"]),
            }
            for c in await deals.commissions(programme_id)
        ]

    @post(
        "/commissions/{commission_id:int}/confirm", operation_id="confirmCommission", status_code=HTTP_200_OK
    )
    async def confirm(self, commission_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        data = data or {}
        c = await deals.confirm(
            commission_id, data.get("rate_bp"), data.get("amount"), data.get("rate_reason")
        )
        return {
            "id": c.id,
            "status": c.status,
            "amount_cents": c.amount_cents,
            "rate_bp": c.rate_bp,
            "commission_cents": c.commission_cents,
        }

    @get("/programmes/{programme_id:int}/figures", operation_id="getMeetingFigures")
    async def figures(self, programme_id: int) -> dict[str, int]:
        await programmes.get_programme(programme_id)
        return await deals.figures(programme_id)


class RegistrationController(Controller):
    """Self-registration of a signed-in person while a programme's wish phase is open."""

    path = "/api/meetings"
    guards = [attendee_guard]
    tags = ["speed-meetings"]

    @get("/open", operation_id="listOpenMeetingProgrammes")
    async def open_programmes(self) -> list[dict[str, Any]]:
        return [
            {"id": p["id"], "title": p["event"].get("title", ""), "title_en": p["event"].get("title_en", "")}
            for p in await programmes.open_programmes()
        ]

    @post("/{programme_id:int}/register", operation_id="registerForMeetings", status_code=HTTP_201_CREATED)
    async def register(self, request: Request, programme_id: int, data: dict[str, Any]) -> dict[str, Any]:
        fields = (
            *participants.PROFILE_TEXT,
            *participants.PROFILE_TAGS,
            "needs_accessible",
            "first_name",
            "last_name",
        )
        participant = await participants.self_register(
            programme_id,
            attendee_email(request),
            side=str(data.get("side") or ""),
            **{k: v for k, v in data.items() if k in fields},
        )
        return await participants.participant_info(participant.id)


ROUTES: list[Any] = [ParticipantController, RegistrationController, StaffMeetingsController]
