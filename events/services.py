"""Event catalogue and programme rules: venues, rooms, events, sessions, speakers, duplication.

Every rule lives here so it can be tested without HTTP. Every write runs in write_transaction()
(BEGIN IMMEDIATE on SQLite, so the checks and the write are serialised); bad input raises
ValidationFailed({field: translated message}) before anything is written.

Times: functions accept timezone-aware datetimes (naive ones mean Europe/Paris local time), store
UTC, and return aware datetimes in Europe/Paris.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.columns import Column

from events.tables import (
    EVENT_KINDS,
    EVENT_STATUSES,
    SESSION_KINDS,
    Event,
    Room,
    Session,
    SessionPerson,
    Venue,
)
from lib.clock import now_utc
from lib.db import is_unique_violation, write_transaction
from lib.editions import EditionShift, copy_edition
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.locking import key as lock_key
from lib.locking import lock, lock_keys
from members.tables import Person

PARIS = ZoneInfo("Europe/Paris")
SPEAKER_ROLES = ("speaker", "performer", "moderator")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 100

EVENT_FIELDS = (
    "title",
    "title_en",
    "slug",
    "kind",
    "status",
    "description",
    "description_en",
    "venue_id",
    "starts_at",
    "ends_at",
    "capacity",
    "edition_year",
)
SESSION_FIELDS = (
    "title",
    "title_en",
    "kind",
    "description",
    "description_en",
    "room_id",
    "starts_at",
    "ends_at",
    "cancelled",
)


# ---- helpers -----------------------------------------------------------------------------------
def aware(value: datetime) -> datetime:
    """An aware datetime in UTC; naive input is Europe/Paris local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(UTC)


