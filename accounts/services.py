"""Accounts: staff users (argon2 passwords, roles), one-time sign-in links, shared rate limits.

Staff sign in with a password; attendees and participants prove their email with a one-time link.
piccolo-admin authenticates against piccolo's BaseUser table, so every change to an admin/staff
StaffUser is mirrored there (username = email; door users get no admin access).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import anyio
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from piccolo.apps.user.tables import BaseUser

from accounts.tables import ROLES, LoginLink, StaffUser
from lib.db import is_unique_violation, write_transaction
from lib.errors import DomainError, ValidationFailed
from lib.i18n import _, get_locale
from lib.locking import key as lock_key
from lib.locking import lock, lock_keys
from lib.settings import get_settings
from lib.tables import RateLimitHit
from lib.tokens import hash_token, normalize_email

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128  # piccolo's BaseUser refuses longer passwords
EMAIL_RE = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
ADMIN_SITE_ROLES = ("admin", "staff")  # roles that may use piccolo-admin at /admin


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's default parameters (RFC 9106 low-memory profile).

    PASSWORD_HASH_PROFILE=cheapest, for the test suite only, takes the cheapest argon2 parameters and few
    PBKDF2 rounds for piccolo-admin's mirror (as pretix tests with the MD5 hasher): same code path, a
    fraction of the CPU. The parameters are stored in each hash, so verification never depends on them.
    """
    if get_settings().password_hash_profile == "cheapest":
        BaseUser._pbkdf2_iteration_count = 1_000
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not a real password, only for timing")


class TooManyAttempts(DomainError):
    """Rate limit exceeded (HTTP 429); the message is already translated."""

    status_code = 429


class LinkInvalid(DomainError):
    """An unknown, expired or already used sign-in link (HTTP 400)."""

    status_code = 400


@dataclass(frozen=True)
class IssuedLink:
    """A freshly created sign-in link (the clear token exists only here and in the email)."""

    email: str
    token: str
    url: str
    expires_at: datetime


def _valid_email(email: str) -> bool:
    return len(email) <= 254 and bool(EMAIL_RE.match(email))


def _password_errors(password: str | None) -> dict[str, str]:
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return {
            "password": _("The password must be at least %(min)s characters long.", min=MIN_PASSWORD_LENGTH)
        }
    if len(password) > MAX_PASSWORD_LENGTH:
        return {
            "password": _("The password must be at most %(max)s characters long.", max=MAX_PASSWORD_LENGTH)
        }
    return {}


def _role_errors(role: str | None) -> dict[str, str]:
    if role not in ROLES:
        return {"role": _("The role must be one of: admin, staff, door.")}
    return {}


async def _hash(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher().hash, password)


async def _admin_hash(password: str) -> str:
    _hasher()  # sets piccolo's PBKDF2 rounds for the profile
    return await anyio.to_thread.run_sync(BaseUser.hash_password, password)


# ---- piccolo-admin mirror ------------------------------------------------------------------------
async def _sync_admin_user(user: StaffUser, password_hash: str | None = None) -> None:
    """Mirror a StaffUser into piccolo's BaseUser (call inside the caller's transaction).

    password_hash: a BaseUser (pbkdf2) hash when the password changed; otherwise it is kept.
    """
    allowed = user.active and user.role in ADMIN_SITE_ROLES
    flags = {
        BaseUser.active: allowed,
        BaseUser.admin: allowed,
        BaseUser.superuser: allowed and user.role == "admin",
        BaseUser.email: user.email,
        BaseUser.first_name: user.name[:255],
    }
    existing = await BaseUser.select(BaseUser.id).where(BaseUser.username == user.email).first()
    if existing is None:
        if password_hash is None:
            # No known password (a door user promoted later): an unusable random one until it is set.
            password_hash = await _admin_hash(secrets.token_urlsafe(32))
        await BaseUser.insert(
            BaseUser(
                username=user.email,
                password=password_hash,
                email=user.email,
                first_name=user.name[:255],
                active=allowed,
                admin=allowed,
                superuser=allowed and user.role == "admin",
            )
        )
        return
    values = dict(flags)
    if password_hash is not None:
        values[BaseUser.password] = password_hash
    await BaseUser.update(values).where(BaseUser.id == existing["id"])
    if not allowed:
        # Signed-in piccolo-admin sessions of this user end now.
        from piccolo_api.session_auth.tables import SessionsBase

        await SessionsBase.delete().where(SessionsBase.user_id == existing["id"])


