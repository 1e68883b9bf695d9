"""Reading an order: by its token, its tickets, the reference a bank transfer carries."""

from __future__ import annotations

from typing import Any

from lib.errors import NotFound
from lib.i18n import _
from lib.settings import get_settings
from ticketing.tables import Order, Ticket


async def get_order(token: str) -> Order:
    order = await Order.objects().where(Order.token == (token or "")).first()
    if order is None:
        raise NotFound(_("This order does not exist."))
    return order


async def order_tickets(order_id: int) -> list[dict[str, Any]]:
    return await (
        Ticket.select(
            Ticket.all_columns(),
            Ticket.ticket_type.name.as_alias("type_name"),
            Ticket.ticket_type.name_en.as_alias("type_name_en"),
            Ticket.ticket_type.requires_membership.as_alias("members_only"),
        )
        .where(Ticket.order == order_id)
        .order_by(Ticket.id)
    )


def payment_reference(order: Order) -> str:
    """The reference a bank transfer must carry (BANK_REFERENCE_PREFIX + the order number)."""
    return f"{get_settings().bank_reference_prefix}{order.id}"
