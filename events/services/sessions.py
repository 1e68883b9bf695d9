"""An event's programme: sessions in rooms, their speakers, performers and moderators.

A session lies within its event's dates and never shares a room with another at the same time; every
change bumps the session's and the event's SEQUENCE (calendar clients follow them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from events.services.catalogue import bump_event, event_row, get_event
from events.services.fields import aware, check_datetime, new_uid, optional_text, paris, required_text
from events.tables import SESSION_KINDS, Room, Session, SessionPerson
from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.locking import key as lock_key
from lib.locking import lock, lock_keys
from members.tables import Person

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


SPEAKER_ROLES = ("speaker", "performer", "moderator")


# ---- sessions ----------------------------------------------------------------------------------
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
        values["title"] = required_text(errors, "title", data.get("title"))
    for field, max_length in (("title_en", 200), ("description", None), ("description_en", None)):
        if field in data:
            values[field] = optional_text(errors, field, data.get(field), max_length)
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
        starts_at = check_datetime(errors, "starts_at", data.get("starts_at"))
        values["starts_at"] = starts_at
    if given("ends_at"):
        ends_at = check_datetime(errors, "ends_at", data.get("ends_at"))
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
        event = await event_row(event_id)
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
        event = await event_row(event_id)
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


# ---- the programme (sessions with their speakers) -----------------------------------------------
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
