"""Jurors: members' people or outside guests, invited by an email carrying a one-time sign-in link
(accounts' links: the juror signs in with the email, nothing else). Dropping a juror keeps their scores."""

from __future__ import annotations

import secrets
from html import escape
from typing import Any

from accounts.services import issue_link, normalize_email
from juries.calls import get_call
from juries.common import in_locale, row_or_404, text
from juries.tables import Call, Juror
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _
from lib.settings import get_settings
from members.register import email_error
from members.standing import membership_standing
from members.tables import Person


def jury_path(call_id: int) -> str:
    return f"/juries/{call_id}/jury"


def invitation_email(call: Call, url: str, locale: str) -> tuple[str, str, str]:
    with in_locale(locale):
        title = call.title_en if locale == "en" and call.title_en else call.title
        subject = _("You are invited to the jury of %(call)s", call=title)
        hello = _("Hello,")
        body = _(
            "You are invited to the jury of %(call)s. This link signs you in and shows the entries to rate; "
            "it works once and expires in %(minutes)s minutes (ask for a new one on the sign-in page with "
            "this email address):",
            call=title,
            minutes=get_settings().login_link_minutes,
        )
    text_body = f"{hello}\n\n{body}\n\n{url}\n\n-- \nLE DAMIER\n"
    html = f'<p>{escape(hello)}</p><p>{escape(body)}</p><p><a href="{escape(url)}">{escape(url)}</a></p>'
    return subject, text_body, html


async def invite_juror(call_id: Any, data: dict[str, Any]) -> Juror:
    unknown = set(data) - {"email", "name", "locale"}
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    call = await get_call(call_id)
    errors: dict[str, str] = {}
    raw_email = data.get("email")
    email = normalize_email(raw_email if isinstance(raw_email, str) else "")
    problem = email_error(email, required=True)
    if problem:
        errors["email"] = problem
    name = text(errors, data, "name", required=False, max_length=200)
    locale = data.get("locale", "fr")
    if locale not in ("fr", "en"):
        errors["locale"] = _("Choose fr or en.")
    if errors:
        raise ValidationFailed(errors)
    if await Juror.exists().where((Juror.call == call.id) & (Juror.email == email)):
        raise Conflict(_("This person is already a juror of this call."))
    person = await Person.objects().where(Person.email == email).first()
    standing = await membership_standing(email=email)
    organisation = standing.organisation.id if standing.organisation else None
    if not name and person is not None:
        name = f"{person.first_name} {person.last_name}"
    juror = Juror(
        call=call.id,
        email=email,
        name=name or email,
        person=person.id if person else None,
        organisation=organisation,
        locale=locale,
    )
    await juror.save()
    await send_invitation(juror, call)
    return juror


async def send_invitation(juror: Juror, call: Call) -> None:
    token = secrets.token_urlsafe(32)
    url = f"{get_settings().base_url}/auth/link/{token}"
    mail = invitation_email(call, url, juror.locale)
    await issue_link(juror.email, jury_path(call.id), juror.locale, mail, url, token)


async def juror_for(call_id: int, email: str | None) -> Juror:
    """The signed-in person's active juror record for this call; 404 for anybody else."""
    if email:
        juror = (
            await Juror.objects()
            .where((Juror.call == call_id) & (Juror.email == email) & Juror.active.eq(True))
            .first()
        )
        if juror is not None:
            return juror
    raise NotFound(_("You are not a juror of this call."))


async def jurors_of(call_id: int, active_only: bool = True) -> list[Juror]:
    query = Juror.objects().where(Juror.call == call_id)
    if active_only:
        query = query.where(Juror.active.eq(True))
    return await query.order_by(Juror.id)


async def drop_juror(juror_id: Any) -> Juror:
    juror = await row_or_404(Juror, juror_id, _("This juror does not exist."))
    await Juror.update({Juror.active: False}).where(Juror.id == juror.id)
    juror.active = False
    return juror


def juror_json(juror: Juror) -> dict[str, Any]:
    return {
        "id": juror.id,
        "call_id": juror.call,
        "email": juror.email,
        "name": juror.name,
        "organisation_id": juror.organisation,
        "active": juror.active,
    }
