"""Calling a year's dues, paying them, reminding and lapsing (rules; no HTTP).

- One staff action calls the dues of every organisation of the register for a year: one invoice each
  (ticketing.invoices gapless numbering), HT by the organisation's revenue band at the time of the call
  (a band changed since last year gives this year's price; last year's invoice keeps its own), plus TVA.
  Optionally pro-rata by remaining months for an organisation that joined during the called year.
- Calling again never issues a second invoice for an organisation and year: the year is locked while
  calling, and a unique index on (organisation, year) is the last guard.
- A payment (staff record a transfer, or a card payment at Stripe is confirmed) records the register's
  MembershipYear as paid in the same transaction, so the standing (member prices) follows at once.
- Reminders for unpaid dues every DUES_REMINDER_DAYS; after DUES_LAPSE_AFTER (MM-DD) of the year, an
  organisation whose dues are still unpaid is told, once, that it is no longer in good standing.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dues.tables import DuesCall
from lib.clock import local_date
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _, get_locale
from lib.jobs import atomic, enqueue
from lib.locking import lock
from lib.settings import get_settings
from members import register, standing
from members.tables import MembershipYear, Organisation, Person
from ticketing import documents, payments
from ticketing.invoices import credit_invoice, write_invoice
from ticketing.tables import CreditNote, Invoice

log = logging.getLogger(__name__)
# The metadata key of a dues call's PaymentIntent (ticketing.payments.pays_for dispatches by it).
CARD_PURPOSE = "dues_call"

PAYMENT_METHODS = ("transfer", "card")


@dataclass(frozen=True)
class CallResult:
    year: int
    issued: list[int]  # DuesCall ids invoiced by this call
    already: int  # organisations already called for this year (nothing issued again)


@dataclass(frozen=True)
class DuesRow:
    id: int
    organisation_id: int
    organisation: str
    year: int
    revenue_band: str
    email: str
    invoice_number: str
    amount_ht_cents: int
    vat_cents: int
    amount_ttc_cents: int
    status: str  # paid | unpaid | lapsed | cancelled
    paid_at: datetime | None
    payment_method: str
    reminders: int
    credit_note_number: str = ""


def _check_year(year: Any) -> int:
    message = register.year_error(year)
    if message:
        raise ValidationFailed.one("year", message)
    return int(year)


def _joined_in(org: Organisation, year: int) -> int | None:
    """The month (1-12) the organisation joined in, when it joined during `year`."""
    if org.created_at is None:
        return None
    created = org.created_at.astimezone(ZoneInfo(get_settings().timezone))
    return created.month if created.year == year else None


def dues_ht_cents(org: Organisation, year: int) -> int:
    """The year's dues HT for an organisation: its band's price, pro-rata by remaining months (the joining
    month counts) when DUES_PRORATA is on and it joined during that year."""
    full = register.dues_cents(org.revenue_band)
    month = _joined_in(org, year)
    if not get_settings().dues_prorata or month is None or month == 1:
        return full
    return (full * (13 - month) + 6) // 12  # rounded to the nearest cent


def vat_of(ht_cents: int) -> int:
    return (ht_cents * get_settings().vat_rate_percent + 50) // 100


async def contact_email(org: Organisation) -> str:
    """The organisation's own address, else its first person's."""
    if org.email:
        return org.email
    person = await Person.objects().where(Person.organisation == org.id).order_by(Person.id).first()
    return person.email if person else ""


async def call_year(year: Any) -> CallResult:
    """Invoice the year's dues of every organisation not yet called for it, and email each invoice."""
    year = _check_year(year)
    issued: list[int] = []
    async with atomic():
        await lock("dues-call", year)
        called = {
            r["organisation"]
            for r in await DuesCall.select(DuesCall.organisation).where(DuesCall.year == year)
        }
        for org in await Organisation.objects().order_by(Organisation.name):
            if org.id in called:
                continue
            ht = dues_ht_cents(org, year)
            vat = vat_of(ht)
            email = await contact_email(org)
            invoice = await write_invoice(
                order_id=None,
                buyer_name=org.name,
                buyer_email=email,
                buyer_organisation=org.name,
                total_ht_cents=ht,
                total_vat_cents=vat,
                total_ttc_cents=ht + vat,
            )
            row = DuesCall(
                organisation=org.id,
                year=year,
                revenue_band=org.revenue_band,
                invoice=invoice.id,
                email=email,
                amount_ht_cents=ht,
                vat_cents=vat,
                amount_ttc_cents=ht + vat,
            )
            await row.save()
            if email:
                await _queue_email(row.id, "invoice")
            issued.append(row.id)
    return CallResult(year, issued, len(called))


