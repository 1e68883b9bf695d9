"""Staff views of ticketing: order search and filters, CSV export, per-event sales."""

from __future__ import annotations

import csv
import io
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.methods.select import Count

from events.tables import Event
from server.errors import NotFound
from server.i18n import _, localized
from server.settings import get_settings
from ticketing.tables import EventSales, Order, Ticket, TicketType


def _filtered(query: Any, event_id: int | None, status: str | None, q: str | None) -> Any:
    if event_id:
        query = query.where(Order.event == event_id)
    if status:
        query = query.where(Order.status == status)
    if q and q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(
            WhereRaw(
                "(lower(buyer_name) LIKE {} OR lower(buyer_email) LIKE {} OR lower(buyer_organisation) LIKE {} "
                'OR token LIKE {} OR id IN (SELECT "order" FROM ticket WHERE lower(attendee_name) LIKE {} '
                "OR lower(attendee_email) LIKE {}))",
                like,
                like,
                like,
                f"{q.strip()}%",
                like,
                like,
            )
        )
    return query


async def search_orders(
    *, event_id: int | None = None, status: str | None = None, q: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    query = _filtered(Order.select(), event_id, status, q).order_by(Order.id, ascending=False)
    rows = await query.limit(max(1, min(limit, 1000)))
    counts = {}
    if rows:
        for r in (
            await Ticket.select(Ticket.order, Count(Ticket.id, alias="n"))
            .where(Ticket.order.is_in([r["id"] for r in rows]))
            .group_by(Ticket.order)
        ):
            counts[r["order"]] = r["n"]
    return [
        {
            "token": r["token"],
            "event": r["event"],
            "status": r["status"],
            "source": r["source"],
            "approval_requested": r["approval_requested"],
            "payment_method": r["payment_method"],
            "payment_reference": f"{get_settings().bank_reference_prefix}{r['id']}",
            "buyer_name": r["buyer_name"],
            "buyer_email": r["buyer_email"],
            "buyer_organisation": r["buyer_organisation"],
            "tickets": counts.get(r["id"], 0),
            "total_ht_cents": r["total_ht_cents"],
            "total_ttc_cents": r["total_ttc_cents"],
            "created_at": r["created_at"].isoformat(),
        }
        for r in rows
    ]


async def orders_csv(
    *, event_id: int | None = None, status: str | None = None, q: str | None = None
) -> bytes:
    """One line per ticket (what staff need for badges and lists), UTF-8 with BOM for spreadsheets."""
    orders = {r["id"]: r for r in await _filtered(Order.select(), event_id, status, q).order_by(Order.id)}
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(
        [
            _("Order"),
            _("Status"),
            _("Buyer"),
            _("Buyer email"),
            _("Attendee"),
            _("Attendee email"),
            _("Organisation"),
            _("Ticket type"),
            _("Price excl. VAT"),
            _("VAT"),
            _("Ticket status"),
            _("Ordered at"),
        ]
    )
    if orders:
        tickets = (
            await Ticket.select(Ticket.all_columns(), Ticket.ticket_type.name.as_alias("type_name"))
            .where(Ticket.order.is_in(list(orders)))
            .order_by(Ticket.id)
        )
        for t in tickets:
            o = orders[t["order"]]
            writer.writerow(
                [
                    o["token"][:10],
                    o["status"],
                    o["buyer_name"],
                    o["buyer_email"],
                    t["attendee_name"],
                    t["attendee_email"],
                    t["attendee_organisation"],
                    t["type_name"],
                    f"{t['price_ht_cents'] / 100:.2f}",
                    f"{t['vat_cents'] / 100:.2f}",
                    t["status"],
                    o["created_at"].isoformat(timespec="seconds"),
                ]
            )
    return ("\ufeff" + buf.getvalue()).encode()


async def event_sales(event_id: int) -> dict[str, Any]:
    """Sold / capacity / revenue HT and TTC per ticket type (confirmed orders only for revenue)."""
    event = await Event.objects().where(Event.id == event_id).first()
    if event is None:
        raise NotFound(_("This event does not exist."))
    types = await TicketType.select().where(TicketType.event == event_id).order_by(TicketType.position)
    tickets = await Ticket.select(
        Ticket.ticket_type, Ticket.status, Ticket.price_ht_cents, Ticket.vat_cents
    ).where(Ticket.event == event_id)
    per_type: dict[int, dict[str, int]] = {
        t["id"]: {"confirmed": 0, "pending": 0, "revenue_ht_cents": 0, "revenue_ttc_cents": 0} for t in types
    }
    for t in tickets:
        stats = per_type.setdefault(
            t["ticket_type"], {"confirmed": 0, "pending": 0, "revenue_ht_cents": 0, "revenue_ttc_cents": 0}
        )
        if t["status"] == "valid":
            stats["confirmed"] += 1
            stats["revenue_ht_cents"] += t["price_ht_cents"]
            stats["revenue_ttc_cents"] += t["price_ht_cents"] + t["vat_cents"]
        elif t["status"] == "pending":
            stats["pending"] += 1
    sales = await EventSales.select(EventSales.sold).where(EventSales.event == event_id).first()
    rows = [
        {
            "ticket_type": t["id"],
            "name": localized(t, "name"),
            "capacity": t["capacity"],
            "held": t["sold"],
            **per_type[t["id"]],
        }
        for t in types
    ]
    return {
        "event": event_id,
        "title": localized(event, "title"),
        "capacity": event.capacity,
        "held": sales["sold"] if sales else 0,
        "confirmed": sum(r["confirmed"] for r in rows),
        "revenue_ht_cents": sum(r["revenue_ht_cents"] for r in rows),
        "revenue_ttc_cents": sum(r["revenue_ttc_cents"] for r in rows),
        "types": rows,
    }
