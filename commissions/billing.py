"""A commission's money: the French invoice to the member (ticketing's gapless numbering, HT/TVA/TTC), the
payment staff record or the member makes by card (Stripe, through ticketing.payments: one PaymentIntent per
invoice, recorded once by the return page's sync or the webhook, whichever comes first), the credit note when
an invoiced commission is cancelled, reminders of unpaid invoices (one per delay of COMMISSION_REMINDER_DAYS
after the invoice, never twice), and who may download them.

Every change is one conditional UPDATE on the status, so two clicks never invoice twice or pay a cancelled
commission: the first wins, the second sees the new status and changes nothing."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from commissions import records
from commissions.records import CommissionRecord
from commissions.tables import Commission
from lib.clock import local_date
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _, get_locale
from lib.jobs import atomic, enqueue
from lib.locking import lock
from lib.settings import get_settings
from lib.templating import fmt_money
from members.tables import Organisation, Person
from ticketing import documents, payments
from ticketing.invoices import credit_invoice, write_invoice
from ticketing.tables import CreditNote, Invoice

log = logging.getLogger(__name__)
PAYMENT_METHODS = ("transfer", "card", "cheque")
# The metadata key of a commission invoice's PaymentIntent (ticketing.payments.pays_for dispatches by it).
CARD_PURPOSE = "commission"


def source_label(source: str) -> str:
    return {
        "deal": _("Speed-meeting deal"),
        "market": _("Collective market"),
        "business": _("Business brought"),
    }.get(source, source)


def status_label(status: str) -> str:
    return {
        "expected": _("Expected"),
        "confirmed": _("Confirmed"),
        "invoiced": _("Invoiced"),
        "paid": _("Paid"),
        "cancelled": _("Cancelled"),
    }.get(status, status)


def vat_of(ht_cents: int) -> int:
    return (ht_cents * get_settings().vat_rate_percent + 50) // 100


async def contact_email(org: Organisation) -> str:
    """The organisation's own address, else its first person's."""
    if org.email:
        return org.email
    person = await Person.objects().where(Person.organisation == org.id).order_by(Person.id).first()
    return person.email if person else ""


async def _queue_email(commission_id: int, kind: str, sequence: int = 0) -> None:
    await enqueue(
        "commissions.email",
        {
            "commission": commission_id,
            "kind": kind,
            "locale": get_locale(),
            "message_id": f"<{uuid.uuid4().hex}@ledamier.fr>",
        },
        dedup_key=f"commission-{kind}-{commission_id}-{sequence}",
    )


async def invoice(commission_id: int) -> CommissionRecord:
    """Invoice a confirmed commission to its member (HT + TVA) and email the invoice. Once only."""
    row = await records.get_row(commission_id)
    if row.status in ("invoiced", "paid"):
        return await records.get_record(row.id)
    if row.status != "confirmed":
        raise Conflict(_("Confirm the commission before invoicing it."))
    if row.organisation is None:
        raise ValidationFailed.one(
            "organisation", _("This commission has no member organisation to invoice.")
        )
    org = await Organisation.objects().where(Organisation.id == row.organisation).first()
    assert org is not None
    email = await contact_email(org)
    async with atomic():
        await lock("commission", row.id)
        fresh = await records.get_row(row.id)
        if fresh.status != "confirmed":
            return await records.get_record(row.id)
        ht = fresh.commission_cents
        vat = vat_of(ht)
        written = await write_invoice(
            order_id=None,
            buyer_name=org.name,
            buyer_email=email,
            buyer_organisation=org.name,
            total_ht_cents=ht,
            total_vat_cents=vat,
            total_ttc_cents=ht + vat,
        )
        done = await Commission.raw(
            "UPDATE commission SET status = 'invoiced', invoice = {}, invoiced_at = {}, email = {} "
            "WHERE id = {} AND status = 'confirmed' RETURNING id",
            written.id,
            datetime.now(UTC),
            email,
            fresh.id,
        )
        if not done:  # cannot happen under the lock; roll the number back rather than leave a gap
            raise Conflict(_("This commission changed meanwhile: reload the page."))
        if email:
            await _queue_email(fresh.id, "invoice")
    return await records.get_record(row.id)


async def mark_paid(
    commission_id: int, method: str = "transfer", paid_on: date | None = None
) -> CommissionRecord:
    """Staff record the payment of an invoiced commission (again changes nothing)."""
    if method not in PAYMENT_METHODS:
        raise ValidationFailed.one("method", _("Unknown payment method (transfer, card or cheque)."))
    today = records.today()
    paid_on = paid_on or today
    if paid_on > today or paid_on.year < 2000:
        raise ValidationFailed.one("paid_on", _("This date is not valid."))
    row = await records.get_row(commission_id)
    if row.status == "paid":
        return await records.get_record(row.id)
    when = datetime.combine(paid_on, datetime.now(UTC).timetz()) if paid_on != today else datetime.now(UTC)
    async with atomic():
        done = await Commission.raw(
            "UPDATE commission SET status = 'paid', paid_at = {}, payment_method = {} "
            "WHERE id = {} AND status = 'invoiced' RETURNING id",
            when,
            method,
            row.id,
        )
    if not done:
        fresh = await records.get_row(row.id)
        if fresh.status != "paid":
            raise Conflict(_("Only an invoiced commission can be paid."))
    return await records.get_record(row.id)


async def cancel(commission_id: int, reason: Any) -> CommissionRecord:
    """Cancel a commission: before invoicing, it is simply cancelled; once invoiced (and unpaid), a credit
    note for the whole invoice is issued and emailed. A paid commission is not cancelled here."""
    row = await records.get_row(commission_id)
    if row.status in ("expected", "confirmed"):
        return await records.cancel_expected(row.id, reason)
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationFailed.one("reason", _("Say why the commission is cancelled."))
    if len(text) > 300:
        raise ValidationFailed.one("reason", _("At most %(n)s characters.", n=300))
    if row.status == "paid":
        raise Conflict(_("This commission is already paid."))
    if row.status == "cancelled":
        return await records.get_record(row.id)
    async with atomic():
        await lock("commission", row.id)
        fresh = await records.get_row(row.id)
        if fresh.status != "invoiced":
            if fresh.status == "paid":
                raise Conflict(_("This commission is already paid."))
            return await records.get_record(row.id)
        written = await Invoice.objects().where(Invoice.id == fresh.invoice).first()
        assert written is not None
        note = await credit_invoice(written, reason=text)
        done = await Commission.raw(
            "UPDATE commission SET status = 'cancelled', credit_note = {}, cancelled_at = {}, cancel_reason = {} "
            "WHERE id = {} AND status = 'invoiced' RETURNING id",
            note.id,
            datetime.now(UTC),
            text,
            fresh.id,
        )
        if not done:  # paid meanwhile: the transaction and its credit note roll back
            raise Conflict(_("This commission is already paid."))
        if fresh.email:
            await _queue_email(fresh.id, "credit_note")
    if fresh.payment_intent_id:  # a card payment started on the page can no longer go through
        await payments.cancel_payment_intent(fresh.payment_intent_id)
    return await records.get_record(row.id)


async def invoice_ttc_cents(row: Commission) -> int:
    """What the member owes: the TTC of the invoice as written (not recomputed: the VAT rate may change)."""
    written = await Invoice.select(Invoice.total_ttc_cents).where(Invoice.id == row.invoice).first()
    if written is None:
        raise NotFound(_("This invoice does not exist."))
    return int(written["total_ttc_cents"])


def _check_payable(row: Commission) -> None:
    if row.status == "paid":
        raise Conflict(_("This commission is already paid."))
    if row.status == "cancelled":
        raise Conflict(_("This commission is cancelled: there is nothing to pay."))
    if row.status != "invoiced" or row.invoice is None:
        raise Conflict(_("This commission is not invoiced yet: there is nothing to pay."))


async def start_card_payment(commission_id: int) -> str:
    """A Stripe PaymentIntent for the invoice's TTC (one per invoice: a second click resumes it); its client
    secret for Stripe.js. Refused once paid or cancelled, and before the invoice."""
    row = await records.get_row(commission_id)
    _check_payable(row)
    card = await payments.start_or_resume_card_payment(
        purpose=CARD_PURPOSE,
        ref=row.id,
        amount_cents=await invoice_ttc_cents(row),
        current_intent_id=row.payment_intent_id or None,
    )
    if card.succeeded:  # paid at Stripe, not recorded yet (webhook late): record it now
        await mark_paid(row.id, "card")
        raise Conflict(_("This commission is already paid."))
    if card.payment_intent_id != row.payment_intent_id:
        await Commission.update({Commission.payment_intent_id: card.payment_intent_id}).where(
            Commission.id == row.id
        )
    return card.client_secret


async def sync_card_payment(commission_id: int) -> bool:
    """Ask Stripe whether the invoice's PaymentIntent succeeded (for its TTC); marks it paid if so."""
    row = await records.get_row(commission_id)
    if row.status == "paid":
        return True
    if row.status != "invoiced" or not row.payment_intent_id:
        return False
    if await payments.card_payment_succeeded(row.payment_intent_id, await invoice_ttc_cents(row)):
        await mark_paid(row.id, "card")
        return True
    return False


