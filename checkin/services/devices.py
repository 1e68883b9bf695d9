"""Door devices: authorised per event by a token shown once, revoked, paired to a phone by a one-time code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from checkin.tables import Device
from events.tables import Event, Session
from lib.clock import aware, now_utc
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.tokens import hash_token
from lib.validation import is_id
from ticketing import shortcode


async def authorise_device(
    event_id: int, name: str, door: str = "", session_id: Any = None, staff_id: int | None = None
) -> tuple[Device, str]:
    """A new device token for one event: returned once, only its hash is stored."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the device a name (e.g. 'Phone 1, main door').")
    elif len(name) > 100:
        errors["name"] = _("At most 100 characters.")
    if len((door or "").strip()) > 100:
        errors["door"] = _("At most 100 characters.")
    event = await Event.objects().where(Event.id == event_id).first()
    if event is None:
        raise NotFound(_("This event does not exist."))
    session = None
    if session_id not in (None, "", 0, "0"):
        try:
            session = int(session_id)
        except (TypeError, ValueError):
            session = -1
        if not is_id(session):  # a string of 30 digits overflowed the database's integer
            session = -1
        if not await Session.exists().where((Session.id == session) & (Session.event == event_id)):
            errors["session"] = _("This session is not part of the event.")
    if errors:
        raise ValidationFailed(errors)
    token = "ldd_" + secrets.token_urlsafe(32)
    device = Device(
        event=event_id,
        session=session,
        name=name,
        door=(door or "").strip(),
        token_hash=hash_token(token),
        created_by=staff_id,
    )
    await device.save()
    return device, token


async def revoke_device(event_id: int, device_id: int) -> None:
    done = (
        await Device.update({Device.revoked_at: now_utc()})
        .where((Device.id == device_id) & (Device.event == event_id) & Device.revoked_at.is_null())
        .returning(Device.id)
    )
    if not done:
        raise NotFound(_("Unknown or already revoked device."))


async def device_for_token(token: str) -> Device | None:
    if not token or len(token) > 200:
        return None
    return (
        await Device.objects()
        .where((Device.token_hash == hash_token(token)) & Device.revoked_at.is_null())
        .first()
    )


async def touch_device(device: Device, list_download: bool = False) -> None:
    values: dict[Any, Any] = {Device.last_sync_at: now_utc()}
    if list_download:
        values[Device.list_synced_at] = values[Device.last_sync_at]
    await Device.update(values).where(Device.id == device.id)


async def list_devices(event_id: int) -> list[dict[str, Any]]:
    rows = (
        await Device.select(
            Device.id,
            Device.name,
            Device.door,
            Device.session,
            Device.created_at,
            Device.revoked_at,
            Device.last_sync_at,
            Device.list_synced_at,
            Device.paired_at,
            Device.pairing_expires_at,
            Device.created_by.name.as_alias("created_by_name"),
        )
        .where(Device.event == event_id)
        .order_by(Device.id)
    )
    now = now_utc()
    for r in rows:
        expires = aware(r["pairing_expires_at"])
        r["pairing_expires_at"] = expires if expires and expires > now else None  # an unused, valid link
        for key in (
            "created_at",
            "revoked_at",
            "last_sync_at",
            "list_synced_at",
            "paired_at",
            "pairing_expires_at",
        ):
            r[key] = aware(r[key]).isoformat() if r[key] else None
    return rows


# ---- pairing a phone ------------------------------------------------------------------------------
# The pairing link carries a one-time code, never a device token: a photographed staff screen or a
# forwarded link is worth nothing once used, or after PAIRING_HOURS. Pairing needs a signed-in door,
# staff or admin account (the token it gives reads the event's attendee list). Each pairing gives the
# phone a new token and voids the previous one, so re-pairing a lost phone's device locks that phone
# out; a new code voids the unused one. Scans a phone recorded offline are uploaded with the token of
# its current pairing (door.js), so nothing is lost.

PAIRING_HOURS = 24
PAIRING_CODE_LENGTH = 12  # 60 bits, typeable: the alphabet of the short ticket codes


@dataclass
class Pairing:
    device_id: int
    code: str  # as shown: ABCD-EFGH-JKLM
    expires_at: datetime


def _new_pairing_code() -> str:
    code = "".join(secrets.choice(shortcode.ALPHABET) for _n in range(PAIRING_CODE_LENGTH))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def _pairing_hash(code: str) -> str | None:
    normalised = shortcode.normalise(code)
    if len(normalised) != PAIRING_CODE_LENGTH:
        return None
    return hash_token("pair:" + normalised)


async def issue_pairing(event_id: int, device_id: int) -> Pairing:
    """A new one-time pairing code for a device (the previous unused code stops working)."""
    code = _new_pairing_code()
    expires_at = now_utc() + timedelta(hours=PAIRING_HOURS)
    done = (
        await Device.update({Device.pairing_hash: _pairing_hash(code), Device.pairing_expires_at: expires_at})
        .where((Device.id == device_id) & (Device.event == event_id) & Device.revoked_at.is_null())
        .returning(Device.id)
    )
    if not done:
        raise NotFound(_("Unknown or revoked device."))
    return Pairing(device_id=device_id, code=code, expires_at=expires_at)


def _pairing_refused() -> ValidationFailed:
    return ValidationFailed(
        {"code": _("This pairing code is unknown, already used or expired: ask the team for a new one.")}
    )


async def device_for_pairing(code: str) -> Device:
    """The device a valid, unused pairing code is for (or ValidationFailed naming the code)."""
    digest = _pairing_hash(code)
    device = None
    if digest:
        device = (
            await Device.objects()
            .where(
                (Device.pairing_hash == digest)
                & (Device.pairing_expires_at > now_utc())
                & Device.revoked_at.is_null()
            )
            .first()
        )
    if device is None:
        raise _pairing_refused()
    return device


async def redeem_pairing(code: str) -> tuple[Device, str]:
    """Pair a phone: the code is used up (one conditional UPDATE: two phones racing for one code get
    one token between them) and the device gets a new token, returned once."""
    digest = _pairing_hash(code)
    if digest is None:
        raise _pairing_refused()
    token = "ldd_" + secrets.token_urlsafe(32)
    now = now_utc()
    done = (
        await Device.update(
            {
                Device.token_hash: hash_token(token),
                Device.pairing_hash: None,
                Device.pairing_expires_at: None,
                Device.paired_at: now,
            }
        )
        .where(
            (Device.pairing_hash == digest) & (Device.pairing_expires_at > now) & Device.revoked_at.is_null()
        )
        .returning(Device.id)
    )
    if not done:
        raise _pairing_refused()
    device = await Device.objects().where(Device.id == done[0]["id"]).first()
    assert device is not None
    return device, token


# ---- search, counters, ticket list -------------------------------------------------------------
