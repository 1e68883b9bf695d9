"""What the API and the pages show of ticket types and orders: one shape for both (JSON-ready dicts)."""

from __future__ import annotations

from typing import Any

from lib.i18n import localized
from ticketing import capacity, member_proof, order_reads, orders, payments
from ticketing.notifications import held_by_attendee
from ticketing.tables import CreditNote, Invoice, Order, TicketType


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


def deliverable(order: Order, tickets: list[dict[str, Any]], proven: str | None) -> list[dict[str, Any]]:
    """The tickets whose PDF and QR code the order's token gives: not the member tickets of other
    addresses (they go to their own proven address), unless the visitor signed in as that address."""
    proven = (proven or "").lower()
    return [t for t in tickets if not held_by_attendee(order, t) or t["attendee_email"].lower() == proven]


async def order_json(
    order: Order,
    client_secret: str | None = None,
    *,
    proven: str | None = None,
    tickets: list[dict[str, Any]] | None = None,
    member_confirmations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The order's JSON; tickets and member_confirmations, when the caller has just written them, spare
    their read back (orders.PlacedOrder carries them)."""
    if tickets is None:
        tickets = await order_reads.order_tickets(order.id)
    if member_confirmations is None:
        member_confirmations = await member_proof.confirmations_of(order.id)
    own = {t["public_id"] for t in deliverable(order, tickets, proven)}
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
        "member_confirmations": member_confirmations,
        "payment_reference": order_reads.payment_reference(order),
        "payment_method": order.payment_method or None,
        "online_payment": payments.online_payment_enabled(),
        "tickets": [
            {
                "id": t["public_id"],
                "ticket_type": t["ticket_type"],
                "type_name": orders.type_label(t),
                "attendee_name": t["attendee_name"],
                "attendee_email": t["attendee_email"],
                "attendee_organisation": t["attendee_organisation"],
                "status": t["status"],
                "members_only": bool(t["members_only"]),
                "sent_to_attendee": t["public_id"] not in own,
            }
            for t in tickets
        ],
    }