async def _queue_email(call_id: int, kind: str, sequence: int = 0) -> None:
    await enqueue(
        "dues.email",
        {
            "call": call_id,
            "kind": kind,
            "locale": get_locale(),
            "message_id": f"<{uuid.uuid4().hex}@ledamier.fr>",
        },
        dedup_key=f"dues-{kind}-{call_id}-{sequence}",
    )


async def get_call(call_id: int) -> DuesCall:
    row = await DuesCall.objects().where(DuesCall.id == call_id).first()
    if row is None:
        raise NotFound(_("These dues do not exist."))
    return row


def status_of(row: DuesCall | dict[str, Any]) -> str:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    if get("credit_note") is not None:
        return "cancelled"
    if get("paid_at") is not None:
        return "paid"
    return "lapsed" if get("lapse_notice_at") is not None else "unpaid"


async def list_year(year: Any, *, organisation_id: int | None = None) -> list[DuesRow]:
    year = _check_year(year)
    query = DuesCall.select(
        *DuesCall.all_columns(),
        DuesCall.organisation.name.as_alias("organisation_name"),
        DuesCall.invoice.number.as_alias("invoice_number"),
        DuesCall.credit_note.number.as_alias("credit_note_number"),
    ).where(DuesCall.year == year)
    if organisation_id is not None:
        query = query.where(DuesCall.organisation == organisation_id)
    rows = await query
    return sorted((_row(r) for r in rows), key=lambda r: r.organisation.casefold())


def _row(r: dict[str, Any]) -> DuesRow:
    return DuesRow(
        id=r["id"],
        organisation_id=r["organisation"],
        organisation=r["organisation_name"],
        year=r["year"],
        revenue_band=r["revenue_band"],
        email=r["email"],
        invoice_number=r["invoice_number"] or "",
        amount_ht_cents=r["amount_ht_cents"],
        vat_cents=r["vat_cents"],
        amount_ttc_cents=r["amount_ttc_cents"],
        status=status_of(r),
        paid_at=r["paid_at"],
        payment_method=r["payment_method"],
        reminders=r["reminders"],
        credit_note_number=r["credit_note_number"] or "",
    )


async def calls_of_organisation(organisation_id: int) -> list[DuesRow]:
    """Every dues invoice of one organisation, newest year first (its member space)."""
    rows = await DuesCall.select(
        *DuesCall.all_columns(),
        DuesCall.organisation.name.as_alias("organisation_name"),
        DuesCall.invoice.number.as_alias("invoice_number"),
        DuesCall.credit_note.number.as_alias("credit_note_number"),
    ).where(DuesCall.organisation == organisation_id)
    return sorted((_row(r) for r in rows), key=lambda r: (r.year, r.id), reverse=True)


async def row_of(call_id: int) -> DuesRow:
    call = await get_call(call_id)
    rows = await list_year(call.year, organisation_id=call.organisation)
    return next(r for r in rows if r.id == call_id)


def paris_today() -> date:
    return register.today()


async def mark_paid(call_id: int, method: str = "transfer", paid_on: date | None = None) -> DuesRow:
    """Record the payment of a year's dues (once; again changes nothing) and, in the same transaction, the
    register's MembershipYear: the organisation is in good standing from that day on."""
    if method not in PAYMENT_METHODS:
        raise ValidationFailed.one("method", _("Unknown payment method (transfer or card)."))
    paid_on = paid_on or paris_today()
    message = register.paid_on_error(paid_on)
    if message:
        raise ValidationFailed.one("paid_on", message)
    call = await get_call(call_id)
    async with atomic():
        done = await DuesCall.raw(
            "UPDATE dues_call SET paid_at = {}, payment_method = {} WHERE id = {} AND paid_at IS NULL "
            "AND credit_note IS NULL RETURNING id",
            datetime.now(UTC),
            method,
            call.id,
        )
        if not done and call.credit_note is not None:
            raise Conflict(_("These dues are cancelled: there is nothing to pay."))
        if done:
            await standing.record_membership_payment(call.organisation, call.year, paid_on)
            await MembershipYear.update({MembershipYear.dues_cents: call.amount_ht_cents}).where(
                (MembershipYear.organisation == call.organisation) & (MembershipYear.year == call.year)
            )
    return await row_of(call.id)


