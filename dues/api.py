"""Dues JSON API (thin: the rules live in dues.calls).

Staff: /api/staff/dues/... call a year's dues, list them with their status, record a transfer, remind.
Members (signed in by a one-time email link): /api/dues/... their organisation's dues, the invoice PDF,
card payment (Stripe).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import HTTP_200_OK

from accounts.guards import attendee_email, current_staff, staff_guard
from dues import calls
from lib.errors import DomainError, NotFound, ValidationFailed
from lib.i18n import _
from ticketing import payments


class ServiceUnavailable(DomainError):
    status_code = 503


async def attendee_guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    if not attendee_email(connection):
        raise NotAuthorizedException("sign-in required")


def row_json(row: calls.DuesRow) -> dict[str, Any]:
    return dataclasses.asdict(row)


def _paid_on(data: dict[str, Any]) -> date | None:
    value = data.get("paid_on")
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed.one("paid_on", _("This date is not valid.")) from exc


def pdf_response(number: str, pdf: bytes) -> Response[bytes]:
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'inline; filename="{number}.pdf"'},
    )


class DuesStaffApi(Controller):
    path = "/api/staff/dues"
    tags = ["dues"]
    guards = [staff_guard]

    @post("/{year:int}/call", operation_id="callYearDues", status_code=HTTP_200_OK)
    async def call(self, year: int) -> dict[str, Any]:
        """Invoice and email the year's dues of every organisation not yet called (idempotent)."""
        result = await calls.call_year(year)
        return {"year": result.year, "issued": len(result.issued), "already": result.already}

    @get("/{year:int}", operation_id="listYearDues")
    async def year(self, year: int) -> list[dict[str, Any]]:
        return [row_json(r) for r in await calls.list_year(year)]

    @post("/calls/{call_id:int}/paid", operation_id="markDuesPaid", status_code=HTTP_200_OK)
    async def paid(self, call_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Record a bank transfer: the organisation is in good standing at once."""
        data = data or {}
        return row_json(await calls.mark_paid(call_id, str(data.get("method") or "transfer"), _paid_on(data)))

    @post("/calls/{call_id:int}/cancel", operation_id="cancelDues", status_code=HTTP_200_OK)
    async def cancel(self, call_id: int, data: dict[str, Any]) -> dict[str, Any]:
        """Cancel unpaid dues with a reason: a credit note for the whole invoice, emailed."""
        return row_json(await calls.cancel(call_id, data.get("reason")))

    @get(
        "/calls/{call_id:int}/credit-note.pdf",
        operation_id="staffDuesCreditNotePdf",
        media_type="application/pdf",
    )
    async def credit_note(self, call_id: int) -> Response[bytes]:
        return pdf_response(*await calls.credit_note_pdf(call_id))

    @post("/{year:int}/reminders", operation_id="remindYearDues", status_code=HTTP_200_OK)
    async def remind(self, year: int) -> dict[str, Any]:
        return {"reminded": await calls.remind_now(year)}

    @get("/calls/{call_id:int}/invoice.pdf", operation_id="staffDuesInvoicePdf", media_type="application/pdf")
    async def invoice(self, call_id: int) -> Response[bytes]:
        return pdf_response(*await calls.invoice_pdf(call_id))


async def _own_call(request: Request, call_id: int) -> None:
    call = await calls.get_call(call_id)
    if await current_staff(request) is None and not await calls.may_act_for(
        attendee_email(request) or "", call
    ):
        raise NotFound(_("These dues do not exist."))


class DuesMemberApi(Controller):
    path = "/api/dues"
    tags = ["dues"]
    guards = [attendee_guard]

    @get("/me", operation_id="myDues")
    async def mine(self, request: Request) -> list[dict[str, Any]]:
        return [row_json(r) for r in await calls.calls_for(attendee_email(request) or "")]

    @get("/calls/{call_id:int}/invoice.pdf", operation_id="myDuesInvoicePdf", media_type="application/pdf")
    async def invoice(self, request: Request, call_id: int) -> Response[bytes]:
        await _own_call(request, call_id)
        return pdf_response(*await calls.invoice_pdf(call_id))

    @get(
        "/calls/{call_id:int}/credit-note.pdf",
        operation_id="myDuesCreditNotePdf",
        media_type="application/pdf",
    )
    async def credit_note(self, request: Request, call_id: int) -> Response[bytes]:
        await _own_call(request, call_id)
        return pdf_response(*await calls.credit_note_pdf(call_id))

    @post("/calls/{call_id:int}/card-payment", operation_id="startDuesCardPayment", status_code=HTTP_200_OK)
    async def card_payment(self, request: Request, call_id: int) -> dict[str, Any]:
        """A Stripe PaymentIntent for the dues (TTC); confirm it with Stripe.js, then call sync."""
        await _own_call(request, call_id)
        try:
            return {"client_secret": await calls.start_card_payment(call_id)}
        except payments.PaymentUnavailable as exc:
            raise ServiceUnavailable(
                _("Card payment is not available right now: pay by bank transfer.")
            ) from exc

    @post(
        "/calls/{call_id:int}/card-payment/sync", operation_id="syncDuesCardPayment", status_code=HTTP_200_OK
    )
    async def card_sync(self, request: Request, call_id: int) -> dict[str, Any]:
        await _own_call(request, call_id)
        try:
            return {"paid": await calls.sync_card_payment(call_id)}
        except payments.PaymentUnavailable as exc:
            raise ServiceUnavailable(
                _("Card payment is not available right now: pay by bank transfer.")
            ) from exc


ROUTES: list[Any] = [DuesStaffApi, DuesMemberApi]
