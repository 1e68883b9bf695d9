"""From what a door reads (a signed QR code, a typed short code, a ticket id) to the ticket's row."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from checkin.tables import CheckIn
from lib.validation import is_id
from ticketing import shortcode, signing

TICKET_SQL = (
    "SELECT t.id, t.public_id, t.event, t.status, t.attendee_name, t.attendee_organisation, "
    "t.ticket_type, t.updated_at, tt.name AS type_name, tt.name_en AS type_name_en, "
    "o.status AS order_status, o.cancelled_at AS order_cancelled_at, "
    "o.approval_requested AS approval_requested "
    'FROM ticket t JOIN ticketing_order o ON o.id = t."order" '
    "JOIN ticket_type tt ON tt.id = t.ticket_type WHERE t.id = {}"
)


async def raw(sql: str, *args: Any) -> list[dict[str, Any]]:
    return await CheckIn.raw(sql, *args)


async def ticket_row(ticket_id: int) -> dict[str, Any] | None:
    rows = await raw(TICKET_SQL, ticket_id)
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
