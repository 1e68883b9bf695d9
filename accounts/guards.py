"""Who is signed in, and route guards by role.

Session contract (server-side sessions, accounts.sessions; the cookie carries only a random key):
- staff:    session["staff_id"] = StaffUser.id, session["role"] = "admin" | "staff" | "door",
            session["staff_name"], session["staff_email"]
- attendee: session["attendee_email"] = the email proven by a one-time link
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import MediaType, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect

from accounts.tables import StaffUser

STAFF_ROLES = ("admin", "staff")


async def current_staff(connection: ASGIConnection[Any, Any, Any, Any]) -> StaffUser | None:
    """The signed-in, still active staff user, or None."""
    cached = connection.scope.get("state", {}).get("staff_user")
    if cached is not None:
        return cached
    session = connection.scope.get("session") or {}
    staff_id = session.get("staff_id")
    if not staff_id:
        return None
    user = await StaffUser.objects().where((StaffUser.id == staff_id) & (StaffUser.active.eq(True))).first()
    if user is not None:
        connection.scope.setdefault("state", {})["staff_user"] = user
    return user


def attendee_email(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    session = connection.scope.get("session") or {}
    return session.get("attendee_email")


@dataclass(frozen=True)
class Identity:
    """Who the page is shown to, for the layouts' account menu."""

    kind: str  # "staff" | "attendee"
    label: str  # the staff member's name, or the attendee's email
    email: str
    role: str  # admin | staff | door for staff, "" for attendees
    home: str  # where their own pages start


def signed_in(connection: Any) -> Identity | None:
    """The signed-in staff member or attendee of this request (from the loaded session), or None."""
    if connection is None:
        return None
    scope = getattr(connection, "scope", connection)
    session = scope.get("session") if isinstance(scope, dict) else None
    if not isinstance(session, dict):
        return None
    if session.get("staff_id"):
        role = str(session.get("role") or "")
        email = str(session.get("staff_email") or "")
        return Identity(
            kind="staff",
            label=str(session.get("staff_name") or email),
            email=email,
            role=role,
            home="/door" if role == "door" else "/staff",
        )
    if session.get("attendee_email"):
        email = str(session["attendee_email"])
        return Identity(kind="attendee", label=email, email=email, role="", home="/me")
    return None


def role_guard(*roles: str):  # noqa: ANN201
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = await current_staff(connection)
        if user is None:
            raise NotAuthorizedException("sign-in required")
        if user.role not in roles:
            raise PermissionDeniedException("not allowed for this role")

    return guard


staff_guard = role_guard(*STAFF_ROLES)
admin_guard = role_guard("admin")
door_guard = role_guard("admin", "staff", "door")


def wants_html(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """A browser page request (not the JSON API)."""
    if connection.scope.get("path", "").startswith("/api/"):
        return False
    return "text/html" in connection.headers.get("accept", "")


def not_authorized_handler(request: Any, exc: NotAuthorizedException) -> Response:
    """Sign-in required: browsers go to the sign-in page (coming back afterwards), APIs get 401 JSON."""
    from urllib.parse import quote

    if wants_html(request) and request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/auth/login?next={quote(target, safe='/')}", status_code=303)
    from lib.i18n import _

    return Response(
        content={"status_code": 401, "detail": _("Sign-in required.")},
        status_code=401,
        media_type=MediaType.JSON,
    )
