"""Orders: choose tickets, hold places, pay through Stripe, confirm, cancel, expire.

Order life: awaiting_member (member price: places held until every member address confirmed by
its emailed link, see ticketing.member_proof) | reserved (member price awaiting staff approval) |
pending_payment (places held for settings.reservation_minutes) -> confirmed (free at once; paid only
once Stripe says the PaymentIntent succeeded: signed webhook or retrieval on return, or staff record a
bank transfer) -> cancelled | refunded.
An unpaid or unproven reservation past its expiry becomes expired and gives its places back.
Every state change is one conditional UPDATE ... WHERE status IN (...) RETURNING, so a replayed
webhook, a double click or two workers racing change nothing twice.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.table import Table

from events.tables import Event
from lib.clock import now_utc
from lib.db import engine, is_postgres, write_transaction
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _, get_locale, localized
from lib.jobs import MAX_ATTEMPTS as MAX_JOB_ATTEMPTS
from lib.jobs import atomic, committed, enqueue, enqueued, initial_status, new_dedup_key
from lib.settings import get_settings
from lib.validation import whole_number
from ticketing import capacity, holds, invoices, member_proof, payments, waiting_list, waiting_room
from ticketing.capacity import SoldOut
from ticketing.order_fields import email_field, name_field
from ticketing.order_reads import get_order
from ticketing.tables import HOLDING_STATUSES, MemberConfirmation, Order, SaleQueue, Ticket, TicketType

log = logging.getLogger(__name__)

MAX_TICKETS_PER_ORDER = 20
# Attendees may cancel (and be refunded) until this many hours before the event starts.


# Orders that hold places for a limited time (reserved orders wait for staff without a deadline).
EXPIRING_STATUSES = ("pending_payment", "awaiting_member")


class SoldOutError(ValidationFailed):
    status_code = 409


class OnlinePaymentOff(Conflict):
    """No Stripe keys: the payment page offers the bank transfer or the team's contact instead."""

    status_code = 409


@dataclass
class PlacedOrder:
    order: Order
    client_secret: str | None = None
    # What the answer needs, from the rows just written (None: read it back): the tickets as
    # order_reads.order_tickets reads them, the member confirmations as confirmations_of does.
    tickets: list[dict[str, Any]] | None = None
    member_confirmations: list[dict[str, Any]] | None = None


def vat_of(ht_cents: int, rate_percent: int) -> int:
    """VAT in cents, rounded half up (20 % of 2000 -> 400)."""
    return (ht_cents * rate_percent + 50) // 100


async def _ordered_quantities(order_id: int) -> dict[int, int]:
    rows = await Ticket.select(Ticket.ticket_type).where(Ticket.order == order_id)
    return dict(Counter(r["ticket_type"] for r in rows))


# ---- placing an order ---------------------------------------------------------------------------


async def place_order(
    *,
    event_id: int,
    buyer: dict[str, Any],
    items: list[dict[str, Any]],
    attendees: list[dict[str, Any]] | None = None,
    locale: str | None = None,
    request_approval: bool = False,
    issued_by_staff: bool = False,
    waiting_token: str | None = None,
    proven_email: str | None = None,
    client_ip: str | None = None,
    through_waiting_room: bool = False,
    queue_token: str | None = None,
) -> PlacedOrder:
    """Validate everything, then hold the places and write the order in one transaction.

    Free orders are confirmed at once; paid orders get a Stripe PaymentIntent (amount TTC).
    Member-price tickets need proof (ticketing.member_proof): proven_email is the address the buyer
    proved by signing in with an email link; the other member addresses get a confirmation link and
    the order waits for them (awaiting_member), or for staff when request_approval.
    client_ip: the buyer's IP, for the limits on unpaid holds and emails (public orders).
    issued_by_staff: free tickets issued by staff (speakers, exhibitors, invited buyers).
    through_waiting_room: a buyer's order (the order API): while the event's waiting room is active,
    only queue_token's admitted holder may order, once (ticketing.waiting_room); the pass is given back
    when the order is refused for anything but sold out.
    """
    now = now_utc()
    decision = await _decision_read(event_id, now)
    admitted = None
    if through_waiting_room and decision.room is not None and decision.room.active(now):
        admitted = await waiting_room.spend_pass(decision.room, queue_token, now)
    try:
        return await _place_decided(
            decision,
            now,
            event_id=event_id,
            buyer=buyer,
            items=items,
            attendees=attendees,
            locale=locale,
            request_approval=request_approval,
            issued_by_staff=issued_by_staff,
            waiting_token=waiting_token,
            proven_email=proven_email,
            client_ip=client_ip,
        )
    except SoldOutError:
        raise  # the buyer has their answer: the place in the queue is spent
    except Exception:
        if admitted is not None:
            await waiting_room.give_back(admitted)
        raise


