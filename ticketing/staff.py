"""Staff views of ticketing: order search and filters, CSV export, per-event sales."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.methods.select import Count

from events.tables import Event
from lib import csv_export
from lib.errors import NotFound
from lib.i18n import _, localized
from lib.settings import get_settings
from ticketing import capacity
from ticketing.orders import vat_of
from ticketing.tables import EventSales, Order, Ticket, TicketType
from web import labels


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


def order_csv_columns() -> list[csv_export.Column]:
    Column = csv_export.Column
    return [
        Column("order", _("Order")),
        Column("order_status", _("Status"), "code", labels.order_status_label),
        Column("buyer_name", _("Buyer")),
        Column("buyer_email", _("Buyer email")),
        Column("attendee_name", _("Attendee")),
        Column("attendee_email", _("Attendee email")),
        Column("attendee_organisation", _("Organisation")),
        Column("ticket_type", _("Ticket type")),
        Column("price_ht", _("Price excl. VAT"), "money"),
        Column("vat", _("VAT"), "money"),
        Column("ticket_status", _("Ticket status"), "code", labels.ticket_status_label),
        Column("ordered_at", _("Ordered at"), "datetime"),
        Column("buyer_organisation", _("Buyer organisation")),
        Column("price_ttc", _("Price incl. VAT"), "money"),
        Column("source", _("Source"), "code", labels.order_source_label),
        Column("ticket", _("Ticket")),
    ]


async def orders_csv(
    *,
    event_id: int | None = None,
    status: str | None = None,
    q: str | None = None,
    dialect: csv_export.Dialect = csv_export.Dialect.EXCEL,
) -> bytes:
    """One line per ticket (what staff need for badges and lists), in the chosen CSV dialect."""
    orders = {r["id"]: r for r in await _filtered(Order.select(), event_id, status, q).order_by(Order.id)}
    rows: list[dict[str, Any]] = []
    if orders:
        tickets = (
            await Ticket.select(
                Ticket.all_columns(),
                Ticket.ticket_type.name.as_alias("type_name"),
                Ticket.ticket_type.name_en.as_alias("type_name_en"),
            )
            .where(Ticket.order.is_in(list(orders)))
            .order_by(Ticket.id)
        )
        for t in tickets:
            o = orders[t["order"]]
            rows.append(
                {
                    "order": o["token"][:10],
                    "order_status": o["status"],
                    "buyer_name": o["buyer_name"],
                    "buyer_email": o["buyer_email"],
                    "attendee_name": t["attendee_name"],
                    "attendee_email": t["attendee_email"],
                    "attendee_organisation": t["attendee_organisation"],
                    "ticket_type": localized({"name": t["type_name"], "name_en": t["type_name_en"]}, "name"),
                    "price_ht": t["price_ht_cents"],
                    "vat": t["vat_cents"],
                    "ticket_status": t["status"],
                    "ordered_at": o["created_at"],
                    "buyer_organisation": o["buyer_organisation"],
                    "price_ttc": t["price_ht_cents"] + t["vat_cents"],
                    "source": o["source"],
                    "ticket": t["public_id"],
                }
            )
    return csv_export.write(order_csv_columns(), rows, dialect)


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
    left = (await capacity.availability(event_id))["types"]

    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    rows = [
        {
            "ticket_type": t["id"],
            "name": localized(t, "name"),
            "capacity": t["capacity"],
            "held": t["sold"],
            **per_type[t["id"]],
            "name_fr": t["name"],
            "name_en": t["name_en"],
            "price_ht_cents": t["price_cents"],
            "price_ttc_cents": t["price_cents"] + vat_of(t["price_cents"], t["vat_rate"]),
            "members_only": t["requires_membership"],
            "staff_only": t["staff_only"],
            "active": t["active"],
            "sales_start": iso(t["sales_start"]),
            "sales_end": iso(t["sales_end"]),
            "left": left.get(t["id"]),  # type: ignore[union-attr]
            "max_per_order": t["max_per_order"],
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
        "pending": sum(r["pending"] for r in rows),
        "on_sale": any(r["active"] and not r["staff_only"] for r in rows),
        "status": event.status,
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
    }
