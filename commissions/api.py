"""Commissions JSON API (thin: the rules live in commissions.records, .billing and .totals).

Staff: /api/staff/commissions/... record business brought and collective markets, confirm (another rate with
its reason), invoice, record a payment, cancel (a credit note once invoiced), totals per member, source and
year. Members (signed in by a one-time email link): /api/commissions/... their organisations' commission
invoices and credit notes, card payment of an invoice (Stripe); another organisation's are 404.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accounts.guards import attendee_email, current_staff, staff_guard
from commissions import billing, records, totals
from commissions.records import CommissionRecord
from lib.errors import DomainError, NotFound, ValidationFailed
from lib.i18n import _
from ticketing import payments


class ServiceUnavailable(DomainError):
    status_code = 503


async def attendee_guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    if not attendee_email(connection):
        raise NotAuthorizedException("sign-in required")


async def attendee_or_staff_guard(
    connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
) -> None:
    """Signed in as an attendee (a member's person) or as staff: the route then checks the organisation
    (`_own`), so staff can take a card payment on a member's behalf (server.openapi names both schemes)."""
    if not attendee_email(connection) and await current_staff(connection) is None:
        raise NotAuthorizedException("sign-in required")


def record_json(record: CommissionRecord) -> dict[str, Any]:
    return dataclasses.asdict(record)


def totals_json(result: totals.Totals) -> dict[str, Any]:
    return {
        "year": result.year,
        "rows": [
            {
                "organisation_id": r.organisation_id,
                "organisation": r.organisation,
                "source": r.source,
                "year": r.year,
                **dataclasses.asdict(r.amounts),
            }
            for r in result.rows
        ],
        "by_source": {k: dataclasses.asdict(v) for k, v in result.by_source.items()},
        "by_year": {str(k): dataclasses.asdict(v) for k, v in result.by_year.items()},
        "overall": dataclasses.asdict(result.overall),
    }


def check_filters(year: int | None, source: str | None, status: str | None) -> None:
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationFailed.one(
            "year", _("Enter a year between %(low)d and %(high)d.", low=2000, high=2100)
        )
    if source and source not in records.SOURCES:
        raise ValidationFailed.one("source", _("Unknown source (deal, market or business)."))
    if status and status not in records.STATUSES:
        raise ValidationFailed.one("status", _("Unknown status."))


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


class CommissionsStaffApi(Controller):
    path = "/api/staff/commissions"
    tags = ["commissions"]
    guards = [staff_guard]

    @get("/", operation_id="listCommissionRecords")
    async def index(
        self,
        year: int | None = None,
        organisation: int | None = None,
        source: str | None = None,
        status: str | None = None,
    ) -> list[dict[str, Any]]:
        """Commission records, newest first, filtered by year won, member, source or status."""
        check_filters(year, source, status)
        rows = await records.list_records(
            year=year, organisation_id=organisation, source=source, status=status
        )
        return [record_json(r) for r in rows]

    @get("/totals", operation_id="commissionTotals")
    async def totals(
        self, year: int | None = None, organisation: int | None = None, source: str | None = None
    ) -> dict[str, Any]:
        """Expected, invoiced and paid commissions (HT, cents) per member, source and year."""
        check_filters(year, source, None)
        return totals_json(await totals.totals(year, organisation_id=organisation, source=source))

    @post("/business", operation_id="recordBusinessBrought", status_code=HTTP_201_CREATED)
    async def business(self, data: dict[str, Any]) -> dict[str, Any]:
        """Business the cluster brought to one member: one commission record."""
        return record_json(await records.record_business(data))

    @post("/markets", operation_id="recordCollectiveMarket", status_code=HTTP_201_CREATED)
    async def market(self, data: dict[str, Any]) -> dict[str, Any]:
        """A collective market won for several members: one commission record per member."""
        result = await records.record_market(data)
        return {"market_id": result.market_id, "records": [record_json(r) for r in result.records]}

    @get("/{commission_id:int}", operation_id="getCommissionRecord")
    async def one(self, commission_id: int) -> dict[str, Any]:
        return record_json(await records.get_record(commission_id))

    @post("/{commission_id:int}/confirm", operation_id="confirmCommissionRecord", status_code=HTTP_200_OK)
    async def confirm(self, commission_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Confirm, possibly with a corrected amount or another rate (with its reason)."""
        return record_json(await records.confirm(commission_id, data or {}))

    @post("/{commission_id:int}/invoice", operation_id="invoiceCommission", status_code=HTTP_200_OK)
    async def invoice(self, commission_id: int) -> dict[str, Any]:
        """Invoice a confirmed commission to its member and email the invoice (once)."""
        return record_json(await billing.invoice(commission_id))

    @post("/{commission_id:int}/paid", operation_id="markCommissionPaid", status_code=HTTP_200_OK)
    async def paid(self, commission_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        data = data or {}
        return record_json(
            await billing.mark_paid(commission_id, str(data.get("method") or "transfer"), _paid_on(data))
        )

    @post("/{commission_id:int}/cancel", operation_id="cancelCommission", status_code=HTTP_200_OK)
    async def cancel(self, commission_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Cancel with a reason: a credit note for the whole invoice once invoiced."""
        return record_json(await billing.cancel(commission_id, (data or {}).get("reason")))

    @get(
        "/{commission_id:int}/invoice.pdf",
        operation_id="staffCommissionInvoicePdf",
        media_type="application/pdf",
    )
    async def invoice_pdf(self, commission_id: int) -> Response[bytes]:
        return pdf_response(*await billing.invoice_pdf(commission_id))

    @get(
        "/{commission_id:int}/credit-note.pdf",
        operation_id="staffCommissionCreditNotePdf",
        media_type="application/pdf",
    )
    async def credit_note_pdf(self, commission_id: int) -> Response[bytes]:
        return pdf_response(*await billing.credit_note_pdf(commission_id))


async def _own(request: Request, commission_id: int) -> None:
    """Staff, or a person of the commission's organisation; anyone else gets the same 404 as a missing one."""
    if await current_staff(request) is None and not await billing.may_see(
        attendee_email(request) or "", commission_id
    ):
        raise NotFound(_("This commission does not exist."))


class CommissionsMemberApi(Controller):
    path = "/api/commissions"
    tags = ["commissions"]
    guards = [attendee_guard]

    @get("/me", operation_id="myCommissions")
    async def mine(self, request: Request) -> list[dict[str, Any]]:
        """The invoiced commissions of the organisations the signed-in person acts for."""
        return [record_json(r) for r in await billing.records_for(attendee_email(request) or "")]

    @get(
        "/{commission_id:int}/invoice.pdf",
        operation_id="myCommissionInvoicePdf",
        media_type="application/pdf",
    )
    async def invoice_pdf(self, request: Request, commission_id: int) -> Response[bytes]:
        await _own(request, commission_id)
        return pdf_response(*await billing.invoice_pdf(commission_id))

    @get(
        "/{commission_id:int}/credit-note.pdf",
        operation_id="myCommissionCreditNotePdf",
        media_type="application/pdf",
    )
    async def credit_note_pdf(self, request: Request, commission_id: int) -> Response[bytes]:
        await _own(request, commission_id)
        return pdf_response(*await billing.credit_note_pdf(commission_id))


class CommissionsCardApi(Controller):
    """Card payment of a commission invoice (Stripe): the organisation's people, or staff for them."""

    path = "/api/commissions"
    tags = ["commissions"]
    guards = [attendee_or_staff_guard]

    @post(
        "/{commission_id:int}/card-payment",
        operation_id="startCommissionCardPayment",
        status_code=HTTP_200_OK,
    )
    async def card_payment(self, request: Request, commission_id: int) -> dict[str, Any]:
        """A Stripe PaymentIntent for the invoice (TTC); confirm it with Stripe.js, then call sync."""
        await _own(request, commission_id)
        try:
            return {"client_secret": await billing.start_card_payment(commission_id)}
        except payments.PaymentUnavailable as exc:
            raise ServiceUnavailable(
                _("Card payment is not available right now: pay by bank transfer.")
            ) from exc

    @post(
        "/{commission_id:int}/card-payment/sync",
        operation_id="syncCommissionCardPayment",
        status_code=HTTP_200_OK,
    )
    async def card_sync(self, request: Request, commission_id: int) -> dict[str, Any]:
        """Ask Stripe whether the card payment went through; records it (once) if so."""
        await _own(request, commission_id)
        try:
            return {"paid": await billing.sync_card_payment(commission_id)}
        except payments.PaymentUnavailable as exc:
            raise ServiceUnavailable(
                _("Card payment is not available right now: pay by bank transfer.")
            ) from exc


ROUTES: list[Any] = [CommissionsStaffApi, CommissionsMemberApi, CommissionsCardApi]