async def _place_decided(
    decision: _Decision,
    now: datetime,
    *,
    event_id: int,
    buyer: dict[str, Any],
    items: list[dict[str, Any]],
    attendees: list[dict[str, Any]] | None,
    locale: str | None,
    request_approval: bool,
    issued_by_staff: bool,
    waiting_token: str | None,
    proven_email: str | None,
    client_ip: str | None,
) -> PlacedOrder:
    if decision.due:  # unpaid reservations or offers past their time: release them, then read again
        await expire_due(event_id)
        decision = await _decision_read(event_id, now)
    event = decision.event
    if event is None or (event.status != "published" and not issued_by_staff):
        raise NotFound(_("This event does not exist."))
    if event.status == "cancelled" or (event.ends_at <= now and not issued_by_staff):
        raise ValidationFailed.one("event", _("Ticket sales are closed for this event."))

    errors: dict[str, str] = {}
    buyer = buyer if isinstance(buyer, dict) else {}  # "buyer": [1] names buyer.name and buyer.email
    buyer_name = name_field(errors, "buyer.name", buyer.get("name"))
    buyer_email = email_field(errors, "buyer.email", buyer.get("email"), required=True)
    buyer_org = name_field(errors, "buyer.organisation", buyer.get("organisation"), required=False)

    types = decision.types
    quantities: dict[int, int] = {}
    if not isinstance(items, list) or not items:
        errors["items"] = _("Choose at least one ticket.")
        items = []
    for i, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        type_id = whole_number(item.get("ticket_type"))
        qty = whole_number(item.get("quantity"))
        ttype = types.get(type_id or 0)
        if ttype is None or not ttype.active:
            errors[f"items.{i}.ticket_type"] = _("Unknown ticket type.")
            continue
        if ttype.staff_only and not issued_by_staff:
            errors[f"items.{i}.ticket_type"] = _("This ticket type is issued by the team only.")
            continue
        if not issued_by_staff and ttype.sales_start and now < ttype.sales_start:
            errors[f"items.{i}.ticket_type"] = _("Sales for this ticket type have not started yet.")
            continue
        if not issued_by_staff and ttype.sales_end and now > ttype.sales_end:
            errors[f"items.{i}.ticket_type"] = _("Sales for this ticket type have ended.")
            continue
        if qty is None:
            errors[f"items.{i}.quantity"] = _("The quantity must be a whole number.")
        elif qty < 1:
            errors[f"items.{i}.quantity"] = _("The quantity must be at least 1.")
        elif qty + quantities.get(ttype.id, 0) > (ttype.max_per_order or MAX_TICKETS_PER_ORDER):
            errors[f"items.{i}.quantity"] = _(
                "At most %(max)s tickets of this type per order.", max=ttype.max_per_order
            )
        else:
            quantities[ttype.id] = quantities.get(ttype.id, 0) + qty
    total = sum(quantities.values())
    if total > MAX_TICKETS_PER_ORDER:
        errors["items"] = _("At most %(max)s tickets per order.", max=MAX_TICKETS_PER_ORDER)
    if errors:
        raise ValidationFailed(errors)

    # One attendee per ticket, in the order of the items; one ticket without attendee = the buyer.
    slots = [type_id for type_id, qty in quantities.items() for _n in range(qty)]
    attendees = attendees if isinstance(attendees, list) else []
    if not attendees and total == 1:
        attendees = [{"name": buyer_name, "email": buyer_email, "organisation": buyer_org}]
    if len(attendees) != total:
        raise ValidationFailed.one("attendees", _("Give a name for each of the %(n)s tickets.", n=total))
    people: list[dict[str, Any]] = []
    for i, person in enumerate(attendees):
        person = person if isinstance(person, dict) else {}
        email = (
            email_field(errors, f"attendees.{i}.email", person.get("email"), required=False) or buyer_email
        )
        people.append(
            {
                "name": name_field(errors, f"attendees.{i}.name", person.get("name")),
                "email": email,
                "organisation": name_field(
                    errors, f"attendees.{i}.organisation", person.get("organisation"), required=False
                )
                or (buyer_org if email == buyer_email else ""),
            }
        )
    if errors:
        raise ValidationFailed(errors)

    # Member prices: every member ticket needs proof for its attendee's address. The answer is the same
    # whatever the register holds (no error says whether an address is a member or has paid its dues).
    unproven: list[str] = []
    if not issued_by_staff:
        member_emails = [
            p["email"] for t, p in zip(slots, people, strict=True) if types[t].requires_membership
        ]
        if member_emails:
            proof = await member_proof.proof_of(proven_email)
            for email in dict.fromkeys(member_emails):
                if not await member_proof.covers(proof, email):
                    unproven.append(email)
    needs_approval = bool(unproven) and request_approval

    total_ht = sum(types[t].price_cents for t in slots)
    total_vat = sum(vat_of(types[t].price_cents, types[t].vat_rate) for t in slots)
    if issued_by_staff:
        total_ht = total_vat = 0
    free = total_ht + total_vat == 0
    if needs_approval:
        status = "reserved"
    elif unproven:
        status = member_proof.AWAITING
    elif free:
        status = "confirmed"
    else:
        status = "pending_payment"
    settings = get_settings()

    order = Order(
        token=secrets.token_urlsafe(24),
        event=event_id,
        buyer_name=buyer_name,
        buyer_email=buyer_email,
        buyer_organisation=buyer_org,
        locale=locale or get_locale(),
        status=status,
        source="staff" if issued_by_staff else "public",
        approval_requested=needs_approval,
        total_ht_cents=total_ht,
        total_vat_cents=total_vat,
        total_ttc_cents=total_ht + total_vat,
        expires_at=now + timedelta(minutes=settings.reservation_minutes)
        if status == "pending_payment"
        else member_proof.hold_until(event, now)
        if status == member_proof.AWAITING
        else None,
        confirmed_at=now if status == "confirmed" else None,
        client_ip_hash=holds.ip_hash(client_ip) if not issued_by_staff else "",
    )
    try:
        counter_exists = decision.event_sold is not None
        if not waiting_token:
            _precheck(event, types, quantities, decision.event_sold)
        if not issued_by_staff:
            # After the sold-out precheck: a buyer turned away by it sends nothing and creates nothing.
            await holds.throttle_order(client_ip, [buyer_email, *unproven])
        if not counter_exists:
            await capacity.ensure_event_counter(event_id)
        new_tickets = [
            Ticket(
                public_id=secrets.token_urlsafe(12),
                order=order.id,
                event=event_id,
                ticket_type=type_id,
                attendee_name=person["name"],
                attendee_email=person["email"],
                attendee_organisation=person["organisation"],
                price_ht_cents=0 if issued_by_staff else types[type_id].price_cents,
                vat_cents=0
                if issued_by_staff
                else vat_of(types[type_id].price_cents, types[type_id].vat_rate),
                status="valid" if status == "confirmed" else "pending",
            )
            for type_id, person in zip(slots, people, strict=True)
        ]
        one_type = _taken_in_one_statement(types, quantities, status, waiting_token)
        if one_type is not None:
            await _write_order(order, new_tickets, confirmed=True, take=(one_type, total))
        else:
            async with atomic():
                if status != "confirmed" and not issued_by_staff and not waiting_token:
                    await holds.check_unpaid_holds(
                        event_id,
                        event.capacity,
                        email=buyer_email,
                        client_ip_hash=order.client_ip_hash,
                        places=total,
                    )
                await _write_order(order, new_tickets, confirmed=status == "confirmed")
                if unproven:
                    await member_proof.request_confirmations(
                        order,
                        event,
                        unproven,
                        expires_at=order.expires_at or member_proof.hold_until(event, now),
                    )
                # Last, so the counter rows stay locked (PostgreSQL) only until the commit right after.
                if waiting_token:
                    await waiting_list.claim_offer(waiting_token, event_id, quantities)
                else:
                    await capacity.take(event_id, quantities)
    except SoldOut as exc:
        if exc.ticket_type_id is not None:
            left = (await capacity.availability(event_id))["types"]
            index = next(
                (
                    i
                    for i, it in enumerate(items)
                    if whole_number(it.get("ticket_type")) == exc.ticket_type_id
                ),
                0,
            )
            n = left.get(exc.ticket_type_id) or 0  # type: ignore[union-attr]
            raise SoldOutError.one(
                f"items.{index}.quantity",
                _("Sold out.") if n == 0 else _("Only %(n)s place(s) left for this ticket type.", n=n),
            ) from exc
        raise SoldOutError.one("items", await sold_out_message(event_id, held=decision.held)) from exc

    placed = PlacedOrder(
        order=order,
        tickets=_written_tickets(order, new_tickets, types),
        member_confirmations=None if unproven else [],  # a new order has only those it asked for
    )
    if status == "pending_payment" and payments.online_payment_enabled():
        try:
            placed.client_secret = await start_payment(order)
        except payments.PaymentUnavailable:
            log.exception("could not create the PaymentIntent of order %s", order.id)
    return placed


