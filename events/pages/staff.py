"""Staff back office: dashboard, events (create/edit/publish/unpublish/cancel), programme, duplication.

Thin page controllers: they parse forms, call events.services and render; every business rule
(end after start, sessions inside the event, no overlap in a room, ...) is the service's. A form
with bad input is shown again with the user's input and each field's error, with HTTP 400.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from accounts.guards import current_staff, staff_guard
from events import services
from events.tables import EVENT_KINDS, EVENT_STATUSES, SESSION_KINDS
from lib.clock import local_today
from lib.errors import ValidationFailed
from lib.i18n import _
from members import register
from members import standing as member_standing
from ticketing import staff as ticket_staff
from ticketing import types as ticket_types
from web import labels
from web.controllers.staff_common import (
    EXCEPTION_HANDLERS,
    FormErrors,
    form_data,
    local_date,
    local_input,
    local_tz,
    render,
    see_other,
)

TEXT_FIELDS = ("title", "title_en", "description", "description_en")
SPEAKER_ROLES = ("speaker", "performer", "moderator")


# ---- choices for the forms ------------------------------------------------------------------------
def kind_options() -> list[tuple[str, str]]:
    return [(k, labels.event_kind_label(k)) for k in EVENT_KINDS]


def status_options() -> list[tuple[str, str]]:
    return [(s, labels.status_label(s)) for s in EVENT_STATUSES]


async def venue_options() -> list[tuple[int, str]]:
    return [
        (v["id"], f"{v['name']} ({v['city']})" if v["city"] else v["name"])
        for v in await services.list_venues()
    ]


async def room_options(event: dict[str, Any]) -> list[tuple[int, str]]:
    """Rooms of the event's venue first, then the other rooms (with their venue's name)."""
    venues = {v["id"]: v["name"] for v in await services.list_venues()}
    rooms = await services.list_rooms()
    rooms.sort(key=lambda r: (r["venue_id"] != event["venue_id"], venues.get(r["venue_id"], ""), r["name"]))
    return [(r["id"], f"{r['name']} — {venues.get(r['venue_id'], '')}") for r in rooms]


async def person_options() -> list[tuple[int, str]]:
    return [
        (p["id"], f"{p['name']} ({p['organisation']})" if p["organisation"] else p["name"])
        for p in await services.person_choices()
    ]


# ---- event form ---------------------------------------------------------------------------------
def event_values(event: dict[str, Any] | None) -> dict[str, Any]:
    """The form's values: an existing event, or defaults for a new one."""
    if event is None:
        return {"kind": "other", "edition_year": str(local_today().year)}
    return {
        **{name: event[name] for name in TEXT_FIELDS},
        "kind": event["kind"],
        "venue_id": "" if event["venue_id"] is None else str(event["venue_id"]),
        "starts_at": local_input(event["starts_at"]),
        "ends_at": local_input(event["ends_at"]),
        "capacity": "" if event["capacity"] is None else str(event["capacity"]),
        "edition_year": "" if event["edition_year"] is None else str(event["edition_year"]),
    }


