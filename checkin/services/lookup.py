"""Finding people at the door: search, the counters, the offline ticket list of a phone."""

from __future__ import annotations

from typing import Any

from accounts.tables import StaffUser
from checkin.services.answers import (
    ADMISSIBLE_ORDER_STATUSES,
    ALREADY,
    CANCELLED,
    REFUNDED,
    UNPAID,
    classify,
    explain,
    refusal_reason,
    type_name,
)
from checkin.services.codes import raw
from checkin.services.devices import touch_device
from checkin.tables import Device
from lib.clock import aware, now_utc
from ticketing import shortcode, signing


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
    rows = await raw(
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
        at = aware(r["checked_in_at"]).isoformat() if r["checked_in_at"] else None
        found = {
            "id": r["id"],
            "public_id": r["public_id"],
            "code": _short(r["id"]),
            "name": r["attendee_name"],
            "email": r["attendee_email"],
            "organisation": r["attendee_organisation"],
            "ticket_type": type_name(r),
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
    types = await raw(
        "SELECT tt.id, tt.name, tt.name_en, "
        '(SELECT COUNT(*) FROM ticket t JOIN ticketing_order o ON o.id = t."order" '
        f"WHERE t.ticket_type = tt.id AND t.status = 'valid' AND o.status IN ({statuses})) AS expected, "
        "(SELECT COUNT(*) FROM checkin c JOIN ticket t ON t.id = c.ticket "
        "WHERE t.ticket_type = tt.id AND c.status = 'ok' AND c.session_key = {}) AS checked_in "
        "FROM ticket_type tt WHERE tt.event = {} ORDER BY tt.position, tt.id",
        session_key,
        event_id,
    )
    doors = await raw(
        "SELECT door, COUNT(*) AS checked_in FROM checkin WHERE event = {} AND status = 'ok' "
        "AND session_key = {} GROUP BY door ORDER BY door",
        event_id,
        session_key,
    )
    by_type = [
        {
            "ticket_type_id": t["id"],
            "name": type_name({"type_name": t["name"], "type_name_en": t["name_en"]}),
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
    rows = await raw(
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
                aware(r["checked_in_at"]).isoformat(),
                r["checked_in_door"] or "",
                _checked_in_by(r),
            ]
        tickets.append(row)
    types = await raw("SELECT id, name, name_en FROM ticket_type WHERE event = {}", device.event)
    await touch_device(device, list_download=True)
    return {
        "event": device.event,
        "session": device.session,
        "as_of": as_of.isoformat(),
        "key": signing.public_key_info(),
        "fields": LIST_FIELDS,
        "states": {"0": "valid", "1": "checked_in", "2": "cancelled", "3": "refunded", "4": "unpaid"},
        "types": {
            str(t["id"]): type_name({"type_name": t["name"], "type_name_en": t["name_en"]}) for t in types
        },
        "tickets": tickets,
    }


# ---- the fast path: one round trip on PostgreSQL -----------------------------------------------


async def staff_name(staff_id: int | None) -> str:
    if not staff_id:
        return ""
    row = await StaffUser.select(StaffUser.name).where(StaffUser.id == staff_id).first()
    return row["name"] if row else ""