def _written_tickets(
    order: Order, tickets: list[Ticket], types: dict[int, TicketType]
) -> list[dict[str, Any]]:
    """The order's tickets as order_reads.order_tickets reads them back (in the order written)."""
    return [
        ticket.to_dict()
        | {
            "order": order.id,
            "type_name": types[ticket.ticket_type].name,
            "type_name_en": types[ticket.ticket_type].name_en,
            "members_only": types[ticket.ticket_type].requires_membership,
        }
        for ticket in tickets
    ]


async def sold_out_message(event_id: int, *, held: bool = True) -> str:
    """Sold out: and when some places are only held by unconfirmed orders, say so and when they may
    come back (the waiting list gets them first).
    held: False when the order's decision read saw no such order (then nothing more is read)."""
    places = await holds.held_places(event_id) if held else None
    if places is not None and places.places:
        return _("This event is sold out for now.") + " " + holds.held_message(places)
    return _("This event is sold out. You can join the waiting list.")


def _taken_in_one_statement(
    types: dict[int, TicketType], quantities: dict[int, int], status: str, waiting_token: str | None
) -> int | None:
    """The ticket type of an order whose places, rows and email one statement can take and write
    (PostgreSQL, outside any transaction): a confirmed order of one type without a capacity of its
    own, so that only the event's counter can refuse it; None for every other order."""
    if not is_postgres() or status != "confirmed" or waiting_token or len(quantities) != 1:
        return None
    [type_id] = quantities
    if types[type_id].capacity is not None or engine().transaction_exists():
        return None
    return type_id


@dataclass(frozen=True)
class _OrderFields:
    order: list[str]  # the order's columns as written, without id
    order_columns: str
    ticket: list[str]  # the tickets' columns bound as parameters (all but id and order)
    ticket_columns: str  # all but id, in the table's order; "order" refers to the new order
    ticket_casts: list[str | None]  # per ticket column: its type for a typed VALUES list, None = order


