"""Ticketing pages: buy tickets, the order page by its token, payment and return from payment.

Thin: the pages read through ticketing services; the forms post JSON to the ticketing API.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from accounts.guards import attendee_email, staff_guard
from accounts.services import LinkInvalid
from events import services
from events.tables import Event, Venue
from lib.clock import now_utc
from lib.errors import DomainError, NotFound, ValidationFailed
from lib.i18n import _, get_locale
from lib.settings import get_settings
from ticketing import holds, member_links, member_proof, order_reads, orders, payments, staff, waiting_room
from ticketing import types as ticket_types
from ticketing.order_views import order_json, public_types
from ticketing.tables import ORDER_STATUSES, Order, Ticket, TicketType
from ticketing.waiting_room import queue_cookie
from web.controllers.staff_common import EXCEPTION_HANDLERS, form_data, local_input, render, see_other

ORDERS_LIST = "/staff/tickets/"


def back_to_orders_list(next_field: str | None, referer: str | None, host: str) -> str:
    """Where an order action returns: a same-site path of the orders pages only (the form's `next`,
    else the path of a Referer from this very site), never another site."""
    from urllib.parse import urlsplit

    from accounts.services import safe_next

    candidate = next_field or ""
    if not candidate and referer:
        parts = urlsplit(referer)
        if parts.scheme in ("http", "https") and parts.netloc == host:
            candidate = parts.path + (f"?{parts.query}" if parts.query else "")
    path = safe_next(candidate, ORDERS_LIST)
    return path if path.startswith("/staff/tickets") else ORDERS_LIST


async def _event(event_id: int) -> Event:
    event = await Event.objects().where((Event.id == event_id) & (Event.status != "draft")).first()
    if event is None:
        raise NotFoundException()
    return event


async def _order(token: str) -> Order:
    try:
        return await order_reads.get_order(token)
    except NotFound as exc:
        raise NotFoundException() from exc


def stripe_js_url() -> str:
    """Stripe.js is served by Stripe (never vendored); STRIPE_API_BASE points at a local peer in tests."""
    base = get_settings().stripe_api_base
    return f"{base}/js.stripe.com/v3/" if base else "https://js.stripe.com/v3/"


def payment_page_policy() -> str:
    """The payment page's Content-Security-Policy: the site's, plus what Stripe.js and its Payment
    Element need (Stripe's documented sources; the local peer's origin when STRIPE_API_BASE is set)."""
    from urllib.parse import urlsplit

    from lib.security import default_policy

    base = get_settings().stripe_api_base
    local = [f"{urlsplit(base).scheme}://{urlsplit(base).netloc}"] if base else []
    return default_policy(
        script_src=["https://js.stripe.com", *local],
        frame_src=["https://js.stripe.com", "https://hooks.stripe.com", *local],
        connect_src=["https://api.stripe.com", *local],
        img_src=["https://*.stripe.com", *local],
        style_src=["'unsafe-inline'"],  # the Payment Element sizes its frame with inline styles
    )


def invoice_payment_page(
    *,
    title: str,
    payer: str,
    invoice_number: str,
    amount_ttc_cents: int,
    client_secret: str,
    return_url: str,
    back_url: str,
    back_label: str,
) -> Template:
    """The card payment page of one invoice (dues, a stand share): Stripe's Payment Element, which sends
    the payer back to `return_url`; without a client secret (Stripe out of reach), the transfer advice."""
    return Template(
        headers={"content-security-policy": payment_page_policy()},
        template_name="ticketing/invoice_pay.html",
        context={
            "title": title,
            "payer": payer,
            "invoice_number": invoice_number,
            "amount_ttc_cents": amount_ttc_cents,
            "client_secret": client_secret,
            "publishable_key": get_settings().stripe_publishable_key,
            "stripe_js": stripe_js_url(),
            "return_url": return_url,
            "back_url": back_url,
            "back_label": back_label,
        },
    )


class TicketingPages(Controller):
    tags = ["Ticketing pages"]
    include_in_schema = False

    @get("/events/{event_id:int}/tickets", operation_id="page_buy_tickets", name="ticketing:buy")
    async def buy(
        self, request: Request[Any, Any, Any], event_id: int, waiting: str | None = None
    ) -> Template | Redirect:
        event = await _event(event_id)
        if await waiting_room.active_room(event_id) is not None:
            # During a sale opening the form is for buyers the waiting room let in.
            place = waiting_room.read_pass(
                request.cookies.get(waiting_room.COOKIE_PREFIX + str(event_id)), event_id
            )
            if place is None or not waiting_room.status(place).admitted:
                return Redirect(f"/events/{event_id}/queue", status_code=303)
        venue = await Venue.objects().where(Venue.id == event.venue).first() if event.venue else None
        types = await public_types(event_id) if event.status == "published" else []
        sold_out = bool(types) and all(t["sold_out"] for t in types)
        held = await holds.held_places(event_id) if sold_out else None
        settings = get_settings()
        return Template(
            template_name="ticketing/buy.html",
            context={
                "event": event,
                "venue": venue,
                "types": types,
                "waiting_token": waiting or "",
                "sold_out": sold_out,
                "held_message": holds.held_message(held) if held and held.places else "",
                "reservation_minutes": settings.reservation_minutes,
                "member_confirmation_hours": max(1, settings.member_confirmation_minutes // 60),
                "signed_in_as": attendee_email(request) or "",
                "has_member_types": any(t["members_only"] for t in types),
                "online_payment": payments.online_payment_enabled(),
            },
        )

    @get("/events/{event_id:int}/queue", operation_id="page_waiting_room", name="ticketing:queue")
    async def queue(self, request: Request[Any, Any, Any], event_id: int) -> Template | Redirect:
        """The waiting room: the first visit takes a place (one write); later visits and the page's
        polling only read the signed pass in the cookie."""
        event = await _event(event_id)
        room = await waiting_room.active_room(event_id)
        token = request.cookies.get(waiting_room.COOKIE_PREFIX + str(event_id))
        place = waiting_room.read_pass(token, event_id)
        if room is None:
            return Redirect(f"/events/{event_id}/tickets", status_code=303)
        fresh = place is None
        if place is None:
            place = await waiting_room.join(event_id)
            if place is None:
                return Redirect(f"/events/{event_id}/tickets", status_code=303)
            token = waiting_room.sign(place)
        assert token is not None
        state = waiting_room.status(place)
        cookies = [queue_cookie(event_id, token, room)] if fresh else None
        if state.admitted and fresh:  # no queue left: straight to the form, with the pass
            return Redirect(f"/events/{event_id}/tickets", status_code=303, cookies=cookies)
        return Template(
            template_name="ticketing/queue.html",
            context={"event": event, "room": room, "state": state, "buy_url": f"/events/{event_id}/tickets"},
            cookies=cookies,
        )

    @get("/orders/{token:str}", operation_id="page_order", name="ticketing:order")
    async def order_page(self, request: Request[Any, Any, Any], token: str) -> Template:
        order = await _order(token)
        await orders.expire_due(order.event)
        order = await _order(token)
        event = await _event(order.event)
        return Template(
            template_name="ticketing/order.html",
            context={
                "order": await order_json(order, proven=attendee_email(request)),
                "event": event,
                "venue": await Venue.objects().where(Venue.id == event.venue).first()
                if event.venue
                else None,
                "expires_at": order.expires_at,
                "cancel_hours": orders.cancellation_hours(),
                "payment": _payment_alternative(order),
            },
        )

    @get("/tickets/confirm/{token:str}", operation_id="page_member_confirm", name="ticketing:member_confirm")
    async def member_confirm_page(self, token: str) -> Template:
        """A page with a button: mail scanners that prefetch the GET do not use the link up."""
        try:
            pending = await member_proof.check(token)
        except LinkInvalid as exc:
            return Template("ticketing/member_confirm.html", context={"error": str(exc)}, status_code=400)
        return Template(
            "ticketing/member_confirm.html",
            context={
                "error": None,
                "token": token,
                "email": pending.row.email,
                "kind": pending.row.kind,
                "new_name": pending.row.new_name,
                "buyer_email": pending.order.buyer_email,
                "event": pending.event,
                "tickets": pending.tickets,
                "expires_at": pending.row.expires_at,
            },
        )

    @post("/tickets/confirm/{token:str}", operation_id="page_member_confirm_form")
    async def member_confirm(self, token: str) -> Template:
        try:
            pending = await member_proof.check(token)
            outcome = await member_links.confirm(token)
        except (LinkInvalid, DomainError) as exc:
            return Template("ticketing/member_confirm.html", context={"error": str(exc)}, status_code=400)
        return Template(
            "ticketing/member_confirm.html",
            context={
                "error": None,
                "done": True,
                "outcome": outcome,
                "email": outcome.email,
                "event": pending.event,
            },
        )

    @post("/orders/{token:str}/bank-transfer", operation_id="page_bank_transfer")
    async def bank_transfer(self, token: str) -> Redirect:
        try:
            await orders.choose_bank_transfer(token)
        except NotFound as exc:
            raise NotFoundException() from exc
        except DomainError:
            pass  # the order page says why (expired, already paid)
        return Redirect(f"/orders/{token}", status_code=303)

    @get("/orders/{token:str}/pay", operation_id="page_pay", name="ticketing:pay")
    async def pay(self, token: str) -> Template | Redirect:
        order = await _order(token)
        if order.status != "pending_payment":
            return Redirect(f"/orders/{token}")
        event = await _event(order.event)
        error = None
        client_secret = ""
        online = payments.online_payment_enabled()
        if order.expires_at and order.expires_at < now_utc():
            return Redirect(f"/orders/{token}")
        if online:
            try:
                client_secret = await orders.start_payment(order)
            except payments.PaymentUnavailable:
                error = "unavailable"
            except Exception as exc:  # expired meanwhile (Conflict): show the order page's message
                if getattr(exc, "status_code", 500) == 409:
                    return Redirect(f"/orders/{token}")
                raise
        settings = get_settings()
        return Template(
            headers={"content-security-policy": payment_page_policy()},
            template_name="ticketing/pay.html",
            context={
                "order": await order_json(order),
                "event": event,
                "client_secret": client_secret,
                "expires_at": order.expires_at,
                "publishable_key": settings.stripe_publishable_key,
                "stripe_js": stripe_js_url(),
                "return_url": f"{settings.base_url}/orders/{token}/return",
                "error": error,
                "online_payment": online,
                "payment": _payment_alternative(order),
            },
        )

    @get("/orders/{token:str}/return", operation_id="page_payment_return", name="ticketing:return")
    async def payment_return(self, token: str) -> Redirect:
        """Stripe sends the buyer back here: ask Stripe for the payment's state, then show the order."""
        order = await _order(token)
        try:
            await orders.sync_payment(order)
        except payments.PaymentUnavailable:
            pass  # the signed webhook will confirm it
        return Redirect(f"/orders/{token}")


