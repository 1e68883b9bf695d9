"""The order emails, sent by an outbox job in the buyer's language, with PDF tickets, .ics and invoice."""

from __future__ import annotations

from typing import Any

from events import ics, services
from events.tables import Event
from lib.i18n import _, localized, set_locale
from lib.jobs import atomic, job_handler
from lib.mail import queue_email
from lib.settings import get_settings
from lib.templating import fmt_datetime, fmt_money, fmt_range
from ticketing import documents
from ticketing.tables import CreditNote, Invoice, Order


def order_url(order: Order) -> str:
    return f"{get_settings().base_url}/orders/{order.token}"


def held_by_attendee(order: Order, ticket: dict[str, Any]) -> bool:
    """A member-price ticket of a public order belongs to its proven attendee address: its PDF and QR
    code go there, never to a buyer who booked it for another address."""
    return (
        order.source == "public"
        and bool(ticket.get("members_only"))
        and (ticket.get("attendee_email") or "").lower() != order.buyer_email.lower()
    )


async def build_order_email(order_id: int, kind: str) -> dict[str, Any] | None:
    mails = await build_order_emails(order_id, kind)
    return mails[0] if mails else None


async def build_order_emails(order_id: int, kind: str) -> list[dict[str, Any]]:
    """The buyer's email first, then (confirmed orders) one per member attendee with their own tickets."""
    from ticketing.order_reads import order_tickets

    order = await Order.objects().where(Order.id == order_id).first()
    if order is None:
        return []
    event = await Event.objects().where(Event.id == order.event).first()
    if event is None:
        return []
    set_locale(order.locale)
    tickets = await order_tickets(order.id)
    extra: list[dict[str, Any]] = []
    title = localized(event, "title")
    when = fmt_range(event.starts_at, event.ends_at, "full")
    info = await services.get_event(event.id)  # with its venue, as the calendar feeds have it
    where = services.venue_address(info["venue"])
    link = order_url(order)
    attachments: list[tuple[str, str, bytes]] = []
    invoice = await Invoice.select().where(Invoice.order == order.id).first()
    if kind == "confirmed":
        subject = _("Your tickets for %(title)s", title=title)
        theirs = [t for t in tickets if held_by_attendee(order, t)]
        mine = [t for t in tickets if not held_by_attendee(order, t)]
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
            _("The attached calendar file (.ics) adds the event to your calendar."),
        ]
        if mine:
            lines.append(
                _("Your tickets are attached (one page per person, with its QR code to show at the door).")
            )
        if theirs:
            lines.append(
                _(
                    "Member tickets are sent to their holders' own addresses only: %(emails)s.",
                    emails=", ".join(sorted({t["attendee_email"] for t in theirs})),
                )
            )
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
        if mine:
            pdf = documents.tickets_pdf(event, order, mine, venue=info["venue"])
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
        for address in dict.fromkeys(t["attendee_email"] for t in theirs):
            own = [t for t in theirs if t["attendee_email"] == address]
            extra.append(await attendee_ticket_email(event, order, own))
    elif kind == "transfer":
        subject = _("Pay your order for %(title)s by bank transfer", title=title)
        settings = get_settings()
        from ticketing.order_reads import payment_reference

        lines = [
            _("Hello %(name)s,", name=order.buyer_name),
            "",
            _(
                "Your places for %(title)s (%(when)s) are held until %(until)s for your bank transfer.",
                title=title,
                when=when,
                until=fmt_datetime(order.expires_at),
            ),
            _("Amount: %(ttc)s incl. VAT", ttc=fmt_money(order.total_ttc_cents)),
            _("Account holder: %(holder)s", holder=settings.bank_account_holder),
            f"IBAN: {settings.bank_iban}",
            f"BIC: {settings.bank_bic}",
            _("Reference (required): %(ref)s", ref=payment_reference(order)),
            "",
            _("The team confirms your order when the transfer arrives; the tickets and the invoice follow."),
            link,
        ]
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
    mail = {"to": order.buyer_email, "subject": subject, "text": "\n".join(lines), "attachments": attachments}
    return [mail, *extra]


async def attendee_ticket_email(event: Event, order: Order, tickets: list[dict[str, Any]]) -> dict[str, Any]:
    """A member's own tickets, to the member's proven address (in the order's language)."""
    title = localized(event, "title")
    info = await services.get_event(event.id)
    where = services.venue_address(info["venue"])
    lines = [
        _("Hello %(name)s,", name=tickets[0]["attendee_name"]),
        "",
        _("Your member ticket for %(title)s is attached, with its QR code to show at the door.", title=title),
        _("When: %(when)s", when=fmt_range(event.starts_at, event.ends_at, "full")),
    ]
    if where:
        lines.append(_("Where: %(where)s", where=where))
    lines += ["", get_settings().org_name]
    return {
        "to": tickets[0]["attendee_email"],
        "subject": _("Your ticket for %(title)s", title=title),
        "text": "\n".join(lines),
        "attachments": [
            (
                "ticket.pdf",
                "application/pdf",
                documents.tickets_pdf(event, order, tickets, venue=info["venue"]),
            ),
            ("event.ics", "text/calendar", ics.event_calendar(info)),
        ],
    }


@job_handler("ticketing.order_email")
async def order_email_job(payload: dict[str, Any]) -> None:
    mails = await build_order_emails(int(payload["order_id"]), payload.get("kind", "confirmed"))
    key = f"order-mail:{payload['order_id']}:{payload.get('kind')}:{payload.get('nonce', '')}"
    async with atomic():
        for n, mail in enumerate(mails):
            await queue_email(
                mail["to"],
                mail["subject"],
                mail["text"],
                attachments=mail["attachments"],
                dedup_key=key if n == 0 else f"{key}:{n}",
            )


@job_handler("ticketing.ticket_email")
async def ticket_email_job(payload: dict[str, Any]) -> None:
    """One member ticket to its attendee (after its address changed with proof)."""
    from ticketing.order_reads import order_tickets
    from ticketing.tables import Ticket

    row = await Ticket.select(Ticket.order).where(Ticket.id == int(payload["ticket_id"])).first()
    order = await Order.objects().where(Order.id == row["order"]).first() if row else None
    event = await Event.objects().where(Event.id == order.event).first() if order else None
    if order is None or event is None or order.status != "confirmed":
        return
    set_locale(order.locale)
    tickets = [t for t in await order_tickets(order.id) if t["id"] == int(payload["ticket_id"])]
    if not tickets or tickets[0]["status"] != "valid":
        return
    mail = await attendee_ticket_email(event, order, tickets)
    async with atomic():
        await queue_email(
            mail["to"],
            mail["subject"],
            mail["text"],
            attachments=mail["attachments"],
            dedup_key=f"ticket-mail:{payload['ticket_id']}:{payload.get('nonce', '')}",
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
