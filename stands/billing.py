"""Stand invoices and credit notes with the cluster's gapless numbering (ticketing.invoices), as French
PDFs (ticketing.documents), emailed through the outbox; payment by card (Stripe) or bank transfer.

Each share of a booking is invoiced to its exhibitor when staff approve it; a cancelled booking's
invoices get credit notes. Amounts HT, TVA, TTC in cents.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from events.tables import Event
from lib.clock import local_date
from lib.errors import Conflict, NotFound
from lib.i18n import _, get_locale, localized, set_locale
from lib.jobs import atomic, enqueue, job_handler
from lib.mail import build_message, deliver
from lib.settings import get_settings
from lib.templating import fmt_money
from stands import pricing
from stands.tables import Booking, BookingOption, BookingShare, Stand, StandCategory, StandOption
from ticketing import documents, payments
from ticketing.invoices import credit_invoice, write_invoice
from ticketing.tables import CreditNote, Invoice

log = logging.getLogger(__name__)
# The metadata key of a stand share's PaymentIntent (ticketing.payments.pays_for dispatches by it).
CARD_PURPOSE = "stand_share"


async def invoice_booking(booking_id: int) -> list[int]:
    """Inside the approving transaction: one invoice per paying share that has none yet (idempotent)."""
    issued: list[int] = []
    for share in (
        await BookingShare.objects().where(BookingShare.booking == booking_id).order_by(BookingShare.id)
    ):
        if share.invoice is not None or share.amount_ttc_cents <= 0:
            continue
        invoice = await write_invoice(
            order_id=None,
            buyer_name=share.name,
            buyer_email=share.email,
            buyer_organisation=share.name,
            total_ht_cents=share.amount_ht_cents,
            total_vat_cents=share.vat_cents,
            total_ttc_cents=share.amount_ttc_cents,
        )
        await BookingShare.update({BookingShare.invoice: invoice.id}).where(BookingShare.id == share.id)
        await _queue_document_email(share.id, "invoice")
        issued.append(invoice.id)
    return issued


async def credit_booking(booking_id: int) -> list[int]:
    """Inside the cancelling transaction: a credit note for each invoiced share (idempotent)."""
    notes: list[int] = []
    for share in await BookingShare.objects().where(BookingShare.booking == booking_id):
        if share.invoice is None or share.credit_note is not None:
            continue
        invoice = await Invoice.objects().where(Invoice.id == share.invoice).first()
        assert invoice is not None
        note = await credit_invoice(invoice, reason=_("Stand booking cancelled"))
        await BookingShare.update({BookingShare.credit_note: note.id}).where(BookingShare.id == share.id)
        await _queue_document_email(share.id, "credit_note")
        notes.append(note.id)
    return notes


async def _queue_document_email(share_id: int, kind: str) -> None:
    await enqueue(
        "stands.document_email",
        {
            "share": share_id,
            "kind": kind,
            "locale": get_locale(),
            "message_id": f"<{uuid.uuid4().hex}@ledamier.fr>",
        },
        dedup_key=f"stands-{kind}-{share_id}",
    )


async def share_lines(share: BookingShare) -> list[dict[str, Any]]:
    """The invoice lines of a share: its part of the stand, then of each option (same parts as its total)."""
    booking = await Booking.objects().where(Booking.id == share.booking).first()
    assert booking is not None
    stand = await Stand.objects().where(Stand.id == booking.stand).first()
    category = (
        await StandCategory.objects().where(StandCategory.id == stand.category).first() if stand else None
    )
    event = await Event.objects().where(Event.id == booking.event).first()
    assert stand is not None and category is not None and event is not None
    whole = share.share_bp == 10000
    part = "" if whole else " " + _("(share %(percent)s %%)", percent=f"{share.share_bp / 100:g}")
    # The stand first: the PDF's description column keeps 60 characters, the edition's title comes after.
    label = _("Stand %(number)s, %(area)s m²", number=stand.number, area=pricing.area_m2_label(stand))
    label += f" – {localized(event, 'title')}"
    stand_ht = pricing.stand_price_cents(category, stand, member=share.member_price)
    lines = [
        {
            "label": (label[:40] + part) if part else label,
            "quantity": 1,
            "unit_ht": pricing.share_of(stand_ht, share.share_bp),
        }
    ]
    for row in (
        await BookingOption.select().where(BookingOption.booking == booking.id).order_by(BookingOption.id)
    ):
        option = await StandOption.objects().where(StandOption.id == row["option"]).first()
        name = localized(option, "name") if option else ""
        if whole:
            lines.append({"label": name, "quantity": row["quantity"], "unit_ht": row["unit_price_cents"]})
        else:
            total = pricing.share_of(row["unit_price_cents"] * row["quantity"], share.share_bp)
            lines.append({"label": f"{name} × {row['quantity']}{part}", "quantity": 1, "unit_ht": total})
    if booking.free_of_charge:
        lines = [{**line, "unit_ht": 0} for line in lines]
    return lines


def _payment_sentence(share: BookingShare) -> str:
    settings = get_settings()
    if share.paid_at:
        return _("Paid on %(date)s.", date=local_date(share.paid_at).strftime("%d/%m/%Y"))
    text = _("Payable by card on your stand page, or by bank transfer")
    if settings.bank_iban:
        text += f" (IBAN {settings.bank_iban}, {settings.bank_account_holder})"
    return text + "."


async def invoice_pdf(share_id: int) -> tuple[str, bytes]:
    share = await BookingShare.objects().where(BookingShare.id == share_id).first()
    if share is None or share.invoice is None:
        raise NotFound(_("This invoice does not exist."))
    invoice = await Invoice.select().where(Invoice.id == share.invoice).first()
    assert invoice is not None
    return invoice["number"], documents.document_pdf(
        invoice, await share_lines(share), _payment_sentence(share)
    )


async def credit_note_pdf(share_id: int) -> tuple[str, bytes]:
    share = await BookingShare.objects().where(BookingShare.id == share_id).first()
    if share is None or share.credit_note is None or share.invoice is None:
        raise NotFound(_("This credit note does not exist."))
    note = await CreditNote.select().where(CreditNote.id == share.credit_note).first()
    invoice = await Invoice.select().where(Invoice.id == share.invoice).first()
    assert note is not None and invoice is not None
    footer = _("Refunded by the means of payment used.") if share.paid_at else _("Nothing is due any more.")
    return note["number"], documents.credit_document_pdf(note, invoice, await share_lines(share), footer)


@job_handler("stands.document_email")
async def document_email_job(payload: dict[str, Any]) -> None:
    """Email a share's invoice or credit note, PDF attached (idempotent: fixed Message-ID)."""
    set_locale(payload.get("locale") or "fr")
    share = await BookingShare.objects().where(BookingShare.id == payload["share"]).first()
    if share is None:
        return
    if payload["kind"] == "invoice":
        number, pdf = await invoice_pdf(share.id)
        subject = _("Invoice %(number)s for your MIMA stand", number=number)
        body = _(
            "Your stand is confirmed. Here is invoice %(number)s: %(amount)s incl. VAT.",
            number=number,
            amount=fmt_money(share.amount_ttc_cents),
        )
    else:
        number, pdf = await credit_note_pdf(share.id)
        subject = _("Credit note %(number)s: stand cancelled", number=number)
        body = _("Your stand booking is cancelled. Credit note %(number)s is attached.", number=number)
    body += "\n\n" + f"{get_settings().base_url}/stands/bookings"
    import base64

    await deliver(
        build_message(
            {
                "message_id": payload["message_id"],
                "to": share.email,
                "subject": subject,
                "text": body,
                "attachments": [
                    {
                        "filename": f"{number}.pdf",
                        "mime": "application/pdf",
                        "data": base64.b64encode(pdf).decode(),
                    }
                ],
            }
        )
    )