@payments.pays_for(CARD_PURPOSE)
async def card_payment_confirmed(commission_id: int, intent: Any) -> str:
    """A verified webhook: the invoice's PaymentIntent succeeded (for its TTC) -> paid by card, once."""
    row = await Commission.objects().where(Commission.id == commission_id).first()
    if row is None or not row.payment_intent_id or row.payment_intent_id != intent.id:
        return "unknown_commission"
    if row.status == "paid":
        return "already_paid"
    if row.invoice is None or not payments.intent_pays(intent, await invoice_ttc_cents(row)):
        return "not_paid"
    try:
        await mark_paid(row.id, "card")
    except Conflict:  # cancelled meanwhile (credit note): staff refund it from Stripe's dashboard
        log.error("PaymentIntent %s paid commission %s, which is cancelled", intent.id, row.id)
        return "cancelled"
    return "paid"


def _rate_text(rate_bp: int) -> str:
    return f"{rate_bp / 100:g} %".replace(".", ",")


def _lines(record: CommissionRecord) -> list[dict[str, Any]]:
    """One short line (the PDF's description column holds 60 characters); the details go under it."""
    what = {
        "deal": _("Commission on a speed-meeting deal"),
        "market": _("Commission on a collective market"),
        "business": _("Commission on business brought"),
    }[record.source]
    return [
        {"label": f"{what} ({_rate_text(record.rate_bp)})", "quantity": 1, "unit_ht": record.commission_cents}
    ]


