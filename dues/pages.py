"""Dues staff page (thin: the rules live in dues.calls): /staff/dues?year= — call the year's dues, the
invoices with their status, record a transfer, send reminders."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from accounts.guards import attendee_email, staff_guard
from dues import calls
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.settings import get_settings
from ticketing import payments
from ticketing.pages import invoice_payment_page
from web.controllers.staff_common import form_data, render


def status_label(status: str) -> str:
    return {
        "paid": _("Paid"),
        "unpaid": _("Unpaid"),
        "lapsed": _("Unpaid, standing lost"),
        "cancelled": _("Cancelled (credit note)"),
    }[status]


def _back(year: int, flash: str) -> Redirect:
    return Redirect(f"/staff/dues?year={year}&flash={flash}", status_code=HTTP_303_SEE_OTHER)


async def _staff_page(request: Request, year: int | None, errors: dict[str, Any] | None = None) -> Template:
    year = year or calls.paris_today().year
    errors = dict(errors or {})
    try:
        rows = await calls.list_year(year)
    except ValidationFailed as exc:
        rows, year = [], calls.paris_today().year
        errors.update(exc.errors)
    flashes = {
        "called": _("The dues are called: the invoices are on their way."),
        "paid": _("Payment recorded: the organisation is in good standing."),
        "reminded": _("Reminders sent."),
        "cancelled": _("Dues cancelled: the credit note is on its way."),
    }
    return render(
        "dues/staff_dues.html",
        status_code=422 if errors else 200,
        rows=rows,
        year=year,
        errors=errors,
        dues_status_label=status_label,
        flash=flashes.get(request.query_params.get("flash", "")),
        totals={
            "called": sum(r.amount_ttc_cents for r in rows if r.status != "cancelled"),
            "paid": sum(r.amount_ttc_cents for r in rows if r.status == "paid"),
            "count_paid": sum(1 for r in rows if r.status == "paid"),
        },
    )


class StaffDuesPages(Controller):
    path = "/staff/dues"
    include_in_schema = False
    guards = [staff_guard]

    @get("/", name="staff-dues")
    async def index(self, request: Request, year: int | None = None) -> Template:
        return await _staff_page(request, year)

    @post("/{year:int}/call", name="staff-dues-call")
    async def call(self, year: int) -> Redirect:
        await calls.call_year(year)
        return _back(year, "called")

    @post("/{year:int}/reminders", name="staff-dues-remind")
    async def remind(self, year: int) -> Redirect:
        await calls.remind_now(year)
        return _back(year, "reminded")

    @post("/calls/{call_id:int}/cancel", name="staff-dues-cancel")
    async def cancel(self, request: Request, call_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            row = await calls.cancel(call_id, form.get("reason", ""))
        except ValidationFailed as exc:
            call = await calls.get_call(call_id)
            return await _staff_page(request, call.year, {f"cancel-{call_id}": exc.errors.get("reason", "")})
        return _back(row.year, "cancelled")

    @post("/calls/{call_id:int}/paid", name="staff-dues-paid")
    async def paid(self, call_id: int) -> Redirect:
        row = await calls.mark_paid(call_id, "transfer")
        return _back(row.year, "paid")


class MemberDuesPages(Controller):
    """The dues of the organisations a signed-in person acts for: invoices, status, how to pay (card through
    Stripe's Payment Element, or bank transfer). Stripe sends the payer back to /dues?paid=<id>, which asks
    Stripe and records the payment."""

    path = "/dues"
    include_in_schema = False

    @get("/", name="my-dues")
    async def mine(self, request: Request, paid: int | None = None) -> Template | Redirect:
        email = attendee_email(request)
        if not email:
            return Redirect("/auth/link?next=/dues", status_code=HTTP_303_SEE_OTHER)
        flash = ""
        if paid is not None:
            call = await calls.get_call(paid)
            if not await calls.may_act_for(email, call):
                raise NotFound(_("These dues do not exist."))
            try:
                done = await calls.sync_card_payment(call.id)
            except payments.PaymentUnavailable:
                done = False
            flash = (
                _("Thank you: your dues are paid and your organisation is in good standing.")
                if done
                else _("The payment is not confirmed yet: reload this page in a moment.")
            )
        settings = get_settings()
        return render(
            "dues/mine.html",
            rows=await calls.calls_for(email),
            dues_status_label=status_label,
            iban=settings.bank_iban,
            holder=settings.bank_account_holder,
            card=payments.online_payment_enabled(),
            flash=flash,
        )

    @post("/calls/{call_id:int}/pay", name="my-dues-pay")
    async def pay(self, request: Request, call_id: int) -> Template | Redirect:
        email = attendee_email(request)
        call = await calls.get_call(call_id)
        if not email or not await calls.may_act_for(email, call):
            raise NotFound(_("These dues do not exist."))
        if not payments.online_payment_enabled() or call.paid_at is not None:
            return Redirect("/dues", status_code=HTTP_303_SEE_OTHER)
        try:
            secret = await calls.start_card_payment(call.id)
        except payments.PaymentUnavailable:
            secret = ""
        row = await calls.row_of(call.id)
        return invoice_payment_page(
            title=_("Membership dues") + f" {row.year}",
            payer=row.organisation,
            invoice_number=row.invoice_number,
            amount_ttc_cents=row.amount_ttc_cents,
            client_secret=secret,
            return_url=f"{get_settings().base_url}/dues?paid={call.id}",
            back_url="/dues",
            back_label=_("Back to my dues"),
        )


ROUTES: list[Any] = [StaffDuesPages, MemberDuesPages]
