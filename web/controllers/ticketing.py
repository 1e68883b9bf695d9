"""Ticketing pages: buy tickets, the order page by its token, payment and return from payment.

Thin: the pages read through ticketing services; the forms post JSON to the ticketing API.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from accounts.guards import staff_guard
from events.tables import Event, Venue
from server.errors import DomainError, NotFound, ValidationFailed
from server.settings import get_settings
from ticketing import orders, payments, staff
from ticketing import types as ticket_types
from ticketing.controllers import order_json, public_types
from ticketing.tables import ORDER_STATUSES, Order, TicketType
from web.controllers.staff_common import form_data, render, see_other

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
        return await orders.get_order(token)
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

    from server.security import default_policy

    base = get_settings().stripe_api_base
    local = [f"{urlsplit(base).scheme}://{urlsplit(base).netloc}"] if base else []
    return default_policy(
        script_src=["https://js.stripe.com", *local],
        frame_src=["https://js.stripe.com", "https://hooks.stripe.com", *local],
        connect_src=["https://api.stripe.com", *local],
        img_src=["https://*.stripe.com", *local],
        style_src=["'unsafe-inline'"],  # the Payment Element sizes its frame with inline styles
    )


class TicketingPages(Controller):
    tags = ["Ticketing pages"]
    include_in_schema = False

    @get("/events/{event_id:int}/tickets", operation_id="page_buy_tickets", name="ticketing:buy")
    async def buy(self, event_id: int, waiting: str | None = None) -> Template:
        event = await _event(event_id)
        venue = await Venue.objects().where(Venue.id == event.venue).first() if event.venue else None
        types = await public_types(event_id) if event.status == "published" else []
        return Template(
            template_name="ticketing/buy.html",
            context={
                "event": event,
                "venue": venue,
                "types": types,
                "waiting_token": waiting or "",
                "sold_out": bool(types) and all(t["sold_out"] for t in types),
                "reservation_minutes": get_settings().reservation_minutes,
            },
        )

    @get("/orders/{token:str}", operation_id="page_order", name="ticketing:order")
    async def order_page(self, token: str) -> Template:
        order = await _order(token)
        event = await _event(order.event)
        return Template(
            template_name="ticketing/order.html",
            context={
                "order": await order_json(order),
                "event": event,
                "cancel_hours": orders.cancellation_hours(),
            },
        )

    @get("/orders/{token:str}/pay", operation_id="page_pay", name="ticketing:pay")
    async def pay(self, token: str) -> Template | Redirect:
        order = await _order(token)
        if order.status != "pending_payment":
            return Redirect(f"/orders/{token}")
        event = await _event(order.event)
        error = None
        client_secret = ""
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


ROUTES: list[Any] = [TicketingPages]


class StaffTicketingPages(Controller):
    """Back office: orders (search, filters, CSV, resend, cancel/refund, approve) and per-event sales."""

    path = "/staff/tickets"
    guards = [staff_guard]
    tags = ["Ticketing pages"]
    include_in_schema = False

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
            else:
                raise NotFoundException()
        except DomainError as exc:
            return see_other(f"{back}{sep}flash={quote(str(exc))}")
        return see_other(f"{back}{sep}flash={quote(action)}")

    @get("/events/{event_id:int}", operation_id="page_staff_event_sales")
    async def event_sales(self, event_id: int, flash: str | None = None) -> Template:
        try:
            sales = await staff.event_sales(event_id)
        except NotFound as exc:
            raise NotFoundException() from exc
        types = await TicketType.select().where(TicketType.event == event_id).order_by(TicketType.position)
        return render("ticketing/staff_event.html", sales=sales, types=types, event_id=event_id, flash=flash)

    @post("/events/{event_id:int}/types", operation_id="page_staff_add_type")
    async def add_type(self, request: Request[Any, Any, Any], event_id: int) -> Template | Redirect:
        data = await form_data(request)
        try:
            if data.get("defaults"):
                await ticket_types.add_default_types(event_id)
            else:
                await ticket_types.create_ticket_type(event_id, data)
        except ValidationFailed as exc:
            return see_other(
                f"/staff/tickets/events/{event_id}?flash={quote('; '.join(exc.errors.values()))}"
            )
        return see_other(f"/staff/tickets/events/{event_id}?flash=ok")

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
            return see_other(
                f"/staff/tickets/events/{event_id}?flash={quote('; '.join(exc.errors.values()))}"
            )
        return see_other(f"/staff/tickets/?event={event_id}&flash={quote(placed.order.token[:10])}")


ROUTES.append(StaffTicketingPages)
