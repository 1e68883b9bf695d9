"""Venues and their rooms: the places events and sessions take place in."""

from __future__ import annotations

from typing import Any

from events.services.fields import check_capacity, optional_text, required_text, venue_dict
from events.tables import Room, Venue
from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _


# ---- venues ----------------------------------------------------------------------------------------
def _venue_values(data: dict[str, Any], partial: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if not partial or "name" in data:
        values["name"] = required_text(errors, "name", data.get("name"))
    for field, max_length in (("address", 300), ("postal_code", 10), ("city", 100)):
        if not partial or field in data:
            values[field] = optional_text(errors, field, data.get(field), max_length)
    if errors:
        raise ValidationFailed(errors)
    return values


async def list_venues() -> list[dict[str, Any]]:
    rows = await Venue.select().order_by(Venue.name)
    return [venue_dict(r) for r in rows]  # type: ignore[misc]


async def get_venue(venue_id: int) -> dict[str, Any]:
    row = await Venue.select().where(Venue.id == venue_id).first()
    if row is None:
        raise NotFound(_("No such venue."))
    return venue_dict(row)  # type: ignore[return-value]


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


# ---- rooms -----------------------------------------------------------------------------------------
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
        values["name"] = required_text(errors, "name", data.get("name"))
    if not partial or "capacity" in data:
        values["capacity"] = check_capacity(errors, data.get("capacity"))
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
