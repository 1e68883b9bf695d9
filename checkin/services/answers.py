"""What a door is told: result statuses, the answer body, refusal reasons and their sentences.

Every refusal carries `reason` (a stable code) and `explanation` (a sentence in the request's language);
`status` keeps its seven values for third-party scanners.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from events.tables import Event
from lib.clock import aware, local_tz
from lib.errors import ValidationFailed
from lib.i18n import _, get_locale, localized
from ticketing.tables import ADMISSIBLE_ORDER_STATUSES, UNPAID_ORDER_STATUSES

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


def new_scan_id() -> str:
    return uuid.uuid4().hex


def parse_time(value: Any, field: str = "scanned_at") -> datetime | None:
    """An ISO 8601 instant from a device (naive means UTC), or None when absent."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return aware(value)
    try:
        text = str(value).strip().replace("Z", "+00:00")
        return aware(datetime.fromisoformat(text))
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


def message(status: str) -> str:
    return _messages(get_locale())[status]


def type_name(row: dict[str, Any]) -> str:
    if get_locale() == "en" and row.get("type_name_en"):
        return row["type_name_en"]
    return row.get("type_name") or ""


def result(status: str, scan_id: str, ticket: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "message": message(status), "scan_id": scan_id}
    # A wrong-event answer names nobody: a door device sees only its own event's attendees.
    if ticket is not None and status != WRONG_EVENT:
        body["ticket"] = {
            "id": ticket["id"],
            "public_id": ticket["public_id"],
            "name": ticket["attendee_name"],
            "organisation": ticket["attendee_organisation"],
            "ticket_type": type_name(ticket),
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


def _clock(value: datetime | str | None) -> str:
    """HH:MM in the organisation's time zone (cheap: it runs on the hot path's "already" answers)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = aware(value).astimezone(local_tz())
    return f"{local.hour:02d}:{local.minute:02d}"


def already_text(at: datetime | str | None, door: str, by: str) -> str:
    when = _clock(at)
    if door and by:
        return _("Already checked in at %(time)s (%(door)s) by %(by)s.", time=when, door=door, by=by)
    if by:
        return _("Already checked in at %(time)s by %(by)s.", time=when, by=by)
    return _("Already checked in at %(time)s.", time=when)


def explain(reason: str, **extra: Any) -> str:
    """The sentence a door shows for a refusal (extra: the fields of the answer)."""
    if reason == ALREADY:
        return already_text(extra.get("checked_in_at"), extra.get("door") or "", extra.get("by") or "")
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
        "starts_at": aware(event.starts_at).isoformat(),
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
