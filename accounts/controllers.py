"""HTTP controllers (thin: business rules live in accounts.services).

Pages: staff sign-in (/auth/login; a locked account gets in by an emailed link, /auth/staff-link),
sign-out (/auth/logout, /auth/logout-everywhere), one-time links for attendees (/auth/link...),
staff user management (/staff/users). JSON API under /api/auth and /api/staff/users.
piccolo-admin is mounted at /admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotAuthorizedException
from litestar.handlers import asgi
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.types import Receive, Scope, Send

from accounts import services, sessions
from accounts.admin import admin_app
from accounts.guards import admin_guard, attendee_email, current_staff
from accounts.tables import ROLES
from lib.errors import ValidationFailed
from lib.i18n import _, get_locale, set_locale
from lib.security import client_ip

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

STAFF_HOME = "/staff"
DOOR_HOME = "/door"  # the door app (checkin); door users have no back office
RETRY_AFTER = {"Retry-After": str(services.LOGIN_WINDOW_SECONDS)}


def too_many(exc: Exception) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"status_code": 429, "detail": str(exc)}
    if isinstance(exc, services.AccountLocked):
        body["account_locked"] = True
    return Response(body, status_code=429, headers=RETRY_AFTER)


async def sign_in_staff(request: Request, user: Any) -> None:
    """A fresh session for the signed-in staff user (a new key; nothing survives from before)."""
    await sessions.begin(request, staff=user)


async def sign_in_attendee(request: Request, email: str) -> None:
    await sessions.begin(request, attendee_email=email)


async def sign_out_everywhere(request: Request) -> int:
    """End every session of whoever is signed in here (this one included); how many ended."""
    user = await current_staff(request)
    email = attendee_email(request)
    ended = 0
    if user is not None:
        ended = await sessions.revoke_staff_sessions(user.id)
    elif email:
        ended = await sessions.revoke_attendee_sessions(email)
    await sessions.end(request)
    return ended


async def _staff_from_link(link: Any) -> Any | None:
    """The active account a staff sign-in link opens, or None."""
    user = await services.get_staff_user(link.staff_user)
    return user if user is not None and user.active else None


def _staff_home(user: Any) -> str:
    return DOOR_HOME if user.role == "door" else STAFF_HOME


def _field(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


def _use_link_locale(request: Request, link: Any | None) -> None:
    """Show a link's pages in the language it was requested in, unless ?lang= says otherwise."""
    if link is not None and "lang" not in request.query_params:
        set_locale(link.locale)