def _payment_alternative(order: Order) -> dict[str, Any]:
    """What the payment page offers without online payment: bank transfer details or the team's contact."""
    settings = get_settings()
    return {
        "online": payments.online_payment_enabled(),
        "transfer": orders.bank_transfer_offered(),
        "chosen_transfer": order.payment_method == "transfer",
        "holder": settings.bank_account_holder,
        "iban": settings.bank_iban,
        "bic": settings.bank_bic,
        "reference": order_reads.payment_reference(order),
        "contact": settings.contact_email,
        "transfer_days": settings.bank_transfer_days,
    }


ROUTES: list[Any] = [TicketingPages]


class StaffTicketingPages(Controller):
    """Back office: orders (search, filters, CSV, resend, cancel/refund, approve) and per-event sales."""

    path = "/staff/tickets"
    guards = [staff_guard]
    tags = ["Ticketing pages"]
    include_in_schema = False
    exception_handlers = EXCEPTION_HANDLERS

    @get("/", operation_id="page_staff_orders")
    async def orders_list(
        self,
        event: int | None = None,
        status: str | None = None,
        q: str | None = None,
        flash: str | None = None,
    ) -> Template:
        found = await staff.search_orders(event_id=event, status=status or None, q=q, limit=300)
        events = await Event.select(Event.id, Event.title, Event.starts_at).order_by(
            Event.starts_at, ascending=False
        )
        titles = {e["id"]: e["title"] for e in events}
        query = urlencode({k: v for k, v in {"event": event, "status": status, "q": q}.items() if v})
        return render(
            "ticketing/staff_orders.html",
            orders=found,
            events=events,
            titles=titles,
            selected_event=event,
            selected_status=status or "",
            q=q or "",
            statuses=ORDER_STATUSES,
            csv_url="/api/staff/ticketing/orders.csv" + (f"?{query}" if query else ""),
            flash=flash,
        )

    @post("/orders/{token:str}/{action:str}", operation_id="page_staff_order_action")
    async def order_action(self, request: Request[Any, Any, Any], token: str, action: str) -> Redirect:
        order = await _order(token)
        data = await form_data(request)
        back = back_to_orders_list(data.get("next"), request.headers.get("referer"), request.url.netloc)
        back = back.split("?flash=")[0].split("&flash=")[0]
        sep = "&" if "?" in back else "?"
        try:
            if action == "resend":
                await orders.resend_tickets(order.id)
            elif action == "cancel":
                await orders.cancel_order(token, by_staff=True)
            elif action == "approve":
                await orders.approve_member_price(order.id)
            elif action == "paid":
                await orders.record_bank_transfer(order.id)
            else:
                raise NotFoundException()
        except DomainError as exc:
            return see_other(f"{back}{sep}flash={quote(str(exc))}")
        return see_other(f"{back}{sep}flash={quote(action)}")

    @get("/events/{event_id:int}", operation_id="page_staff_event_sales")
    async def event_sales(self, event_id: int, flash: str | None = None) -> Redirect:
        """The sales page moved to the event: /staff/events/{id}/sales."""
        await services.get_event(event_id)
        query = f"?flash={quote(flash)}" if flash else ""
        return see_other(f"/staff/events/{event_id}/sales{query}")

    @post("/events/{event_id:int}/types", operation_id="page_staff_add_type")
    async def add_type(self, request: Request[Any, Any, Any], event_id: int) -> Template | Redirect:
        data = await form_data(request)
        try:
            if data.get("defaults"):
                await ticket_types.add_default_types(event_id)
            else:
                await ticket_types.create_ticket_type(event_id, data)
        except ValidationFailed as exc:
            return see_other(f"/staff/events/{event_id}/sales?flash={quote('; '.join(exc.errors.values()))}")
        return see_other(f"/staff/events/{event_id}/sales?done=type-added")

    @post("/events/{event_id:int}/issue", operation_id="page_staff_issue")
    async def issue(self, request: Request[Any, Any, Any], event_id: int) -> Redirect:
        data = await form_data(request)
        try:
            placed = await orders.place_order(
                event_id=event_id,
                buyer={
                    "name": data.get("name"),
                    "email": data.get("email"),
                    "organisation": data.get("organisation"),
                },
                items=[{"ticket_type": data.get("ticket_type"), "quantity": data.get("quantity") or 1}],
                attendees=None
                if (data.get("quantity") or "1") == "1"
                else [
                    {
                        "name": data.get("name"),
                        "email": data.get("email"),
                        "organisation": data.get("organisation"),
                    }
                ]
                * int(data.get("quantity") or 1),
                locale=data.get("locale") if data.get("locale") in ("fr", "en") else "fr",
                issued_by_staff=True,
            )
        except ValidationFailed as exc:
            return see_other(f"/staff/events/{event_id}/sales?flash={quote('; '.join(exc.errors.values()))}")
        return see_other(f"/staff/tickets/?event={event_id}&flash={quote(placed.order.token[:10])}")

    @post("/events/{event_id:int}/waiting-room", operation_id="page_staff_waiting_room")
    async def set_waiting_room(self, request: Request[Any, Any, Any], event_id: int) -> Redirect:
        data = await form_data(request)
        try:
            await waiting_room.configure(event_id, {**data, "enabled": data.get("enabled") or ""})
        except ValidationFailed as exc:
            return see_other(f"/staff/events/{event_id}/sales?flash={quote('; '.join(exc.errors.values()))}")
        return see_other(
            f"/staff/events/{event_id}/sales?flash={quote(_('Waiting room saved.'))}#waiting-room"
        )


