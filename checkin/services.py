"""Door check-in rules: redeem a ticket, undo, search, offline reconciliation, counters.

Concurrency: the winning check-in of a ticket is the one row with status 'ok' for (ticket, session_key),
guarded by a partial UNIQUE index and written with INSERT ... ON CONFLICT DO NOTHING RETURNING (one
statement, SQLite >= 3.35 and PostgreSQL). scan_id is UNIQUE: a retried request returns its first result.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.engine.postgres import PostgresEngine

from accounts.tables import StaffUser
from checkin.hotpool import HotPool
from checkin.tables import CheckIn, Device
from events.tables import Event, Session
from lib.clock import now_utc
from lib.db import engine, write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, get_locale, localized
from lib.settings import get_settings
from lib.tokens import hash_token
from lib.validation import is_id
from ticketing import shortcode, signing

ADMISSIBLE_ORDER_STATUSES = ("paid", "confirmed")
UNPAID_ORDER_STATUSES = ("reserved", "pending_payment", "expired")
SCAN_ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")

# Result statuses a door sees.
OK, ALREADY, CANCELLED, REFUNDED, UNPAID, WRONG_EVENT, INVALID = (
    "ok",
    "already",
    "cancelled",
    "refunded",
    "unpaid",
    "wrong_event",
    "invalid",
)

TICKET_SQL = (
    "SELECT t.id, t.public_id, t.event, t.status, t.attendee_name, t.attendee_organisation, "
    "t.ticket_type, t.updated_at, tt.name AS type_name, tt.name_en AS type_name_en, "
    "o.status AS order_status, o.cancelled_at AS order_cancelled_at, "
    "o.approval_requested AS approval_requested "
    'FROM ticket t JOIN ticketing_order o ON o.id = t."order" '
    "JOIN ticket_type tt ON tt.id = t.ticket_type WHERE t.id = {}"
)

INSERT_SQL = (
    "INSERT INTO checkin (ticket, event, session_key, scan_id, device, door, staff, scanned_at, "
    "received_at, status, offline, flag) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) "
    "ON CONFLICT DO NOTHING RETURNING id"
)


def new_scan_id() -> str:
    return uuid.uuid4().hex


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_time(value: Any, field: str = "scanned_at") -> datetime | None:
    """An ISO 8601 instant from a device (naive means UTC), or None when absent."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return _aware(value)
    try:
        text = str(value).strip().replace("Z", "+00:00")
        return _aware(datetime.fromisoformat(text))
    except ValueError as exc:
        raise ValidationFailed({field: _("Not a valid date and time.")}) from exc


def check_scan_id(scan_id: Any) -> str:
    scan_id = str(scan_id or "").strip()
    if not SCAN_ID_RE.match(scan_id):
        raise ValidationFailed({"scan_id": _("A scan id of 8 to 64 letters, digits or dashes is required.")})
    return scan_id


# ---- results -----------------------------------------------------------------------------------


@dataclass
class Scan:
    """Who scans, where: a device (token) or a signed-in staff member, for one event (and session)."""

    event_id: int
    session_key: int = 0
    device_id: int | None = None
    door: str = ""
    staff_id: int | None = None


@lru_cache(maxsize=8)
def _messages(locale: str) -> dict[str, str]:
    """The result messages in the request's locale (translated once per locale)."""
    return {
        OK: _("Checked in"),
        ALREADY: _("Already checked in"),
        CANCELLED: _("Cancelled ticket"),
        REFUNDED: _("Refunded ticket"),
        UNPAID: _("Unpaid ticket"),
        WRONG_EVENT: _("Wrong event"),
        INVALID: _("Invalid ticket"),
    }


def _message(status: str) -> str:
    return _messages(get_locale())[status]


def _type_name(row: dict[str, Any]) -> str:
    if get_locale() == "en" and row.get("type_name_en"):
        return row["type_name_en"]
    return row.get("type_name") or ""


def _result(status: str, scan_id: str, ticket: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "message": _message(status), "scan_id": scan_id}
    # A wrong-event answer names nobody: a door device sees only its own event's attendees.
    if ticket is not None and status != WRONG_EVENT:
        body["ticket"] = {
            "id": ticket["id"],
            "public_id": ticket["public_id"],
            "name": ticket["attendee_name"],
            "organisation": ticket["attendee_organisation"],
            "ticket_type": _type_name(ticket),
            "ticket_type_id": ticket["ticket_type"],
        }
    if status not in (OK, INVALID) and ticket is not None and "reason" not in extra:
        reason = ALREADY if status == ALREADY else refusal_reason(ticket, status)
        body["reason"] = reason
        body["explanation"] = explain(reason, **extra)
    elif status == INVALID:
        body["explanation"] = explain(extra.get("reason") or "unknown_ticket")
    body.update(extra)
    return body


