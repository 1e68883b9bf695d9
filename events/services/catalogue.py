"""The event catalogue: create, change, publish or cancel an event, read one, list them.

Every change bumps the event's SEQUENCE and updated_at (calendar clients follow them); its uid never
changes. Slugs are unique: made from the title when none is given.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.columns import Column

from events.services.fields import (
    SLUG_MAX,
    SLUG_RE,
    aware,
    check_capacity,
    check_datetime,
    new_uid,
    optional_text,
    paris,
    required_text,
    slugify,
    venue_dict,
)
from events.tables import EVENT_KINDS, EVENT_STATUSES, Event, Session, Venue
from lib.clock import now_utc
from lib.db import is_unique_violation, write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.locking import lock

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
        "venue": venue_dict(venue),
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


async def unique_slug(base: str, exclude_id: int | None = None) -> str:
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
        values["title"] = required_text(errors, "title", data.get("title"))
    for field, max_length in (("title_en", 200), ("description", None), ("description_en", None)):
        if field in data:
            values[field] = optional_text(errors, field, data.get(field), max_length)
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
        values["capacity"] = check_capacity(errors, data.get("capacity"))
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
        starts_at = check_datetime(errors, "starts_at", data.get("starts_at"))
        values["starts_at"] = starts_at
    if given("ends_at"):
        ends_at = check_datetime(errors, "ends_at", data.get("ends_at"))
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
        values["slug"] = await unique_slug(slugify(values["title"]))
    elif "slug" in data:
        errors["slug"] = _("This field is required.")
    if errors:
        raise ValidationFailed(errors)
    return values


async def event_row(event_id: int) -> dict[str, Any]:
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
        current = await event_row(event_id)
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
        current = await event_row(event_id)
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