def paris(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:  # stored values are UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def new_uid() -> str:
    return uuid.uuid4().hex


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "event"


def _required_text(errors: dict[str, str], field: str, value: Any, max_length: int = 200) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        errors[field] = _("This field is required.")
    elif len(text) > max_length:
        errors[field] = _("This text is too long (at most %(max)s characters).", max=max_length)
    return text


def _optional_text(errors: dict[str, str], field: str, value: Any, max_length: int | None = None) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if max_length is not None and len(text) > max_length:
        errors[field] = _("This text is too long (at most %(max)s characters).", max=max_length)
    return text


def _check_capacity(errors: dict[str, str], value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors["capacity"] = _("The capacity must be zero or more.")
        return None
    return value


def _check_datetime(errors: dict[str, str], field: str, value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        errors[field] = _("This field is required.")
        return None
    return aware(value)


# ---- serialisation -----------------------------------------------------------------------------
def _venue_dict(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if not row or row.get("id") is None:
        return None
    return {
        "id": row["id"],
        "name": row["name"],
        "address": row["address"],
        "postal_code": row["postal_code"],
        "city": row["city"],
    }


def venue_address(venue: dict[str, Any] | None) -> str:
    """One-line postal address of a venue (for LOCATION and pages)."""
    if not venue:
        return ""
    town = " ".join(p for p in (venue.get("postal_code"), venue.get("city")) if p)
    return ", ".join(p for p in (venue.get("name"), venue.get("address"), town) if p)


def _event_dict(row: dict[str, Any]) -> dict[str, Any]:
    venue = row.get("venue") if isinstance(row.get("venue"), dict) else None
    venue_id = venue["id"] if venue else row.get("venue")
    return {
        "id": row["id"],
        "slug": row["slug"],
        "kind": row["kind"],
        "title": row["title"],
        "title_en": row["title_en"],
        "description": row["description"],
        "description_en": row["description_en"],
        "venue_id": venue_id,
        "venue": _venue_dict(venue),
        "starts_at": paris(row["starts_at"]),
        "ends_at": paris(row["ends_at"]),
        "capacity": row["capacity"],
        "status": row["status"],
        "edition_year": row["edition_year"],
        "uid": row["uid"],
        "sequence": row["sequence"],
        "created_at": paris(row["created_at"]),
        "updated_at": paris(row["updated_at"]),
    }


def _event_query() -> Any:
    return Event.select(*Event.all_columns(), *Event.venue.all_columns()).output(nested=True)


def _session_dict(row: dict[str, Any], speakers: list[dict[str, Any]]) -> dict[str, Any]:
    room = row.get("room") if isinstance(row.get("room"), dict) else None
    room_dict = {"id": room["id"], "name": room["name"]} if room and room.get("id") is not None else None
    return {
        "id": row["id"],
        "event_id": row["event"],
        "room_id": room_dict["id"] if room_dict else None,
        "room": room_dict,
        "kind": row["kind"],
        "title": row["title"],
        "title_en": row["title_en"],
        "description": row["description"],
        "description_en": row["description_en"],
        "starts_at": paris(row["starts_at"]),
        "ends_at": paris(row["ends_at"]),
        "uid": row["uid"],
        "sequence": row["sequence"],
        "cancelled": bool(row["cancelled"]),
        "speakers": speakers,
    }


# ---- venues & rooms ----------------------------------------------------------------------------
def _venue_values(data: dict[str, Any], partial: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if not partial or "name" in data:
        values["name"] = _required_text(errors, "name", data.get("name"))
    for field, max_length in (("address", 300), ("postal_code", 10), ("city", 100)):
        if not partial or field in data:
            values[field] = _optional_text(errors, field, data.get(field), max_length)
    if errors:
        raise ValidationFailed(errors)
    return values


async def list_venues() -> list[dict[str, Any]]:
    rows = await Venue.select().order_by(Venue.name)
    return [_venue_dict(r) for r in rows]  # type: ignore[misc]


async def get_venue(venue_id: int) -> dict[str, Any]:
    row = await Venue.select().where(Venue.id == venue_id).first()
    if row is None:
        raise NotFound(_("No such venue."))
    return _venue_dict(row)  # type: ignore[return-value]


async def create_venue(**data: Any) -> dict[str, Any]:
    values = _venue_values(data, partial=False)
    async with write_transaction():
        rows = await Venue.insert(Venue(**values)).returning(Venue.id)
    return await get_venue(rows[0]["id"])


async def update_venue(venue_id: int, **data: Any) -> dict[str, Any]:
    values = _venue_values(data, partial=True)
    async with write_transaction():
        if not await Venue.exists().where(Venue.id == venue_id):
            raise NotFound(_("No such venue."))
        if values:
            await Venue.update({getattr(Venue, k): v for k, v in values.items()}).where(Venue.id == venue_id)
    return await get_venue(venue_id)


async def delete_venue(venue_id: int) -> None:
    async with write_transaction():
        if not await Venue.exists().where(Venue.id == venue_id):
            raise NotFound(_("No such venue."))
        await Venue.delete().where(Venue.id == venue_id)


def _room_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "venue_id": row["venue"], "name": row["name"], "capacity": row["capacity"]}


async def list_rooms(venue_id: int | None = None) -> list[dict[str, Any]]:
    query = Room.select().order_by(Room.name)
    if venue_id is not None:
        query = query.where(Room.venue == venue_id)
    return [_room_dict(r) for r in await query]


async def get_room(room_id: int) -> dict[str, Any]:
    row = await Room.select().where(Room.id == room_id).first()
    if row is None:
        raise NotFound(_("No such room."))
    return _room_dict(row)


async def _room_values(data: dict[str, Any], partial: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if not partial or "venue_id" in data:
        venue_id = data.get("venue_id")
        if not isinstance(venue_id, int) or not await Venue.exists().where(Venue.id == venue_id):
            errors["venue_id"] = _("This venue does not exist.")
        values["venue"] = venue_id
    if not partial or "name" in data:
        values["name"] = _required_text(errors, "name", data.get("name"))
    if not partial or "capacity" in data:
        values["capacity"] = _check_capacity(errors, data.get("capacity"))
    if errors:
        raise ValidationFailed(errors)
    return values


async def create_room(**data: Any) -> dict[str, Any]:
    async with write_transaction():
        values = await _room_values(data, partial=False)
        rows = await Room.insert(Room(**values)).returning(Room.id)
    return await get_room(rows[0]["id"])


async def update_room(room_id: int, **data: Any) -> dict[str, Any]:
    async with write_transaction():
        if not await Room.exists().where(Room.id == room_id):
            raise NotFound(_("No such room."))
        values = await _room_values(data, partial=True)
        if values:
            await Room.update({getattr(Room, k): v for k, v in values.items()}).where(Room.id == room_id)
    return await get_room(room_id)


async def delete_room(room_id: int) -> None:
    async with write_transaction():
        if not await Room.exists().where(Room.id == room_id):
            raise NotFound(_("No such room."))
        await Room.delete().where(Room.id == room_id)


# ---- events ------------------------------------------------------------------------------------
async def _unique_slug(base: str, exclude_id: int | None = None) -> str:
    """The first free slug from base (base, base-2, base-3...). Call inside write_transaction():
    on PostgreSQL a transaction-level advisory lock makes concurrent writers pick slugs one at a
    time (SQLite's BEGIN IMMEDIATE already does), so two creators never race for the same one."""
    await lock("event.slug")
    base = base[:SLUG_MAX].strip("-") or "event"
    candidate, n = base, 1
    while True:
        query = Event.exists().where(Event.slug == candidate)
        if exclude_id is not None:
            query = query.where(Event.id != exclude_id)
        if not await query:
            return candidate
        n += 1
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX - len(suffix)].strip("-") + suffix


async def _validate_event(
    data: dict[str, Any], current: dict[str, Any] | None, event_id: int | None = None
) -> dict[str, Any]:
    """Validate a full (create) or partial (update) set of event fields; return column values."""
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    creating = current is None

    def given(field: str) -> bool:
        return creating or field in data

    if given("title"):
        values["title"] = _required_text(errors, "title", data.get("title"))
    for field, max_length in (("title_en", 200), ("description", None), ("description_en", None)):
        if field in data:
            values[field] = _optional_text(errors, field, data.get(field), max_length)
    if given("kind"):
        kind = data.get("kind", "other") if creating else data.get("kind")
        if kind not in EVENT_KINDS:
            errors["kind"] = _("Unknown event kind.")
        values["kind"] = kind
    if given("status"):
        status = data.get("status", "draft") if creating else data.get("status")
        if status not in EVENT_STATUSES:
            errors["status"] = _("Unknown status.")
        values["status"] = status
    if given("capacity"):
        values["capacity"] = _check_capacity(errors, data.get("capacity"))
    if given("edition_year"):
        year = data.get("edition_year")
        if year is not None and (
            not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2200
        ):
            errors["edition_year"] = _("Enter a year between 2000 and 2200.")
        values["edition_year"] = year
    if given("venue_id"):
        venue_id = data.get("venue_id")
        if venue_id is not None and (
            not isinstance(venue_id, int) or not await Venue.exists().where(Venue.id == venue_id)
        ):
            errors["venue_id"] = _("This venue does not exist.")
        values["venue"] = venue_id
    starts_at = current["starts_at"] if current else None
    ends_at = current["ends_at"] if current else None
    if given("starts_at"):
        starts_at = _check_datetime(errors, "starts_at", data.get("starts_at"))
        values["starts_at"] = starts_at
    if given("ends_at"):
        ends_at = _check_datetime(errors, "ends_at", data.get("ends_at"))
        values["ends_at"] = ends_at
    if starts_at and ends_at and "starts_at" not in errors and "ends_at" not in errors:
        if ends_at <= starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        elif event_id is not None and ("starts_at" in values or "ends_at" in values):
            sessions = await Session.select(Session.starts_at, Session.ends_at).where(
                Session.event == event_id
            )
            if any(aware(s["starts_at"]) < starts_at or aware(s["ends_at"]) > ends_at for s in sessions):
                field = "starts_at" if "starts_at" in values else "ends_at"
                errors[field] = _("Some sessions of the programme would fall outside these dates.")
    if "slug" in data and data.get("slug"):
        slug = data["slug"].strip() if isinstance(data["slug"], str) else ""
        if not SLUG_RE.match(slug) or len(slug) > SLUG_MAX:
            errors["slug"] = _("Use lowercase letters, digits and hyphens only (at most 100 characters).")
        else:
            query = Event.exists().where(Event.slug == slug)
            if event_id is not None:
                query = query.where(Event.id != event_id)
            if await query:
                errors["slug"] = _("This slug is already used by another event.")
        values["slug"] = slug
    elif creating and "title" not in errors:
        values["slug"] = await _unique_slug(slugify(values["title"]))
    elif "slug" in data:
        errors["slug"] = _("This field is required.")
    if errors:
        raise ValidationFailed(errors)
    return values


async def _event_row(event_id: int) -> dict[str, Any]:
    row = await Event.select().where(Event.id == event_id).first()
    if row is None:
        raise NotFound(_("No such event."))
    return row


class SlugTaken(ValidationFailed):
    """The slug's unique constraint refused a write another transaction got in first."""


async def _write_event(query_coro: Any) -> Any:
    try:
        return await query_coro
    except Exception as exc:
        if is_unique_violation(exc):
            raise SlugTaken({"slug": _("This slug is already used by another event.")}) from exc
        raise


async def create_event(**data: Any) -> dict[str, Any]:
    """Create an event (draft unless a status is given). Returns the event as get_event() does.

    Without a slug, one is made from the title (made unique with -2, -3...); if a concurrent
    writer takes it between the check and the insert (PostgreSQL), the next free one is used.
    """
    for attempt in range(3):
        try:
            async with write_transaction():
                values = await _validate_event(data, None)
                now = now_utc()
                values.update(uid=new_uid(), sequence=0, created_at=now, updated_at=now)
                rows = await _write_event(Event.insert(Event(**values)).returning(Event.id))
            return await get_event(rows[0]["id"])
        except SlugTaken:
            if data.get("slug") or attempt == 2:
                raise
    raise SlugTaken({"slug": _("This slug is already used by another event.")})


async def update_event(event_id: int, **data: Any) -> dict[str, Any]:
    """Change some fields; every change bumps SEQUENCE and updated_at. The uid never changes."""
    async with write_transaction():
        await lock("event", event_id)
        current = await _event_row(event_id)
        values = await _validate_event(data, current, event_id)
        changed = {k: v for k, v in values.items() if current.get(k) != v}
        if changed:
            await bump_event(event_id, changed)
    return await get_event(event_id)


async def bump_event(event_id: int, values: dict[str, Any] | None = None) -> None:
    columns: dict[Column, Any] = {getattr(Event, k): v for k, v in (values or {}).items()}
    columns[Event.sequence] = Event.sequence + 1
    columns[Event.updated_at] = now_utc()
    await _write_event(Event.update(columns).where(Event.id == event_id))


async def set_status(event_id: int, status: str) -> dict[str, Any]:
    if status not in EVENT_STATUSES:
        raise ValidationFailed({"status": _("Unknown status.")})
    async with write_transaction():
        await lock("event", event_id)
        current = await _event_row(event_id)
        if current["status"] != status:
            await bump_event(event_id, {"status": status})
    return await get_event(event_id)


async def publish_event(event_id: int) -> dict[str, Any]:
    return await set_status(event_id, "published")


async def unpublish_event(event_id: int) -> dict[str, Any]:
    return await set_status(event_id, "draft")


async def cancel_event(event_id: int) -> dict[str, Any]:
    """The event stays (calendar subscribers see STATUS:CANCELLED); its sequence is bumped."""
    return await set_status(event_id, "cancelled")


async def get_event(key: int | str, published_only: bool = False) -> dict[str, Any]:
    """An event by id or slug, with its venue. published_only hides drafts (NotFound)."""
    query = _event_query()
    if isinstance(key, int):
        query = query.where(Event.id == key)
    else:
        query = query.where(Event.slug == key)
    row = await query.first()
    if row is None or (published_only and row["status"] == "draft"):
        raise NotFound(_("No such event."))
    return _event_dict(row)


async def list_events(
    published_only: bool = True,
    upcoming_only: bool = False,
    kind: str | None = None,
    include_cancelled: bool = True,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Events ordered by start. published_only: published (and cancelled, unless include_cancelled
    is False) events only; upcoming_only: events not yet over."""
    query = _event_query().order_by(Event.starts_at).order_by(Event.id)
    if published_only:
        statuses = ["published", "cancelled"] if include_cancelled else ["published"]
        query = query.where(Event.status.is_in(statuses))
    elif not include_cancelled:
        query = query.where(Event.status != "cancelled")
    if kind is not None:
        query = query.where(Event.kind == kind)
    events = [_event_dict(r) for r in await query]
    if upcoming_only:
        moment = aware(now or now_utc())
        events = [e for e in events if e["ends_at"] >= moment]
    return events


# ---- sessions ----------------------------------------------------------------------------------
async def _validate_session(
    event: dict[str, Any], data: dict[str, Any], current: dict[str, Any] | None, session_id: int | None
) -> dict[str, Any]:
    unknown = set(data) - set(SESSION_FIELDS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    creating = current is None

    def given(field: str) -> bool:
        return creating or field in data

    if given("title"):
        values["title"] = _required_text(errors, "title", data.get("title"))
    for field, max_length in (("title_en", 200), ("description", None), ("description_en", None)):
        if field in data:
            values[field] = _optional_text(errors, field, data.get(field), max_length)
    if given("kind"):
        kind = data.get("kind", "other") if creating else data.get("kind")
        if kind not in SESSION_KINDS:
            errors["kind"] = _("Unknown session kind.")
        values["kind"] = kind
    if "cancelled" in data:
        values["cancelled"] = bool(data["cancelled"])
    room_id = current["room"] if current else None
    if given("room_id"):
        room_id = data.get("room_id")
        if room_id is not None and (
            not isinstance(room_id, int) or not await Room.exists().where(Room.id == room_id)
        ):
            errors["room_id"] = _("This room does not exist.")
        values["room"] = room_id
    starts_at = current["starts_at"] if current else None
    ends_at = current["ends_at"] if current else None
    if given("starts_at"):
        starts_at = _check_datetime(errors, "starts_at", data.get("starts_at"))
        values["starts_at"] = starts_at
    if given("ends_at"):
        ends_at = _check_datetime(errors, "ends_at", data.get("ends_at"))
        values["ends_at"] = ends_at
    if starts_at and ends_at and "starts_at" not in errors and "ends_at" not in errors:
        starts_at, ends_at = aware(starts_at), aware(ends_at)
        if ends_at <= starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        elif not aware(event["starts_at"]) <= starts_at < aware(event["ends_at"]):
            errors["starts_at"] = _("The session must take place within the event's dates.")
        elif ends_at > aware(event["ends_at"]):
            errors["ends_at"] = _("The session must take place within the event's dates.")
        elif room_id is not None and "room_id" not in errors:
            cancelled = values.get("cancelled", current["cancelled"] if current else False)
            if not cancelled:
                clash = await _room_clash(room_id, starts_at, ends_at, session_id)
                if clash is not None:
                    errors["room_id"] = _(
                        "This room is already taken at that time by “%(title)s”.", title=clash["title"]
                    )
    if errors:
        raise ValidationFailed(errors)
    return values


async def _room_clash(
    room_id: int, starts_at: datetime, ends_at: datetime, exclude_id: int | None
) -> dict[str, Any] | None:
    """The first non-cancelled session in this room overlapping [starts_at, ends_at), if any."""
    query = Session.select(Session.id, Session.title, Session.starts_at, Session.ends_at).where(
        (Session.room == room_id) & (Session.cancelled.eq(False))
    )
    if exclude_id is not None:
        query = query.where(Session.id != exclude_id)
    for row in await query.order_by(Session.starts_at):
        if aware(row["starts_at"]) < ends_at and starts_at < aware(row["ends_at"]):
            return row
    return None


async def _session_row(event_id: int, session_id: int) -> dict[str, Any]:
    row = await Session.select().where((Session.id == session_id) & (Session.event == event_id)).first()
    if row is None:
        raise NotFound(_("No such session."))
    return row


async def _lock_rooms(*room_ids: int | None) -> None:
    await lock_keys(*(lock_key("room", r) for r in room_ids if r is not None))


async def add_session(event_id: int, **data: Any) -> dict[str, Any]:
    async with write_transaction():
        await lock("event", event_id)
        event = await _event_row(event_id)
        if isinstance(data.get("room_id"), int):
            await _lock_rooms(data["room_id"])
        values = await _validate_session(event, data, None, None)
        values.update(event=event_id, uid=new_uid(), sequence=0)
        rows = await Session.insert(Session(**values)).returning(Session.id)
        await bump_event(event_id)
    return await get_session(event_id, rows[0]["id"])


async def update_session(event_id: int, session_id: int, **data: Any) -> dict[str, Any]:
    async with write_transaction():
        await lock("event", event_id)
        event = await _event_row(event_id)
        current = await _session_row(event_id, session_id)
        new_room = data.get("room_id") if isinstance(data.get("room_id"), int) else None
        await _lock_rooms(current["room"], new_room)
        values = await _validate_session(event, data, current, session_id)
        changed = {k: v for k, v in values.items() if current.get(k) != v}
        if changed:
            columns: dict[Column, Any] = {getattr(Session, k): v for k, v in changed.items()}
            columns[Session.sequence] = Session.sequence + 1
            await Session.update(columns).where(Session.id == session_id)
            await bump_event(event_id)
    return await get_session(event_id, session_id)


async def delete_session(event_id: int, session_id: int) -> None:
    async with write_transaction():
        await lock("event", event_id)
        await _session_row(event_id, session_id)
        await Session.delete().where(Session.id == session_id)
        await bump_event(event_id)


async def _speakers_by_session(session_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    ids = list(session_ids)
    result: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return result
    rows = await SessionPerson.select(
        SessionPerson.id,
        SessionPerson.session,
        SessionPerson.role,
        SessionPerson.person.id.as_alias("person_id"),
        SessionPerson.person.first_name.as_alias("first_name"),
        SessionPerson.person.last_name.as_alias("last_name"),
        SessionPerson.person.organisation.id.as_alias("organisation_id"),
        SessionPerson.person.organisation.name.as_alias("organisation"),
    ).where(SessionPerson.session.is_in(ids))
    role_order = {r: i for i, r in enumerate(("moderator", "speaker", "performer"))}
    rows.sort(key=lambda r: (role_order.get(r["role"], 9), r["last_name"], r["first_name"], r["id"]))
    for r in rows:
        result[r["session"]].append(
            {
                "id": r["id"],
                "person_id": r["person_id"],
                "name": f"{r['first_name']} {r['last_name']}".strip(),
                "organisation_id": r["organisation_id"],
                "organisation": r["organisation"] or "",
                "role": r["role"],
            }
        )
    return result


def _session_query() -> Any:
    return Session.select(*Session.all_columns(), Session.room.id, Session.room.name).output(nested=True)


async def get_session(event_id: int, session_id: int) -> dict[str, Any]:
    row = await _session_query().where((Session.id == session_id) & (Session.event == event_id)).first()
    if row is None:
        raise NotFound(_("No such session."))
    speakers = await _speakers_by_session([session_id])
    return _session_dict(row, speakers[session_id])


async def programme(event_id: int, include_cancelled: bool = True) -> list[dict[str, Any]]:
    """The event's sessions ordered by start, with room and speakers (name + organisation)."""
    query = _session_query().where(Session.event == event_id).order_by(Session.starts_at).order_by(Session.id)
    if not include_cancelled:
        query = query.where(Session.cancelled.eq(False))
    rows = await query
    speakers = await _speakers_by_session(r["id"] for r in rows)
    return [_session_dict(r, speakers[r["id"]]) for r in rows]


async def event_with_programme(key: int | str, published_only: bool = False) -> dict[str, Any]:
    event = await get_event(key, published_only=published_only)
    event["programme"] = await programme(event["id"])
    return event


# ---- speakers / performers ---------------------------------------------------------------------
async def add_speaker(
    event_id: int, session_id: int, person_id: Any, role: Any = "speaker"
) -> dict[str, Any]:
    """Link a person (and so their organisation) to a session as speaker, performer or moderator."""
    errors: dict[str, str] = {}
    if role not in SPEAKER_ROLES:
        errors["role"] = _("Unknown role: choose speaker, performer or moderator.")
    async with write_transaction():
        await _session_row(event_id, session_id)
        if not isinstance(person_id, int) or not await Person.exists().where(Person.id == person_id):
            errors["person_id"] = _("This person does not exist.")
        elif await SessionPerson.exists().where(
            (SessionPerson.session == session_id)
            & (SessionPerson.person == person_id)
            & (SessionPerson.role == role)
        ):
            errors["person_id"] = _("This person already has this role in this session.")
        if errors:
            raise ValidationFailed(errors)
        rows = await SessionPerson.insert(
            SessionPerson(session=session_id, person=person_id, role=role)
        ).returning(SessionPerson.id)
        await Session.update({Session.sequence: Session.sequence + 1}).where(Session.id == session_id)
        await bump_event(event_id)
    link_id = rows[0]["id"]
    speakers = await _speakers_by_session([session_id])
    return next(s for s in speakers[session_id] if s["id"] == link_id)


async def remove_speaker(event_id: int, session_id: int, link_id: int) -> None:
    async with write_transaction():
        await _session_row(event_id, session_id)
        if not await SessionPerson.exists().where(
            (SessionPerson.id == link_id) & (SessionPerson.session == session_id)
        ):
            raise NotFound(_("No such speaker."))
        await SessionPerson.delete().where(SessionPerson.id == link_id)
        await Session.update({Session.sequence: Session.sequence + 1}).where(Session.id == session_id)
        await bump_event(event_id)


# ---- duplicating an edition --------------------------------------------------------------------
def _same_day_next_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def _shift(value: datetime, delta: timedelta) -> datetime:
    """Shift by a wall-clock delta in Paris local time, so times of day survive DST changes."""
    local = aware(value).astimezone(PARIS).replace(tzinfo=None)
    return aware(local + delta)


def _replace_year(text: str, old: int, new: int) -> str:
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


async def duplicate_event(
    event_id: int, new_starts_at: datetime | None = None, new_year: int | None = None
) -> dict[str, Any]:
    """Copy an edition as a draft: sessions (same rooms), speakers, every date shifted by one delta, and
    each domain's part of it (lib.editions: `<app>/duplicate.py`); no participant, order nor booking.

    Default: the same calendar date one year later. new_year: the same date in that year.
    new_starts_at: the new start of the event (naive = Paris local time). The year in the title and
    slug is replaced (MIMA 2027 -> MIMA 2028), edition_year follows, every uid is new.
    """
    source = await _event_row(event_id)
    old_start_local = aware(source["starts_at"]).astimezone(PARIS).replace(tzinfo=None)
    old_year = source["edition_year"] or old_start_local.year
    if new_starts_at is not None and new_year is not None:
        raise ValidationFailed({"new_year": _("Give either a new start or a new year, not both.")})
    if new_starts_at is not None:
        if not isinstance(new_starts_at, datetime):
            raise ValidationFailed({"new_starts_at": _("This field is required.")})
        new_start_local = aware(new_starts_at).astimezone(PARIS).replace(tzinfo=None)
    else:
        target_year = old_start_local.year + 1
        if new_year is not None:
            if not isinstance(new_year, int) or isinstance(new_year, bool) or not 2000 <= new_year <= 2200:
                raise ValidationFailed({"new_year": _("Enter a year between 2000 and 2200.")})
            target_year = old_start_local.year + (new_year - old_year)
        day = _same_day_next_years(old_start_local.date(), target_year - old_start_local.year)
        new_start_local = datetime.combine(day, old_start_local.time())
    delta = new_start_local - old_start_local
    if delta == timedelta(0):
        raise ValidationFailed({"new_starts_at": _("The copy must start at another date.")})
    year_shift = new_start_local.year - old_start_local.year
    new_edition_year = new_year if new_year is not None else old_year + year_shift
    title = _replace_year(source["title"], old_year, new_edition_year)
    title_en = _replace_year(source["title_en"], old_year, new_edition_year)
    slug_base = _replace_year(source["slug"], old_year, new_edition_year)
    if slug_base == source["slug"]:
        slug_base = f"{source['slug']}-{new_edition_year}"

    async with write_transaction():
        now = now_utc()
        slug = await _unique_slug(slug_base)
        rows = await Event.insert(
            Event(
                slug=slug,
                kind=source["kind"],
                title=title,
                title_en=title_en,
                description=source["description"],
                description_en=source["description_en"],
                venue=source["venue"],
                starts_at=_shift(source["starts_at"], delta),
                ends_at=_shift(source["ends_at"], delta),
                capacity=source["capacity"],
                status="draft",
                edition_year=new_edition_year if source["edition_year"] is not None else None,
                uid=new_uid(),
                sequence=0,
                created_at=now,
                updated_at=now,
            )
        ).returning(Event.id)
        new_id = rows[0]["id"]
        sessions = await Session.select().where(Session.event == event_id).order_by(Session.id)
        links = await SessionPerson.select().where(
            SessionPerson.session.is_in([s["id"] for s in sessions] or [0])
        )
        for s in sessions:
            inserted = await Session.insert(
                Session(
                    event=new_id,
                    room=s["room"],
                    kind=s["kind"],
                    title=_replace_year(s["title"], old_year, new_edition_year),
                    title_en=_replace_year(s["title_en"], old_year, new_edition_year),
                    description=s["description"],
                    description_en=s["description_en"],
                    starts_at=_shift(s["starts_at"], delta),
                    ends_at=_shift(s["ends_at"], delta),
                    uid=new_uid(),
                    sequence=0,
                    cancelled=s["cancelled"],
                )
            ).returning(Session.id)
            copies = [
                SessionPerson(session=inserted[0]["id"], person=link["person"], role=link["role"])
                for link in links
                if link["session"] == s["id"]
            ]
            if copies:
                await SessionPerson.insert(*copies)
        # every other domain's part (ticket types, speed-meeting, stand plan, calls...): lib.editions
        await copy_edition(event_id, new_id, EditionShift(delta, old_year, new_edition_year))
    return await get_event(new_id)


# ---- people (read-only helpers for the programme editor) ----------------------------------------
async def person_choices() -> list[dict[str, Any]]:
    """People with their organisation, for choosing speakers."""
    rows = await Person.select(
        Person.id, Person.first_name, Person.last_name, Person.organisation.name.as_alias("organisation")
    ).order_by(Person.last_name)
    return [
        {
            "id": r["id"],
            "name": f"{r['first_name']} {r['last_name']}".strip(),
            "organisation": r["organisation"] or "",
        }
        for r in rows
    ]