@functools.cache
def _order_fields() -> _OrderFields:
    order_columns = [c for c in Order._meta.columns if c._meta.db_column_name != "id"]
    ticket_columns = [c for c in Ticket._meta.columns if c._meta.db_column_name != "id"]
    quoted = lambda columns: ", ".join(f'"{c._meta.db_column_name}"' for c in columns)  # noqa: E731
    return _OrderFields(
        order=[c._meta.name for c in order_columns],
        order_columns=quoted(order_columns),
        ticket=[c._meta.name for c in ticket_columns if c._meta.db_column_name != "order"],
        ticket_columns=quoted(ticket_columns),
        ticket_casts=[
            None if c._meta.db_column_name == "order" else c.column_type.split("(")[0] for c in ticket_columns
        ],
    )


@functools.cache
def _order_statement(tickets: int, *, confirmed: bool, take: bool) -> str:
    """_write_order's statement for that many tickets (built once per shape; the values are parameters
    in the order _write_order lists them: the take's, the order's, each ticket's, the job's)."""
    fields = _order_fields()
    order_values = ", ".join("{}" for _name in fields.order)
    if not take:
        ticket_values = ", ".join(
            "(SELECT id FROM o)" if cast is None else "{}" for cast in fields.ticket_casts
        )
        sql = (
            f"WITH o AS (INSERT INTO ticketing_order ({fields.order_columns}) VALUES ({order_values}) "
            f"RETURNING id), t AS (INSERT INTO ticket ({fields.ticket_columns}) VALUES "
            + ", ".join(f"({ticket_values})" for _n in range(tickets))
            + ")"
        )
    else:
        # a VALUES list under SELECT does not take its columns' types from the target: cast them
        ticket_values = ", ".join(
            "(SELECT id FROM o)" if cast is None else "{}::" + cast for cast in fields.ticket_casts
        )
        sql = (
            capacity.ONE_STATEMENT_TAKE
            + f"o AS (INSERT INTO ticketing_order ({fields.order_columns}) SELECT {order_values} "
            "WHERE EXISTS (SELECT 1 FROM e) RETURNING id), "
            f"t AS (INSERT INTO ticket ({fields.ticket_columns}) SELECT * FROM (VALUES "
            + ", ".join(f"({ticket_values})" for _n in range(tickets))
            + ") AS v WHERE EXISTS (SELECT 1 FROM o))"
        )
    if confirmed:
        return sql + (
            ", j AS (INSERT INTO outbox_job (actor, payload, status, attempts, max_attempts, last_error, "
            "created_at) SELECT 'ticketing.order_email', "
            "json_build_object('order_id', (SELECT id FROM o), 'kind', 'confirmed'), {}, 0, {}, '', {} "
            "WHERE EXISTS (SELECT 1 FROM o) RETURNING id) "
            "SELECT (SELECT id FROM o) AS order_id, (SELECT id FROM j) AS job_id"
        )
    return sql + " SELECT (SELECT id FROM o) AS order_id, NULL AS job_id"


async def _write_order(
    order: Order, tickets: list[Ticket], *, confirmed: bool, take: tuple[int, int] | None = None
) -> None:
    """The order, its tickets and (confirmed) its email job. PostgreSQL: one statement (data-modifying
    CTEs, the tickets and the job reading the order's new id); SQLite: one INSERT per table.

    take (ticket type, places), PostgreSQL only: the same statement takes the places first and writes
    nothing when the event is full (SoldOut). Run outside a transaction, it holds the counter rows for
    its own execution only, not across round trips: a sold-out rush goes at the database's pace."""
    if not is_postgres():
        await order.save()
        for ticket in tickets:
            ticket.order = order.id
        await Ticket.insert(*tickets)
        if confirmed:
            await _queue_tickets_email(order.id, "confirmed")
        return
    fields = _order_fields()
    params: list[Any] = [] if take is None else capacity.one_statement_take_params(order.event, *take)
    params += [getattr(order, name) for name in fields.order]
    for ticket in tickets:
        params += [getattr(ticket, name) for name in fields.ticket]
    if confirmed:
        from ticketing import notifications  # noqa: F401  (registers the job handler)

        params += [initial_status(), MAX_JOB_ATTEMPTS, now_utc()]
    sql = _order_statement(len(tickets), confirmed=confirmed, take=take is not None)
    [row] = await Order.raw(sql, *params)
    if row["order_id"] is None:
        raise SoldOut(None)  # only with take: the event is full, nothing was written
    order.id = row["order_id"]
    order._exists_in_db = True
    if row["job_id"] is not None:
        if take is None:
            enqueued(row["job_id"])  # handed over by the enclosing atomic() after its commit
        else:
            await committed([row["job_id"]])  # the statement committed by itself


def _precheck(
    event: Event, types: dict[int, TicketType], quantities: dict[int, int], event_sold: int | None
) -> None:
    """Fail fast when the counters already say sold out (the conditional UPDATE still decides)."""
    for type_id, n in quantities.items():
        t = types[type_id]
        if t.capacity is not None and t.sold + n > t.capacity:
            raise SoldOut(type_id)
    if (
        event_sold is not None
        and event.capacity is not None
        and event_sold + sum(quantities.values()) > event.capacity
    ):
        raise SoldOut(None)


