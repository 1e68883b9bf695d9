"""Server-side sessions in the database, and CSRF tokens tied to them.

The `session` cookie carries a random key; the web_session row (found by the key's sha256) says who
is signed in. Every web worker shares the table, and deleting a row ends that session at once:
sign-out, "sign out everywhere", a password change and a deactivation all delete rows.

Handlers keep Litestar's session API: `scope["session"]` is a dict (`staff_id`, `role`, `staff_name`,
`staff_email` or `attendee_email`); `begin()` opens a fresh session (a new key: no fixation),
`end()` / `request.clear_session()` closes it.

CSRF stays Litestar's double-submit cookie (same cookie, header and form field), with one more rule:
the token's secret half is an HMAC of the session key, so a token minted for one session (or for no
session) is refused in another. The middleware swaps a stale token for a fresh one on safe requests
and drops it on unsafe ones, so that Litestar's CSRF check refuses them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookies import CookieError, SimpleCookie
from typing import Any

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.csrf import generate_csrf_hash
from litestar.types import ASGIApp, Empty, Message, Receive, Scope, Send

from accounts.tables import StaffUser, WebSession
from lib.settings import get_settings

COOKIE = "session"
CSRF_COOKIE = "csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is refreshed at most this often
STATE_KEY = "web_session"

# Paths that never carry a session: static files, piccolo-admin (its own sessions), the device API
# (bearer tokens).
EXCLUDE = re.compile(r"^/(static/|admin(/|$)|api/devices/)")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# ---- CSRF tokens bound to a session -------------------------------------------------------------
def _binding_mac(nonce: str, binding: str) -> str:
    secret = get_settings().session_secret
    key = hashlib.sha256(f"csrf-binding:{secret}".encode()).digest()
    return hmac.new(key, f"{nonce}|{binding}".encode(), hashlib.sha256).hexdigest()[:32]


def mint_csrf_token(binding: str = "") -> str:
    """A token in Litestar's format (64-hex secret + its HMAC) whose secret is bound to `binding`:
    the session's key hash, or "" for a visitor who is not signed in."""
    nonce = secrets.token_hex(16)
    inner = nonce + _binding_mac(nonce, binding)
    return inner + generate_csrf_hash(token=inner, secret=get_settings().session_secret)


def csrf_token_bound(token: str | None, binding: str) -> bool:
    if not token or len(token) != 128:
        return False
    inner, outer = token[:64], token[64:]
    if not hmac.compare_digest(outer, generate_csrf_hash(token=inner, secret=get_settings().session_secret)):
        return False
    return hmac.compare_digest(inner[32:], _binding_mac(inner[:32], binding))


# ---- the session rows ---------------------------------------------------------------------------
@dataclass
class LoadedSession:
    id: int
    key_hash: str
    staff_id: int | None
    role: str
    staff_name: str
    staff_email: str
    attendee_email: str | None
    last_seen_at: datetime
    staff: StaffUser | None = None  # the active staff account, read with the session

    def as_dict(self) -> dict[str, Any]:
        if self.staff_id is not None:
            return {
                "staff_id": self.staff_id,
                "role": self.role,
                "staff_name": self.staff_name,
                "staff_email": self.staff_email,
            }
        return {"attendee_email": self.attendee_email}


@dataclass
class SessionState:
    """What the middleware knows about this request's session (scope["state"]["web_session"])."""

    loaded: LoadedSession | None
    had_cookie: bool
    new_key: str | None = None  # a session opened by this request: the cookie to send
    new_binding: str | None = None
    ended: bool = False


def _identity(data: Any) -> tuple[int | None, str | None]:
    if not isinstance(data, dict):
        return None, None
    staff_id = data.get("staff_id")
    email = data.get("attendee_email")
    return (int(staff_id) if staff_id else None), (str(email) if email and not staff_id else None)


STAFF_COLUMNS = ("id", "email", "name", "password_hash", "role", "active", "created_at", "last_login_at")
SESSION_SQL = (
    "SELECT s.id, s.key_hash, s.staff_user, s.attendee_email, s.last_seen_at, s.expires_at, "
    + ", ".join(f"u.{name} AS staff_{name}" for name in STAFF_COLUMNS)
    + " FROM web_session s LEFT JOIN staff_user u ON u.id = s.staff_user WHERE s.key_hash = {}"
)