# ---- why a ticket is refused ----------------------------------------------------------------------
# Every refusal carries `reason` (a stable code) and `explanation` (a sentence in the request's
# language); `status` keeps its seven values for third-party scanners.

# Order statuses that hold a ticket back, and why. An order status not listed here (added later by
# the ticketing app) is "not_confirmed" until it gets its own reason.
ORDER_REASONS = {
    "pending_payment": "payment_pending",
    "awaiting_member": "awaiting_confirmation",  # the member's emailed link not used yet
    "expired": "order_expired",
    "paid": "payment_being_confirmed",  # paid, its tickets not confirmed yet
}


def refusal_reason(ticket: dict[str, Any], status: str) -> str:
    """The reason code of a refusal (status as classify() returned it)."""
    order_status = ticket.get("order_status") or ""
    if status in (WRONG_EVENT, REFUNDED):
        return status
    if status == CANCELLED:
        return "order_expired" if order_status == "expired" else CANCELLED
    if order_status == "reserved":
        return "awaiting_approval" if ticket.get("approval_requested") else "awaiting_confirmation"
    return ORDER_REASONS.get(order_status, "not_confirmed")


@lru_cache(maxsize=8)
def _explanations(locale: str) -> dict[str, str]:
    return {
        "payment_pending": _("Not paid: the order is still waiting for its payment."),
        "payment_being_confirmed": _("Payment received, confirmation in progress: scan again in a minute."),
        "awaiting_approval": _("Member price awaiting the team's approval: the ticket is not valid yet."),
        "awaiting_confirmation": _(
            "Awaiting the member's confirmation (the email link has not been used): the ticket is not "
            "valid yet."
        ),
        "not_confirmed": _("The order is not confirmed: the ticket is not valid yet."),
        "order_expired": _("The order expired without being paid."),
        CANCELLED: _("This ticket was cancelled."),
        REFUNDED: _("This ticket was refunded."),
        WRONG_EVENT: _("This ticket is for another event."),
        "malformed": _("This is not a ticket code."),
        "truncated": _("The code is incomplete: scan it again or type the short code."),
        "bad_signature": _("Forged or altered code."),
        "unknown_key": _("Code signed with an unknown key."),
        "unknown_format": _("Unknown code format."),
        "unknown_ticket": _("No ticket has this code."),
        "typo": _("This short code has a typo: check each character."),
    }