@dataclass
class _Decision:
    """What placing an order decides on, read in one query."""

    event: Event | None
    types: dict[int, TicketType]
    event_sold: int | None  # the event's sales counter (None: no row yet)
    due: bool  # unpaid reservations or waiting-list offers of the event are past their time
    held: bool  # some of its places are held by public orders not confirmed yet (holds.held_places)
    room: waiting_room.Room | None  # the event's waiting room, if it has one


def _columns(table: type[Table]) -> list[str]:
    return [c._meta.db_column_name for c in table._meta.columns]


_EVENT_COLUMNS = _columns(Event)
_TYPE_COLUMNS = _columns(TicketType)
_ROOM_COLUMNS = _columns(SaleQueue)
_HOLDING = ", ".join(f"'{s}'" for s in HOLDING_STATUSES)
_DECISION_SQL = (
    "SELECT "
    + ", ".join(
        [f'e."{c}" AS "e_{c}"' for c in _EVENT_COLUMNS]
        + [f't."{c}" AS "t_{c}"' for c in _TYPE_COLUMNS]
        + [f'q."{c}" AS "q_{c}"' for c in _ROOM_COLUMNS]
    )
    + ", (SELECT s.sold FROM ticket_event_sales s WHERE s.event = e.id) AS event_sold, "
    "(EXISTS (SELECT 1 FROM ticketing_order o WHERE o.event = e.id "
    "AND o.status IN ('pending_payment', 'awaiting_member') AND o.expires_at < {}) "
    "OR EXISTS (SELECT 1 FROM ticket_waiting_list w WHERE w.event = e.id AND w.status = 'offered' "
    "AND w.offer_expires_at < {})) AS due, "
    "EXISTS (SELECT 1 FROM ticketing_order h WHERE h.event = e.id AND h.source = 'public' "
    f"AND h.status IN ({_HOLDING}) AND (h.expires_at IS NULL OR h.expires_at > {{}})) AS held "
    "FROM event e LEFT JOIN ticket_type t ON t.event = e.id "
    "LEFT JOIN ticket_sale_queue q ON q.event = e.id WHERE e.id = {}"
)


async def _decision_read(event_id: int, now: datetime) -> _Decision:
    """The event, its ticket types, its sales counter, whether expiries are due and its waiting room:
    one statement."""
    rows = await Event.raw(_DECISION_SQL, now, now, now, event_id)
    if not rows:
        return _Decision(None, {}, None, False, False, None)
    first = rows[0]
    event = Event(**{c: first[f"e_{c}"] for c in _EVENT_COLUMNS}, _exists_in_db=True)
    types = {}
    for row in rows:
        if row["t_id"] is not None:
            ttype = TicketType(**{c: row[f"t_{c}"] for c in _TYPE_COLUMNS}, _exists_in_db=True)
            types[ttype.id] = ttype
    room = None
    if first["q_id"] is not None:
        room = waiting_room.room_from_row({c: first[f"q_{c}"] for c in _ROOM_COLUMNS})
    return _Decision(event, types, first["event_sold"], bool(first["due"]), bool(first["held"]), room)


async def start_payment(order: Order) -> str:
    """Create (or fetch) the order's PaymentIntent and return its client secret."""
    if order.status == "expired" or (
        order.status == "pending_payment" and order.expires_at and order.expires_at < now_utc()
    ):
        raise Conflict(_("This reservation has expired: its places were released."))
    if order.status != "pending_payment":
        raise Conflict(_("This order is not waiting for a payment."))
    if not payments.online_payment_enabled():
        raise OnlinePaymentOff(_("Online card payment is not available on this site."))
    if order.payment_intent_id:
        pi = await payments.retrieve_payment_intent(order.payment_intent_id)
        return pi.client_secret or ""
    pi = await payments.create_payment_intent(
        order_token=order.token, order_id=order.id, amount_cents=order.total_ttc_cents
    )
    await Order.update({Order.payment_intent_id: pi.id}).where(
        (Order.id == order.id) & Order.payment_intent_id.is_null()
    )
    order.payment_intent_id = pi.id
    return pi.client_secret or ""


# ---- confirming ---------------------------------------------------------------------------------


async def _confirm_in_transaction(order_id: int, from_statuses: tuple[str, ...], *, paid: bool) -> bool:
    now = now_utc()
    values: dict[Any, Any] = {Order.status: "confirmed", Order.confirmed_at: now, Order.expires_at: None}
    if paid:
        values[Order.paid_at] = now
    claimed = (
        await Order.update(values)
        .where((Order.id == order_id) & Order.status.is_in(list(from_statuses)))
        .returning(Order.id)
    )
    if not claimed:
        return False
    # An expired order's tickets were cancelled when it gave its places back: paid late, they count again.
    revived = ("pending", "cancelled") if "expired" in from_statuses else ("pending",)
    await Ticket.update({Ticket.status: "valid", Ticket.updated_at: now}).where(
        (Ticket.order == order_id) & Ticket.status.is_in(list(revived))
    )
    if paid:
        await invoices.issue_invoice(order_id)
    await _queue_tickets_email(order_id, "confirmed")
    return True