def details(record: CommissionRecord) -> str:
    """What the commission is on, in full: the business, the buyer, the amount won, the rate and its reason."""
    parts = []
    if record.market:
        parts.append(_("Market: %(title)s", title=record.market))
    elif record.description:
        parts.append(_("Business: %(description)s", description=record.description))
    if record.buyer:
        parts.append(_("Buyer: %(buyer)s", buyer=record.buyer))
    parts.append(
        _(
            "%(rate)s of the amount won, %(amount)s excl. VAT (won on %(date)s)",
            rate=_rate_text(record.rate_bp),
            amount=fmt_money(record.amount_cents),
            date=record.won_on.strftime("%d/%m/%Y"),
        )
    )
    if record.rate_reason:
        parts.append(_("Rate: %(reason)s", reason=record.rate_reason))
    return "\n".join(parts)


def payment_sentence(record: CommissionRecord) -> str:
    settings = get_settings()
    if record.paid_at:
        return _("Paid on %(date)s.", date=local_date(record.paid_at).strftime("%d/%m/%Y"))
    if payments.online_payment_enabled():
        text = _(
            "Payable by card on %(url)s, or by bank transfer within 30 days",
            url=f"{settings.base_url}/commissions",
        )
    else:
        text = _("Payable by bank transfer within 30 days")
    if settings.bank_iban:
        text += f" (IBAN {settings.bank_iban}, {settings.bank_account_holder})"
    return text + "."


async def invoice_pdf(commission_id: int) -> tuple[str, bytes]:
    record = await records.get_record(commission_id)
    if record.invoice_id is None:
        raise NotFound(_("This invoice does not exist."))
    written = await Invoice.select().where(Invoice.id == record.invoice_id).first()
    assert written is not None
    footer = details(record) + "\n\n" + payment_sentence(record)
    return written["number"], documents.document_pdf(written, _lines(record), footer)