@lru_cache(maxsize=1)
def _local_tz() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def _clock(value: datetime | str | None) -> str:
    """HH:MM in the organisation's time zone (cheap: it runs on the hot path's "already" answers)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = _aware(value).astimezone(_local_tz())
    return f"{local.hour:02d}:{local.minute:02d}"


def _already_text(at: datetime | str | None, door: str, by: str) -> str:
    when = _clock(at)
    if door and by:
        return _("Already checked in at %(time)s (%(door)s) by %(by)s.", time=when, door=door, by=by)
    if by:
        return _("Already checked in at %(time)s by %(by)s.", time=when, by=by)
    return _("Already checked in at %(time)s.", time=when)


def explain(reason: str, **extra: Any) -> str:
    """The sentence a door shows for a refusal (extra: the fields of the answer)."""
    if reason == ALREADY:
        return _already_text(extra.get("checked_in_at"), extra.get("door") or "", extra.get("by") or "")
    if reason == WRONG_EVENT and extra.get("ticket_event"):
        return _("This ticket is for another event: %(title)s.", title=extra["ticket_event"]["title"])
    return _explanations(get_locale()).get(reason) or _explanations(get_locale())["not_confirmed"]


async def ticket_event(ticket: dict[str, Any]) -> dict[str, Any] | None:
    """The event a wrong-event ticket is for (shown only to someone holding its code: public titles)."""
    event = await Event.objects().where(Event.id == ticket["event"]).first()
    if event is None:
        return None
    return {
        "id": event.id,
        "title": localized(event, "title"),
        "starts_at": _aware(event.starts_at).isoformat(),
    }


def classify(ticket: dict[str, Any] | None, event_id: int) -> str | None:
    """Why this ticket cannot enter this event, or None when it may."""
    if ticket is None:
        return INVALID
    if ticket["event"] != event_id:
        return WRONG_EVENT
    order_status = ticket["order_status"]
    if order_status == "refunded":
        return REFUNDED
    if ticket["status"] == "cancelled" or order_status == "cancelled":
        return CANCELLED
    if order_status in UNPAID_ORDER_STATUSES or ticket["status"] != "valid":
        return UNPAID
    if order_status not in ADMISSIBLE_ORDER_STATUSES:
        return UNPAID
    return None


async def _raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await CheckIn.raw(sql, *args)


async def ticket_row(ticket_id: int) -> dict[str, Any] | None:
    rows = await _raw(TICKET_SQL, ticket_id)
    return rows[0] if rows else None


@lru_cache(maxsize=1)
def _verify_keys() -> dict[int, Any]:
    """The keys codes are checked with, once per process: the issuer's own signing keys (a code is
    checked by signing it again, see ticketing.signing; the key itself is cached by ticketing)."""
    return signing.issuer_keys()


@lru_cache(maxsize=65536)
def _verified_ticket_id(code: str) -> int:
    """The ticket id of a code whose Ed25519 signature checked out (about 30 µs each).

    Only successful verifications are cached (an invalid code raises and is never remembered), and
    the keys are fixed for the life of the process (_verify_keys), so a code that verified once
    always verifies again: a re-scan or a retried request skips the signature check."""
    return signing.verify(code, _verify_keys()).ticket_id


def decode(code: str | None = None, ticket_id: Any = None) -> tuple[int | None, str]:
    """(ticket id, '') from a signed code (the QR), a typed short code (ticketing.shortcode) or an
    explicit id; (None, reason) when the code is bad."""
    if code and not isinstance(code, str):  # an offline scan's "code" may be anything: a list, a number
        return None, "malformed"
    if code:
        if not code.startswith(signing.PREFIX) and shortcode.looks_like(code):
            try:
                return shortcode.parse(code), ""
            except shortcode.InvalidShortCode as exc:
                return None, exc.reason
        try:
            return _verified_ticket_id(code), ""
        except signing.InvalidTicketCode as exc:
            return None, exc.reason
    try:
        number = int(ticket_id)
    except (TypeError, ValueError):
        return None, "malformed"
    return (number, "") if is_id(number) else (None, "malformed")


async def _winner(ticket_id: int, session_key: int) -> dict[str, Any] | None:
    rows = await _raw(
        "SELECT c.id, c.scanned_at, c.door, c.scan_id, c.offline, d.name AS device_name, s.name AS staff_name "
        "FROM checkin c LEFT JOIN checkin_device d ON d.id = c.device "
        "LEFT JOIN staff_user s ON s.id = c.staff "
        "WHERE c.ticket = {} AND c.session_key = {} AND c.status = 'ok'",
        ticket_id,
        session_key,
    )
    return rows[0] if rows else None


def _already(winner: dict[str, Any]) -> dict[str, Any]:
    by = winner["staff_name"] or winner["device_name"] or ""
    return {
        "checked_in_at": _aware(winner["scanned_at"]).isoformat() if winner["scanned_at"] else None,
        "door": winner["door"],
        "by": by,
        "device": winner["device_name"] or "",
        "checkin_id": winner["id"],
        "reason": ALREADY,
        "explanation": _already_text(winner["scanned_at"], winner["door"] or "", by),
    }


async def _insert(
    ticket: dict[str, Any],
    scan: Scan,
    scan_id: str,
    scanned_at: datetime,
    status: str,
    *,
    offline: bool = False,
    flag: str = "",
) -> int | None:
    rows = await _raw(
        INSERT_SQL,
        ticket["id"],
        scan.event_id,
        scan.session_key,
        scan_id,
        scan.device_id,
        scan.door,
        scan.staff_id,
        scanned_at,
        now_utc(),
        status,
        offline,
        flag,
    )
    return rows[0]["id"] if rows else None


async def _replay(scan_id: str, ticket: dict[str, Any]) -> dict[str, Any] | None:
    """The first result of a scan already recorded (a retried request)."""
    row = await CheckIn.select().where(CheckIn.scan_id == scan_id).first()
    if row is None:
        return None
    if row["ticket"] != ticket["id"]:
        raise ValidationFailed({"scan_id": _("This scan id was already used for another ticket.")})
    if row["status"] == "ok":
        return _result(OK, scan_id, ticket, checkin_id=row["id"], replayed=True)
    winner = await _winner(ticket["id"], row["session_key"])
    extra = _already(winner) if winner else {}
    return _result(ALREADY if winner else OK, scan_id, ticket, replayed=True, **extra)


async def _wrong_event_extra(refusal: str, ticket: dict[str, Any], holds_code: bool) -> dict[str, Any]:
    """For a wrong event, the other event's title, to someone who holds the ticket's code (a QR or a
    typed short code): never for a bare ticket id, which anyone can count through."""
    if refusal != WRONG_EVENT or not holds_code:
        return {}
    event = await ticket_event(ticket)
    return {"ticket_event": event} if event else {}


async def redeem(
    scan: Scan,
    *,
    scan_id: str,
    code: str | None = None,
    ticket_id: Any = None,
    scanned_at: datetime | None = None,
) -> dict[str, Any]:
    """Check a person in. Exactly one concurrent redeem of a ticket gets status 'ok'."""
    scan_id = check_scan_id(scan_id)
    tid, reason = decode(code, ticket_id)
    if tid is None:
        return _result(INVALID, scan_id, reason=reason)
    ticket = await ticket_row(tid)
    refusal = classify(ticket, scan.event_id)
    if refusal == INVALID or ticket is None:
        return _result(INVALID, scan_id, reason="unknown_ticket")
    if refusal:
        return _result(refusal, scan_id, ticket, **await _wrong_event_extra(refusal, ticket, bool(code)))
    scanned_at = scanned_at or now_utc()
    for _attempt in range(3):
        checkin_id = await _insert(ticket, scan, scan_id, scanned_at, "ok")
        if checkin_id is not None:
            return _result(OK, scan_id, ticket, checkin_id=checkin_id)
        replay = await _replay(scan_id, ticket)
        if replay is not None:
            return replay
        winner = await _winner(tid, scan.session_key)
        if winner is None:
            continue  # undone meanwhile: try again
        await _insert(ticket, scan, scan_id, scanned_at, "duplicate")
        return _result(ALREADY, scan_id, ticket, **_already(winner))
    raise ValidationFailed({"ticket": _("The ticket changed during the check-in; scan it again.")})


async def undo(
    event_id: int, *, checkin_id: Any = None, scan_id: str | None = None, staff_id: int | None
) -> dict:
    """Cancel a mistaken check-in: the ticket can be scanned again."""
    where = CheckIn.event == event_id
    if checkin_id not in (None, ""):
        try:
            number = int(checkin_id)
            if not is_id(number):
                raise ValueError(checkin_id)
            where &= CheckIn.id == number
        except (TypeError, ValueError) as exc:
            raise ValidationFailed({"checkin_id": _("Unknown check-in.")}) from exc
    elif scan_id:
        where &= CheckIn.scan_id == str(scan_id)
    else:
        raise ValidationFailed({"checkin_id": _("Unknown check-in.")})
    done = (
        await CheckIn.update(
            {CheckIn.status: "undone", CheckIn.undone_at: now_utc(), CheckIn.undone_by: staff_id}
        )
        .where(where & (CheckIn.status == "ok"))
        .returning(CheckIn.id, CheckIn.ticket)
    )
    if not done:
        raise NotFound(_("No check-in to undo."))
    return {"status": "undone", "checkin_id": done[0]["id"], "ticket_id": done[0]["ticket"]}


# ---- offline reconciliation ----------------------------------------------------------------------


async def reconcile(device: Device, scans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scans recorded offline by a device, uploaded later.

    Each scan: scan_id, code (or ticket_id), scanned_at (device clock), optional door and accepted
    (the device's own verdict, default true). The earliest scan of a ticket wins; the others are kept
    as duplicates flagged for staff. A ticket admitted offline but cancelled after the device's last
    list download is flagged 'cancelled_after_sync'.
    """
    if not isinstance(scans, list) or len(scans) > 5000:
        raise ValidationFailed({"scans": _("Send a list of at most 5000 scans.")})
    parsed = []
    for i, item in enumerate(scans):
        if not isinstance(item, dict):
            raise ValidationFailed({f"scans[{i}]": _("Not a scan.")})
        parsed.append(
            (
                parse_time(item.get("scanned_at"), f"scans[{i}].scanned_at") or now_utc(),
                check_scan_id(item.get("scan_id")),
                item,
            )
        )
    parsed.sort(key=lambda p: p[0])
    synced_at = _aware(device.list_synced_at)
    results = []
    for scanned_at, scan_id, item in parsed:
        scan = Scan(
            event_id=device.event,
            session_key=device.session or 0,
            device_id=device.id,
            door=str(item.get("door") or device.door)[:100],
        )
        accepted = item.get("accepted", True) is not False
        results.append(await _reconcile_one(scan, scan_id, scanned_at, item, accepted, synced_at))
    await Device.update({Device.last_sync_at: now_utc()}).where(Device.id == device.id)
    return results


