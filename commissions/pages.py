"""Commissions pages (thin: the rules live in commissions.records, .billing and .totals).

Staff: /staff/commissions?year=&organisation=&source=&status= — the records with their totals per member,
source and year, recording business brought and collective markets, confirm / invoice / paid / cancel, and
the CSV. Members: /commissions — their organisations' commission invoices, paid by card or bank transfer."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from accounts.guards import attendee_email, staff_guard
from commissions import billing, records, totals
from commissions.api import check_filters
from commissions.records import CommissionRecord
from lib import csv_export
from lib.errors import DomainError, NotFound, ValidationFailed
from lib.i18n import _
from lib.settings import get_settings
from members.tables import Organisation
from ticketing import payments
from ticketing.pages import invoice_payment_page
from web.controllers.staff_common import form_data, render

MARKET_ROWS = 6  # member lines of the collective market form (empty lines are ignored)


def _filters(request: Request) -> dict[str, Any]:
    """The page's filters from the query string; a bad one is dropped and reported."""
    params = request.query_params
    out: dict[str, Any] = {"year": None, "organisation": None, "source": "", "status": ""}
    errors: dict[str, str] = {}
    for name in ("year", "organisation"):
        value = (params.get(name) or "").strip()
        if value:
            try:
                out[name] = int(value)
            except ValueError:
                errors[name] = _("Enter a whole number.")
    out["source"] = (params.get("source") or "").strip()
    out["status"] = (params.get("status") or "").strip()
    try:
        check_filters(out["year"], out["source"], out["status"])
    except ValidationFailed as exc:
        errors.update(exc.errors)
        for name in exc.errors:
            out[name] = None if name == "year" else ""
    if out["organisation"] is not None and not 0 < out["organisation"] < 2**63:
        errors["organisation"] = _("Choose a member organisation.")
        out["organisation"] = None
    out["errors"] = errors
    return out


def _query(filters: dict[str, Any], **extra: Any) -> str:
    pairs = {k: v for k, v in filters.items() if k != "errors" and v not in (None, "")}
    pairs.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(pairs)


async def _rows(filters: dict[str, Any]) -> list[CommissionRecord]:
    return await records.list_records(
        year=filters["year"],
        organisation_id=filters["organisation"],
        source=filters["source"] or None,
        status=filters["status"] or None,
    )


async def _page(
    request: Request, errors: dict[str, str] | None = None, form: dict[str, str] | None = None
) -> Template:
    filters = _filters(request)
    errors = {**filters["errors"], **(errors or {})}
    rows = await _rows(filters)
    organisations = await Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    flashes = {
        "recorded": _("Commission recorded."),
        "market": _("Collective market recorded: one commission per member."),
        "confirmed": _("Commission confirmed."),
        "invoiced": _("Invoice issued and emailed to the member."),
        "paid": _("Payment recorded."),
        "cancelled": _("Commission cancelled."),
    }
    return render(
        "commissions/staff_commissions.html",
        status_code=422 if errors else 200,
        rows=rows,
        summary=totals.summarise(rows, filters["year"]),
        filters=filters,
        query=_query(filters),
        organisations=organisations,
        sources=records.SOURCES,
        statuses=records.STATUSES,
        source_label=billing.source_label,
        commission_status_label=billing.status_label,
        default_rate=records.default_rate_bp(),
        market_rows=range(MARKET_ROWS),
        errors=errors,
        open_forms={key.split("-", 1)[0] for key in errors},
        form=form or {},
        flash=flashes.get(request.query_params.get("flash", "")),
    )


def _back(request: Request, flash: str) -> Redirect:
    filters = _filters(request)
    return Redirect(f"/staff/commissions?{_query(filters, flash=flash)}", status_code=HTTP_303_SEE_OTHER)


CSV_COLUMNS: list[tuple[str, csv_export.Kind]] = [
    ("id", "int"),
    ("won_on", "date"),
    ("organisation", "text"),
    ("source", "code"),
    ("buyer", "text"),
    ("description", "text"),
    ("amount_cents", "money"),
    ("rate_percent", "text"),
    ("rate_reason", "text"),
    ("commission_cents", "money"),
    ("status", "code"),
    ("invoice_number", "text"),
    ("credit_note_number", "text"),
    ("paid_at", "datetime"),
]


def _csv_columns() -> list[csv_export.Column]:
    labels = {
        "id": _("No."),
        "won_on": _("Date won"),
        "organisation": _("Member"),
        "source": _("Source"),
        "buyer": _("Buyer"),
        "description": _("Description"),
        "amount_cents": _("Amount won excl. VAT"),
        "rate_percent": _("Rate (%)"),
        "rate_reason": _("Reason for the rate"),
        "commission_cents": _("Commission excl. VAT"),
        "status": _("Status"),
        "invoice_number": _("Invoice"),
        "credit_note_number": _("Credit note"),
        "paid_at": _("Paid on"),
    }
    code_labels = {"source": billing.source_label, "status": billing.status_label}
    return [csv_export.Column(key, labels[key], kind, code_labels.get(key)) for key, kind in CSV_COLUMNS]


