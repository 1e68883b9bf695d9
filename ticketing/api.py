"""Ticketing JSON API (thin: business rules live in ticketing.orders / ticketing.staff).

Public: ticket types, placing an order, the order by its random token (payment, sync on return,
cancel, attendee names, PDFs), the public key for door devices, the waiting list.
Stripe: POST /api/webhooks/stripe (signature verified, CSRF-exempt). Staff: /api/staff/ticketing.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.exceptions import ServiceUnavailableException
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accounts.guards import attendee_email, staff_guard
from events import ics, services
from events.tables import Event
from lib import csv_export
from lib.clock import now_utc
from lib.errors import NotFound
from lib.i18n import _, get_locale
from lib.validation import BadRequest
from ticketing import (
    documents,
    member_links,
    order_reads,
    orders,
    signing,
    staff,
    waiting_list,
    waiting_room,
    webhooks,
)
from ticketing.order_views import deliverable, order_json, public_types
from ticketing.tables import CreditNote, Invoice, Ticket
from ticketing.waiting_room import queue_cookie


def client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


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
    async def place(
        self, request: Request[Any, Any, Any], event_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        proven = attendee_email(request)
        # While the event's waiting room is active, only a buyer it admitted may order (once per place).
        queue_token = data.get("queue_token") or request.cookies.get(
            waiting_room.COOKIE_PREFIX + str(event_id)
        )
        placed = await orders.place_order(
            event_id=event_id,
            buyer=data.get("buyer") or {},
            items=data.get("items") or [],
            attendees=data.get("attendees"),
            locale=data.get("locale") if data.get("locale") in ("fr", "en") else get_locale(),
            request_approval=bool(data.get("request_approval")),
            waiting_token=data.get("waiting_token") or None,
            proven_email=proven,
            client_ip=client_ip(request),
            through_waiting_room=True,
            queue_token=queue_token if isinstance(queue_token, str) else None,
        )
        return await order_json(
            placed.order,
            placed.client_secret,
            proven=proven,
            tickets=placed.tickets,
            member_confirmations=placed.member_confirmations,
        )

    @get("/orders/{token:str}", operation_id="getOrder")
    async def get_order(self, request: Request[Any, Any, Any], token: str) -> dict[str, Any]:
        return await order_json(await order_reads.get_order(token), proven=attendee_email(request))

    @post("/orders/{token:str}/payment", operation_id="startPayment", status_code=HTTP_200_OK)
    async def payment(self, token: str) -> dict[str, Any]:
        order = await order_reads.get_order(token)
        secret = await orders.start_payment(order)
        return await order_json(await order_reads.get_order(token), secret)

    @post("/orders/{token:str}/sync", operation_id="syncPayment", status_code=HTTP_200_OK)
    async def sync(self, token: str) -> dict[str, Any]:
        order = await orders.sync_payment(await order_reads.get_order(token))
        return await order_json(order)

    @post("/orders/{token:str}/cancel", operation_id="cancelOrder", status_code=HTTP_200_OK)
    async def cancel(self, token: str) -> dict[str, Any]:
        return await order_json(await orders.cancel_order(token))

    @post("/orders/{token:str}/bank-transfer", operation_id="chooseBankTransfer", status_code=HTTP_200_OK)
    async def bank_transfer(self, token: str) -> dict[str, Any]:
        return await order_json(await orders.choose_bank_transfer(token))

    @patch("/orders/{token:str}/tickets/{public_id:str}", operation_id="changeAttendee")
    async def change_attendee(
        self, request: Request[Any, Any, Any], token: str, public_id: str, data: dict[str, Any]
    ) -> dict[str, Any]:
        proven = attendee_email(request)
        await orders.change_attendee(token, public_id, data, proven_email=proven)
        return await order_json(await order_reads.get_order(token), proven=proven)

    @post("/member-confirmations/{token:str}", operation_id="confirmMemberPrice", status_code=HTTP_200_OK)
    async def confirm_member(self, token: str) -> dict[str, Any]:
        """Use a one-time member confirmation link (the token from the email)."""
        outcome = await member_links.confirm(token)
        return {
            "kind": outcome.kind,
            "email": outcome.email,
            "order_status": outcome.order_status,
            "waiting_for": outcome.waiting_for,
        }

    @get("/orders/{token:str}/tickets.pdf", operation_id="orderTicketsPdf", media_type="application/pdf")
    async def tickets_pdf(self, request: Request[Any, Any, Any], token: str) -> Response[bytes]:
        order = await order_reads.get_order(token)
        if order.status != "confirmed":
            raise NotFound(_("The tickets are available once the order is confirmed."))
        event = await Event.objects().where(Event.id == order.event).first()
        assert event is not None
        tickets = deliverable(order, await order_reads.order_tickets(order.id), attendee_email(request))
        if not tickets:
            raise NotFound(_("These member tickets were sent to their holders' own addresses."))
        pdf = documents.tickets_pdf(event, order, tickets, venue=await documents.venue_of(event))
        return _pdf(pdf, "tickets.pdf")

    @get(
        "/orders/{token:str}/event.ics",
        operation_id="orderEventIcs",
        media_type="text/calendar",
        summary="The ordered event for a calendar (.ics: start, end, venue and address)",
    )
    async def event_ics(self, token: str) -> Response[bytes]:
        order = await order_reads.get_order(token)
        event = await services.get_event(order.event)
        return Response(
            ics.event_calendar(event),
            media_type="text/calendar",  # Litestar appends "; charset=utf-8" to text/* types
            headers={"content-disposition": f'attachment; filename="{event["slug"]}.ics"'},
        )

    @get("/orders/{token:str}/invoice.pdf", operation_id="orderInvoicePdf", media_type="application/pdf")
    async def invoice_pdf(self, token: str) -> Response[bytes]:
        order = await order_reads.get_order(token)
        invoice = await Invoice.select().where(Invoice.order == order.id).first()
        if invoice is None:
            raise NotFound(_("This order has no invoice."))
        event = await Event.objects().where(Event.id == order.event).first()
        assert event is not None
        pdf = documents.invoice_pdf(invoice, event, await order_reads.order_tickets(order.id))
        return _pdf(pdf, f"{invoice['number']}.pdf")

    @get(
        "/orders/{token:str}/credit-note.pdf", operation_id="orderCreditNotePdf", media_type="application/pdf"
    )
    async def credit_note_pdf(self, token: str) -> Response[bytes]:
        order = await order_reads.get_order(token)
        note = await CreditNote.select().where(CreditNote.order == order.id).first()
        invoice = await Invoice.select().where(Invoice.order == order.id).first()
        if note is None or invoice is None:
            raise NotFound(_("This order has no credit note."))
        event = await Event.objects().where(Event.id == order.event).first()
        assert event is not None
        pdf = documents.credit_note_pdf(note, invoice, event, await order_reads.order_tickets(order.id))
        return _pdf(pdf, f"{note['number']}.pdf")

    @get(
        "/orders/{token:str}/tickets/{public_id:str}/qr.png", operation_id="ticketQr", media_type="image/png"
    )
    async def ticket_qr(self, request: Request[Any, Any, Any], token: str, public_id: str) -> Response[bytes]:
        order = await order_reads.get_order(token)
        ticket = (
            await Ticket.objects().where((Ticket.order == order.id) & (Ticket.public_id == public_id)).first()
        )
        if ticket is None or order.status != "confirmed":
            raise NotFound(_("This ticket does not exist."))
        own = deliverable(order, await order_reads.order_tickets(order.id), attendee_email(request))
        if public_id not in {t["public_id"] for t in own}:
            raise NotFound(_("This member ticket was sent to its holder's own address."))
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

    @get(
        "/orders.csv",
        operation_id="staffExportOrders",
        media_type="text/csv",
        summary="Orders, one line per ticket (format=excel: French Excel, the default; format=plain)",
    )
    async def export_orders(
        self,
        event: int | None = None,
        status: str | None = None,
        q: str | None = None,
        format: str | None = None,  # noqa: A002 (the query parameter's name)
    ) -> Response[bytes]:
        dialect = csv_export.dialect_from_query(format)
        data = await staff.orders_csv(event_id=event, status=status, q=q, dialect=dialect)
        return csv_export.response(data, "orders.csv" if event is None else f"orders-{event}.csv")

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
        order = await order_reads.get_order(token)
        await orders.resend_tickets(order.id)
        return {"resent": True}

    @post("/orders/{token:str}/cancel", operation_id="staffCancelOrder", status_code=HTTP_200_OK)
    async def cancel(self, token: str) -> dict[str, Any]:
        return await order_json(await orders.cancel_order(token, by_staff=True))

    @post("/orders/{token:str}/paid", operation_id="staffRecordBankTransfer", status_code=HTTP_200_OK)
    async def record_transfer(self, token: str) -> dict[str, Any]:
        order = await order_reads.get_order(token)
        return await order_json(await orders.record_bank_transfer(order.id))

    @post("/orders/{token:str}/approve", operation_id="staffApproveMemberPrice", status_code=HTTP_200_OK)
    async def approve(self, token: str) -> dict[str, Any]:
        order = await order_reads.get_order(token)
        return await order_json(await orders.approve_member_price(order.id))

    @get("/events/{event_id:int}/sales", operation_id="staffEventSales")
    async def sales(self, event_id: int) -> dict[str, Any]:
        return await staff.event_sales(event_id)


def queue_json(event_id: int, place: waiting_room.Place, token: str) -> dict[str, Any]:
    state = waiting_room.status(place)
    return {
        "event": event_id,
        "token": token,
        "position": state.position,
        "ahead": state.ahead,
        "wait_seconds": state.wait_seconds,
        "admitted": state.admitted,
        "progress": state.progress,
        "buy_url": f"/events/{event_id}/tickets",
    }


def room_json(room: waiting_room.Room) -> dict[str, Any]:
    return {
        "event": room.event_id,
        "enabled": room.enabled,
        "opens_at": room.opens_at.isoformat(),
        "admit_per_second": room.admit_per_second,
        "window_minutes": room.window_minutes,
        "pass_minutes": room.pass_minutes,
        "issued": room.issued,
        "active": room.active(now_utc()),
    }


class WaitingRoomController(Controller):
    """The waiting room of a sale opening: take a place (one write), then poll it (no statement)."""

    path = "/api/events/{event_id:int}/queue"
    tags = ["tickets"]

    @post(
        "/",
        operation_id="joinQueue",
        status_code=HTTP_201_CREATED,
        summary="Take a place in the event's waiting room",
        description=(
            "While an event's waiting room is active, placeOrder needs the admitted place's token: the "
            "`queue_<event id>` cookie set here, or `queue_token` in the order's body. One order per place."
        ),
    )
    async def join(self, request: Request[Any, Any, Any], event_id: int) -> Response[dict[str, Any]]:
        token = request.cookies.get(waiting_room.COOKIE_PREFIX + str(event_id))
        place = waiting_room.read_pass(token, event_id)
        if place is None:  # a second POST with the cookie keeps the place it has
            place = await waiting_room.join(event_id)
            if place is None:
                raise NotFound(_("This event has no waiting room open: book directly."))
            token = waiting_room.sign(place)
        assert token is not None
        room = await waiting_room.room_of(event_id)
        return Response(
            queue_json(event_id, place, token),
            status_code=HTTP_201_CREATED,
            cookies=[queue_cookie(event_id, token, room)],
        )

    @get("/", operation_id="queueStatus", summary="Where a pass stands (token in ?token= or the cookie)")
    async def status(
        self, request: Request[Any, Any, Any], event_id: int, token: str | None = None
    ) -> dict[str, Any]:
        token = token or request.cookies.get(waiting_room.COOKIE_PREFIX + str(event_id))
        place = waiting_room.read_pass(token, event_id)
        if place is None or token is None:
            raise BadRequest({"token": _("This place in the queue is not valid: join the queue again.")})
        return queue_json(event_id, place, token)


class StaffWaitingRoomController(Controller):
    path = "/api/staff/ticketing/events/{event_id:int}/waiting-room"
    tags = ["tickets (staff)"]
    guards = [staff_guard]

    @get("/", operation_id="staffGetWaitingRoom")
    async def get_room(self, event_id: int) -> dict[str, Any]:
        room = await waiting_room.room_of(event_id)
        if room is None:
            raise NotFound(_("This event has no waiting room."))
        return room_json(room)

    @put("/", operation_id="staffSetWaitingRoom")
    async def set_room(self, event_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return room_json(await waiting_room.configure(event_id, data))


ROUTES: list[Any] = [
    TicketingController,
    WaitingRoomController,
    StripeWebhookController,
    StaffTicketingController,
    StaffWaitingRoomController,
]