# ---- staff users ---------------------------------------------------------------------------------
async def create_staff_user(*, email: str, name: str, password: str, role: str = "staff") -> StaffUser:
    """Create a staff account. Raises ValidationFailed naming the bad field(s); writes nothing then."""
    email = normalize_email(email)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not _valid_email(email):
        errors["email"] = _("Enter a valid email address.")
    if not name:
        errors["name"] = _("The name is required.")
    elif len(name) > 200:
        errors["name"] = _("The name must be at most 200 characters long.")
    errors.update(_password_errors(password))
    errors.update(_role_errors(role))
    if "email" not in errors and await StaffUser.exists().where(StaffUser.email == email):
        errors["email"] = _("A staff account with this email already exists.")
    if errors:
        raise ValidationFailed(errors)
    password_hash = await _hash(password)
    admin_hash = await _admin_hash(password) if role in ADMIN_SITE_ROLES else None
    taken = ValidationFailed({"email": _("A staff account with this email already exists.")})
    try:
        async with write_transaction():
            if await StaffUser.exists().where(StaffUser.email == email):
                raise taken
            user = StaffUser(email=email, name=name, password_hash=password_hash, role=role, active=True)
            await user.save()
            await _sync_admin_user(user, admin_hash)
    except Exception as exc:
        # Two creations of one email at once on PostgreSQL: the unique index refuses the second.
        if isinstance(exc, ValidationFailed) or not is_unique_violation(exc):
            raise
        raise taken from exc
    return user


async def get_staff_user(user_id: int) -> StaffUser | None:
    return await StaffUser.objects().where(StaffUser.id == user_id).first()


async def list_staff_users() -> list[StaffUser]:
    return await StaffUser.objects().order_by(StaffUser.active, ascending=False).order_by(StaffUser.email)


async def authenticate_staff(email: str, password: str) -> StaffUser | None:
    """The active staff user with this email and password, or None.

    Takes about the same time whether or not the email exists (a dummy hash is verified).
    Rehashes the password when the argon2 parameters changed; records last_login_at.
    """
    email = normalize_email(email)
    password = password or ""
    user = None
    if email and len(email) <= 254 and len(password) <= 1024:
        user = await StaffUser.objects().where(StaffUser.email == email).first()
    stored = user.password_hash if user is not None else _dummy_hash()

    def verify() -> bool:
        try:
            return _hasher().verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    ok = await anyio.to_thread.run_sync(verify)
    if user is None or not ok or not user.active:
        return None
    values: dict = {StaffUser.last_login_at: datetime.now(UTC)}
    if _hasher().check_needs_rehash(stored):
        values[StaffUser.password_hash] = await _hash(password)
    await StaffUser.update(values).where(StaffUser.id == user.id)
    user.last_login_at = values[StaffUser.last_login_at]
    if StaffUser.password_hash in values:
        user.password_hash = values[StaffUser.password_hash]
    return user


async def _require_user(user_id: int) -> StaffUser:
    user = await get_staff_user(user_id)
    if user is None:
        raise ValidationFailed({"user": _("This staff account does not exist.")})
    return user


async def _would_leave_no_admin(user: StaffUser) -> bool:
    if user.role != "admin" or not user.active:
        return False
    others = await StaffUser.count().where(
        (StaffUser.role == "admin") & (StaffUser.active.eq(True)) & (StaffUser.id != user.id)
    )
    return others == 0


async def set_password(user_id: int, password: str, keep_session: str | None = None) -> StaffUser:
    """Change a password; every session of the account ends (here and in piccolo-admin), except
    `keep_session` (the key hash of the browser of a user changing their own password)."""
    from accounts.sessions import revoke_staff_sessions

    errors = _password_errors(password)
    if errors:
        raise ValidationFailed(errors)
    user = await _require_user(user_id)
    password_hash = await _hash(password)
    admin_hash = await _admin_hash(password) if user.role in ADMIN_SITE_ROLES else None
    async with write_transaction():
        await StaffUser.update({StaffUser.password_hash: password_hash}).where(StaffUser.id == user.id)
        user.password_hash = password_hash
        await _sync_admin_user(user, admin_hash)
        await revoke_staff_sessions(user.id, keep_key_hash=keep_session)
    return user


async def set_role(user_id: int, role: str) -> StaffUser:
    errors = _role_errors(role)
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        user = await _require_user(user_id)
        if role != "admin" and await _would_leave_no_admin(user):
            raise ValidationFailed({"role": _("The last active admin cannot lose the admin role.")})
        await StaffUser.update({StaffUser.role: role}).where(StaffUser.id == user.id)
        user.role = role
        await _sync_admin_user(user)
    return user