async def confirm_payment(payment_intent: Any) -> Order | None:
    """Act on a PaymentIntent's current state (from a verified webhook or retrieved on return).

    Harmless when repeated. A payment that arrives after the reservation expired takes the places
    again if there are still some, else it is refunded in full.
    """
    order = await Order.objects().where(Order.payment_intent_id == payment_intent.id).first()
    if order is None:
        token = (payment_intent.metadata or {}).get("order", "")
        order = await Order.objects().where(Order.token == token).first() if token else None
    if order is None:
        return None
    if payment_intent.status != "succeeded":
        return order
    if payment_intent.amount != order.total_ttc_cents or payment_intent.currency != payments.CURRENCY:
        log.error("PaymentIntent %s amount does not match order %s", payment_intent.id, order.id)
        return order
    async with atomic():
        done = await _confirm_in_transaction(order.id, ("pending_payment",), paid=True)
    if not done and (await _status(order.id)) == "expired":
        try:
            async with atomic():
                quantities = await _ordered_quantities(order.id)
                claimed = await _confirm_in_transaction(order.id, ("expired",), paid=True)
                if claimed:
                    await capacity.take(order.event, quantities)
        except SoldOut:
            claimed = (
                await Order.update(
                    {
                        Order.status: "refunded",
                        Order.refunded_cents: order.total_ttc_cents,
                        Order.paid_at: now_utc(),
                    }
                )
                .where((Order.id == order.id) & (Order.status == "expired"))
                .returning(Order.id)
            )
            if claimed:
                refund = await payments.refund(
                    payment_intent_id=payment_intent.id, amount_cents=order.total_ttc_cents, key=order.token
                )
                await Order.update({Order.stripe_refund_id: refund.id}).where(Order.id == order.id)
                async with atomic():
                    await _queue_tickets_email(order.id, "refunded_late")
    return await Order.objects().where(Order.id == order.id).first()


async def _status(order_id: int) -> str:
    row = await Order.select(Order.status).where(Order.id == order_id).first()
    return row["status"] if row else ""


async def sync_payment(order: Order) -> Order:
    """On return from the payment page: ask Stripe for the PaymentIntent's state."""
    if order.payment_intent_id and order.status in ("pending_payment", "expired"):
        pi = await payments.retrieve_payment_intent(order.payment_intent_id)
        return await confirm_payment(pi) or order
    return order


async def approve_member_price(order_id: int) -> Order:
    """Staff approve the member price of an order waiting for proof (reserved, or awaiting the members'
    confirmation): it is confirmed (free) or waits for payment."""
    order = await Order.objects().where(Order.id == order_id).first()
    if order is None:
        raise NotFound(_("This order does not exist."))
    if order.status not in member_proof.WAITING_FOR_PROOF:
        raise Conflict(_("This order is not waiting for an approval."))
    async with atomic():
        await member_price_proven(order_id, from_statuses=member_proof.WAITING_FOR_PROOF)
    return await Order.objects().where(Order.id == order_id).first()  # type: ignore[return-value]


async def member_price_proven(order_id: int, *, from_statuses: tuple[str, ...]) -> str:
    """In the caller's transaction: every member ticket of the order is proven (every link confirmed,
    or staff approved): a free order is confirmed, a paid one waits for its payment. Returns the status."""
    order = await Order.objects().where(Order.id == order_id).first()
    if order is None or order.status not in from_statuses:
        return order.status if order else ""
    if order.total_ttc_cents == 0:
        await _confirm_in_transaction(order_id, from_statuses, paid=False)
        return "confirmed"
    expires = now_utc() + timedelta(minutes=get_settings().reservation_minutes)
    await Order.update({Order.status: "pending_payment", Order.expires_at: expires}).where(
        (Order.id == order_id) & Order.status.is_in(list(from_statuses))
    )
    return "pending_payment"


# ---- without online payment: bank transfer ------------------------------------------------------


def bank_transfer_offered() -> bool:
    settings = get_settings()
    return settings.payment_alternative == "transfer" and bool(settings.bank_iban)


async def choose_bank_transfer(token: str) -> Order:
    """The buyer will pay by bank transfer: the places stay held for BANK_TRANSFER_DAYS (never past the
    event's start) and the bank details are emailed; staff confirm the order when the money arrives."""
    order = await get_order(token)
    if not bank_transfer_offered():
        raise Conflict(_("Payment by bank transfer is not offered."))
    if order.status == "expired" or (order.expires_at and order.expires_at < now_utc()):
        raise Conflict(_("This reservation has expired: its places were released."))
    if order.status != "pending_payment":
        raise Conflict(_("This order is not waiting for a payment."))
    if order.payment_method == "transfer":
        return order
    event = await Event.objects().where(Event.id == order.event).first()
    assert event is not None
    now = now_utc()
    until = min(
        now + timedelta(days=get_settings().bank_transfer_days), max(event.starts_at, order.expires_at or now)
    )
    async with atomic():
        claimed = (
            await Order.update({Order.payment_method: "transfer", Order.expires_at: until})
            .where(
                (Order.id == order.id)
                & (Order.status == "pending_payment")
                & (Order.payment_method != "transfer")
            )
            .returning(Order.id)
        )
        if claimed:
            await _queue_tickets_email(order.id, "transfer")
    return await get_order(token)


