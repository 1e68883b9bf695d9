"""Job handlers and housekeeping of the dues app (imported by every process that runs jobs)."""

from __future__ import annotations

import base64
from typing import Any

from dues import calls
from dues.tables import DuesCall
from lib.i18n import _, set_locale
from lib.jobs import job_handler, periodic
from lib.mail import build_message, deliver
from lib.settings import get_settings
from lib.templating import fmt_date, fmt_money


@job_handler("dues.email")
async def dues_email_job(payload: dict[str, Any]) -> None:
    """Email a dues invoice, a reminder or the loss of standing, the invoice PDF attached (idempotent:
    fixed Message-ID)."""
    set_locale(payload.get("locale") or "fr")
    call = await DuesCall.objects().where(DuesCall.id == payload["call"]).first()
    if call is None or not call.email:
        return
    kind = payload["kind"]
    if kind in ("reminder", "lapse") and (call.paid_at is not None or call.credit_note is not None):
        return  # paid or cancelled meanwhile: no reminder, no notice
    if kind == "credit_note":
        number, pdf = await calls.credit_note_pdf(call.id)
    else:
        number, pdf = await calls.invoice_pdf(call.id)
    amount = fmt_money(call.amount_ttc_cents)
    if kind == "credit_note":
        subject = _(
            "LE DAMIER membership dues %(year)s cancelled: credit note %(number)s",
            year=call.year,
            number=number,
        )
        body = _(
            "Your %(year)s membership dues are cancelled (%(reason)s). Credit note %(number)s is attached: "
            "nothing is due any more.",
            year=call.year,
            reason=call.cancel_reason,
            number=number,
        )
    elif kind == "invoice":
        subject = _("LE DAMIER membership dues %(year)s: invoice %(number)s", year=call.year, number=number)
        body = _(
            "Here is invoice %(number)s for your %(year)s membership dues: %(amount)s incl. VAT. Your "
            "organisation is in good standing for %(year)s (member prices) from the day they are paid.",
            number=number,
            year=call.year,
            amount=amount,
        )
    elif kind == "reminder":
        subject = _("Reminder: %(year)s membership dues unpaid (%(number)s)", year=call.year, number=number)
        body = _(
            "Invoice %(number)s for your %(year)s membership dues (%(amount)s incl. VAT) is still unpaid: "
            "until it is paid, your organisation's people do not get member prices. Without payment by "
            "%(date)s, we will record that your organisation is no longer in good standing.",
            number=number,
            year=call.year,
            amount=amount,
            date=fmt_date(calls.lapse_date(call.year), "long"),
        )
    else:
        subject = _("Your organisation is no longer a member in good standing (%(year)s)", year=call.year)
        body = _(
            "Invoice %(number)s for your %(year)s membership dues (%(amount)s incl. VAT) was not paid by "
            "%(date)s: your organisation is no longer in good standing and its people no longer get member "
            "prices. It is in good standing again the day the dues are paid.",
            number=number,
            year=call.year,
            amount=amount,
            date=fmt_date(calls.lapse_date(call.year), "long"),
        )
    if kind != "credit_note":
        body += "\n\n" + calls.payment_sentence(call)
    body += "\n\n" + f"{get_settings().base_url}/dues"
    await deliver(
        build_message(
            {
                "message_id": payload["message_id"],
                "to": call.email,
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
async def follow_up_unpaid_dues() -> None:
    """Reminders every DUES_REMINDER_DAYS and, after DUES_LAPSE_AFTER, the notice of lost standing."""
    await calls.follow_up()