async def deactivate(user_id: int) -> StaffUser:
    """Disable an account: it can no longer sign in, here or in piccolo-admin; its sessions end."""
    from accounts.sessions import revoke_staff_sessions

    async with write_transaction():
        user = await _require_user(user_id)
        if await _would_leave_no_admin(user):
            raise ValidationFailed({"user": _("The last active admin cannot be deactivated.")})
        await StaffUser.update({StaffUser.active: False}).where(StaffUser.id == user.id)
        user.active = False
        await _sync_admin_user(user)
        await revoke_staff_sessions(user.id)
    return user


async def reactivate(user_id: int) -> StaffUser:
    async with write_transaction():
        user = await _require_user(user_id)
        await StaffUser.update({StaffUser.active: True}).where(StaffUser.id == user.id)
        user.active = True
        await _sync_admin_user(user)
    return user


def staff_public(user: StaffUser) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "active": user.active,
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
    }


# ---- rate limiting (shared by every web worker through the database) ----------------------------
async def hit_rate_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Record one attempt for key; True when the key is over its limit (the attempt is then not counted).

    Rows older than the window are pruned. A named lock on the key (lib.locking) serialises concurrent
    attempts.
    """
    key = key[:200]
    now = datetime.now(UTC)
    since = now - timedelta(seconds=window_seconds)
    async with write_transaction():
        await lock("rate", key)
        await RateLimitHit.delete().where((RateLimitHit.key == key) & (RateLimitHit.at < since))
        # Keys never seen again (one-off IPs, mistyped emails) go once they are a day old.
        stale = now - timedelta(seconds=max(window_seconds, 86400))
        await RateLimitHit.delete().where(RateLimitHit.at < stale)
        count = await RateLimitHit.count().where((RateLimitHit.key == key) & (RateLimitHit.at >= since))
        if count >= limit:
            return True
        await RateLimitHit.insert(RateLimitHit(key=key, at=now))
    return False


LOGIN_WINDOW_SECONDS = 15 * 60


class AccountLocked(TooManyAttempts):
    """Too many failed sign-ins on this account from all sources: password sign-in waits, but the
    owner can get in through a one-time link emailed to the account's address."""


@dataclass(frozen=True)
class LoginAttempt:
    """The rate-limit hits one sign-in attempt recorded; a successful sign-in takes them back."""

    email: str
    client_ip: str
    hit_ids: tuple[int, ...]


async def hit_rate_limits(limits: list[tuple[str, int]], window_seconds: int) -> tuple[str | None, list[int]]:
    """Record one attempt against every key at once: (the first key already at its limit, []) and nothing
    recorded, or (None, the ids of the hits recorded). Same locking as hit_rate_limit."""
    now = datetime.now(UTC)
    since = now - timedelta(seconds=window_seconds)
    keys = [(key[:200], limit) for key, limit in limits]
    async with write_transaction():
        await lock_keys(*(lock_key("rate", k) for k, _limit in keys))  # sorted: no deadlock
        stale = now - timedelta(seconds=max(window_seconds, 86400))
        await RateLimitHit.delete().where(RateLimitHit.at < stale)
        for key, limit in keys:
            count = await RateLimitHit.count().where((RateLimitHit.key == key) & (RateLimitHit.at >= since))
            if count >= limit:
                return key, []
        rows = await RateLimitHit.insert(*(RateLimitHit(key=key, at=now) for key, _limit in keys)).returning(
            RateLimitHit.id
        )
    return None, [r["id"] for r in rows]


def _login_keys(email: str, client_ip: str) -> tuple[str, str]:
    return f"login:ip:{client_ip}", f"login:email:{email}"