async def record_bank_transfer(order_id: int) -> Order:
    """Staff: the transfer arrived. The order is confirmed (invoice, tickets); an expired one takes its
    places again when there are some left."""
    order = await Order.objects().where(Order.id == order_id).first()
    if order is None:
        raise NotFound(_("This order does not exist."))
    if order.status not in ("pending_payment", "expired") or order.total_ttc_cents == 0:
        raise Conflict(_("This order is not waiting for a payment."))
    try:
        async with atomic():
            await Order.update({Order.payment_method: "transfer"}).where(Order.id == order_id)
            if order.status == "expired":
                quantities = await _ordered_quantities(order_id)
                if await _confirm_in_transaction(order_id, ("expired",), paid=True):
                    await capacity.take(order.event, quantities)
            else:
                await _confirm_in_transaction(order_id, ("pending_payment",), paid=True)
    except SoldOut as exc:
        raise Conflict(
            _("The places of this expired order were taken meanwhile: the event is full.")
        ) from exc
    return await Order.objects().where(Order.id == order_id).first()  # type: ignore[return-value]


# ---- expiry, cancellation -----------------------------------------------------------------------


async def _release(order: Order, new_status: str, from_statuses: tuple[str, ...], **values: Any) -> bool:
    """In the caller's transaction: move the order to new_status, cancel its tickets, free its places."""
    now = now_utc()
    claimed = (
        await Order.update({Order.status: new_status, Order.cancelled_at: now, **values})
        .where((Order.id == order.id) & Order.status.is_in(list(from_statuses)))
        .returning(Order.id)
    )
    if not claimed:
        return False
    await Ticket.update({Ticket.status: "cancelled", Ticket.updated_at: now}).where(Ticket.order == order.id)
    await capacity.give_back(order.event, await _ordered_quantities(order.id))
    return True


async def expire_due(event_id: int | None = None) -> int:
    """Release the places of unpaid reservations past their expiry, and pass expired waiting-list
    offers on. Cheap when there is nothing to do (one indexed query). Returns how many orders expired."""
    now = now_utc()
    if event_id is not None:
        due = await Order.raw(
            "SELECT id, 'order' AS kind FROM ticketing_order WHERE event = {} "
            "AND status IN ('pending_payment', 'awaiting_member') "
            "AND expires_at < {} UNION ALL SELECT id, 'offer' AS kind FROM ticket_waiting_list WHERE event = {} "
            "AND status = 'offered' AND offer_expires_at < {} LIMIT 200",
            event_id,
            now,
            event_id,
            now,
        )
        if not due:
            return 0
    query = Order.objects().where(Order.status.is_in(list(EXPIRING_STATUSES)) & (Order.expires_at < now))
    if event_id is not None:
        query = query.where(Order.event == event_id)
    expired = 0
    touched: set[int] = set() if event_id is None else {event_id}
    for order in await query.limit(200):
        async with write_transaction():
            if await _release(order, "expired", EXPIRING_STATUSES):
                expired += 1
                touched.add(order.event)
    for eid in touched:
        await waiting_list.offer_freed_places(eid)
    return expired


def cancellation_hours() -> int:
    """How long before the event attendees may still cancel (CANCELLATION_HOURS, 48 by default)."""
    return get_settings().cancellation_hours


async def cancel_order(token: str, *, by_staff: bool = False) -> Order:
    """Cancel an order; paid orders are refunded through Stripe and get a credit note.

    Attendees may cancel until settings.cancellation_hours before the event; staff at any time.
    """
    order = await get_order(token)
    if order.status in ("cancelled", "expired", "refunded"):
        raise Conflict(_("This order is already cancelled."))
    event = await Event.objects().where(Event.id == order.event).first()
    if (
        not by_staff
        and event is not None
        and now_utc() > event.starts_at - timedelta(hours=cancellation_hours())
    ):
        raise ValidationFailed.one(
            "order",
            _("Orders can be cancelled until %(hours)s hours before the event.", hours=cancellation_hours()),
        )
    paid_by_transfer = order.payment_method == "transfer" and not order.payment_intent_id
    if order.status == "confirmed" and order.paid_at is not None and paid_by_transfer:
        # The money came by bank transfer: the team sends it back the same way (nothing to ask Stripe).
        if not by_staff:
            raise ValidationFailed.one(
                "order",
                _(
                    "This order was paid by bank transfer: write to the team at %(email)s to cancel it.",
                    email=get_settings().contact_email,
                ),
            )
        async with atomic():
            done = await _release(order, "refunded", ("confirmed",), refunded_cents=order.total_ttc_cents)
            if done:
                await invoices.issue_credit_note(order.id, reason="cancellation")
    elif order.status == "confirmed" and order.paid_at is not None and order.total_ttc_cents > 0:
        # Refund first (idempotency key: a retried cancel refunds once), then record it.
        refund = await payments.refund(
            payment_intent_id=order.payment_intent_id or "",
            amount_cents=order.total_ttc_cents,
            key=order.token,
        )
        async with atomic():
            done = await _release(
                order,
                "refunded",
                ("confirmed",),
                refunded_cents=order.total_ttc_cents,
                stripe_refund_id=refund.id,
            )
            if done:
                await invoices.issue_credit_note(order.id, reason="cancellation")
                await _queue_tickets_email(order.id, "refunded")
    else:
        async with atomic():
            done = await _release(order, "cancelled", ("confirmed", *HOLDING_STATUSES))
            if done and order.status == "confirmed":
                await _queue_tickets_email(order.id, "cancelled")
        if done and order.payment_intent_id:
            await payments.cancel_payment_intent(order.payment_intent_id)
    if not done:
        raise Conflict(_("This order changed meanwhile; reload the page."))
    await waiting_list.offer_freed_places(order.event)
    return await get_order(token)