class StaffCommissionPages(Controller):
    path = "/staff/commissions"
    include_in_schema = False
    guards = [staff_guard]

    @get("/", name="staff-commissions")
    async def index(self, request: Request) -> Template:
        return await _page(request)

    @get("/export.csv", name="staff-commissions-csv")
    async def export(self, request: Request, format: str | None = None) -> Response[bytes]:
        """The filtered records as CSV (French Excel by default, ?format=plain for scripts)."""
        filters = _filters(request)
        dialect = csv_export.dialect_from_query(format)
        rows = []
        for r in await _rows(filters):
            row = dict(r.__dict__)
            row["rate_percent"] = f"{r.rate_bp / 100:g}".replace(".", "," if dialect == "excel" else ".")
            rows.append(row)
        content = csv_export.write(_csv_columns(), rows, dialect)
        year = filters["year"] or "all"
        return csv_export.response(content, f"commissions-{year}.csv")

    @post("/business", name="staff-commissions-business")
    async def business(self, request: Request) -> Template | Redirect:
        form = await form_data(request)
        try:
            await records.record_business(form)
        except ValidationFailed as exc:
            return await _page(request, {f"business-{k}": v for k, v in exc.errors.items()}, form)
        return _back(request, "recorded")

    @post("/markets", name="staff-commissions-market")
    async def market(self, request: Request) -> Template | Redirect:
        form = await form_data(request)
        lines = [
            i
            for i in range(MARKET_ROWS)
            if form.get(f"share-organisation-{i}") or form.get(f"share-amount-{i}")
        ]
        shares = [
            {
                "organisation": form.get(f"share-organisation-{i}", ""),
                "amount": form.get(f"share-amount-{i}", ""),
            }
            for i in lines
        ]
        try:
            await records.record_market({**form, "shares": shares})
        except ValidationFailed as exc:
            errors = {}
            for key, message in exc.errors.items():
                # shares[n] is the form's line lines[n] (empty lines are skipped)
                key = re.sub(r"^shares\[(\d+)\]", lambda m: f"shares[{lines[int(m.group(1))]}]", key)
                errors[f"market-{key}"] = message
            return await _page(request, errors, form)
        return _back(request, "market")

    @post("/{commission_id:int}/confirm", name="staff-commissions-confirm")
    async def confirm(self, request: Request, commission_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            await records.confirm(commission_id, form)
        except ValidationFailed as exc:
            return await _page(request, {f"{commission_id}-{k}": v for k, v in exc.errors.items()}, form)
        return _back(request, "confirmed")

    @post("/{commission_id:int}/invoice", name="staff-commissions-invoice")
    async def invoice(self, request: Request, commission_id: int) -> Template | Redirect:
        try:
            await billing.invoice(commission_id)
        except ValidationFailed as exc:
            return await _page(request, {f"{commission_id}-{k}": v for k, v in exc.errors.items()})
        return _back(request, "invoiced")

    @post("/{commission_id:int}/paid", name="staff-commissions-paid")
    async def paid(self, request: Request, commission_id: int) -> Redirect:
        form = await form_data(request)
        await billing.mark_paid(commission_id, form.get("method") or "transfer")
        return _back(request, "paid")

    @post("/{commission_id:int}/cancel", name="staff-commissions-cancel")
    async def cancel(self, request: Request, commission_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            await billing.cancel(commission_id, form.get("reason", ""))
        except ValidationFailed as exc:
            return await _page(request, {f"{commission_id}-{k}": v for k, v in exc.errors.items()}, form)
        return _back(request, "cancelled")


async def _member_page(email: str, flash: str = "", error: str = "") -> Template:
    settings = get_settings()
    return render(
        "commissions/mine.html",
        status_code=409 if error else 200,
        invoices=await billing.invoices_for(email),
        commission_status_label=billing.status_label,
        iban=settings.bank_iban,
        holder=settings.bank_account_holder,
        card=payments.online_payment_enabled(),
        flash=flash,
        error=error,
    )


class MemberCommissionPages(Controller):
    """The commission invoices of the organisations a signed-in person acts for, and how to pay them (card
    through Stripe's Payment Element, or bank transfer). Stripe sends the payer back to
    /commissions?paid=<id>, which asks Stripe and records the payment (the webhook may have done it already:
    once either way)."""

    path = "/commissions"
    include_in_schema = False

    @get("/", name="my-commissions")
    async def mine(self, request: Request, paid: int | None = None) -> Template | Redirect:
        email = attendee_email(request)
        if not email:
            return Redirect("/auth/link?next=/commissions", status_code=HTTP_303_SEE_OTHER)
        flash = ""
        if paid is not None:
            if not await billing.may_see(email, paid):
                raise NotFound(_("This commission does not exist."))
            try:
                done = await billing.sync_card_payment(paid)
            except payments.PaymentUnavailable:
                done = False
            flash = (
                _("Thank you: your commission invoice is paid.")
                if done
                else _("The payment is not confirmed yet: reload this page in a moment.")
            )
        return await _member_page(email, flash)

    @post("/{commission_id:int}/pay", name="my-commissions-pay")
    async def pay(self, request: Request, commission_id: int) -> Template | Redirect:
        """The card payment page of one invoice (from a POST: starting a payment is not a GET)."""
        email = attendee_email(request)
        if not email or not await billing.may_see(email, commission_id):
            raise NotFound(_("This commission does not exist."))
        if not payments.online_payment_enabled():
            return Redirect("/commissions", status_code=HTTP_303_SEE_OTHER)
        try:
            secret = await billing.start_card_payment(commission_id)
        except payments.PaymentUnavailable:
            secret = ""  # the payment page then says to pay by transfer
        except DomainError as exc:  # paid meanwhile, cancelled, not invoiced
            return await _member_page(email, error=str(exc))
        record = await records.get_record(commission_id)
        row = await records.get_row(commission_id)
        return invoice_payment_page(
            title=_("Commission invoice"),
            payer=record.organisation,
            invoice_number=record.invoice_number,
            amount_ttc_cents=await billing.invoice_ttc_cents(row),
            client_secret=secret,
            return_url=f"{get_settings().base_url}/commissions?paid={commission_id}",
            back_url="/commissions",
            back_label=_("Back to my commission invoices"),
        )


ROUTES: list[Any] = [StaffCommissionPages, MemberCommissionPages]
