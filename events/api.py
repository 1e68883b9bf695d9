"""JSON API and calendar feeds for events and programmes (thin: rules live in events.services).

Reads of published (and cancelled) events are public; drafts and every write need a staff member
(staff_guard). Bad input comes out as 422 {"detail", "errors": {field: message}} in the request's
language (lib/errors.py); malformed JSON and wrong types are Litestar's 400 naming the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from msgspec import UNSET, Meta, Struct, UnsetType

from accounts.guards import current_staff, staff_guard
from events import ics, services
from events.tables import EVENT_KINDS, EVENT_STATUSES, SESSION_KINDS
from ticketing import types as ticket_types

T = TypeVar("T")

EventKind = Annotated[str, Meta(description="One of: " + ", ".join(EVENT_KINDS), examples=["mima"])]
EventStatus = Annotated[str, Meta(description="One of: " + ", ".join(EVENT_STATUSES), examples=["draft"])]
SessionKind = Annotated[str, Meta(description="One of: " + ", ".join(SESSION_KINDS), examples=["showcase"])]
LocalTime = Annotated[
    datetime,
    Meta(
        description="ISO 8601; without an offset it means Europe/Paris local time",
        examples=["2027-03-25T09:00"],
    ),
]


# ---- DTOs --------------------------------------------------------------------------------------
class VenueOut(Struct):
    id: int
    name: str
    address: str
    postal_code: str
    city: str


class VenueIn(Struct, forbid_unknown_fields=True):
    name: str
    address: str = ""
    postal_code: str = ""
    city: str = ""


class VenuePatch(Struct, forbid_unknown_fields=True):
    name: str | UnsetType = UNSET
    address: str | UnsetType = UNSET
    postal_code: str | UnsetType = UNSET
    city: str | UnsetType = UNSET


class RoomOut(Struct):
    id: int
    venue_id: int
    name: str
    capacity: int | None


class RoomIn(Struct, forbid_unknown_fields=True):
    venue_id: int
    name: str
    capacity: int | None = None


class RoomPatch(Struct, forbid_unknown_fields=True):
    venue_id: int | UnsetType = UNSET
    name: str | UnsetType = UNSET
    capacity: int | None | UnsetType = UNSET


class EventOut(Struct):
    id: int
    slug: str
    kind: str
    title: str
    title_en: str
    description: str
    description_en: str
    venue_id: int | None
    venue: VenueOut | None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    status: str
    edition_year: int | None
    uid: str
    sequence: int
    created_at: datetime
    updated_at: datetime


class EventIn(Struct, forbid_unknown_fields=True):
    title: str
    starts_at: LocalTime
    ends_at: LocalTime
    slug: str | None = None
    kind: EventKind = "other"
    status: EventStatus = "draft"
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    venue_id: int | None = None
    capacity: int | None = None
    edition_year: int | None = None
    # The ticket types of the event's kind (Les Clés: member 0 €, non-member 20 € HT...); false: none
    default_ticket_types: bool = True


class EventPatch(Struct, forbid_unknown_fields=True):
    title: str | UnsetType = UNSET
    starts_at: LocalTime | UnsetType = UNSET
    ends_at: LocalTime | UnsetType = UNSET
    slug: str | UnsetType = UNSET
    kind: EventKind | UnsetType = UNSET
    status: EventStatus | UnsetType = UNSET
    title_en: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    description_en: str | UnsetType = UNSET
    venue_id: int | None | UnsetType = UNSET
    capacity: int | None | UnsetType = UNSET
    edition_year: int | None | UnsetType = UNSET


class DuplicateIn(Struct, forbid_unknown_fields=True):
    """Give new_starts_at (the copy's start) or new_year; neither: the same date one year later."""

    new_starts_at: LocalTime | None = None
    new_year: int | None = None


class SpeakerOut(Struct):
    id: int
    person_id: int
    name: str
    organisation_id: int | None
    organisation: str
    role: str


class SpeakerIn(Struct, forbid_unknown_fields=True):
    person_id: int
    role: Annotated[str, Meta(description="speaker, performer or moderator")] = "speaker"


class RoomRef(Struct):
    id: int
    name: str


class SessionOut(Struct):
    id: int
    event_id: int
    room_id: int | None
    room: RoomRef | None
    kind: str
    title: str
    title_en: str
    description: str
    description_en: str
    starts_at: datetime
    ends_at: datetime
    uid: str
    sequence: int
    cancelled: bool
    speakers: list[SpeakerOut]


class SessionIn(Struct, forbid_unknown_fields=True):
    title: str
    starts_at: LocalTime
    ends_at: LocalTime
    kind: SessionKind = "other"
    room_id: int | None = None
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    cancelled: bool = False


class SessionPatch(Struct, forbid_unknown_fields=True):
    title: str | UnsetType = UNSET
    starts_at: LocalTime | UnsetType = UNSET
    ends_at: LocalTime | UnsetType = UNSET
    kind: SessionKind | UnsetType = UNSET
    room_id: int | None | UnsetType = UNSET
    title_en: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    description_en: str | UnsetType = UNSET
    cancelled: bool | UnsetType = UNSET


def given(data: Struct) -> dict[str, Any]:
    """The fields of a request body that were sent (UNSET ones left out)."""
    return {f: getattr(data, f) for f in data.__struct_fields__ if getattr(data, f) is not UNSET}


def out(kind: type[T], value: Any) -> T:
    return msgspec.convert(value, kind, from_attributes=True)


async def staff_for_writes(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Class-level guard: reads are public (handlers hide drafts), every write needs staff."""
    if connection.scope.get("method") not in ("GET", "HEAD", "OPTIONS"):
        await staff_guard(connection, handler)


async def is_staff(request: Request[Any, Any, Any]) -> bool:
    user = await current_staff(request)
    return user is not None and user.role in ("admin", "staff")


# ---- events ------------------------------------------------------------------------------------
class EventController(Controller):
    """Published and cancelled events are public; staff also see drafts; writes need staff."""

    path = "/api/events"
    tags = ["Events"]
    guards = [staff_for_writes]

    @get("/", operation_id="listEvents", summary="List events")
    async def list_events(
        self,
        request: Request[Any, Any, Any],
        kind: str | None = None,
        upcoming: bool = False,
        status: str | None = None,
    ) -> list[EventOut]:
        staff = await is_staff(request)
        events = await services.list_events(published_only=not staff, upcoming_only=upcoming, kind=kind)
        if status is not None:
            events = [e for e in events if e["status"] == status]
        return out(list[EventOut], events)

    @get("/{event_id:int}", operation_id="getEvent", summary="One event with its venue")
    async def get_event(self, request: Request[Any, Any, Any], event_id: int) -> EventOut:
        event = await services.get_event(event_id, published_only=not await is_staff(request))
        return out(EventOut, event)

    @post(
        "/",
        operation_id="createEvent",
        summary="Create an event (draft by default)",
        status_code=HTTP_201_CREATED,
    )
    async def create_event(self, data: EventIn) -> EventOut:
        fields = given(data)
        with_types = fields.pop("default_ticket_types", True)
        event = await services.create_event(**fields)
        if with_types:
            await ticket_types.ensure_default_types(event["id"])
        return out(EventOut, event)

    @patch("/{event_id:int}", operation_id="updateEvent", summary="Change some fields of an event")
    async def update_event(self, event_id: int, data: EventPatch) -> EventOut:
        return out(EventOut, await services.update_event(event_id, **given(data)))

    @post("/{event_id:int}/publish", operation_id="publishEvent", status_code=HTTP_200_OK)
    async def publish(self, event_id: int) -> EventOut:
        return out(EventOut, await services.publish_event(event_id))

    @post("/{event_id:int}/unpublish", operation_id="unpublishEvent", status_code=HTTP_200_OK)
    async def unpublish(self, event_id: int) -> EventOut:
        return out(EventOut, await services.unpublish_event(event_id))

    @post("/{event_id:int}/cancel", operation_id="cancelEvent", status_code=HTTP_200_OK)
    async def cancel(self, event_id: int) -> EventOut:
        return out(EventOut, await services.cancel_event(event_id))

    @post(
        "/{event_id:int}/duplicate",
        operation_id="duplicateEvent",
        summary="Copy an edition as a draft, every date shifted (default: one year later)",
        status_code=HTTP_201_CREATED,
    )
    async def duplicate(self, event_id: int, data: DuplicateIn) -> EventOut:
        copy = await services.duplicate_event(
            event_id, new_starts_at=data.new_starts_at, new_year=data.new_year
        )
        return out(EventOut, copy)


# ---- sessions & speakers -----------------------------------------------------------------------
class SessionController(Controller):
    """An event's programme: public when the event is; writes need staff."""

    path = "/api/events/{event_id:int}/sessions"
    tags = ["Programme"]
    guards = [staff_for_writes]

    @get("/", operation_id="listSessions", summary="The programme, ordered by start")
    async def list_sessions(self, request: Request[Any, Any, Any], event_id: int) -> list[SessionOut]:
        await services.get_event(event_id, published_only=not await is_staff(request))
        return out(list[SessionOut], await services.programme(event_id))

    @get("/{session_id:int}", operation_id="getSession")
    async def get_session(
        self, request: Request[Any, Any, Any], event_id: int, session_id: int
    ) -> SessionOut:
        await services.get_event(event_id, published_only=not await is_staff(request))
        return out(SessionOut, await services.get_session(event_id, session_id))

    @post("/", operation_id="createSession", status_code=HTTP_201_CREATED)
    async def create_session(self, event_id: int, data: SessionIn) -> SessionOut:
        return out(SessionOut, await services.add_session(event_id, **given(data)))

    @patch("/{session_id:int}", operation_id="updateSession")
    async def update_session(self, event_id: int, session_id: int, data: SessionPatch) -> SessionOut:
        return out(SessionOut, await services.update_session(event_id, session_id, **given(data)))

    @delete("/{session_id:int}", operation_id="deleteSession", status_code=HTTP_204_NO_CONTENT)
    async def delete_session(self, event_id: int, session_id: int) -> None:
        await services.delete_session(event_id, session_id)

    @post(
        "/{session_id:int}/speakers",
        operation_id="addSessionSpeaker",
        summary="Link a person (with their organisation) as speaker, performer or moderator",
        status_code=HTTP_201_CREATED,
    )
    async def add_speaker(self, event_id: int, session_id: int, data: SpeakerIn) -> SpeakerOut:
        return out(SpeakerOut, await services.add_speaker(event_id, session_id, data.person_id, data.role))

    @delete(
        "/{session_id:int}/speakers/{link_id:int}",
        operation_id="removeSessionSpeaker",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def remove_speaker(self, event_id: int, session_id: int, link_id: int) -> None:
        await services.remove_speaker(event_id, session_id, link_id)


# ---- venues & rooms ----------------------------------------------------------------------------
class VenueController(Controller):
    path = "/api/venues"
    tags = ["Venues"]
    guards = [staff_for_writes]

    @get("/", operation_id="listVenues")
    async def list_venues(self) -> list[VenueOut]:
        return out(list[VenueOut], await services.list_venues())

    @get("/{venue_id:int}", operation_id="getVenue")
    async def get_venue(self, venue_id: int) -> VenueOut:
        return out(VenueOut, await services.get_venue(venue_id))

    @post("/", operation_id="createVenue", status_code=HTTP_201_CREATED)
    async def create_venue(self, data: VenueIn) -> VenueOut:
        return out(VenueOut, await services.create_venue(**given(data)))

    @patch("/{venue_id:int}", operation_id="updateVenue")
    async def update_venue(self, venue_id: int, data: VenuePatch) -> VenueOut:
        return out(VenueOut, await services.update_venue(venue_id, **given(data)))

    @delete("/{venue_id:int}", operation_id="deleteVenue", status_code=HTTP_204_NO_CONTENT)
    async def delete_venue(self, venue_id: int) -> None:
        await services.delete_venue(venue_id)


class RoomController(Controller):
    path = "/api/rooms"
    tags = ["Venues"]
    guards = [staff_for_writes]

    @get("/", operation_id="listRooms")
    async def list_rooms(self, venue_id: int | None = None) -> list[RoomOut]:
        return out(list[RoomOut], await services.list_rooms(venue_id))

    @get("/{room_id:int}", operation_id="getRoom")
    async def get_room(self, room_id: int) -> RoomOut:
        return out(RoomOut, await services.get_room(room_id))

    @post("/", operation_id="createRoom", status_code=HTTP_201_CREATED)
    async def create_room(self, data: RoomIn) -> RoomOut:
        return out(RoomOut, await services.create_room(**given(data)))

    @patch("/{room_id:int}", operation_id="updateRoom")
    async def update_room(self, room_id: int, data: RoomPatch) -> RoomOut:
        return out(RoomOut, await services.update_room(room_id, **given(data)))

    @delete("/{room_id:int}", operation_id="deleteRoom", status_code=HTTP_204_NO_CONTENT)
    async def delete_room(self, room_id: int) -> None:
        await services.delete_room(room_id)


# ---- iCalendar ---------------------------------------------------------------------------------
def calendar_response(body: bytes, filename: str) -> Response[bytes]:
    return Response(
        content=body,
        media_type="text/calendar",  # Litestar appends "; charset=utf-8" to text/* types
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-cache",
        },
    )


class CalendarController(Controller):
    """Subscribable iCalendar feeds (RFC 5545), in the request's language."""

    path = "/"
    tags = ["Calendar"]

    @get(
        "/calendar/events.ics",
        operation_id="eventsCalendar",
        summary="iCalendar feed of all published (and cancelled) events",
        media_type="text/calendar",
    )
    async def events_feed(self) -> Response[bytes]:
        return calendar_response(await ics.events_feed(), "ledamier-events.ics")

    @get(
        "/events/{slug:str}/programme.ics",
        operation_id="programmeCalendar",
        summary="iCalendar file of one event and its sessions",
        media_type="text/calendar",
    )
    async def programme(self, slug: str) -> Response[bytes]:
        return calendar_response(await ics.programme_calendar(slug), f"{slug}.ics")


ROUTES: list[Any] = [
    EventController,
    SessionController,
    VenueController,
    RoomController,
    CalendarController,
]