async def cancel(call_id: int, reason: Any) -> DuesRow:
    """Cancel unpaid dues (an organisation that left, dues called by mistake): a credit note for the whole
    invoice, emailed; no reminder or notice afterwards; calling the year again issues nothing for it."""
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationFailed.one("reason", _("Say why the dues are cancelled."))
    if len(text) > 300:
        raise ValidationFailed.one("reason", _("At most %(n)s characters.", n=300))
    call = await get_call(call_id)
    async with atomic():
        await lock("dues-cancel", call.id)
        fresh = await get_call(call.id)
        if fresh.credit_note is None:
            if fresh.paid_at is not None:
                raise Conflict(_("These dues are already paid."))
            invoice = await Invoice.objects().where(Invoice.id == fresh.invoice).first()
            assert invoice is not None
            note = await credit_invoice(invoice, reason=text)
            done = await DuesCall.raw(
                "UPDATE dues_call SET credit_note = {}, cancel_reason = {} WHERE id = {} "
                "AND paid_at IS NULL AND credit_note IS NULL RETURNING id",
                note.id,
                text,
                fresh.id,
            )
            if not done:  # paid meanwhile (a card payment): the transaction and its credit note roll back
                raise Conflict(_("These dues are already paid."))
            if fresh.email:
                await _queue_email(fresh.id, "credit_note")
    return await row_of(call.id)


async def credit_note_pdf(call_id: int) -> tuple[str, bytes]:
    call = await get_call(call_id)
    if call.credit_note is None or call.invoice is None:
        raise NotFound(_("This credit note does not exist."))
    note = await CreditNote.select().where(CreditNote.id == call.credit_note).first()
    invoice = await Invoice.select().where(Invoice.id == call.invoice).first()
    assert note is not None and invoice is not None
    footer = _("Nothing is due any more.")
    return note["number"], documents.credit_document_pdf(note, invoice, _lines(call), footer)


async def may_act_for(email: str, call: DuesCall) -> bool:
    """A person of the organisation (by their record, or by the organisation's email domain) or its
    contact address."""
    address = email.strip().lower()
    if not address:
        return False
    if address == call.email.lower():
        return True
    org = await Organisation.objects().where(Organisation.id == call.organisation).first()
    if org is None:
        return False
    if org.email_domain and address.rpartition("@")[2] == org.email_domain.lower():
        return True
    people = await Person.select(Person.email).where(Person.organisation == org.id)
    return any(p["email"].lower() == address for p in people)


async def calls_for(email: str) -> list[DuesRow]:
    """Every dues invoice of the organisations this person acts for, newest year first."""
    rows = []
    for call in await DuesCall.objects().order_by(DuesCall.year, ascending=False):
        if await may_act_for(email, call):
            rows.append(await row_of(call.id))
    return rows


async def start_card_payment(call_id: int) -> str:
    """A Stripe PaymentIntent for the dues TTC (one per call: a second click resumes it)."""
    call = await get_call(call_id)
    if call.paid_at is not None:
        raise Conflict(_("These dues are already paid."))
    if call.credit_note is not None:
        raise Conflict(_("These dues are cancelled: there is nothing to pay."))
    card = await payments.start_or_resume_card_payment(
        purpose=CARD_PURPOSE,
        ref=call.id,
        amount_cents=call.amount_ttc_cents,
        current_intent_id=call.payment_intent_id,
    )
    if card.succeeded:
        await mark_paid(call.id, "card")
        raise Conflict(_("These dues are already paid."))
    if card.payment_intent_id != call.payment_intent_id:
        await DuesCall.update({DuesCall.payment_intent_id: card.payment_intent_id}).where(
            DuesCall.id == call.id
        )
    return card.client_secret


async def sync_card_payment(call_id: int) -> bool:
    """Ask Stripe whether the PaymentIntent succeeded (for the right amount); marks the dues paid if so."""
    call = await get_call(call_id)
    if call.paid_at is not None:
        return True
    if await payments.card_payment_succeeded(call.payment_intent_id, call.amount_ttc_cents):
        await mark_paid(call.id, "card")
        return True
    return False