async def _reconcile_one(
    scan: Scan,
    scan_id: str,
    scanned_at: datetime,
    item: dict[str, Any],
    accepted: bool,
    synced_at: datetime | None,
) -> dict[str, Any]:
    tid, reason = decode(item.get("code"), item.get("ticket_id"))
    ticket = await ticket_row(tid) if tid is not None else None
    if ticket is None:
        return _result(INVALID, scan_id, reason=reason or "unknown_ticket")
    refusal = classify(ticket, scan.event_id)
    async with write_transaction():
        if refusal:
            flag = ""
            if accepted:
                flag = refusal
                changed = max(
                    (t for t in (_aware(ticket["updated_at"]), _aware(ticket["order_cancelled_at"])) if t),
                    default=None,
                )
                if refusal in (CANCELLED, REFUNDED) and synced_at and changed and changed > synced_at:
                    flag = "cancelled_after_sync"
            if refusal == WRONG_EVENT:
                extra = await _wrong_event_extra(refusal, ticket, bool(item.get("code")))
                return _result(refusal, scan_id, ticket, flag=flag, **extra)
            await _insert(ticket, scan, scan_id, scanned_at, "rejected", offline=True, flag=flag)
            return _result(refusal, scan_id, ticket, flag=flag)
        checkin_id = await _insert(ticket, scan, scan_id, scanned_at, "ok", offline=True)
        if checkin_id is not None:
            return _result(OK, scan_id, ticket, checkin_id=checkin_id)
        replay = await _replay(scan_id, ticket)
        if replay is not None:
            return replay
        winner = await _winner(ticket["id"], scan.session_key)
        if winner and _aware(winner["scanned_at"]) > scanned_at:
            # This offline scan happened first: it wins, the later one is reported.
            await CheckIn.update({CheckIn.status: "duplicate", CheckIn.flag: "superseded"}).where(
                (CheckIn.id == winner["id"]) & (CheckIn.status == "ok")
            )
            checkin_id = await _insert(ticket, scan, scan_id, scanned_at, "ok", offline=True)
            return _result(OK, scan_id, ticket, checkin_id=checkin_id, superseded=winner["id"])
        await _insert(ticket, scan, scan_id, scanned_at, "duplicate", offline=True, flag="duplicate")
        return _result(ALREADY, scan_id, ticket, flag="duplicate", **(_already(winner) if winner else {}))


