"""Invoices and credit notes with gapless yearly numbers (French rule).

The number comes from a counter row per (kind, year) incremented by one UPDATE ... RETURNING in
the same transaction that writes the document: SQLite's BEGIN IMMEDIATE serialises writers, and on
PostgreSQL the row lock taken by the UPDATE makes concurrent transactions wait for the commit.
If the transaction rolls back, the number is given back with it: no gap, no duplicate.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from lib.settings import get_settings
from ticketing.tables import CreditNote, DocumentCounter, Invoice, Order

PREFIXES = {"invoice": "F", "credit_note": "AV"}


def paris_year(when: datetime) -> int:
    return when.astimezone(ZoneInfo(get_settings().timezone)).year


async def next_number(kind: str, year: int) -> tuple[int, str]:
    """Call inside a write transaction. Returns (sequence, formatted number)."""
    key = f"{kind}:{year}"
    await DocumentCounter.raw(
        "INSERT INTO ticket_document_counter (key, last) VALUES ({}, 0) ON CONFLICT (key) DO NOTHING", key
    )
    rows = await DocumentCounter.raw(
        "UPDATE ticket_document_counter SET last = last + 1 WHERE key = {} RETURNING last", key
    )
    seq = rows[0]["last"]
    return seq, f"{PREFIXES[kind]}{year}-{seq:05d}"


async def issue_invoice(order_id: int) -> Invoice:
    """Inside the transaction that confirms a paid order. Idempotent per order."""
    existing = await Invoice.objects().where(Invoice.order == order_id).first()
    if existing is not None:
        return existing
    order = await Order.objects().where(Order.id == order_id).first()
    assert order is not None
    return await write_invoice(
        order_id=order_id,
        buyer_name=order.buyer_name,
        buyer_email=order.buyer_email,
        buyer_organisation=order.buyer_organisation,
        total_ht_cents=order.total_ht_cents,
        total_vat_cents=order.total_vat_cents,
        total_ttc_cents=order.total_ttc_cents,
    )


async def write_invoice(
    *,
    order_id: int | None,
    buyer_name: str,
    buyer_email: str,
    buyer_organisation: str,
    total_ht_cents: int,
    total_vat_cents: int,
    total_ttc_cents: int,
) -> Invoice:
    """Inside a write transaction: the next invoice number and the invoice row, for a ticket order
    (order_id) or another sale of the cluster (stands: order_id None, the sale keeps the invoice id)."""
    now = datetime.now(UTC)
    year = paris_year(now)
    seq, number = await next_number("invoice", year)
    invoice = Invoice(
        number=number,
        year=year,
        sequence=seq,
        order=order_id,
        issued_at=now,
        buyer_name=buyer_name,
        buyer_email=buyer_email,
        buyer_organisation=buyer_organisation,
        total_ht_cents=total_ht_cents,
        total_vat_cents=total_vat_cents,
        total_ttc_cents=total_ttc_cents,
    )
    await invoice.save()
    return invoice


async def issue_credit_note(order_id: int, reason: str = "") -> CreditNote | None:
    """Inside the transaction that refunds a paid order: cancels its invoice in full. Idempotent."""
    invoice = await Invoice.objects().where(Invoice.order == order_id).first()
    if invoice is None:
        return None
    return await credit_invoice(invoice, reason)


async def credit_invoice(invoice: Invoice, reason: str = "") -> CreditNote:
    """Inside a write transaction: a credit note cancelling this invoice in full. Idempotent."""
    existing = await CreditNote.objects().where(CreditNote.invoice == invoice.id).first()
    if existing is not None:
        return existing
    now = datetime.now(UTC)
    year = paris_year(now)
    seq, number = await next_number("credit_note", year)
    note = CreditNote(
        number=number,
        year=year,
        sequence=seq,
        invoice=invoice.id,
        order=invoice.order,
        issued_at=now,
        reason=reason,
        total_ht_cents=invoice.total_ht_cents,
        total_vat_cents=invoice.total_vat_cents,
        total_ttc_cents=invoice.total_ttc_cents,
    )
    await note.save()
    return note
