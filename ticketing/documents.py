"""PDF tickets, invoices and credit notes (fpdf2, DejaVu fonts for accents and €).

The event's .ics is events.ics.event_calendar (the same entry as the public calendar feeds).

Each document is rendered once: on first need (usually the confirmation email's job) it is stored
under VAR_DIR/documents, named by a digest of everything it shows (locale, texts, names, signed codes),
and every later need (a download, the personal space, a resent email) reads the stored copy. A change
of what it shows (an attendee renamed, a ticket cancelled) changes the digest, so it is rendered anew.

Texts come out in the current locale (set it with lib.i18n.set_locale before calling).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

from events.tables import Event, Venue
from lib.i18n import _, get_locale, localized
from lib.pdf import line as _line
from lib.pdf import new_pdf as _pdf
from lib.pdf import qr_code
from lib.settings import get_settings
from lib.templating import fmt_date, fmt_money, fmt_range
from ticketing import shortcode
from ticketing.signing import sign


async def venue_of(event: Event) -> dict[str, Any] | None:
    """The event's venue row, for the tickets' "where" (None when the event has no venue yet)."""
    if not event.venue:
        return None
    return await Venue.select().where(Venue.id == event.venue).first()


def _event_block(pdf: FPDF, event: Event, venue: dict[str, Any] | None) -> None:
    """When and where, under the event's title: the start and end in Paris time, the venue, its address."""
    _line(pdf, fmt_range(event.starts_at, event.ends_at, "full"), 11)
    if venue:
        _line(pdf, venue.get("name") or "", 11, bold=True)
        town = " ".join(p for p in (venue.get("postal_code"), venue.get("city")) if p)
        address = ", ".join(p for p in (venue.get("address"), town) if p)
        if address:
            _line(pdf, address, 10)


def documents_dir() -> Path:
    return get_settings().var_dir / "documents"


def _stored(kind: str, shown: Any, render: Callable[[], bytes], tag: str = "") -> bytes:
    """The stored rendering of a document whose visible content is `shown`, rendered if absent.
    tag: what the file is about, in its name, for the clean-up (ticketing.document_cleanup)."""
    settings = get_settings()
    context = [kind, get_locale(), settings.timezone, settings.org_name, settings.org_address]
    identity = json.dumps([*context, shown], default=str)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    folder = documents_dir()
    path = folder / (f"{kind}-{tag}-{digest}.pdf" if tag else f"{kind}-{digest}.pdf")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    content = render()
    folder.mkdir(parents=True, exist_ok=True)
    # one temporary name per writer: two threads of one process may render the same document at once
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)  # atomic: a reader sees the whole file or none
    return content


def _event_shown(event: Event) -> list[Any]:
    return [event.id, event.title, event.title_en, event.starts_at, event.ends_at]


def tickets_pdf(
    event: Event, order: Any, tickets: list[dict[str, Any]], venue: dict[str, Any] | None = None
) -> bytes:
    """One page per valid ticket: QR code (signed payload), event (when, where), attendee, ticket type.
    venue: the event's venue row (name, address, postal_code, city), if it has one."""
    valid = [t for t in tickets if t["status"] != "cancelled"]
    fields = ("id", "attendee_name", "attendee_organisation", "type_name", "type_name_en")
    shown = [
        _event_shown(event),
        venue and [venue.get(k) for k in ("name", "address", "postal_code", "city")],
        order.token[:10],
        [[t.get(f) for f in fields] + [sign(ticket_id=t["id"], event_id=event.id)] for t in valid],
    ]
    # The name says which event, order, language and tickets: tickets-<event>-<order>-<locale>-<ids>-<digest>
    tag = f"{event.id}-{order.id}-{get_locale()}-{'_'.join(str(t['id']) for t in valid) or 'none'}"
    return _stored("tickets", shown, lambda: _render_tickets(event, order, valid, venue), tag=tag)


def _render_tickets(
    event: Event, order: Any, tickets: list[dict[str, Any]], venue: dict[str, Any] | None
) -> bytes:
    pdf = _pdf()
    pdf.set_title(_("Tickets"))
    for ticket in tickets:
        if ticket["status"] == "cancelled":
            continue
        pdf.add_page()
        _line(pdf, get_settings().org_name, 10)
        _line(pdf, localized(event, "title"), 18, bold=True, h=9)
        _event_block(pdf, event, venue)
        pdf.ln(4)
        _line(pdf, ticket["attendee_name"], 16, bold=True)
        if ticket.get("attendee_organisation"):
            _line(pdf, ticket["attendee_organisation"], 12)
        type_name = localized(
            {"name": ticket["type_name"], "name_en": ticket.get("type_name_en", "")}, "name"
        )
        _line(pdf, _("Ticket type: %(name)s", name=type_name), 12)
        _line(pdf, _("Order: %(ref)s", ref=order.token[:10]), 9)
        code = sign(ticket_id=ticket["id"], event_id=event.id)
        qr_code(pdf, code, x=55, y=pdf.get_y() + 5, size=100)
        pdf.set_y(pdf.get_y() + 110)
        _door_code(pdf, ticket["id"])
        _line(pdf, _("Show this code at the door (printed or on your phone)."), 9)
    return bytes(pdf.output())


def _door_code(pdf: FPDF, ticket_id: int) -> None:
    """The short code the door can type when the QR code cannot be read (ticketing.shortcode)."""
    _line(
        pdf,
        _("Ticket code: %(code)s", code=shortcode.display(shortcode.short_code(ticket_id))),
        16,
        bold=True,
    )


