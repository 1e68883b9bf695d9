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


# Raw SQL: read after every order, and Piccolo's building of this join cost more than running it.
ORDER_TICKETS_SQL = (
    "SELECT " + ", ".join(f't."{c._meta.db_column_name}"' for c in Ticket._meta.columns) + ","
    " tt.name AS type_name, tt.name_en AS type_name_en, tt.requires_membership AS members_only"
    ' FROM ticket t JOIN ticket_type tt ON tt.id = t.ticket_type WHERE t."order" = {} ORDER BY t.id'
)


async def order_tickets(order_id: int) -> list[dict[str, Any]]:
    return await Ticket.raw(ORDER_TICKETS_SQL, order_id)


def payment_reference(order: Order) -> str:
    """The reference a bank transfer must carry (BANK_REFERENCE_PREFIX + the order number)."""
    return f"{get_settings().bank_reference_prefix}{order.id}"
