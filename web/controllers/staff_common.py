"""Shared pieces of the staff back office pages: rendering, form parsing, labels.

Only form concerns live here (turning posted strings into typed values and back); business rules
stay in the domain services, whose ValidationFailed errors the pages show next to each field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Redirect, Response, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_404_NOT_FOUND

from lib.clock import local_tz
from lib.errors import NotFound
from lib.i18n import _
from web import labels

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def render(template: str, status_code: int = 200, **context: Any) -> Template:
    """A staff page; the label helpers of web.labels are always available to the template."""
    context.setdefault("errors", {})
    return Template(
        template_name=template,
        context={
            "kind_label": labels.event_kind_label,
            "session_kind_label": labels.session_kind_label,
            "status_label": labels.status_label,
            "role_label": labels.person_role_label,
            "college_label": labels.college_label,
            **context,
        },
        status_code=status_code,
    )


def see_other(url: str) -> Redirect:
    return Redirect(path=url, status_code=HTTP_303_SEE_OTHER)


async def form_data(request: Request) -> dict[str, str]:
    """The posted form as plain strings, one value per field, trimmed (the CSRF field removed)."""
    form = await request.form()
    data = {key: (value if isinstance(value, str) else "") for key, value in form.items()}
    data.pop("_csrf_token", None)
    return {key: value.strip() for key, value in data.items()}


class FormErrors(dict[str, str]):
    """Field name -> translated message, filled while parsing a form."""

    def take_int(self, data: dict[str, str], field: str, required: bool = False) -> int | None:
        raw = data.get(field, "")
        if not raw:
            if required:
                self[field] = _("This field is required.")
            return None
        try:
            return int(raw)
        except ValueError:
            self[field] = _("Enter a whole number.")
            return None

    def take_datetime(self, data: dict[str, str], field: str, required: bool = True) -> datetime | None:
        """A datetime-local input (Europe/Paris wall time) -> an aware UTC datetime."""
        raw = data.get(field, "")
        if not raw:
            if required:
                self[field] = _("This field is required.")
            return None
        value = parse_local_datetime(raw)
        if value is None:
            self[field] = _("Enter a valid date and time.")
        return value

    def take_date(self, data: dict[str, str], field: str, required: bool = True) -> date | None:
        raw = data.get(field, "")
        if not raw:
            if required:
                self[field] = _("This field is required.")
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self[field] = _("Enter a valid date.")
            return None

    def require(self, data: dict[str, str], field: str) -> str:
        value = data.get(field, "")
        if not value:
            self[field] = _("This field is required.")
        return value


def parse_local_datetime(raw: str) -> datetime | None:
    for fmt in (LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            naive = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return naive.replace(tzinfo=local_tz()).astimezone(ZoneInfo("UTC"))
    return None


def local_input(value: datetime | None) -> str:
    """An aware datetime -> the value of a datetime-local input in Europe/Paris."""
    if value is None:
        return ""
    return value.astimezone(local_tz()).strftime(LOCAL_INPUT_FORMAT)


def local_date(value: datetime) -> date:
    return value.astimezone(local_tz()).date()


def not_found_page(request: Request, exc: NotFound) -> Response:
    """An unknown event, session or organisation: the site's HTML 404 page (not the API's JSON)."""
    from web.errors import render_error_page

    return render_error_page(request, HTTP_404_NOT_FOUND)


# Controller-level handlers of the staff pages (they take precedence over the app's JSON one).
EXCEPTION_HANDLERS: dict[Any, Any] = {NotFound: not_found_page}
