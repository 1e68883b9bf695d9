"""Who is signed in, and route guards by role.

Session contract (client-side signed cookie, no server state):
- staff:    session["staff_id"] = StaffUser.id, session["role"] = "admin" | "staff" | "door"
- attendee: session["attendee_email"] = the email proven by a one-time link
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

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
