"""Ticketing JSON API (thin: business rules live in ticketing.orders / ticketing.staff).

Public: ticket types, placing an order, the order by its random token (payment, sync on return,
cancel, attendee names, PDFs), the public key for door devices, the waiting list.
Stripe: POST /api/webhooks/stripe (signature verified, CSRF-exempt). Staff: /api/staff/ticketing.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.exceptions import ServiceUnavailableException
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accounts.guards import staff_guard
from events.tables import Event
from server.errors import NotFound
from server.i18n import _, get_locale, localized
from server.validation import BadRequest
from ticketing import capacity, documents, orders, signing, staff, waiting_list, webhooks
from ticketing.tables import CreditNote, Invoice, Order, Ticket, TicketType


def type_json(t: dict[str, Any], left: int | None) -> dict[str, Any]:
    vat = orders.vat_of(t["price_cents"], t["vat_rate"])
    return {
        "id": t["id"],
        "name": localized(t, "name"),
        "description": localized(t, "description"),
        "price_ht_cents": t["price_cents"],
        "vat_cents": vat,
        "price_ttc_cents": t["price_cents"] + vat,
        "vat_rate": t["vat_rate"],
        "members_only": t["requires_membership"],
        "max_per_order": t["max_per_order"],
        "places_left": left,
        "sold_out": left == 0,
    }


async def public_types(event_id: int) -> list[dict[str, Any]]:
    await orders.expire_due(event_id)
    avail = await capacity.availability(event_id)
    rows = (
        await TicketType.select()
        .where((TicketType.event == event_id) & TicketType.active.eq(True) & TicketType.staff_only.eq(False))
        .order_by(TicketType.position)
        .order_by(TicketType.id)
    )
    return [type_json(r, avail["types"].get(r["id"])) for r in rows]  # type: ignore[union-attr]


async def order_json(order: Order, client_secret: str | None = None) -> dict[str, Any]:
    tickets = await orders.order_tickets(order.id)
    invoice = note = None
    if order.paid_at is not None:  # only paid orders have an invoice (and maybe a credit note)
        invoice = await Invoice.select(Invoice.number).where(Invoice.order == order.id).first()
        note = await CreditNote.select(CreditNote.number).where(CreditNote.order == order.id).first()
    return {
        "token": order.token,
        "event": order.event,
        "status": order.status,
        "approval_requested": order.approval_requested,
        "buyer": {
            "name": order.buyer_name,
            "email": order.buyer_email,
            "organisation": order.buyer_organisation,
        },
        "total_ht_cents": order.total_ht_cents,
        "total_vat_cents": order.total_vat_cents,
        "total_ttc_cents": order.total_ttc_cents,
        "refunded_cents": order.refunded_cents,
        "expires_at": order.expires_at.isoformat() if order.expires_at else None,
        "payment_intent": order.payment_intent_id,
        "client_secret": client_secret,
        "invoice": invoice["number"] if invoice else None,
        "credit_note": note["number"] if note else None,
        "tickets": [
            {
                "id": t["public_id"],
                "ticket_type": t["ticket_type"],
                "type_name": orders.type_label(t),
                "attendee_name": t["attendee_name"],
                "attendee_email": t["attendee_email"],
                "attendee_organisation": t["attendee_organisation"],
                "status": t["status"],
            }
            for t in tickets
        ],
    }


def _pdf(content: bytes, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type="application/pdf",
        headers={"content-disposition": f'inline; filename="{filename}"'},
    )


class TicketingController(Controller):
    path = "/api"
    tags = ["tickets"]

    @get("/events/{event_id:int}/ticket-types", operation_id="listTicketTypes")
    async def ticket_types(self, event_id: int) -> list[dict[str, Any]]:
        if not await Event.exists().where((Event.id == event_id) & (Event.status == "published")):
            raise NotFound(_("This event does not exist."))
        return await public_types(event_id)

    @post("/events/{event_id:int}/orders", operation_id="placeOrder", status_code=HTTP_201_CREATED)
    async def place(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        placed = await orders.place_order(
            event_id=event_id,
            buyer=data.get("buyer") or {},
            items=data.get("items") or [],
            attendees=data.get("attendees"),
            locale=data.get("locale") if data.get("locale") in ("fr", "en") else get_locale(),
            request_approval=bool(data.get("request_approval")),
            waiting_token=data.get("waiting_token") or None,
        )
        return await order_json(placed.order, placed.client_secret)

    @get("/orders/{token:str}", operation_id="getOrder")
    async def get_order(self, token: str) -> dict[str, Any]:
        return await order_json(await orders.get_order(token))

    @post("/orders/{token:str}/payment", operation_id="startPayment", status_code=HTTP_200_OK)
    async def payment(self, token: str) -> dict[str, Any]:
        order = await orders.get_order(token)
        secret = await orders.start_payment(order)
        return await order_json(await orders.get_order(token), secret)

    @post("/orders/{token:str}/sync", operation_id="syncPayment", status_code=HTTP_200_OK)
    async def sync(self, token: str) -> dict[str, Any]:
        order = await orders.sync_payment(await orders.get_order(token))
        return await order_json(order)

    @post("/orders/{token:str}/cancel", operation_id="cancelOrder", status_code=HTTP_200_OK)
    async def cancel(self, token: str) -> dict[str, Any]:
        return await order_json(await orders.cancel_order(token))

    @patch("/orders/{token:str}/tickets/{public_id:str}", operation_id="changeAttendee")
    async def change_attendee(self, token: str, public_id: str, data: dict[str, Any]) -> dict[str, Any]:
        await orders.change_attendee(token, public_id, data)
        return await order_json(await orders.get_order(token))

    @get("/orders/{token:str}/tickets.pdf", operation_id="orderTicketsPdf", media_type="application/pdf")
    async def tickets_pdf(self, token: str) -> Response[bytes]:
        order = await orders.get_order(token)
        if order.status != "confirmed":
            raise NotFound(_("The tickets are available once the order is confirmed."))
        event = await Event.objects().where(Event.id == order.event).first()
        assert event is not None
        return _pdf(documents.tickets_pdf(event, order, await orders.order_tickets(order.id)), "tickets.pdf")

    @get("/orders/{token:str}/invoice.pdf", operation_id="orderInvoicePdf", media_type="application/pdf")
    async def invoice_pdf(self, token: str) -> Response[bytes]:
        order = await orders.get_order(token)
        invoice = await Invoice.select().where(Invoice.order == order.id).first()
        if invoice is None:
            raise NotFound(_("This order has no invoice."))
        event = await Event.objects().where(Event.id == order.event).first()
        assert event is not None
        pdf = documents.invoice_pdf(invoice, event, await orders.order_tickets(order.id))
        return _pdf(pdf, f"{invoice['number']}.pdf")

    @get(
        "/orders/{token:str}/credit-note.pdf", operation_id="orderCreditNotePdf", media_type="application/pdf"
    )
    async def credit_note_pdf(self, token: str) -> Response[bytes]:
        order = await orders.get_order(token)
        note = await CreditNote.select().where(CreditNote.order == order.id).first()
        invoice = await Invoice.select().where(Invoice.order == order.id).first()
        if note is None or invoice is None:
            raise NotFound(_("This order has no credit note."))
        event = await Event.objects().where(Event.id == order.event).first()
        assert event is not None
        pdf = documents.credit_note_pdf(note, invoice, event, await orders.order_tickets(order.id))
        return _pdf(pdf, f"{note['number']}.pdf")

    @get(
        "/orders/{token:str}/tickets/{public_id:str}/qr.png", operation_id="ticketQr", media_type="image/png"
    )
    async def ticket_qr(self, token: str, public_id: str) -> Response[bytes]:
        order = await orders.get_order(token)
        ticket = (
            await Ticket.objects().where((Ticket.order == order.id) & (Ticket.public_id == public_id)).first()
        )
        if ticket is None or order.status != "confirmed":
            raise NotFound(_("This ticket does not exist."))
        png = signing.qr_png(signing.sign(ticket_id=ticket.id, event_id=ticket.event))
        return Response(png, media_type="image/png")

    @get("/ticketing/public-key", operation_id="ticketPublicKey")
    async def public_key(self) -> dict[str, Any]:
        return signing.public_key_info()

    @post("/events/{event_id:int}/waiting-list", operation_id="joinWaitingList", status_code=HTTP_201_CREATED)
    async def join_waiting_list(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        entry = await waiting_list.join(event_id, data, locale=get_locale())
        return {"id": entry.id, "status": entry.status}


class StripeWebhookController(Controller):
    path = "/api/webhooks"
    tags = ["tickets"]

    @post("/stripe", operation_id="stripeWebhook", status_code=HTTP_200_OK)
    async def stripe_webhook(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        body = await request.body()
        try:
            outcome = await webhooks.handle(body, request.headers.get("stripe-signature", ""))
        except webhooks.BadSignature as exc:
            message = _("The Stripe signature is missing or invalid.")
            raise BadRequest({"stripe-signature": message}) from exc
        except webhooks.StripeUnreachable as exc:  # Stripe retries the webhook later
            raise ServiceUnavailableException(
                detail=_("Stripe cannot be reached; try again later."), headers={"retry-after": "60"}
            ) from exc
        return {"received": True, "outcome": outcome}


class StaffTicketingController(Controller):
    path = "/api/staff/ticketing"
    tags = ["tickets (staff)"]
    guards = [staff_guard]

    @get("/orders", operation_id="staffListOrders")
    async def list_orders(
        self, event: int | None = None, status: str | None = None, q: str | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        return await staff.search_orders(event_id=event, status=status, q=q, limit=limit)

    @get("/orders.csv", operation_id="staffExportOrders", media_type="text/csv")
    async def export_orders(
        self, event: int | None = None, status: str | None = None, q: str | None = None
    ) -> Response[bytes]:
        data = await staff.orders_csv(event_id=event, status=status, q=q)
        return Response(
            data,
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="orders.csv"'},
        )

    @post("/events/{event_id:int}/issue", operation_id="staffIssueTickets", status_code=HTTP_201_CREATED)
    async def issue(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        placed = await orders.place_order(
            event_id=event_id,
            buyer=data.get("buyer") or {},
            items=data.get("items") or [],
            attendees=data.get("attendees"),
            locale=data.get("locale") if data.get("locale") in ("fr", "en") else get_locale(),
            issued_by_staff=True,
        )
        return await order_json(placed.order)

    @post("/orders/{token:str}/resend", operation_id="staffResendOrder", status_code=HTTP_200_OK)
    async def resend(self, token: str) -> dict[str, Any]:
        order = await orders.get_order(token)
        await orders.resend_tickets(order.id)
        return {"resent": True}

    @post("/orders/{token:str}/cancel", operation_id="staffCancelOrder", status_code=HTTP_200_OK)
    async def cancel(self, token: str) -> dict[str, Any]:
        return await order_json(await orders.cancel_order(token, by_staff=True))

    @post("/orders/{token:str}/approve", operation_id="staffApproveMemberPrice", status_code=HTTP_200_OK)
    async def approve(self, token: str) -> dict[str, Any]:
        order = await orders.get_order(token)
        return await order_json(await orders.approve_member_price(order.id))

    @get("/events/{event_id:int}/sales", operation_id="staffEventSales")
    async def sales(self, event_id: int) -> dict[str, Any]:
        return await staff.event_sales(event_id)


ROUTES: list[Any] = [TicketingController, StripeWebhookController, StaffTicketingController]