# ---- pages ---------------------------------------------------------------------------------------
class AuthPages(Controller):
    path = "/auth"
    tags = ["accounts"]
    include_in_schema = False

    @get("/login", operation_id="authLoginPage")
    async def login_page(self, request: Request, next: str | None = None) -> Template:
        return Template(
            "accounts/login.html",
            context={"next": services.safe_next(next, ""), "email": "", "error": None, "locked": False},
        )

    @post("/login", operation_id="authLoginForm")
    async def login(self, request: Request, data: Form) -> Response:
        email, password = _field(data, "email"), _field(data, "password")
        next_url = services.safe_next(_field(data, "next"), "")
        context: dict[str, Any] = {"next": next_url, "email": email, "error": None, "locked": False}
        try:
            attempt = await services.check_login_rate(email, client_ip(request))
        except services.TooManyAttempts as exc:
            context["error"] = str(exc)
            context["locked"] = isinstance(exc, services.AccountLocked)
            return Template("accounts/login.html", context=context, status_code=429, headers=RETRY_AFTER)
        user = await services.authenticate_staff(email, password)
        if user is None:
            context["error"] = _("Wrong email or password.")
            return Template("accounts/login.html", context=context, status_code=400)
        await services.login_succeeded(attempt)
        await sign_in_staff(request, user)
        return Redirect(next_url or _staff_home(user), status_code=303)

    @post("/staff-link", operation_id="authStaffLinkForm")
    async def staff_link(self, request: Request, data: Form) -> Template:
        """A locked staff account asks for a one-time sign-in link (the same answer whatever happens)."""
        email = _field(data, "email")
        context: dict[str, Any] = {"next": "", "email": email, "error": None, "locked": True, "sent": False}
        try:
            await services.check_link_rate(email, client_ip(request))
            await services.request_staff_link(email, get_locale())
        except services.TooManyAttempts as exc:
            context["error"] = str(exc)
            return Template("accounts/login.html", context=context, status_code=429, headers=RETRY_AFTER)
        except ValidationFailed as exc:
            context["error"] = exc.errors.get("email")
            return Template("accounts/login.html", context=context, status_code=422)
        context["sent"] = True
        return Template("accounts/login.html", context=context)

    @post("/logout", operation_id="authLogoutForm")
    async def logout(self, request: Request) -> Redirect:
        await sessions.end(request)
        return Redirect("/", status_code=303)

    @post("/logout-everywhere", operation_id="authLogoutEverywhereForm")
    async def logout_everywhere(self, request: Request) -> Redirect:
        await sign_out_everywhere(request)
        return Redirect("/", status_code=303)

    @get("/link", operation_id="authLinkPage")
    async def link_page(self, next: str | None = None) -> Template:
        return Template(
            "accounts/link_request.html",
            context={"next": services.safe_next(next, ""), "email": "", "errors": {}, "sent": False},
        )

    @post("/link", operation_id="authLinkForm")
    async def request_link(self, request: Request, data: Form) -> Template:
        email = _field(data, "email")
        next_url = services.safe_next(_field(data, "next"), "")
        context: dict[str, Any] = {"next": next_url, "email": email, "errors": {}, "sent": False}
        try:
            await services.check_link_rate(email, client_ip(request))
            await services.request_login_link(email, next_url or "/", get_locale())
        except services.TooManyAttempts as exc:
            context["errors"] = {"email": str(exc)}
            return Template(
                "accounts/link_request.html", context=context, status_code=429, headers=RETRY_AFTER
            )
        except ValidationFailed as exc:
            context["errors"] = exc.errors
            return Template("accounts/link_request.html", context=context, status_code=422)
        context["sent"] = True
        return Template("accounts/link_request.html", context=context)

    @get("/link/{token:str}", operation_id="authLinkConfirmPage")
    async def link_confirm(self, request: Request, token: str) -> Template:
        """A page with a button: mail scanners that prefetch the GET do not use the link up."""
        link = await services.peek_login_link(token)
        _use_link_locale(request, link)
        try:
            link = await services.check_login_link(token)
        except services.LinkInvalid as exc:
            return Template("accounts/link_error.html", context={"message": str(exc)}, status_code=400)
        return Template(
            "accounts/link_confirm.html",
            context={"email": link.email, "token": token, "staff": link.staff_user is not None},
        )

    @post("/link/{token:str}", operation_id="authLinkConsumeForm")
    async def link_consume(self, request: Request, token: str) -> Response:
        _use_link_locale(request, await services.peek_login_link(token))
        try:
            link = await services.consume_login_link(token)
        except services.LinkInvalid as exc:
            return Template("accounts/link_error.html", context={"message": str(exc)}, status_code=400)
        if link.staff_user is not None:
            user = await _staff_from_link(link)
            if user is None:
                message = _("This sign-in link is not valid. Ask for a new one.")
                return Template("accounts/link_error.html", context={"message": message}, status_code=400)
            await sign_in_staff(request, user)
            return Redirect(_staff_home(user), status_code=303)
        await sign_in_attendee(request, link.email)
        return Redirect(services.safe_next(link.next_url), status_code=303)


def _users_context(users: list[Any], me: Any, errors: dict[str, str] | None = None, form: Any = None) -> dict:
    return {
        "users": users,
        "me": me,
        "roles": ROLES,
        "errors": errors or {},
        "form": form or {"email": "", "name": "", "role": "staff"},
    }