async def credit_note_pdf(commission_id: int) -> tuple[str, bytes]:
    row = await records.get_row(commission_id)
    if row.credit_note is None or row.invoice is None:
        raise NotFound(_("This credit note does not exist."))
    record = await records.get_record(commission_id)
    note = await CreditNote.select().where(CreditNote.id == row.credit_note).first()
    written = await Invoice.select().where(Invoice.id == row.invoice).first()
    assert note is not None and written is not None
    footer = details(record) + "\n\n" + _("Nothing is due any more.")
    return note["number"], documents.credit_document_pdf(note, written, _lines(record), footer)


async def organisations_for(email: str) -> set[int]:
    """The organisations a signed-in person acts for: their person record's, one whose contact address it
    is, or one whose email domain is theirs (the member register's rule, as for dues)."""
    address = (email or "").strip().lower()
    if not address:
        return set()
    found = {
        p["organisation"]
        for p in await Person.select(Person.organisation, Person.email)
        if p["organisation"] is not None and p["email"].lower() == address
    }
    domain = address.rpartition("@")[2]
    for org in await Organisation.select(Organisation.id, Organisation.email, Organisation.email_domain):
        if (org["email"] or "").lower() == address or (
            org["email_domain"] and org["email_domain"].lower() == domain
        ):
            found.add(org["id"])
    return found


async def may_see(email: str, commission_id: int) -> bool:
    row = await Commission.select(Commission.organisation).where(Commission.id == commission_id).first()
    return row is not None and row["organisation"] in await organisations_for(email)


async def records_for(email: str) -> list[CommissionRecord]:
    """The invoiced, paid or cancelled-with-credit-note commissions of the organisations a person acts for."""
    found: list[CommissionRecord] = []
    for org_id in sorted(await organisations_for(email)):
        found.extend(r for r in await records.commissions_of(org_id) if r.invoice_id is not None)
    return found


@dataclass(frozen=True)
class MemberInvoice:
    """A commission invoice as its member sees it: the record and what it owes, TTC."""

    record: CommissionRecord
    amount_ttc_cents: int

    @property
    def payable(self) -> bool:
        return self.record.status == "invoiced"


async def invoices_for(email: str) -> list[MemberInvoice]:
    """The commission invoices of the organisations a person acts for, with their TTC (the member page)."""
    found = await records_for(email)
    ids = [r.invoice_id for r in found if r.invoice_id is not None]
    totals = {
        i["id"]: i["total_ttc_cents"]
        for i in (
            await Invoice.select(Invoice.id, Invoice.total_ttc_cents).where(Invoice.id.is_in(ids))
            if ids
            else []
        )
    }
    return [MemberInvoice(r, int(totals.get(r.invoice_id, 0))) for r in found]


@dataclass(frozen=True)
class Reminders:
    sent: int


async def remind_unpaid(now: datetime | None = None) -> Reminders:
    """One reminder per step of COMMISSION_REMINDER_DAYS after an unpaid invoice's date: the k-th reminder
    once k delays have passed and k-1 reminders were sent (a conditional UPDATE: never twice, from any
    number of processes). A late run sends one reminder, the latest step reached, not each missed one."""
    now = now or datetime.now(UTC)
    steps = get_settings().commission_reminder_days
    sent = 0
    for row in await Commission.objects().where(
        (Commission.status == "invoiced") & Commission.invoiced_at.is_not_null() & (Commission.email != "")
    ):
        due = sum(1 for days in steps if now - row.invoiced_at >= timedelta(days=days))
        if due <= row.reminders:
            continue
        async with atomic():
            done = await Commission.raw(
                "UPDATE commission SET reminders = {}, reminded_at = {} WHERE id = {} AND status = 'invoiced' "
                "AND reminders = {} RETURNING reminders",
                due,
                now,
                row.id,
                row.reminders,
            )
            if done:
                await _queue_email(row.id, "reminder", due)
                sent += 1
    return Reminders(sent)
