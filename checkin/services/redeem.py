"""Redeem a ticket at the door, and undo a mistaken check-in.

Concurrency: the winning check-in of a ticket is the one row with status 'ok' for (ticket, session_key),
guarded by a partial UNIQUE index and written with INSERT ... ON CONFLICT DO NOTHING RETURNING (one
statement, SQLite >= 3.35 and PostgreSQL). scan_id is UNIQUE: a retried request returns its first result.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checkin.services.answers import (
    ALREADY,
    INVALID,
    OK,
    WRONG_EVENT,
    Scan,
    already_text,
    check_scan_id,
    classify,
    result,
    ticket_event,
)
from checkin.services.codes import decode, raw, ticket_row
from checkin.tables import CheckIn
from lib.clock import aware, now_utc
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.validation import is_id

INSERT_SQL = (
    "INSERT INTO checkin (ticket, event, session_key, scan_id, device, door, staff, scanned_at, "
    "received_at, status, offline, flag) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) "
    "ON CONFLICT DO NOTHING RETURNING id"
)


async def winner_of(ticket_id: int, session_key: int) -> dict[str, Any] | None:
    rows = await raw(
        "SELECT c.id, c.scanned_at, c.door, c.scan_id, c.offline, d.name AS device_name, s.name AS staff_name "
        "FROM checkin c LEFT JOIN checkin_device d ON d.id = c.device "
        "LEFT JOIN staff_user s ON s.id = c.staff "
        "WHERE c.ticket = {} AND c.session_key = {} AND c.status = 'ok'",
        ticket_id,
        session_key,
    )
    return rows[0] if rows else None


def already_answer(winner: dict[str, Any]) -> dict[str, Any]:
    by = winner["staff_name"] or winner["device_name"] or ""
    return {
        "checked_in_at": aware(winner["scanned_at"]).isoformat() if winner["scanned_at"] else None,
        "door": winner["door"],
        "by": by,
        "device": winner["device_name"] or "",
        "checkin_id": winner["id"],
        "reason": ALREADY,
        "explanation": already_text(winner["scanned_at"], winner["door"] or "", by),
    }


async def record_scan(
    ticket: dict[str, Any],
    scan: Scan,
    scan_id: str,
    scanned_at: datetime,
    status: str,
    *,
    offline: bool = False,
    flag: str = "",
) -> int | None:
    rows = await raw(
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


async def replayed_answer(scan_id: str, ticket: dict[str, Any]) -> dict[str, Any] | None:
    """The first result of a scan already recorded (a retried request)."""
    row = await CheckIn.select().where(CheckIn.scan_id == scan_id).first()
    if row is None:
        return None
    if row["ticket"] != ticket["id"]:
        raise ValidationFailed({"scan_id": _("This scan id was already used for another ticket.")})
    if row["status"] == "ok":
        return result(OK, scan_id, ticket, checkin_id=row["id"], replayed=True)
    winner = await winner_of(ticket["id"], row["session_key"])
    extra = already_answer(winner) if winner else {}
    return result(ALREADY if winner else OK, scan_id, ticket, replayed=True, **extra)


async def wrong_event_extra(refusal: str, ticket: dict[str, Any], holds_code: bool) -> dict[str, Any]:
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
        return result(INVALID, scan_id, reason=reason)
    ticket = await ticket_row(tid)
    refusal = classify(ticket, scan.event_id)
    if refusal == INVALID or ticket is None:
        return result(INVALID, scan_id, reason="unknown_ticket")
    if refusal:
        return result(refusal, scan_id, ticket, **await wrong_event_extra(refusal, ticket, bool(code)))
    scanned_at = scanned_at or now_utc()
    for _attempt in range(3):
        checkin_id = await record_scan(ticket, scan, scan_id, scanned_at, "ok")
        if checkin_id is not None:
            return result(OK, scan_id, ticket, checkin_id=checkin_id)
        replay = await replayed_answer(scan_id, ticket)
        if replay is not None:
            return replay
        winner = await winner_of(tid, scan.session_key)
        if winner is None:
            continue  # undone meanwhile: try again
        await record_scan(ticket, scan, scan_id, scanned_at, "duplicate")
        return result(ALREADY, scan_id, ticket, **already_answer(winner))
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