async def check_login_rate(email: str, client_ip: str) -> LoginAttempt:
    """Count a staff sign-in attempt against its source and its account.

    Per source (client IP, all accounts): LOGIN_RATE_PER_15MIN, so one address cannot go on guessing.
    Per account (all sources): LOGIN_ACCOUNT_LOCK_15MIN, higher, so that an attacker at one address
    cannot lock the real user out from another; past it, AccountLocked (the owner may ask for a link).
    A successful sign-in gives its hits back (login_succeeded).
    """
    settings = get_settings()
    email = normalize_email(email)[:254]
    ip_key, email_key = _login_keys(email, client_ip)
    limits = [(ip_key, settings.login_rate_per_15min)]
    if email:
        limits.append((email_key, settings.login_account_lock_15min))
    over, ids = await hit_rate_limits(limits, LOGIN_WINDOW_SECONDS)
    if over == email_key:
        raise AccountLocked(
            _(
                "Too many failed sign-ins on this account. Wait 15 minutes, or get a one-time sign-in "
                "link sent to the account's email address."
            )
        )
    if over is not None:
        raise TooManyAttempts(_("Too many sign-in attempts. Please wait 15 minutes and try again."))
    return LoginAttempt(email=email, client_ip=client_ip, hit_ids=tuple(ids))


async def login_succeeded(attempt: LoginAttempt) -> None:
    """The password was right: this attempt does not count against the source or the account."""
    if attempt.hit_ids:
        await RateLimitHit.delete().where(RateLimitHit.id.is_in(list(attempt.hit_ids)))


async def account_locked(email: str) -> bool:
    """True while password sign-in to this account is locked by failed attempts from all sources."""
    email = normalize_email(email)[:254]
    since = datetime.now(UTC) - timedelta(seconds=LOGIN_WINDOW_SECONDS)
    _ip_key, email_key = _login_keys(email, "")
    count = await RateLimitHit.count().where((RateLimitHit.key == email_key) & (RateLimitHit.at >= since))
    return bool(email) and count >= get_settings().login_account_lock_15min


async def check_link_rate(email: str, client_ip: str) -> None:
    """Count a sign-in link request against its email and client IP; TooManyAttempts over the limit."""
    limit = get_settings().login_rate_per_15min
    email = normalize_email(email)[:254]
    over_ip = await hit_rate_limit(f"link:ip:{client_ip}", limit, LOGIN_WINDOW_SECONDS)
    over_email = await hit_rate_limit(f"link:email:{email}", limit, LOGIN_WINDOW_SECONDS) if email else False
    if over_ip or over_email:
        raise TooManyAttempts(_("Too many sign-in link requests. Please wait 15 minutes and try again."))


# ---- one-time sign-in links ----------------------------------------------------------------------
def safe_next(url: str | None, default: str = "/") -> str:
    """A local path to go to after signing in; anything else (other sites, //host, schemes) -> default."""
    if not url or len(url) > 500 or not url.startswith("/") or url.startswith(("//", "/\\")):
        return default
    if any(c in url for c in "\r\n\t\\"):
        return default
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return default
    return url


def link_email(url: str, minutes: int) -> tuple[str, str, str]:
    """Subject, text and HTML of the sign-in email, in the current language."""
    from html import escape

    subject = _("Your sign-in link for LE DAMIER events")
    intro = _("Hello,")
    body = _(
        "Use this link to sign in to LE DAMIER events. It works once and expires in %(minutes)s minutes:"
    )
    ignore = _("If you did not ask for it, ignore this email: nobody can sign in without the link.")
    button = _("Sign in")
    text = f"{intro}\n\n{body % {'minutes': minutes}}\n\n{url}\n\n{ignore}\n\n-- \nLE DAMIER\n"
    html = (
        f"<p>{escape(intro)}</p><p>{escape(body % {'minutes': minutes})}</p>"
        f'<p><a href="{escape(url)}">{escape(button)}</a></p>'
        f"<p>{escape(url)}</p><p>{escape(ignore)}</p><p>LE DAMIER</p>"
    )
    return subject, text, html


async def issue_link(
    email: str,
    next_url: str | None,
    locale: str,
    mail: tuple[str, str, str] | None,
    url: str,
    token: str,
    staff_user: int | None = None,
) -> IssuedLink:
    """Store a link's hash and queue the email carrying it, in one transaction (sent after commit)."""
    from lib.jobs import atomic
    from lib.mail import queue_email

    expires_at = datetime.now(UTC) + timedelta(minutes=get_settings().login_link_minutes)
    assert mail is not None
    subject, text, html = mail
    async with atomic():
        # Links that expired a week ago have no use left (not even explaining "expired"): drop them.
        await LoginLink.delete().where(LoginLink.expires_at < datetime.now(UTC) - timedelta(days=7))
        await LoginLink.insert(
            LoginLink(
                token_hash=hash_token(token),
                email=email,
                next_url=safe_next(next_url),
                locale=locale,
                expires_at=expires_at,
                staff_user=staff_user,
            )
        )
        await queue_email(email, subject, text, html)
    return IssuedLink(email=email, token=token, url=url, expires_at=expires_at)