ROUTES.append(StaffTicketingPages)


# ---- an event's sales and ticket types (staff) ------------------------------------------------------
TYPE_FIELDS = ("name", "name_en", "price", "capacity", "max_per_order", "sales_start", "sales_end")
TYPE_FLAGS = ("requires_membership", "staff_only")


def price_input(cents: int) -> str:
    """20,00 in French, 20.00 in English: what the price field shows (it reads both)."""
    text = f"{cents / 100:.2f}"
    return text.replace(".", ",") if get_locale() == "fr" else text


def type_values(ttype: TicketType | None) -> dict[str, str]:
    if ttype is None:
        return {"price": price_input(0), "max_per_order": "10", "status": "open"}
    return {
        "name": ttype.name,
        "name_en": ttype.name_en,
        "price": price_input(ttype.price_cents),
        "capacity": "" if ttype.capacity is None else str(ttype.capacity),
        "max_per_order": str(ttype.max_per_order),
        "sales_start": local_input(ttype.sales_start),
        "sales_end": local_input(ttype.sales_end),
        "requires_membership": "1" if ttype.requires_membership else "",
        "staff_only": "1" if ttype.staff_only else "",
        "status": "open" if ttype.active else "closed",
    }


def type_form(data: dict[str, str]) -> dict[str, Any]:
    """The posted editor as the service's fields: every field (unchecked boxes are absent from a form)."""
    fields: dict[str, Any] = {f: data.get(f, "") for f in TYPE_FIELDS}
    fields.update({f: data.get(f, "") for f in TYPE_FLAGS})
    fields["active"] = "" if data.get("status") == "closed" else "1"
    return fields


