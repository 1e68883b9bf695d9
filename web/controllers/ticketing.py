"""Ticketing pages: buy tickets, the order page by its token, payment and return from payment.

Thin: the pages read through ticketing services; the forms post JSON to the ticketing API.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from events.tables import Event, Venue
from server.errors import NotFound
from server.settings import get_settings
from ticketing import orders, payments
from ticketing.controllers import order_json, public_types
from ticketing.tables import Order


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
                "cancel_hours": orders.CANCELLATION_HOURS,
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