class StaffUsersPages(Controller):
    path = "/staff/users"
    guards = [admin_guard]
    tags = ["accounts"]
    include_in_schema = False

    async def _page(self, request: Request, errors: dict[str, str], form: Any = None) -> Template:
        users = await services.list_staff_users()
        me = await current_staff(request)
        return Template(
            "accounts/staff_users.html", context=_users_context(users, me, errors, form), status_code=422
        )

    @get("/", operation_id="staffUsersPage")
    async def list_users(self, request: Request) -> Template:
        users = await services.list_staff_users()
        return Template(
            "accounts/staff_users.html", context=_users_context(users, await current_staff(request))
        )

    @post("/", operation_id="staffUsersCreateForm")
    async def create_user(self, request: Request, data: Form) -> Response:
        form = {k: _field(data, k) for k in ("email", "name", "role")}
        try:
            await services.create_staff_user(
                email=form["email"], name=form["name"], password=_field(data, "password"), role=form["role"]
            )
        except ValidationFailed as exc:
            return await self._page(request, exc.errors, form)
        return Redirect("/staff/users", status_code=303)

    @post("/{user_id:int}/role", operation_id="staffUsersRoleForm")
    async def change_role(self, request: Request, user_id: int, data: Form) -> Response:
        try:
            await services.set_role(user_id, _field(data, "role"))
        except ValidationFailed as exc:
            return await self._page(request, exc.errors)
        return Redirect("/staff/users", status_code=303)

    @post("/{user_id:int}/password", operation_id="staffUsersPasswordForm")
    async def change_password(self, request: Request, user_id: int, data: Form) -> Response:
        me = await current_staff(request)
        keep = sessions.current_key_hash(request) if me is not None and me.id == user_id else None
        try:
            await services.set_password(user_id, _field(data, "password"), keep_session=keep)
        except ValidationFailed as exc:
            return await self._page(request, exc.errors)
        return Redirect("/staff/users", status_code=303)

    @post("/{user_id:int}/deactivate", operation_id="staffUsersDeactivateForm")
    async def deactivate(self, request: Request, user_id: int) -> Response:
        try:
            await services.deactivate(user_id)
        except ValidationFailed as exc:
            return await self._page(request, exc.errors)
        return Redirect("/staff/users", status_code=303)

    @post("/{user_id:int}/reactivate", operation_id="staffUsersReactivateForm")
    async def reactivate(self, request: Request, user_id: int) -> Response:
        try:
            await services.reactivate(user_id)
        except ValidationFailed as exc:
            return await self._page(request, exc.errors)
        return Redirect("/staff/users", status_code=303)


# ---- JSON API ------------------------------------------------------------------------------------
@dataclass
class LoginBody:
    email: str
    password: str


@dataclass
class LinkBody:
    email: str
    next: str | None = None


@dataclass
class StaffUserCreate:
    email: str
    name: str
    password: str
    role: str = "staff"


@dataclass
class StaffUserUpdate:
    role: str | None = None
    password: str | None = None
    active: bool | None = None