def flag_label(flag: str) -> str:
    labels = {
        "duplicate": _("Duplicate (already admitted)"),
        "superseded": _("Superseded by an earlier scan"),
        "cancelled_after_sync": _("Cancelled after the device's last sync"),
    }
    return labels.get(flag) or (
        _message(flag) if flag in (CANCELLED, REFUNDED, UNPAID, WRONG_EVENT) else flag
    )


async def conflicts(event_id: int, include_reviewed: bool = False) -> list[dict[str, Any]]:
    """Flagged scans for staff: offline duplicates, superseded check-ins, tickets cancelled after sync."""
    reviewed = "" if include_reviewed else "AND c.reviewed_at IS NULL "
    rows = await _raw(
        "SELECT c.id, c.ticket, c.scan_id, c.flag, c.status, c.door, c.scanned_at, c.received_at, "
        "c.reviewed_at, d.name AS device_name, t.public_id, t.attendee_name, t.attendee_organisation "
        "FROM checkin c JOIN ticket t ON t.id = c.ticket LEFT JOIN checkin_device d ON d.id = c.device "
        f"WHERE c.event = {{}} AND c.flag != '' {reviewed}ORDER BY c.scanned_at",
        event_id,
    )
    out = []
    for r in rows:
        winner = await _winner(r["ticket"], 0) if r["flag"] in ("duplicate", "superseded") else None
        out.append(
            {
                "id": r["id"],
                "flag": r["flag"],
                "reason": flag_label(r["flag"]),
                "status": r["status"],
                "ticket": r["public_id"],
                "name": r["attendee_name"],
                "organisation": r["attendee_organisation"],
                "door": r["door"],
                "device": r["device_name"] or "",
                "scanned_at": _aware(r["scanned_at"]).isoformat(),
                "winner": _already(winner) if winner else None,
                "reviewed": r["reviewed_at"] is not None,
            }
        )
    return out


async def mark_reviewed(event_id: int, checkin_id: int, staff_id: int | None) -> None:
    done = (
        await CheckIn.update({CheckIn.reviewed_at: now_utc(), CheckIn.reviewed_by: staff_id})
        .where((CheckIn.id == checkin_id) & (CheckIn.event == event_id) & (CheckIn.flag != ""))
        .returning(CheckIn.id)
    )
    if not done:
        raise NotFound(_("Unknown check-in."))


# ---- devices -----------------------------------------------------------------------------------


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
        expires = _aware(r["pairing_expires_at"])
        r["pairing_expires_at"] = expires if expires and expires > now else None  # an unused, valid link
        for key in (
            "created_at",
            "revoked_at",
            "last_sync_at",
            "list_synced_at",
            "paired_at",
            "pairing_expires_at",
        ):
            r[key] = _aware(r[key]).isoformat() if r[key] else None
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