async def mark_paid(share_id: int, method: str = "transfer") -> BookingShare:
    """Staff record a bank transfer (or a card payment is confirmed): once only."""
    share = await BookingShare.objects().where(BookingShare.id == share_id).first()
    if share is None:
        raise NotFound(_("This booking does not exist."))
    if share.invoice is None or share.credit_note is not None:
        raise Conflict(_("This share has no invoice waiting for a payment."))
    async with atomic():
        await BookingShare.update(
            {BookingShare.paid_at: datetime.now(UTC), BookingShare.payment_method: method}
        ).where((BookingShare.id == share_id) & BookingShare.paid_at.is_null())
    return await BookingShare.objects().where(BookingShare.id == share_id).first()  # type: ignore[return-value]


async def start_card_payment(share_id: int) -> str:
    """A Stripe PaymentIntent for the share's TTC (one per share: a second click resumes it); its client secret."""
    share = await BookingShare.objects().where(BookingShare.id == share_id).first()
    if share is None or share.invoice is None or share.paid_at is not None or share.credit_note is not None:
        raise Conflict(_("This share has no invoice waiting for a payment."))
    card = await payments.start_or_resume_card_payment(
        purpose=CARD_PURPOSE,
        ref=share.id,
        amount_cents=share.amount_ttc_cents,
        current_intent_id=share.payment_intent_id,
    )
    if card.succeeded:
        await mark_paid(share.id, "card")
        raise Conflict(_("This share has no invoice waiting for a payment."))
    if card.payment_intent_id != share.payment_intent_id:
        await BookingShare.update({BookingShare.payment_intent_id: card.payment_intent_id}).where(
            BookingShare.id == share.id
        )
    return card.client_secret