@payments.pays_for(CARD_PURPOSE)
async def card_payment_confirmed(call_id: int, intent: Any) -> str:
    """A verified webhook: the dues' PaymentIntent succeeded (for their amount) → paid, once."""
    call = await DuesCall.objects().where(DuesCall.id == call_id).first()
    if call is None or call.payment_intent_id != intent.id:
        return "unknown_dues"
    if call.paid_at is not None:
        return "already_paid"
    if not payments.intent_pays(intent, call.amount_ttc_cents):
        return "not_paid"
    try:
        await mark_paid(call.id, "card")
    except Conflict:  # cancelled meanwhile (credit note): staff refund it from Stripe's dashboard
        log.error("PaymentIntent %s paid dues call %s, which has a credit note", intent.id, call.id)
        return "cancelled"
    return "paid"


def lapse_date(year: int) -> date:
    """The day after which unpaid dues of `year` lose the standing with a notice (DUES_LAPSE_AFTER)."""
    text = get_settings().dues_lapse_after
    try:
        month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        return date(year, 3, 31)


@dataclass(frozen=True)
class FollowUp:
    reminded: int
    lapsed: int


async def follow_up(today: date | None = None) -> FollowUp:
    """Remind unpaid dues every DUES_REMINDER_DAYS; after the lapse date, tell each organisation once
    that its standing is lost. Idempotent and safe from several processes (conditional UPDATEs)."""
    today = today or paris_today()
    now = datetime.now(UTC)
    every = timedelta(days=get_settings().dues_reminder_days)
    reminded = lapsed = 0
    for call in await DuesCall.objects().where(
        DuesCall.paid_at.is_null() & DuesCall.credit_note.is_null() & (DuesCall.email != "")
    ):
        if call.lapse_notice_at is None and today > lapse_date(call.year):
            async with atomic():
                done = await DuesCall.raw(
                    "UPDATE dues_call SET lapse_notice_at = {} WHERE id = {} AND lapse_notice_at IS NULL "
                    "AND paid_at IS NULL AND credit_note IS NULL RETURNING id",
                    now,
                    call.id,
                )
                if done:
                    await _queue_email(call.id, "lapse")
                    lapsed += 1
            continue
        if call.lapse_notice_at is not None:
            continue
        last = call.reminded_at or call.called_at
        if now - last < every:
            continue
        async with atomic():
            done = await DuesCall.raw(
                "UPDATE dues_call SET reminded_at = {}, reminders = reminders + 1 WHERE id = {} "
                "AND paid_at IS NULL AND reminders = {} RETURNING reminders",
                now,
                call.id,
                call.reminders,
            )
            if done:
                await _queue_email(call.id, "reminder", done[0]["reminders"])
                reminded += 1
    return FollowUp(reminded, lapsed)


async def remind_now(year: Any) -> int:
    """Staff action: a reminder to every organisation whose dues of `year` are unpaid (once per day)."""
    year = _check_year(year)
    now = datetime.now(UTC)
    count = 0
    for call in await DuesCall.objects().where(
        (DuesCall.year == year)
        & DuesCall.paid_at.is_null()
        & DuesCall.credit_note.is_null()
        & (DuesCall.email != "")
    ):
        if call.reminded_at is not None and now - call.reminded_at < timedelta(days=1):
            continue
        async with atomic():
            done = await DuesCall.raw(
                "UPDATE dues_call SET reminded_at = {}, reminders = reminders + 1 WHERE id = {} "
                "AND paid_at IS NULL AND reminders = {} RETURNING reminders",
                now,
                call.id,
                call.reminders,
            )
            if done:
                await _queue_email(call.id, "reminder", done[0]["reminders"])
                count += 1
    return count


def payment_sentence(call: DuesCall) -> str:
    settings = get_settings()
    if call.paid_at:
        return _("Paid on %(date)s.", date=local_date(call.paid_at).strftime("%d/%m/%Y"))
    text = _("Payable by card on your membership page, or by bank transfer")
    if settings.bank_iban:
        text += f" (IBAN {settings.bank_iban}, {settings.bank_account_holder})"
    return text + "."


async def invoice_pdf(call_id: int) -> tuple[str, bytes]:
    call = await get_call(call_id)
    if call.invoice is None:
        raise NotFound(_("This invoice does not exist."))
    invoice = await Invoice.select().where(Invoice.id == call.invoice).first()
    assert invoice is not None
    return invoice["number"], documents.document_pdf(invoice, _lines(call), payment_sentence(call))


def _lines(call: DuesCall) -> list[dict[str, Any]]:
    label = _("Membership dues %(year)s", year=call.year)
    band = register.REVENUE_BAND_LABELS.get(call.revenue_band, call.revenue_band)
    return [{"label": f"{label} ({band})", "quantity": 1, "unit_ht": call.amount_ht_cents}]