class AuthApi(Controller):
    path = "/api/auth"
    tags = ["accounts"]

    @post("/login", operation_id="apiAuthLogin", summary="Staff sign-in with email and password")
    async def login(self, request: Request, data: LoginBody) -> Response[dict[str, Any]]:
        try:
            attempt = await services.check_login_rate(data.email, client_ip(request))
        except services.TooManyAttempts as exc:
            return too_many(exc)
        user = await services.authenticate_staff(data.email, data.password)
        if user is None:
            return Response({"status_code": 401, "detail": _("Wrong email or password.")}, status_code=401)
        await services.login_succeeded(attempt)
        await sign_in_staff(request, user)
        return Response({"staff": services.staff_public(user)}, status_code=200)

    @post("/logout", operation_id="apiAuthLogout", summary="Sign out (staff or attendee)", status_code=200)
    async def logout(self, request: Request) -> dict[str, str]:
        await sessions.end(request)
        return {"detail": _("Signed out.")}

    @post(
        "/logout-everywhere",
        operation_id="apiAuthLogoutEverywhere",
        summary="Sign out on every device (staff or attendee)",
        status_code=200,
    )
    async def logout_everywhere(self, request: Request) -> dict[str, Any]:
        ended = await sign_out_everywhere(request)
        return {"detail": _("Signed out on every device."), "sessions_ended": ended}

    @post(
        "/staff-link",
        operation_id="apiAuthRequestStaffLink",
        summary="Email a one-time sign-in link to a locked staff account",
        status_code=202,
    )
    async def request_staff_link(self, request: Request, data: LinkBody) -> Response[dict[str, Any]]:
        try:
            await services.check_link_rate(data.email, client_ip(request))
        except services.TooManyAttempts as exc:
            return too_many(exc)
        await services.request_staff_link(data.email, get_locale())
        detail = _(
            "If this address belongs to a staff account locked by failed sign-ins, a one-time sign-in link "
            "is on its way."
        )
        return Response({"detail": detail}, status_code=202)

    @get("/me", operation_id="apiAuthMe", summary="Who is signed in")
    async def me(self, request: Request) -> dict[str, Any]:
        user = await current_staff(request)
        email = attendee_email(request)
        if user is None and not email:
            raise NotAuthorizedException(_("Sign-in required."))
        return {"staff": services.staff_public(user) if user else None, "attendee_email": email}

    @post(
        "/link", operation_id="apiAuthRequestLink", summary="Email a one-time sign-in link", status_code=202
    )
    async def request_link(self, request: Request, data: LinkBody) -> Response[dict[str, Any]]:
        try:
            await services.check_link_rate(data.email, client_ip(request))
        except services.TooManyAttempts as exc:
            return too_many(exc)
        await services.request_login_link(data.email, data.next or "/", get_locale())
        detail = _("If the address is valid, a sign-in link is on its way. Check your email.")
        return Response({"detail": detail}, status_code=202)

    @post(
        "/link/{token:str}",
        operation_id="apiAuthUseLink",
        summary="Use a one-time sign-in link",
        status_code=200,
    )
    async def use_link(self, request: Request, token: str) -> dict[str, Any]:
        link = await services.consume_login_link(token)
        if link.staff_user is not None:
            user = await _staff_from_link(link)
            if user is None:
                raise services.LinkInvalid(_("This sign-in link is not valid. Ask for a new one."))
            await sign_in_staff(request, user)
            return {"staff": services.staff_public(user), "next": _staff_home(user)}
        await sign_in_attendee(request, link.email)
        return {"attendee_email": link.email, "next": services.safe_next(link.next_url)}


class StaffUsersApi(Controller):
    path = "/api/staff/users"
    guards = [admin_guard]
    tags = ["accounts"]

    @get("/", operation_id="apiStaffUsersList", summary="Staff accounts")
    async def list_users(self) -> list[dict[str, Any]]:
        return [services.staff_public(u) for u in await services.list_staff_users()]

    @post("/", operation_id="apiStaffUsersCreate", summary="Create a staff account")
    async def create_user(self, data: StaffUserCreate) -> dict[str, Any]:
        user = await services.create_staff_user(
            email=data.email, name=data.name, password=data.password, role=data.role
        )
        return services.staff_public(user)

    @post(
        "/{user_id:int}",
        operation_id="apiStaffUsersUpdate",
        summary="Change role, password or active",
        status_code=200,
    )
    async def update_user(self, user_id: int, data: StaffUserUpdate) -> dict[str, Any]:
        if data.role is not None:
            await services.set_role(user_id, data.role)
        if data.password is not None:
            await services.set_password(user_id, data.password)
        if data.active is False:
            await services.deactivate(user_id)
        elif data.active is True:
            await services.reactivate(user_id)
        user = await services.get_staff_user(user_id)
        if user is None:
            raise ValidationFailed({"user": _("This staff account does not exist.")})
        return services.staff_public(user)


@asgi(path="/admin", is_mount=True, copy_scope=True)
async def piccolo_admin(scope: Scope, receive: Receive, send: Send) -> None:
    """piccolo-admin (record editing of venues, rooms, organisations, people, events, sessions)."""
    await admin_app(scope, receive, send)


ROUTES: list[Any] = [AuthPages, StaffUsersPages, AuthApi, StaffUsersApi, piccolo_admin]
