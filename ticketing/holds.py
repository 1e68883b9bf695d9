"""Unpaid holds: how many places orders that are not paid (or not yet proven) may keep, and who may
send how many emails.

Orders that hold places without being confirmed (reserved, awaiting_member, pending_payment) are
limited per event: per buyer email, per client IP (stored as a keyed hash on the order) and as a share
of the event's capacity, so a few anonymous orders can no longer sell an event out. The counts are
taken inside the order's transaction under a per-event named lock (lib.locking: an advisory lock on PostgreSQL, BEGIN
IMMEDIATE on SQLite), so parallel requests cannot all pass the same check.

Emails an order causes are throttled per recipient and orders per source IP through the shared
rate-limit table (lib.tables.RateLimitHit, as the sign-in limits).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from piccolo.query.methods.select import Count

from accounts.services import TooManyAttempts
from lib.db import is_postgres, write_transaction
from lib.errors import ValidationFailed
from lib.i18n import _
from lib.locking import lock
from lib.settings import get_settings
from lib.tables import RateLimitHit
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
    await lock("holds", event_id)
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
    if capacity is not None and settings.hold_max_share_percent < 100:  # at 100 % the capacity decides
        share = capacity * settings.hold_max_share_percent // 100
        if held.places + places > max(share, 1):
            raise HoldLimit.one("items", held_message(held))


def held_message(held: HeldPlaces) -> str:
    """What to tell a buyer when places are taken by orders not paid (or not confirmed) yet."""
    from lib.templating import fmt_datetime

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


async def _over_limit(limits: dict[str, int]) -> str | None:
    """Record one hit for each key (RateLimitHit, shared by every web worker); the first key over its
    limit in the last hour, or None. Over a limit, nothing is recorded.

    One short transaction and no lock: unlike sign-in attempts (accounts.services.hit_rate_limit), a
    few parallel requests slipping past an email or order throttle do no harm, and a lock per source
    would queue every buyer behind one office's or one proxy's address during a ticket rush."""
    now = datetime.now(UTC)
    since = now - timedelta(seconds=HOUR)
    keys = sorted({key[:200]: limit for key, limit in limits.items()}.items())
    if is_postgres():
        return await _over_limit_postgres(keys, now, since)
    over: str | None = None
    try:
        async with write_transaction():
            await RateLimitHit.insert(*[RateLimitHit(key=key, at=now) for key, _limit in keys])
            rows = (
                await RateLimitHit.select(RateLimitHit.key, Count(RateLimitHit.id, alias="n"))
                .where(RateLimitHit.key.is_in([key for key, _limit in keys]) & (RateLimitHit.at >= since))
                .group_by(RateLimitHit.key)
            )
            counts = {r["key"]: r["n"] for r in rows}
            over = next((key for key, limit in keys if counts.get(key, 0) > limit), None)
            if over is not None:
                raise _Over()
            await RateLimitHit.delete().where(
                RateLimitHit.key.is_in([key for key, _limit in keys]) & (RateLimitHit.at < since)
            )
    except _Over:
        pass
    return over


def throttle_statement(names: list[str], now: datetime, since: datetime) -> tuple[str, list[object]]:
    """The PostgreSQL statement of _over_limit_postgres and its arguments. The keys are listed one
    placeholder each: with `key = ANY(array)`, PostgreSQL's generic plan (a pooled connection's
    prepared statement after five runs) scanned the whole table (tests/ticketing/test_hot_plans.py)."""
    hits = ", ".join("({}, {})" for _name in names)
    keys = ", ".join("{}" for _name in names)
    args: list[object] = []
    for name in names:
        args += [name, now]
    sql = (
        f"WITH ins AS (INSERT INTO rate_limit_hit (key, at) VALUES {hits} RETURNING id), "
        f"old AS (DELETE FROM rate_limit_hit WHERE key IN ({keys}) AND at < {{}} RETURNING id) "
        f"SELECT key, count(*) AS n FROM rate_limit_hit WHERE key IN ({keys}) AND at >= {{}} GROUP BY key"
    )
    return sql, [*args, *names, since, *names, since]


async def _over_limit_postgres(keys: list[tuple[str, int]], now: datetime, since: datetime) -> str | None:
    """The same in one statement (one round trip in a ticket rush): record the hits, drop the keys'
    rows older than the window, count what was there before; a key over its limit takes its hits back."""
    names = [key for key, _limit in keys]
    sql, args = throttle_statement(names, now, since)
    rows = await RateLimitHit.raw(sql, *args)
    counts = {r["key"]: r["n"] + 1 for r in rows}  # the statement does not see its own inserts
    over = next((key for key, limit in keys if counts.get(key, 1) > limit), None)
    if over is not None:
        await RateLimitHit.delete().where(RateLimitHit.key.is_in(names) & (RateLimitHit.at == now))
    return over


class _Over(Exception):
    """Rolls the hits back when a key is over its limit."""


async def throttle_order(client_ip: str | None, recipients: list[str]) -> None:
    """A public order from this IP that will email these addresses: TooManyAttempts over the limits.

    Throttled whatever the register holds, so the answer says nothing about an address."""
    if not client_ip:
        return
    settings = get_settings()
    limits = {f"order:ip:{client_ip}": settings.order_rate_per_ip_per_hour}
    for address in recipients:
        limits[f"mail:to:{address}"] = settings.mail_rate_per_address_per_hour
    over = await _over_limit(limits)
    if over is None:
        return
    if over.startswith("order:ip:"):
        raise TooManyAttempts(_("Too many orders from your connection. Please wait an hour and try again."))
    raise_too_many_emails(over.removeprefix("mail:to:"))


async def throttle_recipient(address: str) -> None:
    """One more email to this address: TooManyAttempts when it got too many in the last hour."""
    key = f"mail:to:{address}"
    if await _over_limit({key: get_settings().mail_rate_per_address_per_hour}):
        raise_too_many_emails(address)


def raise_too_many_emails(address: str) -> None:
    raise TooManyAttempts(
        _(
            "Too many emails were sent to %(email)s in the last hour. Please wait and try again.",
            email=address,
        )
    )
