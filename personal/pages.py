"""The personal space (/me) of whoever is signed in.

Attendees (email proven by a one-time link): their orders, their tickets (PDF and calendar file of
each), their speed-meetings with wishes and agenda. Staff: their account and sessions. Thin: the
lists come from ticketing.personal and scheduling.personal.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from accounts import sessions
from accounts.guards import attendee_email, current_staff
from events import ics
from events import services as event_services
from scheduling import fields as meeting_fields
from scheduling import personal as meetings
from ticketing import documents
from ticketing import personal as tickets

SIGN_IN = "/auth/link?next=/me"


def _file(content: bytes, media_type: str, filename: str, inline: bool) -> Response[bytes]:
    disposition = "inline" if inline else "attachment"
    return Response(
        content,
        media_type=media_type,
        headers={"content-disposition": f'{disposition}; filename="{filename}"'},
    )


async def _my_ticket(request: Request, public_id: str) -> tuple[Any, Any, dict[str, Any]]:
    email = attendee_email(request)
    found = await tickets.ticket_for_email(email, public_id) if email else None
    if found is None:
        raise NotFoundException()
    return found


class PersonalSpace(Controller):
    path = "/me"
    include_in_schema = False
    tags = ["Personal space"]

    @get("/", operation_id="page_personal_space", name="personal:space")
    async def space(self, request: Request) -> Template | Redirect:
        staff = await current_staff(request)
        email = attendee_email(request)
        if staff is None and not email:
            return Redirect(SIGN_IN, status_code=303)
        context: dict[str, Any] = {
            "staff": staff,
            "email": email,
            "session_count": await sessions.count_sessions(
                staff_id=staff.id if staff else None, attendee_email=email
            ),
            "priority_label": meeting_fields.priority_label,
            "side_label": meeting_fields.side_label,
            "programme_status_label": meeting_fields.status_label,
        }
        if email:
            context.update(
                orders=await tickets.orders_for_email(email),
                tickets=await tickets.tickets_for_email(email),
                participations=await meetings.participations_for_email(email),
            )
        return Template("personal/me.html", context=context)

    @get("/tickets/{public_id:str}/ticket.pdf", operation_id="page_my_ticket_pdf")
    async def ticket_pdf(self, request: Request, public_id: str) -> Response[bytes]:
        event, order, ticket = await _my_ticket(request, public_id)
        pdf = documents.tickets_pdf(event, order, [ticket], venue=await documents.venue_of(event))
        return _file(pdf, "application/pdf", f"ticket-{public_id[:12]}.pdf", inline=True)

    @get("/tickets/{public_id:str}/event.ics", operation_id="page_my_ticket_ics")
    async def ticket_ics(self, request: Request, public_id: str) -> Response[bytes]:
        event, _order, _ticket = await _my_ticket(request, public_id)
        name = (event.slug or "event")[:60]
        calendar = ics.event_calendar(await event_services.get_event(event.id))
        return _file(calendar, "text/calendar; charset=utf-8", f"{name}.ics", inline=False)


ROUTES: list[Any] = [PersonalSpace]