def _short(ticket_id: int) -> str:
    return shortcode.display(shortcode.short_code(ticket_id))


def _checked_in_by(row: dict[str, Any]) -> str:
    return row.get("staff_name") or row.get("device_name") or ""


# The winning check-in of each ticket at an admission point (at most one: the partial unique index),
# with the door and who let the person in.
_WINNER_JOIN = (
    "LEFT JOIN checkin c ON c.ticket = t.id AND c.status = 'ok' AND c.session_key = {} "
    "LEFT JOIN checkin_device d ON d.id = c.device LEFT JOIN staff_user s ON s.id = c.staff "
)


async def search(event_id: int, q: str, limit: int = 20, session_key: int = 0) -> list[dict[str, Any]]:
    """Tickets of the event by attendee name, email or organisation, buyer email, the short ticket
    code (typed, with or without dashes), the order reference printed on the PDF (the first characters
    of the order token, 8 at least) or the whole order token. Each result says why it may not enter."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    like = f"%{q.lower()}%"
    code_ticket = -1
    if shortcode.looks_like(q):
        try:
            code_ticket = shortcode.parse(q)
        except shortcode.InvalidShortCode:
            code_ticket = -1
    prefix = len(q) if len(q) >= 8 else 0  # SUBSTR(token, 1, 0) = '' never equals q
    rows = await _raw(
        "SELECT t.id, t.public_id, t.attendee_name, t.attendee_email, t.attendee_organisation, t.status, "
        "tt.name AS type_name, tt.name_en AS type_name_en, o.status AS order_status, "
        "o.approval_requested AS approval_requested, c.scanned_at AS checked_in_at, "
        "c.door AS checked_in_door, d.name AS device_name, s.name AS staff_name "
        'FROM ticket t JOIN ticketing_order o ON o.id = t."order" '
        "JOIN ticket_type tt ON tt.id = t.ticket_type " + _WINNER_JOIN + "WHERE t.event = {} AND ("
        "LOWER(t.attendee_name) LIKE {} OR LOWER(t.attendee_email) LIKE {} "
        "OR LOWER(t.attendee_organisation) LIKE {} OR LOWER(o.buyer_email) LIKE {} OR o.token = {} "
        "OR t.public_id = {} OR t.id = {} OR SUBSTR(o.token, 1, {}) = {}) "
        "ORDER BY t.attendee_name, t.id LIMIT {}",
        session_key,
        event_id,
        like,
        like,
        like,
        like,
        q,
        q,
        code_ticket,
        prefix,
        q,
        limit,
    )
    out = []
    for r in rows:
        refusal = classify({**r, "event": event_id}, event_id)
        at = _aware(r["checked_in_at"]).isoformat() if r["checked_in_at"] else None
        found = {
            "id": r["id"],
            "public_id": r["public_id"],
            "code": _short(r["id"]),
            "name": r["attendee_name"],
            "email": r["attendee_email"],
            "organisation": r["attendee_organisation"],
            "ticket_type": _type_name(r),
            "state": refusal or ("in" if at else "valid"),
            "checked_in_at": at,
            "checked_in_door": (r["checked_in_door"] or "") if at else "",
            "checked_in_by": _checked_in_by(r) if at else "",
            "reason": "",
            "explanation": "",
        }
        if refusal:
            found["reason"] = refusal_reason(r, refusal)
            found["explanation"] = explain(found["reason"])
        elif at:
            found["reason"] = ALREADY
            found["explanation"] = explain(
                ALREADY, checked_in_at=at, door=found["checked_in_door"], by=found["checked_in_by"]
            )
        out.append(found)
    return out


async def counters(event_id: int, session_key: int = 0) -> dict[str, Any]:
    """Checked in / expected per ticket type and per door."""
    statuses = ", ".join(f"'{s}'" for s in ADMISSIBLE_ORDER_STATUSES)
    types = await _raw(
        "SELECT tt.id, tt.name, tt.name_en, "
        '(SELECT COUNT(*) FROM ticket t JOIN ticketing_order o ON o.id = t."order" '
        f"WHERE t.ticket_type = tt.id AND t.status = 'valid' AND o.status IN ({statuses})) AS expected, "
        "(SELECT COUNT(*) FROM checkin c JOIN ticket t ON t.id = c.ticket "
        "WHERE t.ticket_type = tt.id AND c.status = 'ok' AND c.session_key = {}) AS checked_in "
        "FROM ticket_type tt WHERE tt.event = {} ORDER BY tt.position, tt.id",
        session_key,
        event_id,
    )
    doors = await _raw(
        "SELECT door, COUNT(*) AS checked_in FROM checkin WHERE event = {} AND status = 'ok' "
        "AND session_key = {} GROUP BY door ORDER BY door",
        event_id,
        session_key,
    )
    by_type = [
        {
            "ticket_type_id": t["id"],
            "name": _type_name({"type_name": t["name"], "type_name_en": t["name_en"]}),
            "expected": int(t["expected"]),
            "checked_in": int(t["checked_in"]),
        }
        for t in types
    ]
    return {
        "event": event_id,
        "session": session_key or None,
        "checked_in": sum(t["checked_in"] for t in by_type),
        "expected": sum(t["expected"] for t in by_type),
        "by_type": by_type,
        "by_door": [{"door": d["door"] or "—", "checked_in": int(d["checked_in"])} for d in doors],
    }


# Compact states of the offline ticket list.
STATE_VALID, STATE_IN, STATE_CANCELLED, STATE_REFUNDED, STATE_UNPAID = 0, 1, 2, 3, 4
_STATE_OF = {CANCELLED: STATE_CANCELLED, REFUNDED: STATE_REFUNDED, UNPAID: STATE_UNPAID}
LIST_FIELDS = [
    "ticket_id",
    "state",
    "initials",
    "ticket_type_id",
    "code",
    "name",
    "reason",
    "checked_in_at",
    "checked_in_door",
    "checked_in_by",
]


def initials(name: str) -> str:
    return "".join(part[0] for part in (name or "").replace("-", " ").split() if part)[:3].upper()


async def ticket_list(device: Device) -> dict[str, Any]:
    """Every ticket of the device's event, compact: [ticket id, state, initials, ticket type id, short
    code, name, reason, checked in at, door, by] (see LIST_FIELDS), trailing empty fields left out.

    state: 0 valid, 1 already checked in, 2 cancelled, 3 refunded, 4 unpaid (not valid yet: the reason
    says why). The short code and the name let the door find a ticket offline.
    """
    session_key = device.session or 0
    as_of = now_utc()
    rows = await _raw(
        "SELECT t.id, t.status, t.attendee_name, t.ticket_type, o.status AS order_status, "
        "o.approval_requested AS approval_requested, c.scanned_at AS checked_in_at, "
        "c.door AS checked_in_door, d.name AS device_name, s.name AS staff_name "
        'FROM ticket t JOIN ticketing_order o ON o.id = t."order" '
        + _WINNER_JOIN
        + "WHERE t.event = {} ORDER BY t.id",
        session_key,
        device.event,
    )
    tickets = []
    for r in rows:
        refusal = classify({**r, "event": device.event}, device.event)
        state = _STATE_OF.get(refusal or "", STATE_IN if r["checked_in_at"] else STATE_VALID)
        row: list[Any] = [r["id"], state, initials(r["attendee_name"]), r["ticket_type"]]
        row += [shortcode.short_code(r["id"]), r["attendee_name"]]
        if refusal:
            row.append(refusal_reason(r, refusal))
        elif r["checked_in_at"]:
            row += [
                ALREADY,
                _aware(r["checked_in_at"]).isoformat(),
                r["checked_in_door"] or "",
                _checked_in_by(r),
            ]
        tickets.append(row)
    types = await _raw("SELECT id, name, name_en FROM ticket_type WHERE event = {}", device.event)
    await touch_device(device, list_download=True)
    return {
        "event": device.event,
        "session": device.session,
        "as_of": as_of.isoformat(),
        "key": signing.public_key_info(),
        "fields": LIST_FIELDS,
        "states": {"0": "valid", "1": "checked_in", "2": "cancelled", "3": "refunded", "4": "unpaid"},
        "types": {
            str(t["id"]): _type_name({"type_name": t["name"], "type_name_en": t["name_en"]}) for t in types
        },
        "tickets": tickets,
    }


# ---- the fast path: one round trip on PostgreSQL -----------------------------------------------

# w (the current winner) is looked up only when this scan did not win: NOT EXISTS (SELECT 1 FROM ins) is a
# one-time filter, so the common case skips that lookup (its joins cost as much as the insert).
FAST_SQL = """
WITH d AS (
  SELECT id, event, COALESCE(session, 0) AS session_key, door FROM checkin_device
  WHERE token_hash = $1 AND revoked_at IS NULL
), t AS (
  SELECT t.id, t.public_id, t.event, t.status, t.attendee_name, t.attendee_organisation, t.ticket_type,
         tt.name AS type_name, tt.name_en AS type_name_en, o.status AS order_status
  FROM ticket t JOIN ticketing_order o ON o.id = t."order" JOIN ticket_type tt ON tt.id = t.ticket_type
  WHERE t.id = $2
), ins AS (
  INSERT INTO checkin (ticket, event, session_key, scan_id, device, door, staff, scanned_at, received_at,
                       status, offline, flag)
  SELECT t.id, t.event, d.session_key, $3, d.id, COALESCE(NULLIF($4, ''), d.door), $5, $6, now(), 'ok',
         false, ''
  FROM t, d
  WHERE t.event = d.event AND t.status = 'valid' AND t.order_status IN ('paid', 'confirmed')
  ON CONFLICT DO NOTHING RETURNING id
), w AS (
  SELECT c.id, c.scanned_at, c.door, c.scan_id, dv.name AS device_name, s.name AS staff_name
  FROM checkin c JOIN d ON c.session_key = d.session_key
  LEFT JOIN checkin_device dv ON dv.id = c.device LEFT JOIN staff_user s ON s.id = c.staff
  WHERE c.ticket = $2 AND c.status = 'ok' AND NOT EXISTS (SELECT 1 FROM ins)
), dup AS (
  INSERT INTO checkin (ticket, event, session_key, scan_id, device, door, staff, scanned_at, received_at,
                       status, offline, flag)
  SELECT t.id, t.event, d.session_key, $3, d.id, COALESCE(NULLIF($4, ''), d.door), $5, $6, now(),
         'duplicate', false, ''
  FROM t, d, w
  WHERE t.event = d.event AND t.status = 'valid' AND t.order_status IN ('paid', 'confirmed')
    AND w.scan_id <> $3 AND NOT EXISTS (SELECT 1 FROM ins)
  ON CONFLICT DO NOTHING RETURNING id
)
SELECT d.id AS device_id, d.event AS device_event, t.*, (SELECT id FROM ins) AS checkin_id,
       w.id AS winner_id, w.scanned_at AS winner_at, w.door AS winner_door, w.scan_id AS winner_scan,
       w.device_name AS winner_device, w.staff_name AS winner_staff