async def load(key: str) -> LoadedSession | None:
    """The live session for this cookie key, or None (unknown, expired, or its staff account disabled).

    One query: the session row with its staff account, so that guards need no second one.
    """
    if not key or len(key) > 200:
        return None
    now = datetime.now(UTC)
    # Raw SQL: this read runs on every request, and building it through Piccolo's query objects cost
    # several times the statement itself (docs/benchmarks.md, "Stands").
    rows = await WebSession.raw(SESSION_SQL, hash_key(key))
    row = rows[0] if rows else None
    if row is None:
        return None
    if row["expires_at"] <= now or (row["staff_user"] is not None and not row["staff_active"]):
        await WebSession.delete().where(WebSession.id == row["id"])
        return None
    if row["staff_user"] is None and not row["attendee_email"]:
        return None
    user = None
    if row["staff_user"] is not None:
        user = StaffUser(_exists_in_db=True, **{name: row[f"staff_{name}"] for name in STAFF_COLUMNS})
    session = LoadedSession(
        id=row["id"],
        key_hash=row["key_hash"],
        staff_id=row["staff_user"],
        role=user.role if user else "",
        staff_name=user.name if user else "",
        staff_email=user.email if user else "",
        attendee_email=row["attendee_email"],
        last_seen_at=row["last_seen_at"],
        staff=user,
    )
    if now - session.last_seen_at > TOUCH_EVERY:
        await WebSession.update({WebSession.last_seen_at: now}).where(WebSession.id == session.id)
    return session


async def create(staff_id: int | None, attendee_email: str | None, user_agent: str = "") -> str:
    """Store a new session and return its cookie key (the only place the clear key exists)."""
    now = datetime.now(UTC)
    key = secrets.token_urlsafe(32)
    # Sessions past their end have no use left: each sign-in sweeps them.
    await WebSession.delete().where(WebSession.expires_at < now)
    await WebSession.insert(
        WebSession(
            key_hash=hash_key(key),
            staff_user=staff_id,
            attendee_email=None if staff_id else attendee_email,
            user_agent=(user_agent or "")[:200],
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=get_settings().session_hours),
        )
    )
    return key


async def revoke_staff_sessions(staff_id: int, keep_key_hash: str | None = None) -> int:
    """End every session of this staff account (but `keep_key_hash`); also its piccolo-admin sessions."""
    query = WebSession.delete().where(WebSession.staff_user == staff_id)
    if keep_key_hash:
        query = query.where(WebSession.key_hash != keep_key_hash)
    ended = await query.returning(WebSession.id)
    user = await StaffUser.select(StaffUser.email).where(StaffUser.id == staff_id).first()
    if user is not None:
        from piccolo.apps.user.tables import BaseUser
        from piccolo_api.session_auth.tables import SessionsBase

        admin = await BaseUser.select(BaseUser.id).where(BaseUser.username == user["email"]).first()
        if admin is not None:
            await SessionsBase.delete().where(SessionsBase.user_id == admin["id"])
    return len(ended)


async def revoke_attendee_sessions(email: str, keep_key_hash: str | None = None) -> int:
    query = WebSession.delete().where(WebSession.attendee_email == email.strip().lower())
    if keep_key_hash:
        query = query.where(WebSession.key_hash != keep_key_hash)
    return len(await query.returning(WebSession.id))


async def count_sessions(staff_id: int | None = None, attendee_email: str | None = None) -> int:
    now = datetime.now(UTC)
    if staff_id is not None:
        where = WebSession.staff_user == staff_id
    elif attendee_email:
        where = WebSession.attendee_email == attendee_email
    else:
        return 0
    return await WebSession.count().where(where & (WebSession.expires_at > now))


# ---- what handlers call -------------------------------------------------------------------------
def state_of(connection_or_scope: Any) -> SessionState | None:
    scope = getattr(connection_or_scope, "scope", connection_or_scope)
    return scope.get("state", {}).get(STATE_KEY)


def current_key_hash(connection: Any) -> str | None:
    state = state_of(connection)
    if state is None:
        return None
    if state.new_binding:
        return state.new_binding
    return state.loaded.key_hash if state.loaded and not state.ended else None