def changed_fields(current: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the user changed, so the service names the field that breaks a rule."""
    return {name: value for name, value in fields.items() if current.get(name) != value}


def parse_event_form(data: dict[str, str]) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    fields: dict[str, Any] = {name: data.get(name, "") for name in TEXT_FIELDS}
    fields["kind"] = data.get("kind", "other")
    fields["venue_id"] = errors.take_int(data, "venue_id")
    fields["starts_at"] = errors.take_datetime(data, "starts_at")
    fields["ends_at"] = errors.take_datetime(data, "ends_at")
    fields["capacity"] = errors.take_int(data, "capacity")
    fields["edition_year"] = errors.take_int(data, "edition_year")
    return fields, errors


async def event_page(
    event: dict[str, Any] | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    flash: str = "",
) -> Template:
    context: dict[str, Any] = {
        "event": event,
        "values": values,
        "errors": errors or {},
        "flash": flash,
        "kinds": kind_options(),
        "venues": await venue_options(),
    }
    if event is not None:
        context["session_count"] = len(await services.programme(event["id"]))
        context["sales"] = await ticket_staff.event_sales(event["id"])
    status = HTTP_400_BAD_REQUEST if errors else 200
    return render("staff/event_form.html", status_code=status, **context)


# ---- programme ----------------------------------------------------------------------------------
def session_values(session: dict[str, Any] | None, event: dict[str, Any]) -> dict[str, Any]:
    if session is None:
        start = event["starts_at"]
        return {
            "kind": "talk",
            "starts_at": local_input(start),
            "ends_at": local_input(min(start + timedelta(hours=1), event["ends_at"])),
        }
    return {
        **{name: session[name] for name in TEXT_FIELDS},
        "kind": session["kind"],
        "room_id": "" if session["room_id"] is None else str(session["room_id"]),
        "starts_at": local_input(session["starts_at"]),
        "ends_at": local_input(session["ends_at"]),
        "cancelled": "1" if session["cancelled"] else "",
    }


def parse_session_form(data: dict[str, str], editing: bool) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    fields: dict[str, Any] = {name: data.get(name, "") for name in TEXT_FIELDS}
    fields["kind"] = data.get("kind", "other")
    fields["room_id"] = errors.take_int(data, "room_id")
    fields["starts_at"] = errors.take_datetime(data, "starts_at")
    fields["ends_at"] = errors.take_datetime(data, "ends_at")
    if editing:
        fields["cancelled"] = bool(data.get("cancelled"))
    return fields, errors


def group_by_day(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    days: dict[date, list[dict[str, Any]]] = {}
    for session in sessions:
        days.setdefault(local_date(session["starts_at"]), []).append(session)
    return [{"day": day, "sessions": rows} for day, rows in sorted(days.items())]


async def programme_page(
    event: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    editing: dict[str, Any] | None = None,
    flash: str = "",
    speaker_errors: dict[str, str] | None = None,
    speaker_values: dict[str, Any] | None = None,
    speaker_session: int | None = None,
) -> Template:
    status = HTTP_400_BAD_REQUEST if (errors or speaker_errors) else 200
    return render(
        "staff/programme.html",
        status_code=status,
        event=event,
        days=group_by_day(await services.programme(event["id"])),
        values=values,
        errors=errors or {},
        speaker_errors=speaker_errors or {},
        speaker_values=speaker_values or {"role": "speaker"},
        speaker_session=speaker_session,
        editing=editing,
        flash=flash,
        session_kinds=[(k, labels.session_kind_label(k)) for k in SESSION_KINDS],
        rooms=await room_options(event),
        people=await person_options(),
        speaker_roles=[(r, labels.person_role_label(r)) for r in SPEAKER_ROLES],
    )


def next_year_same_day(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class StaffEventsController(Controller):
    path = "/staff"
    guards = [staff_guard]
    include_in_schema = False
    tags = ["staff pages"]
    exception_handlers = EXCEPTION_HANDLERS

    @get("/", operation_id="staff_dashboard")
    async def dashboard(self, request: Request) -> Template:
        events = await services.list_events(published_only=False, upcoming_only=True)
        user = await current_staff(request)
        today = register.today()
        orgs = await register.list_organisations()
        standing = [await member_standing.membership_standing(organisation_id=o.id, on=today) for o in orgs]
        return render(
            "staff/dashboard.html",
            members_total=len(orgs),
            members_paid=sum(1 for s in standing if s.in_good_standing),
            members_year=today.year,
            is_admin=user is not None and user.role == "admin",
            upcoming=events[:15],
            drafts=sum(1 for e in events if e["status"] == "draft"),
            published=sum(1 for e in events if e["status"] == "published"),
        )

    # ---- events --------------------------------------------------------------------------------
    @get("/events", operation_id="staff_events_list")
    async def events_list(self, status: str = "", kind: str = "") -> Template:
        kind = kind if kind in EVENT_KINDS else ""
        status = status if status in EVENT_STATUSES else ""
        events = await services.list_events(published_only=False, kind=kind or None)
        if status:
            events = [e for e in events if e["status"] == status]
        events.sort(key=lambda e: e["starts_at"], reverse=True)
        return render(
            "staff/events.html",
            events=events,
            status=status,
            kind=kind,
            statuses=status_options(),
            kinds=kind_options(),
        )

    @get("/events/new", operation_id="staff_event_new")
    async def event_new(self) -> Template:
        return await event_page(None, event_values(None))

    @post("/events/new", operation_id="staff_event_create")
    async def event_create(self, request: Request) -> Template | Redirect:
        data = await form_data(request)
        fields, errors = parse_event_form(data)
        if not errors:
            try:
                event = await services.create_event(**fields)
            except ValidationFailed as exc:
                errors.update(exc.errors)
            else:
                await ticket_types.ensure_default_types(event["id"])
                return see_other(f"/staff/events/{event['id']}/edit?done=saved")
        return await event_page(None, data, errors)

    @get("/events/{event_id:int}", operation_id="staff_event_show")
    async def event_show(self, event_id: int) -> Redirect:
        await services.get_event(event_id)
        return see_other(f"/staff/events/{event_id}/edit")

    @get("/events/{event_id:int}/edit", operation_id="staff_event_edit")
    async def event_edit(self, event_id: int, done: str = "") -> Template:
        event = await services.get_event(event_id)
        flash = {
            "saved": _("The event has been saved."),
            "duplicated": _("Draft created from the previous edition: check it, then publish it."),
            "published": _("The event is published."),
            "unpublished": _("The event is back to draft."),
            "cancelled": _("The event is cancelled."),
        }.get(done, "")
        return await event_page(event, event_values(event), flash=flash)

    @post("/events/{event_id:int}/edit", operation_id="staff_event_update")
    async def event_update(self, event_id: int, request: Request) -> Template | Redirect:
        event = await services.get_event(event_id)
        data = await form_data(request)
        fields, errors = parse_event_form(data)
        if not errors:
            try:
                await services.update_event(event_id, **changed_fields(event, fields))
            except ValidationFailed as exc:
                errors.update(exc.errors)
            else:
                return see_other(f"/staff/events/{event_id}/edit?done=saved")
        return await event_page(event, data, errors)

    @post("/events/{event_id:int}/publish", operation_id="staff_event_publish")
    async def event_publish(self, event_id: int, request: Request) -> Template | Redirect:
        """Without a ticket type on sale, publishing asks first (a page, no script): people would see
        the event and could not book. It is not refused: some events are announced without online
        booking (a general assembly convened by email, a screening the festival tickets)."""
        event = await services.get_event(event_id)
        data = await form_data(request)
        if not data.get("confirm_no_tickets") and not await ticket_types.on_sale(event_id):
            return render(
                "staff/publish_confirm.html",
                event=event,
                sales=await ticket_staff.event_sales(event_id),
            )
        await services.publish_event(event_id)
        return see_other(f"/staff/events/{event_id}/edit?done=published")

    @post("/events/{event_id:int}/unpublish", operation_id="staff_event_unpublish")
    async def event_unpublish(self, event_id: int) -> Redirect:
        await services.unpublish_event(event_id)
        return see_other(f"/staff/events/{event_id}/edit?done=unpublished")

    @post("/events/{event_id:int}/cancel", operation_id="staff_event_cancel")
    async def event_cancel(self, event_id: int) -> Redirect:
        await services.cancel_event(event_id)
        return see_other(f"/staff/events/{event_id}/edit?done=cancelled")

    # ---- duplicate as next year's template -----------------------------------------------------
    @get("/events/{event_id:int}/duplicate", operation_id="staff_event_duplicate_form")
    async def duplicate_form(self, event_id: int) -> Template:
        event = await services.get_event(event_id)
        default = next_year_same_day(local_date(event["starts_at"]))
        return render("staff/duplicate.html", event=event, values={"new_starts_at": default.isoformat()})

    @post("/events/{event_id:int}/duplicate", operation_id="staff_event_duplicate")
    async def duplicate(self, event_id: int, request: Request) -> Template | Redirect:
        event = await services.get_event(event_id)
        data = await form_data(request)
        errors = FormErrors()
        new_day = errors.take_date(data, "new_starts_at")
        if new_day is not None:
            # The new edition starts on the chosen day at the same local time of day.
            start_time: time = event["starts_at"].astimezone(local_tz()).time().replace(tzinfo=None)
            new_start = datetime.combine(new_day, start_time)
            try:
                copy = await services.duplicate_event(event_id, new_starts_at=new_start)
            except ValidationFailed as exc:
                errors.update(exc.errors)
            else:
                return see_other(f"/staff/events/{copy['id']}/edit?done=duplicated")
        return render(
            "staff/duplicate.html", status_code=HTTP_400_BAD_REQUEST, event=event, values=data, errors=errors
        )

    # ---- programme -----------------------------------------------------------------------------
    @get("/events/{event_id:int}/programme", operation_id="staff_programme")
    async def programme(self, event_id: int, done: str = "") -> Template:
        event = await services.get_event(event_id)
        flash = {
            "added": _("The session has been added."),
            "saved": _("The session has been saved."),
            "deleted": _("The session has been deleted."),
            "linked": _("The person has been linked to the session."),
            "unlinked": _("The person has been removed from the session."),
        }.get(done, "")
        return await programme_page(event, session_values(None, event), flash=flash)

    @post("/events/{event_id:int}/sessions", operation_id="staff_session_add")
    async def session_add(self, event_id: int, request: Request) -> Template | Redirect:
        event = await services.get_event(event_id)
        data = await form_data(request)
        fields, errors = parse_session_form(data, editing=False)
        if not errors:
            try:
                await services.add_session(event_id, **fields)
            except ValidationFailed as exc:
                errors.update(exc.errors)
            else:
                return see_other(f"/staff/events/{event_id}/programme?done=added")
        return await programme_page(event, data, errors)

    @get("/events/{event_id:int}/sessions/{session_id:int}/edit", operation_id="staff_session_edit")
    async def session_edit(self, event_id: int, session_id: int) -> Template:
        event = await services.get_event(event_id)
        session = await services.get_session(event_id, session_id)
        return await programme_page(event, session_values(session, event), editing=session)

    @post("/events/{event_id:int}/sessions/{session_id:int}/edit", operation_id="staff_session_update")
    async def session_update(self, event_id: int, session_id: int, request: Request) -> Template | Redirect:
        event = await services.get_event(event_id)
        session = await services.get_session(event_id, session_id)
        data = await form_data(request)
        fields, errors = parse_session_form(data, editing=True)
        if not errors:
            try:
                await services.update_session(event_id, session_id, **changed_fields(session, fields))
            except ValidationFailed as exc:
                errors.update(exc.errors)
            else:
                return see_other(f"/staff/events/{event_id}/programme?done=saved")
        return await programme_page(event, data, errors, editing=session)

    @post("/events/{event_id:int}/sessions/{session_id:int}/delete", operation_id="staff_session_delete")
    async def session_delete(self, event_id: int, session_id: int) -> Redirect:
        await services.delete_session(event_id, session_id)
        return see_other(f"/staff/events/{event_id}/programme?done=deleted")

    @post("/events/{event_id:int}/sessions/{session_id:int}/people", operation_id="staff_session_link_person")
    async def session_link_person(
        self, event_id: int, session_id: int, request: Request
    ) -> Template | Redirect:
        event = await services.get_event(event_id)
        await services.get_session(event_id, session_id)
        data = await form_data(request)
        errors = FormErrors()
        person_id = errors.take_int(data, "person_id", required=True)
        if person_id is not None:
            try:
                await services.add_speaker(event_id, session_id, person_id, role=data.get("role", ""))
            except ValidationFailed as exc:
                errors.update(exc.errors)
            else:
                return see_other(f"/staff/events/{event_id}/programme?done=linked#session-{session_id}")
        return await programme_page(
            event,
            session_values(None, event),
            speaker_errors=errors,
            speaker_values=data,
            speaker_session=session_id,
        )

    @post(
        "/events/{event_id:int}/sessions/{session_id:int}/people/{link_id:int}/delete",
        operation_id="staff_session_unlink_person",
    )
    async def session_unlink_person(self, event_id: int, session_id: int, link_id: int) -> Redirect:
        await services.remove_speaker(event_id, session_id, link_id)
        return see_other(f"/staff/events/{event_id}/programme?done=unlinked#session-{session_id}")


ROUTES: list[Any] = [StaffEventsController]
