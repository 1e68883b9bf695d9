"""Ticketing tables: ticket types, orders, tickets, invoices, Stripe idempotency, waiting list.

Money is stored in integer cents. Prices are HT (excl. VAT); VAT rate in percent.
Capacity counters (TicketType.sold, EventSales.sold) only change through one conditional
UPDATE ... RETURNING in ticketing.capacity, inside write_transaction().
"""

from piccolo.columns import (
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events.tables import Event

ORDER_STATUSES = (
    "reserved",  # places held, waiting for staff approval or attendee action
    "awaiting_member",  # member price: places held until every member address confirmed (or expiry)
    "pending_payment",  # places held, PaymentIntent created
    "paid",  # payment succeeded (webhook or return), being confirmed
    "confirmed",  # tickets valid
    "cancelled",
    "expired",
    "refunded",
)
HOLDING_STATUSES = ("reserved", "awaiting_member", "pending_payment")
# An order in one of these statuses admits its valid tickets at the door; one not yet paid never does.
ADMISSIBLE_ORDER_STATUSES = ("paid", "confirmed")
UNPAID_ORDER_STATUSES = ("reserved", "pending_payment", "expired")
TICKET_STATUSES = ("valid", "cancelled")


class TicketType(Table, tablename="ticket_type"):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=120)
    name_en = Varchar(length=120, default="")
    description = Text(default="")
    description_en = Text(default="")
    price_cents = Integer(default=0)  # HT
    vat_rate = Integer(default=20)  # percent
    requires_membership = Boolean(default=False)  # member price: buyer must be a member in good standing
    staff_only = Boolean(default=False)  # speaker, exhibitor, invited buyer: issued by staff only
    capacity = Integer(null=True, default=None)  # None: only the event's capacity applies
    sold = Integer(default=0)  # held + confirmed places
    max_per_order = Integer(default=10)
    sales_start = Timestamptz(null=True, default=None)
    sales_end = Timestamptz(null=True, default=None)
    position = Integer(default=0)
    active = Boolean(default=True)