async def change_attendee(
    token: str, public_id: str, data: dict[str, Any], *, proven_email: str | None = None
) -> dict[str, Any]:
    """Change a ticket's attendee. A member ticket moves to another address only with proof: at once
    when the signed-in buyer (proven_email) covers that address, otherwise once the new address
    confirmed its emailed link (the ticket keeps its attendee meanwhile)."""
    order = await get_order(token)
    if order.status in ("cancelled", "expired", "refunded"):
        raise Conflict(_("This order is cancelled."))
    ticket = (
        await Ticket.objects().where((Ticket.order == order.id) & (Ticket.public_id == public_id)).first()
    )
    if ticket is None:
        raise NotFound(_("This ticket does not exist."))
    errors: dict[str, str] = {}
    name = name_field(errors, "name", data.get("name"))
    email = email_field(errors, "email", data.get("email", ticket.attendee_email), required=False)
    organisation = name_field(
        errors, "organisation", data.get("organisation", ticket.attendee_organisation), required=False
    )
    if errors:
        raise ValidationFailed(errors)
    email = email or order.buyer_email
    ttype = await TicketType.objects().where(TicketType.id == ticket.ticket_type).first()
    member_move = (
        ttype is not None
        and ttype.requires_membership
        and order.source == "public"
        and email != ticket.attendee_email
    )
    if member_move:
        if order.status in member_proof.WAITING_FOR_PROOF:
            raise ValidationFailed.one(
                "email",
                _(
                    "The address of a member ticket can change once the order is confirmed; to book for "
                    "another address now, cancel this order and book again."
                ),
            )
        if not await member_proof.covers(await member_proof.proof_of(proven_email), email):
            event = await Event.objects().where(Event.id == order.event).first()
            assert event is not None
            await holds.throttle_recipient(email)
            async with atomic():
                # A newer request replaces an unused older one for the same ticket.
                await MemberConfirmation.update({MemberConfirmation.superseded_at: now_utc()}).where(
                    (MemberConfirmation.ticket == ticket.id)
                    & (MemberConfirmation.kind == "transfer")
                    & MemberConfirmation.confirmed_at.is_null()
                    & MemberConfirmation.superseded_at.is_null()
                )
                await member_proof.request_confirmations(
                    order,
                    event,
                    [email],
                    kind="transfer",
                    ticket_id=ticket.id,
                    new_name=name,
                    new_organisation=organisation,
                    expires_at=member_proof.hold_until(event, now_utc()),
                )
            return (await Ticket.select().where(Ticket.id == ticket.id).first()) or {}
    await Ticket.update(
        {
            Ticket.attendee_name: name,
            Ticket.attendee_email: email,
            Ticket.attendee_organisation: organisation,
            Ticket.updated_at: now_utc(),
        }
    ).where(Ticket.id == ticket.id)
    if member_move and order.status == "confirmed":
        async with atomic():
            await _queue_ticket_email(ticket.id)
    return (await Ticket.select().where(Ticket.id == ticket.id).first()) or {}


async def apply_transfer(row: MemberConfirmation) -> None:
    """In the confirming transaction: the member ticket now belongs to the address that confirmed."""
    await Ticket.update(
        {
            Ticket.attendee_name: row.new_name,
            Ticket.attendee_email: row.email,
            Ticket.attendee_organisation: row.new_organisation,
            Ticket.updated_at: now_utc(),
        }
    ).where((Ticket.id == row.ticket) & (Ticket.status != "cancelled"))
    status = await _status(row.order)
    if status == "confirmed" and row.ticket:
        await _queue_ticket_email(row.ticket)


# ---- emails -------------------------------------------------------------------------------------


async def _queue_tickets_email(order_id: int, kind: str) -> None:
    """Inside the transaction of the change: the email (with PDFs) is built and sent by a job."""
    from ticketing import notifications  # noqa: F401  (registers the job handler)

    # No dedup key: every caller runs after winning a conditional UPDATE, so it runs once per change.
    await enqueue("ticketing.order_email", {"order_id": order_id, "kind": kind})


async def _queue_ticket_email(ticket_id: int) -> None:
    """Inside the transaction of the change: one ticket's PDF to its (proven) attendee address."""
    from ticketing import notifications  # noqa: F401

    await enqueue("ticketing.ticket_email", {"ticket_id": ticket_id, "nonce": new_dedup_key("t")})


async def resend_tickets(order_id: int) -> None:
    async with atomic():
        from ticketing import notifications  # noqa: F401

        await enqueue(
            "ticketing.order_email", {"order_id": order_id, "kind": "confirmed", "nonce": new_dedup_key("r")}
        )


def type_label(row: dict[str, Any]) -> str:
    return localized({"name": row.get("type_name", ""), "name_en": row.get("type_name_en", "")}, "name")
