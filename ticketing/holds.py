"""Unpaid holds: how many places orders that are not paid (or not yet proven) may keep, and who may
send how many emails.

Orders that hold places without being confirmed (reserved, awaiting_member, pending_payment) are
limited per event: per buyer email, per client IP (stored as a keyed hash on the order) and as a share
of the event's capacity, so a few anonymous orders can no longer sell an event out. The counts are
taken inside the order's transaction under a per-event lock (an advisory lock on PostgreSQL, BEGIN
IMMEDIATE on SQLite), so parallel requests cannot all pass the same check.

Emails an order causes are throttled per recipient and orders per source IP through the shared
rate-limit table (accounts.services.hit_rate_limit).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from accounts.services import TooManyAttempts, hit_rate_limit
from server.db import is_postgres
from server.errors import ValidationFailed
from server.i18n import _
from server.settings import get_settings
from ticketing.tables import HOLDING_STATUSES, Order

HOUR = 3600


class HoldLimit(ValidationFailed):
    """Too many places held by unpaid orders (HTTP 429): pay or cancel first, or wait for them."""

    status_code = 429


@dataclass(frozen=True)
class HeldPlaces:
    """Places of an event held by orders that are neither paid nor confirmed yet."""

    places: int
    by_email: int
    by_ip: int
    next_release: datetime | None  # the earliest expiry among them (None: none expires by itself)


def ip_hash(client_ip: str | None) -> str:
    """A keyed hash of the client IP: enough to count holds per source, useless to anybody else."""
    if not client_ip:
        return ""
    key = get_settings().session_secret.encode()
    return hmac.new(key, client_ip.encode(), hashlib.sha256).hexdigest()


_STATUSES = ", ".join(f"'{s}'" for s in HOLDING_STATUSES)


async def held_places(event_id: int, *, email: str = "", client_ip_hash: str = "") -> HeldPlaces:
    """The places held by public, still unconfirmed orders of the event (past-expiry ones excluded:
    the sweep is about to release them)."""
    now = datetime.now(UTC)
    rows = await Order.raw(
        "SELECT COUNT(t.id) AS places, "
        "COALESCE(SUM(CASE WHEN o.buyer_email = {} THEN 1 ELSE 0 END), 0) AS by_email, "
        "COALESCE(SUM(CASE WHEN o.client_ip_hash <> '' AND o.client_ip_hash = {} THEN 1 ELSE 0 END), 0) "
        "AS by_ip, MIN(o.expires_at) AS next_release "
        'FROM ticketing_order o JOIN ticket t ON t."order" = o.id '
        f"WHERE o.event = {{}} AND o.source = 'public' AND o.status IN ({_STATUSES}) "
        "AND (o.expires_at IS NULL OR o.expires_at > {})",
        email,
        client_ip_hash,
        event_id,
        now,
    )
    row = rows[0] if rows else {}
    release = row.get("next_release")
    if isinstance(release, str):  # SQLite hands MIN() back as text
        release = datetime.fromisoformat(release)
    if release is not None and release.tzinfo is None:
        release = release.replace(tzinfo=UTC)
    return HeldPlaces(
        places=int(row.get("places") or 0),
        by_email=int(row.get("by_email") or 0),
        by_ip=int(row.get("by_ip") or 0),
        next_release=release,
    )


async def check_unpaid_holds(
    event_id: int, capacity: int | None, *, email: str, client_ip_hash: str, places: int
) -> None:
    """Inside the order's write transaction: refuse a new unpaid hold over the limits (HoldLimit)."""
    if is_postgres():
        await Order.raw("SELECT pg_advisory_xact_lock(hashtext({}))", f"holds:{event_id}")
    settings = get_settings()
    held = await held_places(event_id, email=email, client_ip_hash=client_ip_hash)
    if held.by_email + places > settings.hold_max_per_email:
        raise HoldLimit.one(
            "buyer.email",
            _(
                "This address already holds %(held)s unpaid place(s) for this event (at most %(max)s): pay "
                "or cancel those orders first.",
                held=held.by_email,
                max=settings.hold_max_per_email,
            ),
        )
    if client_ip_hash and held.by_ip + places > settings.hold_max_per_ip:
        raise HoldLimit.one(
            "items",
            _(
                "Too many unpaid places are held from your connection for this event (at most %(max)s): "
                "pay or cancel those orders first.",
                max=settings.hold_max_per_ip,
            ),
        )
    if capacity is not None:
        share = capacity * settings.hold_max_share_percent // 100
        if held.places + places > max(share, 1):
            raise HoldLimit.one("items", held_message(held))


def held_message(held: HeldPlaces) -> str:
    """What to tell a buyer when places are taken by orders not paid (or not confirmed) yet."""
    from server.templating import fmt_datetime

    if held.next_release is None:
        return _(
            "%(n)s place(s) are held by orders that are not confirmed yet. Join the waiting list: if they "
            "come back, you are offered one first.",
            n=held.places,
        )
    return _(
        "%(n)s place(s) are held by orders that are not paid or confirmed yet; unpaid ones come back at the "
        "latest on %(when)s. Join the waiting list: you are offered a place as soon as one comes back.",
        n=held.places,
        when=fmt_datetime(held.next_release),
    )


async def throttle_order(client_ip: str | None, recipients: list[str]) -> None:
    """A public order from this IP that will email these addresses: TooManyAttempts over the limits.

    Throttled whatever the register holds, so the answer says nothing about an address."""
    if not client_ip:
        return
    settings = get_settings()
    if await hit_rate_limit(f"order:ip:{client_ip}", settings.order_rate_per_ip_per_hour, HOUR):
        raise TooManyAttempts(_("Too many orders from your connection. Please wait an hour and try again."))
    for address in dict.fromkeys(recipients):
        await throttle_recipient(address)


async def throttle_recipient(address: str) -> None:
    """One more email to this address: TooManyAttempts when it got too many in the last hour."""
    limit = get_settings().mail_rate_per_address_per_hour
    if await hit_rate_limit(f"mail:to:{address}", limit, HOUR):
        raise TooManyAttempts(
            _(
                "Too many emails were sent to %(email)s in the last hour. Please wait and try again.",
                email=address,
            )
        )
