"""Proof for member prices: nobody gets a member ticket for an address they have not proven.

A member-price ticket is issued at once only when the buyer is signed in by email link (the session's
attendee email) as a member in good standing, and the ticket's attendee is that address or an address of
the same member organisation. Any other member address of the order gets a one-time confirmation link
(only its sha256 is stored; one use; it expires with the order's hold); the order waits in
awaiting_member and is confirmed once every address confirmed. Staff approval stays the third way.

Whatever the register holds, the buyer is told the same thing ("if this address belongs to a member in
good standing, a confirmation link was sent to it"): an address that is not a member in good standing
gets an email saying so instead of a link, and its order simply never confirms by itself.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any

from accounts.services import LinkInvalid
from events.tables import Event
from lib.i18n import _, get_locale, localized, set_locale
from lib.mail import queue_email
from lib.settings import get_settings
from lib.templating import fmt_datetime
from lib.tokens import hash_token, normalize_email
from members.standing import membership_standing
from ticketing.tables import MemberConfirmation, Order

AWAITING = "awaiting_member"
# The statuses a member confirmation can move on: waiting for the members (or for staff approval).
WAITING_FOR_PROOF = (AWAITING, "reserved")


@dataclass(frozen=True)
class Proof:
    """What the signed-in buyer has proven: their own address, and its member organisation when in
    good standing."""

    email: str = ""
    organisation_id: int | None = None


async def proof_of(proven_email: str | None) -> Proof:
    email = normalize_email(proven_email or "")
    if not email:
        return Proof()
    standing = await membership_standing(email=email)
    if not standing.in_good_standing or standing.organisation is None:
        return Proof(email=email)
    return Proof(email=email, organisation_id=standing.organisation.id)


async def covers(proof: Proof, email: str) -> bool:
    """Whether the proof is enough for a member ticket of this attendee address."""
    if proof.organisation_id is None:
        return False
    if normalize_email(email) == proof.email:
        return True
    standing = await membership_standing(email=email)
    return (
        standing.in_good_standing
        and standing.organisation is not None
        and standing.organisation.id == proof.organisation_id
    )


def hold_until(event: Event, now: datetime) -> datetime:
    """How long an order waits for its member confirmations: the setting, and never past the start."""
    until = now + timedelta(minutes=get_settings().member_confirmation_minutes)
    return min(until, max(event.starts_at, now + timedelta(minutes=5)))


def confirmation_url(token: str) -> str:
    return f"{get_settings().base_url}/tickets/confirm/{token}"


async def request_confirmations(
    order: Order,
    event: Event,
    emails: list[str],
    *,
    kind: str = "order",
    ticket_id: int | None = None,
    new_name: str = "",
    new_organisation: str = "",
    expires_at: datetime | None = None,
) -> None:
    """Inside the order's transaction: one confirmation per address, and its email (a link for a
    member in good standing, an explanation for any other address)."""
    now = datetime.now(UTC)
    expires_at = expires_at or order.expires_at or hold_until(event, now)
    for email in dict.fromkeys(emails):
        token = secrets.token_urlsafe(32)
        await MemberConfirmation.insert(
            MemberConfirmation(
                order=order.id,
                ticket=ticket_id,
                kind=kind,
                email=email,
                token_hash=hash_token(token),
                new_name=new_name,
                new_organisation=new_organisation,
                expires_at=expires_at,
            )
        )
        standing = await membership_standing(email=email)
        subject, text, html = confirmation_email(
            order, event, email, confirmation_url(token) if standing.in_good_standing else None, expires_at
        )
        await queue_email(email, subject, text, html)


def confirmation_email(
    order: Order, event: Event, email: str, url: str | None, expires_at: datetime
) -> tuple[str, str, str]:
    """Subject, text and HTML in the order's language. No free text typed by the buyer goes into it
    (names could be a phishing lure): the event, the buyer's address and the link."""
    previous = get_locale()
    set_locale(order.locale)
    try:
        return _confirmation_email(order, event, email, url, expires_at)
    finally:
        set_locale(previous)