def _money(cents: int) -> str:
    return fmt_money(cents).replace("\u202f", " ").replace("\xa0", " ")


def _header(pdf: FPDF, title: str, number: str, issued_at: datetime) -> None:
    settings = get_settings()
    pdf.add_page()
    _line(pdf, settings.org_name, 14, bold=True)
    _line(pdf, settings.org_address, 10)
    _line(pdf, _("Non-profit association (loi 1901)"), 9)
    pdf.ln(6)
    _line(pdf, f"{title} {number}", 16, bold=True)
    _line(pdf, _("Date: %(date)s", date=fmt_date(issued_at, "long")), 11)


def _buyer(pdf: FPDF, doc: Any) -> None:
    pdf.ln(4)
    _line(pdf, _("Billed to:"), 11, bold=True)
    _line(pdf, doc["buyer_name"], 11)
    if doc.get("buyer_organisation"):
        _line(pdf, doc["buyer_organisation"], 11)
    _line(pdf, doc["buyer_email"], 11)
    pdf.ln(4)


def _lines_table(pdf: FPDF, lines: list[dict[str, Any]], sign_: int = 1) -> None:
    pdf.set_font("DejaVu", "B", 10)
    widths = (90, 20, 35, 35)
    for text, w in zip(
        (_("Description"), _("Qty"), _("Unit price excl. VAT"), _("Total excl. VAT")), widths, strict=True
    ):
        pdf.cell(w, 8, text, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", "", 10)
    for line in lines:
        pdf.cell(widths[0], 8, line["label"][:60], border=1)
        pdf.cell(widths[1], 8, str(line["quantity"]), border=1, align="R")
        pdf.cell(widths[2], 8, _money(sign_ * line["unit_ht"]), border=1, align="R")
        pdf.cell(widths[3], 8, _money(sign_ * line["unit_ht"] * line["quantity"]), border=1, align="R")
        pdf.ln()


def _totals(pdf: FPDF, doc: Any, sign_: int = 1) -> None:
    pdf.ln(3)
    rate = get_settings().vat_rate_percent
    for label, cents, bold in (
        (_("Total excl. VAT (HT)"), doc["total_ht_cents"], False),
        (_("VAT %(rate)s %%", rate=rate), doc["total_vat_cents"], False),
        (_("Total incl. VAT (TTC)"), doc["total_ttc_cents"], True),
    ):
        pdf.set_font("DejaVu", "B" if bold else "", 11)
        pdf.cell(145, 8, label, align="R")
        pdf.cell(35, 8, _money(sign_ * cents), align="R")
        pdf.ln()


def invoice_lines(tickets: list[dict[str, Any]], event: Event) -> list[dict[str, Any]]:
    """Tickets grouped by type and unit price: the invoice lines (HT)."""
    grouped: dict[tuple[str, int], int] = {}
    for t in tickets:
        name = localized({"name": t["type_name"], "name_en": t.get("type_name_en", "")}, "name")
        key = (f"{localized(event, 'title')} – {name}", t["price_ht_cents"])
        grouped[key] = grouped.get(key, 0) + 1
    return [{"label": k[0], "unit_ht": k[1], "quantity": q} for k, q in grouped.items()]


def invoice_pdf(invoice: dict[str, Any], event: Event, tickets: list[dict[str, Any]]) -> bytes:
    shown = [invoice, _event_shown(event), invoice_lines(tickets, event)]
    footer = _("Paid by card (Stripe) on %(date)s.", date=fmt_date(invoice["issued_at"], "long"))
    return _stored(
        "invoice", shown, lambda: document_pdf(invoice, invoice_lines(tickets, event), footer=footer)
    )


def document_pdf(invoice: dict[str, Any], lines: list[dict[str, Any]], footer: str) -> bytes:
    """An invoice PDF from its lines (label, quantity, unit_ht) and a payment sentence under the totals."""
    pdf = _pdf()
    pdf.set_title(f"{_('Invoice')} {invoice['number']}")
    _header(pdf, _("Invoice"), invoice["number"], invoice["issued_at"])
    _buyer(pdf, invoice)
    _lines_table(pdf, lines)
    _totals(pdf, invoice)
    pdf.ln(4)
    _line(pdf, footer, 9)
    return bytes(pdf.output())


def credit_note_pdf(
    note: dict[str, Any], invoice: dict[str, Any], event: Event, tickets: list[dict[str, Any]]
) -> bytes:
    shown = [note, invoice, _event_shown(event), invoice_lines(tickets, event)]
    footer = _("Refunded to the card used for the payment.")
    return _stored(
        "credit-note",
        shown,
        lambda: credit_document_pdf(note, invoice, invoice_lines(tickets, event), footer=footer),
    )


def credit_document_pdf(
    note: dict[str, Any], invoice: dict[str, Any], lines: list[dict[str, Any]], footer: str
) -> bytes:
    """A credit note PDF cancelling `invoice`, from the invoice's lines (shown negative)."""
    pdf = _pdf()
    pdf.set_title(f"{_('Credit note')} {note['number']}")
    _header(pdf, _("Credit note"), note["number"], note["issued_at"])
    _line(pdf, _("Cancels invoice %(number)s.", number=invoice["number"]), 11)
    _buyer(pdf, invoice)
    _lines_table(pdf, lines, sign_=-1)
    _totals(pdf, note, sign_=-1)
    pdf.ln(4)
    _line(pdf, footer, 9)
    return bytes(pdf.output())