class EventSales(Table, tablename="ticket_event_sales"):
    """The per-event capacity counter (Event.capacity is the limit)."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, unique=True)
    sold = Integer(default=0)


class Order(Table, tablename="ticketing_order"):
    token = Varchar(length=64, unique=True)  # public, random: the order page URL
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    buyer_name = Varchar(length=200)
    buyer_email = Varchar(length=254, index=True)
    buyer_organisation = Varchar(length=200, default="")
    locale = Varchar(length=5, default="fr")
    status = Varchar(length=20, default="reserved", index=True)
    source = Varchar(length=10, default="public")  # public | staff
    approval_requested = Boolean(default=False)  # member price pending staff approval
    approval_note = Text(default="")
    total_ht_cents = Integer(default=0)
    total_vat_cents = Integer(default=0)
    total_ttc_cents = Integer(default=0)
    refunded_cents = Integer(default=0)
    expires_at = Timestamptz(null=True, default=None)
    payment_intent_id = Varchar(length=100, null=True, default=None, unique=True)
    stripe_refund_id = Varchar(length=100, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    paid_at = Timestamptz(null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    # Keyed hash of the buyer's IP (never the IP itself): unpaid holds are limited per source.
    client_ip_hash = Varchar(length=64, default="")
    payment_method = Varchar(length=12, default="")  # "" | card | transfer (chosen without Stripe)


class Ticket(Table, tablename="ticket"):
    public_id = Varchar(length=32, unique=True)
    order = ForeignKey(references=Order, on_delete=OnDelete.cascade, index=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    ticket_type = ForeignKey(references=TicketType, on_delete=OnDelete.restrict, index=True)
    attendee_name = Varchar(length=200)
    attendee_email = Varchar(length=254, default="", index=True)
    attendee_organisation = Varchar(length=200, default="")
    price_ht_cents = Integer(default=0)
    vat_cents = Integer(default=0)
    status = Varchar(length=12, default="valid", index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class DocumentCounter(Table, tablename="ticket_document_counter"):
    """One row per (kind, year): the last number used. Incremented by one UPDATE ... RETURNING
    in the transaction that writes the document, so numbers are gapless."""

    key = Varchar(length=40, unique=True)  # "invoice:2026", "credit_note:2026"
    last = Integer(default=0)


class Invoice(Table, tablename="ticket_invoice"):
    number = Varchar(length=30, unique=True)
    year = Integer()
    sequence = Integer()
    order = ForeignKey(references=Order, on_delete=OnDelete.restrict, unique=True)
    issued_at = Timestamptz(default=TimestamptzNow())
    buyer_name = Varchar(length=200)
    buyer_email = Varchar(length=254)
    buyer_organisation = Varchar(length=200, default="")
    total_ht_cents = Integer()
    total_vat_cents = Integer()
    total_ttc_cents = Integer()


class CreditNote(Table, tablename="ticket_credit_note"):
    number = Varchar(length=30, unique=True)
    year = Integer()
    sequence = Integer()
    invoice = ForeignKey(references=Invoice, on_delete=OnDelete.restrict, index=True)
    order = ForeignKey(references=Order, on_delete=OnDelete.restrict, index=True)
    issued_at = Timestamptz(default=TimestamptzNow())
    reason = Varchar(length=200, default="")
    total_ht_cents = Integer()
    total_vat_cents = Integer()
    total_ttc_cents = Integer()


class ProcessedStripeEvent(Table, tablename="ticket_stripe_event"):
    """Stripe events already handled: a replayed or duplicated webhook is a no-op."""

    event_id = Varchar(length=100, unique=True)
    event_type = Varchar(length=100)
    object_id = Varchar(length=100, default="", index=True)
    processed_at = Timestamptz(default=TimestamptzNow())


class WaitingListEntry(Table, tablename="ticket_waiting_list"):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    ticket_type = ForeignKey(references=TicketType, on_delete=OnDelete.cascade, null=True)
    name = Varchar(length=200)
    email = Varchar(length=254)
    locale = Varchar(length=5, default="fr")
    quantity = Integer(default=1)
    status = Varchar(length=12, default="waiting", index=True)  # waiting | offered | converted | expired
    offer_token = Varchar(length=64, null=True, default=None, unique=True)
    offer_expires_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class MemberConfirmation(Table, tablename="ticket_member_confirmation"):
    """Proof that a member address agrees to a member-price booking: a one-time emailed link.

    kind "order": the order waits until every member address of it confirmed; kind "transfer": a member
    ticket's attendee becomes this address (new_name, new_organisation) once it confirmed.
    Only the sha256 of the token is stored; a row is used once (confirmed_at) and expires.
    """

    order = ForeignKey(references=Order, on_delete=OnDelete.cascade, index=True)
    ticket = ForeignKey(references=Ticket, on_delete=OnDelete.cascade, null=True, default=None)
    kind = Varchar(length=10, default="order")
    email = Varchar(length=254, index=True)
    token_hash = Varchar(length=64, unique=True)
    new_name = Varchar(length=200, default="")
    new_organisation = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    confirmed_at = Timestamptz(null=True, default=None)
    superseded_at = Timestamptz(null=True, default=None)


class SaleQueue(Table, tablename="ticket_sale_queue"):
    """An event's waiting room for a sale opening (optional, one row per event).

    `issued` is the last position handed out and `next_admit_us` the next free admission slot (epoch
    microseconds): both move in one conditional UPDATE per arrival (ticketing.waiting_room.join), so
    positions are unique and gapless and admissions are spaced 1 / admit_per_second apart.
    """

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, unique=True)
    enabled = Boolean(default=True)
    opens_at = Timestamptz()
    admit_per_second = Integer(default=20)
    window_minutes = Integer(default=60)  # arrivals go through the room until this long after the opening
    pass_minutes = Integer(default=15)  # how long an admission lets its holder order
    issued = Integer(default=0)
    next_admit_us = BigInt(default=0)


class SaleQueuePass(Table, tablename="ticket_sale_queue_pass"):
    """An admission used by an order (one order per place in the queue): key = "<event>:<position>"."""

    key = Varchar(length=40, unique=True)
    used_at = Timestamptz(default=TimestamptzNow())