def _confirmation_email(
    order: Order, event: Event, email: str, url: str | None, expires_at: datetime
) -> tuple[str, str, str]:
    title = localized(event, "title")
    when = fmt_datetime(event.starts_at, "full")
    hello = _("Hello,")
    asked = _(
        "%(buyer)s booked a member-price ticket for %(title)s (%(when)s) for the address %(email)s.",
        buyer=order.buyer_email,
        title=title,
        when=when,
        email=email,
    )
    org = get_settings().org_name
    if url is None:
        subject = _("Member price for %(title)s: this address is not recognised", title=title)
        body = _(
            "This address is not recognised as a member in good standing, so the member price cannot be "
            "confirmed with it. If you made this booking, cancel it from the order page and choose the "
            "non-member ticket, or ask the team to approve the member price. If you did not, ignore this email."
        )
        text = f"{hello}\n\n{asked}\n\n{body}\n\n-- \n{org}\n"
        html = f"<p>{escape(hello)}</p><p>{escape(asked)}</p><p>{escape(body)}</p><p>{escape(org)}</p>"
        return subject, text, html
    subject = _("Confirm your member price for %(title)s", title=title)
    body = _(
        "If you expect this booking, confirm it with this link (it works once, until %(until)s). Your ticket "
        "is then sent to this address only.",
        until=fmt_datetime(expires_at),
    )
    ignore = _("If you did not ask for it, ignore this email: without your confirmation no ticket is issued.")
    button = _("Confirm the member price")
    text = f"{hello}\n\n{asked}\n\n{body}\n\n{url}\n\n{ignore}\n\n-- \n{org}\n"
    html = (
        f"<p>{escape(hello)}</p><p>{escape(asked)}</p><p>{escape(body)}</p>"
        f'<p><a href="{escape(url)}">{escape(button)}</a></p><p>{escape(url)}</p>'
        f"<p>{escape(ignore)}</p><p>{escape(org)}</p>"
    )
    return subject, text, html


# ---- using a link --------------------------------------------------------------------------------
async def peek(token: str) -> MemberConfirmation | None:
    if not token or len(token) > 200:
        return None
    return (
        await MemberConfirmation.objects().where(MemberConfirmation.token_hash == hash_token(token)).first()
    )


def link_problem(row: MemberConfirmation | None, now: datetime) -> str | None:
    if row is None or row.superseded_at is not None:
        return _("This confirmation link is not valid.")
    if row.confirmed_at is not None:
        return _("This confirmation link has already been used.")
    if row.expires_at <= now:
        return _("This confirmation link has expired: the places were released.")
    return None


@dataclass(frozen=True)
class Pending:
    """A confirmation link that can still be used, with what it confirms (for the confirmation page)."""

    row: MemberConfirmation
    order: Order
    event: Event
    tickets: list[dict[str, Any]]


async def check(token: str) -> Pending:
    """The still usable confirmation for this token; LinkInvalid (HTTP 400) with the reason otherwise."""
    row = await peek(token)
    problem = link_problem(row, datetime.now(UTC))
    if problem:
        raise LinkInvalid(problem)
    assert row is not None
    order = await Order.objects().where(Order.id == row.order).first()
    event = await Event.objects().where(Event.id == order.event).first() if order else None
    if order is None or event is None:
        raise LinkInvalid(_("This confirmation link is not valid."))
    if row.kind == "order" and order.status not in WAITING_FOR_PROOF:
        raise LinkInvalid(_("This booking is not waiting for a confirmation any more."))
    if row.kind == "transfer" and order.status not in ("confirmed", "pending_payment"):
        raise LinkInvalid(_("This booking is not waiting for a confirmation any more."))
    from ticketing.order_reads import order_tickets

    tickets = [
        t
        for t in await order_tickets(order.id)
        if (
            t["id"] == row.ticket
            if row.kind == "transfer"
            else normalize_email(t["attendee_email"]) == row.email
        )
    ]
    return Pending(row=row, order=order, event=event, tickets=tickets)


# Raw SQL, one statement: read for every order's JSON, where Piccolo's query building cost more than the read.
CONFIRMATIONS_SQL = (
    "SELECT c.kind, c.email, c.expires_at, c.confirmed_at, t.public_id AS ticket"
    " FROM ticket_member_confirmation c LEFT JOIN ticket t ON t.id = c.ticket"
    ' WHERE c."order" = {} AND c.superseded_at IS NULL ORDER BY c.id'
)


async def confirmations_of(order_id: int) -> list[dict[str, Any]]:
    """The order's member confirmations (for the order page and its JSON), oldest first."""
    return [
        {
            "kind": r["kind"],
            "email": r["email"],
            "ticket": r["ticket"],
            "confirmed": r["confirmed_at"] is not None,
            "expires_at": r["expires_at"].isoformat() if r["expires_at"] else None,
        }
        for r in await MemberConfirmation.raw(CONFIRMATIONS_SQL, order_id)
    ]