class StaffEventSalesPages(Controller):
    """/staff/events/{id}/sales: the event's ticket types (sold, held, capacity, left, revenue; edit,
    close, reopen), its latest orders, free tickets issued by the team, links to its orders and door."""

    path = "/staff/events/{event_id:int}"
    guards = [staff_guard]
    tags = ["Ticketing pages"]
    include_in_schema = False
    exception_handlers = EXCEPTION_HANDLERS

    async def _page(
        self,
        event_id: int,
        *,
        flash: str = "",
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
    ) -> Template:
        event = await services.get_event(event_id)
        return render(
            "ticketing/staff_event.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            event=event,
            event_id=event_id,
            sales=await staff.event_sales(event_id),
            orders=await staff.search_orders(event_id=event_id, limit=20),
            types=await TicketType.select().where(TicketType.event == event_id).order_by(TicketType.position),
            values=values or type_values(None),
            errors=errors or {},
            flash=flash,
            room=await waiting_room.room_of(event_id),
            local_input=local_input,
        )

    @get("/sales", operation_id="page_staff_sales")
    async def sales(self, event_id: int, done: str = "", flash: str = "") -> Template:
        message = {
            "type-added": _("The ticket type has been added."),
            "type-saved": _("The ticket type has been saved."),
            "type-closed": _("The ticket type is closed: no more sales; the tickets sold stay valid."),
            "type-reopened": _("The ticket type is on sale again."),
            "type-deleted": _("The ticket type has been deleted."),
        }.get(done, flash)
        return await self._page(event_id, flash=message)

    @post("/ticket-types", operation_id="page_staff_type_create")
    async def create_type(self, request: Request[Any, Any, Any], event_id: int) -> Template | Redirect:
        data = await form_data(request)
        await services.get_event(event_id)
        try:
            await ticket_types.create_ticket_type(event_id, type_form(data))
        except ValidationFailed as exc:
            return await self._page(event_id, values=data, errors=exc.errors)
        return see_other(f"/staff/events/{event_id}/sales?done=type-added#ticket-types")

    @post("/ticket-types/defaults", operation_id="page_staff_type_defaults")
    async def default_types(self, event_id: int) -> Redirect:
        await services.get_event(event_id)
        await ticket_types.add_default_types(event_id)
        return see_other(f"/staff/events/{event_id}/sales?done=type-added#ticket-types")

    async def _editor(
        self, event_id: int, ttype: TicketType, values: dict[str, str] | None = None, errors: Any = None
    ) -> Template:
        return render(
            "ticketing/staff_ticket_type.html",
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
            event=await services.get_event(event_id),
            ttype=ttype,
            values=values or type_values(ttype),
            errors=errors or {},
            has_tickets=await Ticket.exists().where(Ticket.ticket_type == ttype.id),
        )

    @get("/ticket-types/{type_id:int}", operation_id="page_staff_type_edit")
    async def edit_type(self, event_id: int, type_id: int) -> Template:
        return await self._editor(event_id, await ticket_types.get_ticket_type(event_id, type_id))

    @post("/ticket-types/{type_id:int}", operation_id="page_staff_type_save")
    async def save_type(
        self, request: Request[Any, Any, Any], event_id: int, type_id: int
    ) -> Template | Redirect:
        ttype = await ticket_types.get_ticket_type(event_id, type_id)
        data = await form_data(request)
        try:
            await ticket_types.update_ticket_type(event_id, type_id, type_form(data))
        except ValidationFailed as exc:
            return await self._editor(event_id, ttype, values=data, errors=exc.errors)
        return see_other(f"/staff/events/{event_id}/sales?done=type-saved#type-{type_id}")

    @post("/ticket-types/{type_id:int}/{action:str}", operation_id="page_staff_type_action")
    async def type_action(self, event_id: int, type_id: int, action: str) -> Template | Redirect:
        ttype = await ticket_types.get_ticket_type(event_id, type_id)
        if action == "close":
            await ticket_types.set_active(event_id, type_id, False)
            return see_other(f"/staff/events/{event_id}/sales?done=type-closed#type-{type_id}")
        if action == "reopen":
            await ticket_types.set_active(event_id, type_id, True)
            return see_other(f"/staff/events/{event_id}/sales?done=type-reopened#type-{type_id}")
        if action == "delete":
            try:
                await ticket_types.delete_ticket_type(event_id, type_id)
            except ValidationFailed as exc:
                return await self._editor(event_id, ttype, errors=exc.errors)
            return see_other(f"/staff/events/{event_id}/sales?done=type-deleted#ticket-types")
        raise NotFoundException()


ROUTES.append(StaffEventSalesPages)