async def request_login_link(
    email: str, next_url: str | None = None, locale: str | None = None
) -> IssuedLink:
    """Create a one-time link for this email and queue the email carrying it (after commit).

    Only the sha256 of the token is stored. Any valid address gets a link (attendees have no account),
    so the answer never reveals whether an address is known.
    """
    email = normalize_email(email)
    if not _valid_email(email):
        raise ValidationFailed({"email": _("Enter a valid email address.")})
    settings = get_settings()
    locale = locale or get_locale()
    token = secrets.token_urlsafe(32)
    url = f"{settings.base_url}/auth/link/{token}"
    return await issue_link(email, next_url, locale, link_email(url, settings.login_link_minutes), url, token)


def staff_link_email(url: str, minutes: int) -> tuple[str, str, str]:
    """Subject, text and HTML of the email that lets a locked staff account in."""
    from html import escape

    subject = _("Your LE DAMIER staff account is locked: sign in with this link")
    intro = _("Hello,")
    body = _(
        "Password sign-in to your staff account is paused after too many failed attempts. This link signs "
        "you in once, without the password, and expires in %(minutes)s minutes:"
    )
    warning = _(
        "If you did not try to sign in, someone is guessing your password: tell the administrator, "
        "and change your password once signed in."
    )
    button = _("Sign in")
    text = f"{intro}\n\n{body % {'minutes': minutes}}\n\n{url}\n\n{warning}\n\n-- \nLE DAMIER\n"
    html = (
        f"<p>{escape(intro)}</p><p>{escape(body % {'minutes': minutes})}</p>"
        f'<p><a href="{escape(url)}">{escape(button)}</a></p>'
        f"<p>{escape(url)}</p><p>{escape(warning)}</p><p>LE DAMIER</p>"
    )
    return subject, text, html


async def request_staff_link(email: str, locale: str | None = None) -> IssuedLink | None:
    """Email a one-time staff sign-in link, only to an active account whose password sign-in is locked.

    Returns None (and sends nothing) otherwise; callers answer the same way in both cases, so the reply
    tells nobody whether an account exists.
    """
    email = normalize_email(email)
    if not _valid_email(email):
        raise ValidationFailed({"email": _("Enter a valid email address.")})
    user = await StaffUser.objects().where((StaffUser.email == email) & StaffUser.active.eq(True)).first()
    if user is None or not await account_locked(email):
        return None
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    url = f"{settings.base_url}/auth/link/{token}"
    home = "/door" if user.role == "door" else "/staff"
    mail = staff_link_email(url, settings.login_link_minutes)
    return await issue_link(email, home, locale or get_locale(), mail, url, token, staff_user=user.id)


async def peek_login_link(token: str) -> LoginLink | None:
    """The link for this token without consuming it (for the confirmation page)."""
    if not token or len(token) > 200:
        return None
    return await LoginLink.objects().where(LoginLink.token_hash == hash_token(token)).first()


def _link_problem(link: LoginLink | None, now: datetime) -> str | None:
    if link is None:
        return _("This sign-in link is not valid. Ask for a new one.")
    if link.used_at is not None:
        return _("This sign-in link has already been used. Ask for a new one.")
    if link.expires_at <= now:
        return _("This sign-in link has expired. Ask for a new one.")
    return None


async def check_login_link(token: str) -> LoginLink:
    """The still usable link for this token; LinkInvalid (HTTP 400, clear message) otherwise."""
    link = await peek_login_link(token)
    problem = _link_problem(link, datetime.now(UTC))
    if problem:
        raise LinkInvalid(problem)
    assert link is not None
    return link


async def consume_login_link(token: str) -> LoginLink:
    """Use the link once: one conditional UPDATE, so two clicks at once cannot both sign in."""
    now = datetime.now(UTC)
    rows = []
    if token and len(token) <= 200:
        rows = (
            await LoginLink.update({LoginLink.used_at: now})
            .where(
                (LoginLink.token_hash == hash_token(token))
                & LoginLink.used_at.is_null()
                & (LoginLink.expires_at > now)
            )
            .returning(LoginLink.id)
        )
    if not rows:
        link = await peek_login_link(token)
        raise LinkInvalid(_link_problem(link, now) or _("This sign-in link is not valid. Ask for a new one."))
    link = await LoginLink.objects().where(LoginLink.id == rows[0]["id"]).first()
    assert link is not None
    return link