async def sync_card_payment(share_id: int) -> bool:
    """Ask Stripe whether the share's PaymentIntent succeeded; marks it paid if so. True when paid."""
    share = await BookingShare.objects().where(BookingShare.id == share_id).first()
    if share is None:
        raise NotFound(_("This booking does not exist."))
    if share.paid_at is not None:
        return True
    if await payments.card_payment_succeeded(share.payment_intent_id, share.amount_ttc_cents):
        await mark_paid(share_id, "card")
        return True
    return False


@payments.pays_for(CARD_PURPOSE)
async def card_payment_confirmed(share_id: int, intent: Any) -> str:
    """A verified webhook: the share's PaymentIntent succeeded (for its amount) → paid, once."""
    share = await BookingShare.objects().where(BookingShare.id == share_id).first()
    if share is None or share.payment_intent_id != intent.id:
        return "unknown_share"
    if share.paid_at is not None:
        return "already_paid"
    if not payments.intent_pays(intent, share.amount_ttc_cents):
        return "not_paid"
    try:
        await mark_paid(share_id, "card")
    except Conflict:  # cancelled meanwhile (credit note): staff refund it from Stripe's dashboard
        log.error("PaymentIntent %s paid stand share %s, which has a credit note", intent.id, share_id)
        return "cancelled"
    return "paid"


@dataclass(frozen=True)
class OrganisationStand:
    """One organisation's part of a stand booking, with its documents (for the member space)."""

    share_id: int
    booking_id: int
    event: dict[str, Any]  # id, title, title_en, starts_at
    stand_number: str
    booking_status: str
    share_bp: int
    amount_ht_cents: int
    amount_ttc_cents: int
    paid_at: datetime | None
    invoice_number: str
    credit_note_number: str


async def stands_of_organisation(organisation_id: int) -> list[OrganisationStand]:
    """Every stand share of one organisation, newest event first."""
    rows = await BookingShare.select(
        BookingShare.id,
        BookingShare.booking,
        BookingShare.share_bp,
        BookingShare.amount_ht_cents,
        BookingShare.amount_ttc_cents,
        BookingShare.paid_at,
        BookingShare.booking.status.as_alias("booking_status"),
        BookingShare.booking.event.as_alias("event_id"),
        BookingShare.booking.stand.number.as_alias("stand_number"),
        BookingShare.invoice.number.as_alias("invoice_number"),
        BookingShare.credit_note.number.as_alias("credit_note_number"),
    ).where(BookingShare.organisation == organisation_id)
    event_ids = sorted({r["event_id"] for r in rows})
    events = {
        e["id"]: e
        for e in (
            await Event.select(Event.id, Event.title, Event.title_en, Event.starts_at).where(
                Event.id.is_in(event_ids)
            )
            if event_ids
            else []
        )
    }
    out = [
        OrganisationStand(
            share_id=r["id"],
            booking_id=r["booking"],
            event=events.get(r["event_id"], {}),
            stand_number=r["stand_number"] or "",
            booking_status=r["booking_status"],
            share_bp=r["share_bp"],
            amount_ht_cents=r["amount_ht_cents"],
            amount_ttc_cents=r["amount_ttc_cents"],
            paid_at=r["paid_at"],
            invoice_number=r["invoice_number"] or "",
            credit_note_number=r["credit_note_number"] or "",
        )
        for r in rows
    ]
    return sorted(
        out, key=lambda s: s.event.get("starts_at") or datetime.min.replace(tzinfo=UTC), reverse=True
    )