def _user_agent(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"user-agent":
            return value.decode("latin-1")[:200]
    return ""


async def begin(
    connection: Any, *, staff: StaffUser | None = None, attendee_email: str | None = None
) -> None:
    """Sign this browser in: the old session (if any) ends and a new one, with a new key, starts."""
    scope = connection.scope
    state = state_of(scope)
    if state is None:
        raise RuntimeError("the session middleware is not installed on this route")
    if state.loaded is not None:
        await WebSession.delete().where(WebSession.id == state.loaded.id)
    key = await create(staff.id if staff else None, attendee_email, _user_agent(scope))
    state.new_key, state.new_binding, state.ended = key, hash_key(key), False
    if staff is not None:
        scope["session"] = {
            "staff_id": staff.id,
            "role": staff.role,
            "staff_name": staff.name,
            "staff_email": staff.email,
        }
    else:
        scope["session"] = {"attendee_email": attendee_email}
    scope.get("state", {}).pop("staff_user", None)  # current_staff's per-request cache


async def end(connection: Any) -> None:
    """Sign this browser out: its session row is deleted now, the cookie cleared in the response."""
    scope = connection.scope
    state = state_of(scope)
    if state is not None:
        if state.loaded is not None:
            await WebSession.delete().where(WebSession.id == state.loaded.id)
        if state.new_binding:
            await WebSession.delete().where(WebSession.key_hash == state.new_binding)
        state.loaded, state.new_key, state.new_binding, state.ended = None, None, None, True
    scope["session"] = Empty
    scope.get("state", {}).pop("staff_user", None)


# ---- the middleware -----------------------------------------------------------------------------
def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:  # a malformed header: read what can be read
                for part in value.decode("latin-1").split(";"):
                    k, sep, v = part.strip().partition("=")
                    if sep and k and k not in jar:
                        try:
                            jar[k] = v
                        except CookieError:
                            pass
    return {k: m.value for k, m in jar.items()}


def _replace_csrf_cookie(scope: Scope, cookies: dict[str, str], token: str | None) -> None:
    """Rewrite the request's Cookie header with this CSRF token (or none) before Litestar reads it."""
    values = {k: v for k, v in cookies.items() if k != CSRF_COOKIE}
    if token:
        values[CSRF_COOKIE] = token
    headers = [(k, v) for k, v in scope.get("headers", []) if k != b"cookie"]
    if values:
        header = "; ".join(f"{k}={v}" for k, v in values.items())
        headers.append((b"cookie", header.encode("latin-1")))
    scope["headers"] = headers


def _set_cookie(
    message: Message, key: str, value: str, *, max_age: int | None, httponly: bool, secure: bool
) -> None:
    cookie = Cookie(
        key=key,
        value=value,
        path="/",
        max_age=max_age,
        expires=0 if max_age == 0 else None,
        secure=secure,
        httponly=httponly,
        samesite="lax",
    )
    MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))


class SessionMiddleware:
    """Loads the session before the handler; after it, stores a new one or ends the old one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        settings = get_settings()  # read when the app is built, like Litestar's own cookie settings
        self.secure = settings.secure_cookies
        self.max_age = settings.session_hours * 3600

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or EXCLUDE.match(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        key = cookies.get(COOKIE, "")
        loaded = await load(key) if key else None
        state = SessionState(loaded=loaded, had_cookie=bool(key))
        scope.setdefault("state", {})[STATE_KEY] = state
        scope["session"] = loaded.as_dict() if loaded else {}
        if loaded is not None and loaded.staff is not None:
            scope["state"]["staff_user"] = loaded.staff  # accounts.guards.current_staff's cache
        loaded_identity = _identity(scope["session"])

        binding = loaded.key_hash if loaded else ""
        csrf_cookie = cookies.get(CSRF_COOKIE)
        fresh_csrf: str | None = None
        if not csrf_token_bound(csrf_cookie, binding):
            if scope.get("method") in SAFE_METHODS:
                fresh_csrf = mint_csrf_token(binding)
                _replace_csrf_cookie(scope, cookies, fresh_csrf)
            elif csrf_cookie is not None:
                _replace_csrf_cookie(scope, cookies, None)  # Litestar's CSRF check now refuses it

        async def send_wrapper(message: Message) -> None:
            nonlocal fresh_csrf
            if message["type"] == "http.response.start":
                await self._finish(scope, state, loaded_identity, message)
                new_binding = self._changed_binding(state)
                if new_binding is not None:
                    fresh_csrf = mint_csrf_token(new_binding)
                if fresh_csrf:
                    _set_cookie(
                        message, CSRF_COOKIE, fresh_csrf, max_age=None, httponly=False, secure=self.secure
                    )
            await send(message)

        await self.app(scope, receive, send_wrapper)

    @staticmethod
    def _changed_binding(state: SessionState) -> str | None:
        """The CSRF binding to issue a token for when this response changed the session."""
        if state.new_binding:
            return state.new_binding
        if state.ended:
            return ""
        return None

    async def _finish(
        self,
        scope: Scope,
        state: SessionState,
        loaded_identity: tuple[int | None, str | None],
        message: Message,
    ) -> None:
        max_age = self.max_age
        final = scope.get("session")
        if state.new_key:
            _set_cookie(message, COOKIE, state.new_key, max_age=max_age, httponly=True, secure=self.secure)
            return
        identity = _identity(final)
        if final is Empty or identity == (None, None):
            # Signed out here (request.clear_session(), end()) or never signed in.
            if state.loaded is not None:
                await WebSession.delete().where(WebSession.id == state.loaded.id)
                state.loaded, state.ended = None, True
            if state.had_cookie:
                _set_cookie(message, COOKIE, "", max_age=0, httponly=True, secure=self.secure)
            return
        if identity != loaded_identity:
            # A handler set another identity with request.set_session(): a new session, a new key.
            if state.loaded is not None:
                await WebSession.delete().where(WebSession.id == state.loaded.id)
            key = await create(identity[0], identity[1], _user_agent(scope))
            state.new_key, state.new_binding = key, hash_key(key)
            _set_cookie(message, COOKIE, key, max_age=max_age, httponly=True, secure=self.secure)