FROM (SELECT 1) AS one LEFT JOIN d ON true LEFT JOIN t ON true LEFT JOIN w ON true
"""


# The redeem hot path's own connections (see checkin.hotpool). Its statement is a handful of index
# lookups, prepared once per connection and run with a generic plan. Planned while the check-in table
# is empty or small (the doors open on an empty table), that plan reads the winner with a sequential
# scan, which it keeps while the table grows to tens of thousands of rows (until autovacuum's next
# ANALYZE): a re-scan then reads the whole table. Sequential scans off on these connections keep every
# lookup on its index whatever the statistics say.
HOT_POOL = HotPool(server_settings={"enable_seqscan": "off"})


async def fast_redeem(
    token: str, ticket_id: int, scan_id: str, door: str, staff_id: int | None, scanned_at: datetime
) -> tuple[bool, dict[str, Any] | None]:
    """PostgreSQL: authenticate the device, read the ticket and insert the winning check-in in one
    statement. Returns (device known, result or None when the slow path must decide)."""
    row = await HOT_POOL.fetchrow(FAST_SQL, hash_token(token), ticket_id, scan_id, door, staff_id, scanned_at)
    if row["device_id"] is None:
        return False, None
    if row["checkin_id"] is not None:
        return True, _result(OK, scan_id, dict(row), checkin_id=row["checkin_id"])
    if row["id"] is None:
        return True, _result(INVALID, scan_id, reason="unknown_ticket")
    ticket = dict(row)
    refusal = classify(ticket, row["device_event"])
    if refusal in (UNPAID, WRONG_EVENT):
        return True, None  # rare: the general path says why (approval, confirmation...) or for which event
    if refusal:
        return True, _result(refusal, scan_id, ticket)
    if row["winner_id"] is None:
        return True, None  # a concurrent change (undo, or a winner not yet visible): the general path decides
    if row["winner_scan"] == scan_id:
        return True, _result(OK, scan_id, ticket, checkin_id=row["winner_id"], replayed=True)
    winner = {
        "id": row["winner_id"],
        "scanned_at": row["winner_at"],
        "door": row["winner_door"],
        "device_name": row["winner_device"],
        "staff_name": row["winner_staff"],
    }
    return True, _result(ALREADY, scan_id, ticket, **_already(winner))


_ENGINE: list[Any] = []


def fast_path_available() -> bool:
    """PostgreSQL with connection pooling on (production): redeem through the one-statement path."""
    if not _ENGINE:
        _ENGINE.append(engine())
    db = _ENGINE[0]
    return isinstance(db, PostgresEngine) and db.pool is not None


async def staff_name(staff_id: int | None) -> str:
    if not staff_id:
        return ""
    row = await StaffUser.select(StaffUser.name).where(StaffUser.id == staff_id).first()
    return row["name"] if row else ""
