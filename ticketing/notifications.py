"""The order emails, sent by an outbox job in the buyer's language, with PDF tickets, .ics and invoice."""

from __future__ import annotations

from typing import Any

from events import ics, services
from events.tables import Event
from server.i18n import _, localized, set_locale
from server.jobs import atomic, job_handler
from server.mail import queue_email
from server.settings import get_settings
from server.templating import fmt_datetime, fmt_money, fmt_range
from ticketing import documents
from ticketing.tables import CreditNote, Invoice, Order


def order_url(order: Order) -> str:
    return f"{get_settings().base_url}/orders/{order.token}"


async def build_order_email(order_id: int, kind: str) -> dict[str, Any] | None:
    from ticketing.orders import order_tickets

    order = await Order.objects().where(Order.id == order_id).first()
    if order is None:
        return None
    event = await Event.objects().where(Event.id == order.event).first()
    if event is None:
        return None
    set_locale(order.locale)
    tickets = await order_tickets(order.id)
    title = localized(event, "title")
    when = fmt_range(event.starts_at, event.ends_at, "full")
    info = await services.get_event(event.id)  # with its venue, as the calendar feeds have it
    where = services.venue_address(info["venue"])
    link = order_url(order)
    attachments: list[tuple[str, str, bytes]] = []
    invoice = await Invoice.select().where(Invoice.order == order.id).first()
    if kind == "confirmed":
        subject = _("Your tickets for %(title)s", title=title)
        lines = [
            _("Hello %(name)s,", name=order.buyer_name),
            "",
            _("Your order for %(title)s is confirmed.", title=title),
            _("When: %(when)s", when=when),
        ]
        if where:
            lines.append(_("Where: %(where)s", where=where))
        lines += [
            "",
            _("Your tickets are attached (one page per person, with its QR code to show at the door)."),
            _("The attached calendar file (.ics) adds the event to your calendar."),
        ]
        if order.total_ttc_cents:
            lines.append(
                _(
                    "Paid: %(ttc)s incl. VAT (%(ht)s excl. VAT + %(vat)s VAT).",
                    ttc=fmt_money(order.total_ttc_cents),
                    ht=fmt_money(order.total_ht_cents),
                    vat=fmt_money(order.total_vat_cents),
                )
            )
        lines += ["", _("Your order, to download the tickets again, change a name or cancel:"), link]
        pdf = documents.tickets_pdf(event, order, tickets, venue=info["venue"])
        attachments.append(("tickets.pdf", "application/pdf", pdf))
        attachments.append(("event.ics", "text/calendar", ics.event_calendar(info)))
        if invoice:
            attachments.append(
                (
                    f"{invoice['number']}.pdf",
                    "application/pdf",
                    documents.invoice_pdf(invoice, event, tickets),
                )
            )
    elif kind in ("refunded", "refunded_late"):
        subject = _("Your order for %(title)s is refunded", title=title)
        lines = [
            _("Hello %(name)s,", name=order.buyer_name),
            "",
            _("Your payment arrived after your reservation had expired and the event is now full.")
            if kind == "refunded_late"
            else _("Your order for %(title)s is cancelled.", title=title),
            _(
                "%(amount)s will be refunded to your card.",
                amount=fmt_money(order.refunded_cents or order.total_ttc_cents),
            ),
            link,
        ]
        note = await CreditNote.select().where(CreditNote.order == order.id).first()
        if note and invoice:
            attachments.append(
                (
                    f"{note['number']}.pdf",
                    "application/pdf",
                    documents.credit_note_pdf(note, invoice, event, tickets),
                )
            )
    else:
        subject = _("Your order for %(title)s is cancelled", title=title)
        lines = [
            _("Hello %(name)s,", name=order.buyer_name),
            "",
            _("Your order for %(title)s is cancelled.", title=title),
            link,
        ]
    lines += ["", get_settings().org_name]
    return {"to": order.buyer_email, "subject": subject, "text": "\n".join(lines), "attachments": attachments}


@job_handler("ticketing.order_email")
async def order_email_job(payload: dict[str, Any]) -> None:
    mail = await build_order_email(int(payload["order_id"]), payload.get("kind", "confirmed"))
    if mail is None:
        return
    key = f"order-mail:{payload['order_id']}:{payload.get('kind')}:{payload.get('nonce', '')}"
    async with atomic():
        await queue_email(
            mail["to"], mail["subject"], mail["text"], attachments=mail["attachments"], dedup_key=key
        )


@job_handler("ticketing.waiting_offer")
async def waiting_offer_job(payload: dict[str, Any]) -> None:
    from ticketing.tables import WaitingListEntry

    entry = await WaitingListEntry.objects().where(WaitingListEntry.id == int(payload["entry_id"])).first()
    if entry is None or entry.status != "offered":
        return
    event = await Event.objects().where(Event.id == entry.event).first()
    if event is None:
        return
    set_locale(entry.locale)
    link = f"{get_settings().base_url}/events/{event.id}/tickets?waiting={entry.offer_token}"
    title = localized(event, "title")
    text = "\n".join(
        [
            _("Hello %(name)s,", name=entry.name),
            "",
            _(
                "A place for %(title)s is free and held for you until %(until)s.",
                title=title,
                until=fmt_datetime(entry.offer_expires_at),
            ),
            _("Order it with this link:"),
            link,
            "",
            get_settings().org_name,
        ]
    )
    async with atomic():
        await queue_email(
            entry.email,
            _("A place is free for %(title)s", title=title),
            text,
            dedup_key=f"waiting-mail:{entry.id}",
        )
