"""piccolo-admin for plain record editing of the events tables, mounted at /admin.

piccolo-admin signs people in against piccolo's BaseUser table, which accounts.services keeps in
sync with admin/staff StaffUsers (username = email). Two adjustments around the piccolo app:
- Its CSRF check is a double-submit of the `csrftoken` cookie, the same cookie name as Litestar's
  CSRF for the rest of the site. When the browser has none yet, we give it a site token (bound to no
  session, accounts.sessions) before piccolo sees the request, so piccolo never sets an unsigned one
  that would break the site's own forms.
- Its login rate limit lives in process memory; we add the shared, database-backed limit (per client
  IP and per account, accounts.services.check_login_rate) in front of POST /admin/public/login/; a
  successful sign-in gives its attempt back.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from litestar.datastructures import Cookie
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from piccolo.apps.user.tables import BaseUser
from piccolo_admin.endpoints import create_admin

from lib.settings import get_settings

LOGIN_PATH = "/public/login/"


def build_admin() -> ASGIApp:
    from events.tables import Event, Room, Session, SessionPerson, Venue
    from members.tables import MembershipYear, Organisation, Person

    settings = get_settings()
    host = urlsplit(settings.base_url).hostname or "127.0.0.1"
    return create_admin(
        tables=[Venue, Room, Organisation, MembershipYear, Person, Event, Session, SessionPerson],
        site_name="LE DAMIER — admin",
        production=settings.secure_cookies,
        allowed_hosts=[host],
        default_language_code="auto",
    )


def _cookies(scope: Scope) -> SimpleCookie:
    jar = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name.lower() == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # malformed cookie header: treat as none
                pass
    return jar


def _username_from_body(body: bytes, content_type: str) -> str:
    try:
        if "json" in content_type:
            data = json.loads(body or b"{}")
            return str(data.get("username") or "") if isinstance(data, dict) else ""
        return (parse_qs(body.decode("utf-8", "replace")).get("username") or [""])[0]
    except Exception:  # unreadable body: piccolo will refuse it anyway
        return ""


async def _respond(
    send: Send,
    status: int,
    body: bytes,
    content_type: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    head = [(b"content-type", content_type), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class AdminMount:
    """The piccolo-admin ASGI app with a shared CSRF cookie and a database-backed login limit."""

    def __init__(self) -> None:
        self._app: ASGIApp | None = None

    @property
    def app(self) -> ASGIApp:
        if self._app is None:
            self._app = build_admin()
        return self._app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (scope.get("raw_path") or b"").split(b"?")[0] == b"/admin":
            # The admin page loads "./assets/...": it must be served at /admin/, not /admin.
            await _respond(send, 308, b"", b"text/plain", [(b"location", b"/admin/")])
            return
        from accounts.sessions import mint_csrf_token

        settings = get_settings()
        jar = _cookies(scope)
        new_token: str | None = None
        attempt: Any = None
        if "csrftoken" not in jar:
            new_token = mint_csrf_token()
            cookie_header = "; ".join([f"{k}={m.value}" for k, m in jar.items()] + [f"csrftoken={new_token}"])
            headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"cookie"]
            scope["headers"] = [*headers, (b"cookie", cookie_header.encode("latin-1"))]

        if scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == LOGIN_PATH.rstrip("/"):
            guarded = await self._guard_login(scope, receive, send)
            if guarded is None:
                return
            receive, attempt = guarded

        async def send_wrapper(message: Message) -> None:
            if attempt is not None and message["type"] == "http.response.start" and message["status"] < 400:
                from accounts.services import login_succeeded

                await login_succeeded(attempt)
            if new_token and message["type"] == "http.response.start":
                cookie = Cookie(
                    key="csrftoken",
                    value=new_token,
                    path="/",
                    secure=settings.secure_cookies,
                    samesite="lax",
                )
                message["headers"] = [
                    *message.get("headers", []),
                    (b"set-cookie", cookie.to_header(header="").encode("latin-1")),
                ]
            await send(message)

        await self.app(scope, receive, send_wrapper)

    async def _guard_login(self, scope: Scope, receive: Receive, send: Send) -> tuple[Receive, Any] | None:
        """Shared login limit and account check: (a receive replaying the body, the attempt counted),
        or None when refused (the answer is sent)."""
        from accounts.services import TooManyAttempts, check_login_rate
        from lib.security import client_ip

        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").decode("latin-1")
        username = _username_from_body(body, content_type)
        try:
            attempt = await check_login_rate(username, client_ip(scope))
        except TooManyAttempts as exc:
            payload = json.dumps({"detail": str(exc)}).encode()
            await _respond(send, 429, payload, b"application/json", [(b"retry-after", b"900")])
            return None
        # piccolo's login endpoint would open a (useless) session for a deactivated or door account.
        allowed = await BaseUser.exists().where(
            (BaseUser.username == username) & BaseUser.active.eq(True) & BaseUser.admin.eq(True)
        )
        if not allowed:
            await _respond(send, 401, b"The username or password is incorrect.", b"text/plain")
            return None
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay, attempt


admin_app: Any = AdminMount()
