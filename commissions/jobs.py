"""Job handlers and housekeeping of the commissions app (imported by every process that runs jobs)."""

from __future__ import annotations

import base64
from typing import Any

from commissions import billing, records
from commissions.tables import Commission
from lib.i18n import _, set_locale
from lib.jobs import job_handler, periodic
from lib.mail import build_message, deliver
from lib.templating import fmt_date, fmt_money


@job_handler("commissions.email")
async def commission_email_job(payload: dict[str, Any]) -> None:
    """Email a commission invoice, a reminder or a credit note, the PDF attached (idempotent: fixed
    Message-ID)."""
    set_locale(payload.get("locale") or "fr")
    row = await Commission.objects().where(Commission.id == payload["commission"]).first()
    if row is None or not row.email:
        return
    kind = payload["kind"]
    if kind == "reminder" and row.status != "invoiced":
        return  # paid or cancelled meanwhile: no reminder
    record = await records.get_record(row.id)
    if kind == "credit_note":
        number, pdf = await billing.credit_note_pdf(row.id)
        subject = _("LE DAMIER commission cancelled: credit note %(number)s", number=number)
        body = _(
            "The commission invoiced as %(invoice)s is cancelled (%(reason)s). Credit note %(number)s is "
            "attached: nothing is due any more.",
            invoice=record.invoice_number,
            reason=record.cancel_reason,
            number=number,
        )
    else:
        number, pdf = await billing.invoice_pdf(row.id)
        ttc = fmt_money(record.commission_cents + billing.vat_of(record.commission_cents))
        if kind == "invoice":
            subject = _("LE DAMIER commission: invoice %(number)s", number=number)
            body = _(
                "Here is invoice %(number)s for the cluster's commission on business won with %(buyer)s: "
                "%(amount)s incl. VAT.",
                number=number,
                buyer=record.buyer or record.organisation,
                amount=ttc,
            )
        else:
            subject = _("Reminder: commission invoice %(number)s unpaid", number=number)
            body = _(
                "Invoice %(number)s of %(date)s for the cluster's commission (%(amount)s incl. VAT) is "
                "still unpaid. If you have paid it meanwhile, please ignore this message.",
                number=number,
                date=fmt_date(record.invoiced_at, "long") if record.invoiced_at else "",
                amount=ttc,
            )
        body += "\n\n" + billing.payment_sentence(record)
    await deliver(
        build_message(
            {
                "message_id": payload["message_id"],
                "to": row.email,
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


@periodic
async def remind_unpaid_commissions() -> None:
    """One reminder per COMMISSION_REMINDER_DAYS step after an unpaid commission invoice."""
    await billing.remind_unpaid()
