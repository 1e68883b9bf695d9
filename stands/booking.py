"""Booking a stand: holds with expiry, staff approval or refusal, co-exhibitor shares, direct
assignment by staff, cancellation, and a waiting list per category.

One conditional write decides who gets a stand: `UPDATE stand SET status = 'held' WHERE id = … AND
status = 'free' RETURNING id`. SQLite serialises writers (BEGIN IMMEDIATE), PostgreSQL re-evaluates
the WHERE on the locked row, so of two requests for one stand exactly one holds it and the other is
told which stand was taken. Approval, refusal and expiry likewise move the booking only from `held`:
a hold expiring while staff approve it ends in exactly one of the two.

Who is asking decides the price: the signed-in email's organisation in good standing (members.register)
books at the member price; anybody else at the non-member price, or not at all on a members-only plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _, get_locale, pgettext
from lib.jobs import atomic
from lib.mail import queue_email
from lib.settings import get_settings
from lib.templating import fmt_datetime
from lib.tokens import normalize_email
from members.standing import membership_standing
from members.tables import Organisation, Person
from stands import options, pricing
from stands.floorplan import get_event, get_plan, text, whole
from stands.parties import may_act, organisation_ids_for
from stands.tables import (
    Booking,
    BookingOption,
    BookingShare,
    FloorPlan,
    Stand,
    StandCategory,
    WaitingEntry,
)

FULL_SHARE_BP = 10000


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ShareRequest:
    organisation_id: int | None
    name: str
    email: str
    share_bp: int
    member: bool


@dataclass(frozen=True)
class BookingSummary:
    id: int
    stand_id: int
    stand_number: str
    status: str
    hold_expires_at: datetime | None
    total_ht_cents: int
    shares: list[dict[str, Any]]


def status_label(status: str) -> str:
    return {
        "held": _("Held, waiting for the team"),
        "approved": _("Confirmed"),
        "refused": _("Refused"),
        "expired": _("Expired"),
        "cancelled": pgettext("booking", "Cancelled"),
    }.get(status, status)


def hold_hours(plan: FloorPlan) -> int:
    return plan.hold_hours or get_settings().stand_hold_hours


async def _org_email(org_id: int) -> str:
    org = await Organisation.objects().where(Organisation.id == org_id).first()
    if org is None:
        return ""
    if org.email:
        return org.email
    person = await Person.objects().where(Person.organisation == org_id).order_by(Person.id).first()
    return person.email if person else ""


async def _lead(email: str, data: dict[str, Any], plan: FloorPlan, percent_bp: int) -> ShareRequest:
    standing = await membership_standing(email=email)
    if standing.in_good_standing and standing.organisation:
        return ShareRequest(standing.organisation.id, standing.organisation.name, email, percent_bp, True)
    if plan.members_only:
        raise ValidationFailed.one(
            "email",
            _("The stands of this edition are for member organisations in good standing.")
            + " "
            + standing.message,
        )
    errors: dict[str, str] = {}
    name = text(errors, data, "organisation_name", length=200)
    if not name and standing.organisation:
        name = standing.organisation.name
    if not name:
        errors["organisation_name"] = _("Give the name of your organisation.")
    if errors:
        raise ValidationFailed(errors)
    org_id = standing.organisation.id if standing.organisation else None
    return ShareRequest(org_id, name, email, percent_bp, False)


def _percent_bp(errors: dict[str, str], data: dict[str, Any], field: str, default: Any) -> int:
    value = whole(errors, {field: data.get(field, default)}, field, low=1, high=100)
    return (value or 0) * 100


@dataclass(frozen=True)
class ShareFigures:
    """The shares as asked, checked without the database: the lead's and each co-exhibitor's."""

    lead_bp: int
    co_exhibitors: list[tuple[int, int]]  # (organisation id, share in basis points)


def _share_figures(data: dict[str, Any]) -> ShareFigures:
    """The co-exhibitors and shares of a request, each field checked, the shares summing to 100 %."""
    raw = data.get("co_exhibitors") or []
    errors: dict[str, str] = {}
    if not isinstance(raw, list):
        raise ValidationFailed.one("co_exhibitors", _("Give a list of co-exhibitors."))
    lead_bp = _percent_bp(errors, data, "share_percent", 100 if not raw else None)
    co: list[tuple[int, int]] = []
    for i, item in enumerate(raw):
        item = item if isinstance(item, dict) else {}
        org_id = whole(errors, item, "organisation", low=1, high=2**31 - 1)
        bp = _percent_bp(errors, item, "percent", None)
        for key in ("organisation", "percent"):
            if key in errors:
                errors[f"co_exhibitors.{i}.{key}"] = errors.pop(key)
        if org_id is not None:
            co.append((org_id, bp))
    if "share_percent" in errors:
        pass
    elif not errors and lead_bp + sum(bp for _o, bp in co) != FULL_SHARE_BP:
        errors["share_percent"] = _("The shares of a shared stand must add up to 100 %.")
    if errors:
        raise ValidationFailed(errors)
    return ShareFigures(lead_bp, co)


async def _shares(
    email: str, data: dict[str, Any], plan: FloorPlan, figures: ShareFigures
) -> list[ShareRequest]:
    """The lead exhibitor (the signed-in email) and its co-exhibitors, with their standing."""
    lead_bp, co = figures.lead_bp, figures.co_exhibitors
    lead = await _lead(email, data, plan, lead_bp)
    shares = [lead]
    seen = {lead.organisation_id}
    for i, (org_id, bp) in enumerate(co):
        org = await Organisation.objects().where(Organisation.id == org_id).first()
        if org is None:
            raise ValidationFailed.one(f"co_exhibitors.{i}.organisation", _("Unknown organisation."))
        if org_id in seen:
            raise ValidationFailed.one(
                f"co_exhibitors.{i}.organisation", _("This organisation is already on the stand.")
            )
        seen.add(org_id)
        standing = await membership_standing(organisation_id=org_id)
        if plan.members_only and not standing.in_good_standing:
            raise ValidationFailed.one(f"co_exhibitors.{i}.organisation", standing.message)
        shares.append(
            ShareRequest(org_id, org.name, await _org_email(org_id) or email, bp, standing.in_good_standing)
        )
    return shares


def _amounts(
    category: StandCategory, stand: Any, share: ShareRequest, order: list[tuple[Any, int]], free: bool
) -> dict[str, int]:
    """A share's HT: its part of the stand at its own rate (member or not) plus its part of each option;
    the same parts as the invoice lines (stands.billing.share_lines), so lines and totals always agree."""
    if free:
        return {"amount_ht_cents": 0, "vat_cents": 0, "amount_ttc_cents": 0}
    ht = pricing.share_of(pricing.stand_price_cents(category, stand, member=share.member), share.share_bp)
    ht += sum(pricing.share_of(option.price_cents * quantity, share.share_bp) for option, quantity in order)
    vat = pricing.vat_cents(ht)
    return {"amount_ht_cents": ht, "vat_cents": vat, "amount_ttc_cents": ht + vat}


async def _write_booking(
    *,
    event_id: int,
    stand: Stand,
    status: str,
    source: str,
    shares: list[ShareRequest],
    order: list[tuple[Any, int]],
    requested_by: str,
    note: str,
    free: bool,
    expires_at: datetime | None,
) -> Booking:
    category = await StandCategory.objects().where(StandCategory.id == stand.category).first()
    assert category is not None
    booking = Booking(
        stand=stand.id,
        event=event_id,
        status=status,
        source=source,
        free_of_charge=free,
        requested_by=requested_by,
        note=note,
        hold_expires_at=expires_at,
        decided_at=now_utc() if status == "approved" else None,
        locale=get_locale(),
    )
    await booking.save()
    for share in shares:
        await BookingShare(
            booking=booking.id,
            organisation=share.organisation_id,
            name=share.name,
            email=share.email,
            share_bp=share.share_bp,
            member_price=share.member,
            **_amounts(category, stand, share, order, free),
        ).save()
    for option, quantity in order:
        await BookingOption(
            booking=booking.id, option=option.id, quantity=quantity, unit_price_cents=option.price_cents
        ).save()
    return booking


async def _claim(stand: Stand, to_status: str) -> None:
    await _claim_id(stand.id, stand.number, to_status)


async def _claim_id(stand_id: int, number: str, to_status: str) -> None:
    """The one conditional write: free -> held/booked, or Conflict naming the stand."""
    rows = await Stand.raw(
        "UPDATE stand SET status = {} WHERE id = {} AND status = 'free' RETURNING id", to_status, stand_id
    )
    if not rows:
        raise _taken_number(number)


def _taken(stand: Stand) -> Conflict:
    return _taken_number(stand.number)


def _taken_number(number: str) -> Conflict:
    return Conflict(_("Stand %(number)s has just been taken: choose another one.", number=number))


def _stand_id(raw: Any) -> int:
    errors: dict[str, str] = {}
    sid = whole(errors, {"stand": raw}, "stand", low=1, high=2**31 - 1)
    if errors:
        raise ValidationFailed(errors)
    return int(sid)


# The stand with its edition's state and the expiry of a hold on it: one statement, in raw SQL
# because a race's losers are answered from it alone and Piccolo's query building cost more than the read.
_GLANCE_SQL = (
    "SELECT s.number, s.status, e.status AS event_status, e.ends_at, b.hold_expires_at FROM stand s"
    " JOIN stand_floor_plan p ON p.id = s.plan JOIN event e ON e.id = p.event"
    " LEFT JOIN stand_booking b ON b.stand = s.id AND b.status = 'held'"
    " WHERE s.id = {} AND e.%s = {}"
)


@dataclass(frozen=True)
class Glance:
    """What one read of a stand says before any write."""

    number: str
    taken: bool  # held by a live hold or booked, in an edition open for booking: that is the answer
    free: bool  # free in an edition open for booking: the claim decides at once
    lapsed: bool  # a hold on it is past its expiry: expire_due frees it first


async def _glance(event_key: int | str, stand_id: int) -> Glance | None:
    """The stand with its edition's state and its hold, in one read; None for an unknown stand or one
    of another edition (the full path names the reason)."""
    column = "id" if isinstance(event_key, int) else "slug"
    now = now_utc()
    rows = await Stand.raw(_GLANCE_SQL % column, stand_id, event_key)
    if not rows:
        return None
    row = rows[0]
    open_for_booking = row["event_status"] == "published" and row["ends_at"] > now
    lapsed = any(r["hold_expires_at"] is not None and r["hold_expires_at"] < now for r in rows)
    free = row["status"] == "free"
    return Glance(
        number=str(row["number"]),
        taken=open_for_booking and not free and not lapsed,
        free=open_for_booking and free,
        lapsed=lapsed,
    )


async def _stand(plan: FloorPlan, stand_id: Any) -> Stand:
    sid = _stand_id(stand_id)
    stand = await Stand.objects().where((Stand.id == sid) & (Stand.plan == plan.id)).first()
    if stand is None:
        raise NotFound(_("This stand does not exist."))
    return stand


async def request_stand(
    event_key: int | str, stand_id: Any, *, email: str | None, data: dict[str, Any]
) -> BookingSummary:
    """A signed-in exhibitor asks for a stand: it is held for them until staff decide or the hold expires."""
    address = normalize_email(email or "")
    if not address:
        raise ValidationFailed.one("email", _("Sign in with your email address first."))
    sid = _stand_id(stand_id)
    glance = await _glance(event_key, sid)
    if glance is not None and glance.taken:
        # The losers of a race are answered from that one read, without a write.
        raise _taken_number(glance.number)
    if glance is not None and glance.lapsed:
        await expire_due()  # the lapsed hold on this stand frees it first
    errors: dict[str, str] = {}
    note = text(errors, data, "note", length=2000)
    if errors:
        raise ValidationFailed(errors)
    figures = _share_figures(data)
    async with atomic():
        claimed = False
        if glance is not None and glance.free:
            # Of the requests that read the stand free, the claim decides first: its losers stop here,
            # before the reads below; a refusal below (closed, standing, stock) rolls the claim back.
            await _claim_id(sid, glance.number, "held")
            claimed = True
        event = await get_event(event_key)
        if event.status != "published" or event.ends_at <= now_utc():
            raise ValidationFailed.one("event", _("Stand booking is closed for this event."))
        plan = await get_plan(event.id)
        stand = await _stand(plan, sid)
        if not claimed:
            if stand.status != "free":
                raise _taken(stand)
            await _claim(stand, "held")
        order = await options.parse_order(plan.id, data.get("options"))
        expires_at = now_utc() + timedelta(hours=hold_hours(plan))
        shares = await _shares(address, data, plan, figures)
        await options.take(order)
        booking = await _write_booking(
            event_id=event.id,
            stand=stand,
            status="held",
            source="request",
            shares=shares,
            order=order,
            requested_by=address,
            note=note,
            free=False,
            expires_at=expires_at,
        )
        await queue_email(
            address,
            _("Stand %(number)s held for you", number=stand.number),
            _(
                "We hold stand %(number)s for %(name)s until staff answer your request (at the latest %(until)s).",
                number=stand.number,
                name=shares[0].name,
                until=fmt_datetime(expires_at, "short"),
            ),
            dedup_key=f"stand-held-{booking.id}",
        )
    return await summary(booking.id, written=(booking, stand))


async def assign(
    event_key: int | str, stand_id: Any, data: dict[str, Any], *, staff_email: str
) -> BookingSummary:
    """Staff give a stand directly (invitation, partner, free stand): booked at once, invoiced unless free."""
    event = await get_event(event_key)
    plan = await get_plan(event.id)
    stand = await _stand(plan, stand_id)
    errors: dict[str, str] = {}
    org_id = whole(errors, data, "organisation", low=1, high=2**31 - 1)
    free = bool(data.get("free_of_charge") in (True, "1", "true", "on"))
    note = text(errors, data, "note", length=2000)
    if errors:
        raise ValidationFailed(errors)
    org = await Organisation.objects().where(Organisation.id == org_id).first()
    if org is None:
        raise ValidationFailed.one("organisation", _("Unknown organisation."))
    standing = await membership_standing(organisation_id=org.id)
    share = ShareRequest(
        org.id, org.name, await _org_email(org.id) or staff_email, FULL_SHARE_BP, standing.in_good_standing
    )
    order = await options.parse_order(plan.id, data.get("options"))
    from stands import billing, exhibitors

    async with atomic():
        await _claim(stand, "booked")
        await options.take(order)
        booking = await _write_booking(
            event_id=event.id,
            stand=stand,
            status="approved",
            source="direct",
            shares=[share],
            order=order,
            requested_by=staff_email,
            note=note,
            free=free,
            expires_at=None,
        )
        await billing.invoice_booking(booking.id)
        await exhibitors.ensure_profiles(booking.id)
    return await summary(booking.id)


async def approve(booking_id: int) -> BookingSummary:
    """Staff accept a request: the stand is booked, each share invoiced and emailed, profiles created.
    A hold that expired is approved only if its stand is still free (one conditional write decides)."""
    from stands import billing, exhibitors

    booking = await _booking(booking_id)
    async with atomic():
        moved = await Booking.raw(
            "UPDATE stand_booking SET status = 'approved', decided_at = {} WHERE id = {} AND status = 'held' RETURNING id",
            now_utc(),
            booking_id,
        )
        if moved:
            await Stand.raw(
                "UPDATE stand SET status = 'booked' WHERE id = {} AND status = 'held'", booking.stand
            )
        else:
            booking = await _booking(booking_id)  # it may have expired since it was read
            if booking.status != "expired":
                raise Conflict(_("This request is no longer waiting for a decision."))
            stand = await Stand.objects().where(Stand.id == booking.stand).first()
            assert stand is not None
            await _claim(stand, "booked")  # the expired hold's stand must still be free
            order = [
                (opt, row["quantity"])
                for row in await BookingOption.select().where(BookingOption.booking == booking_id)
                for opt in [
                    await options.StandOption.objects().where(options.StandOption.id == row["option"]).first()
                ]
            ]
            await options.take(order)
            await Booking.update({Booking.status: "approved", Booking.decided_at: now_utc()}).where(
                Booking.id == booking_id
            )
        await billing.invoice_booking(booking_id)
        await exhibitors.ensure_profiles(booking_id)
    return await summary(booking_id)


async def _release(
    booking: Booking, new_status: str, from_statuses: tuple[str, ...], reason: str = ""
) -> bool:
    """In the caller's transaction: the booking leaves `from_statuses`, its stand and options are free again."""
    quoted = ", ".join(f"'{s}'" for s in from_statuses)  # constants of this module, never user input
    moved = await Booking.raw(
        f"UPDATE stand_booking SET status = {{}}, decided_at = {{}}, refusal_reason = {{}} "
        f"WHERE id = {{}} AND status IN ({quoted}) RETURNING id",
        new_status,
        now_utc(),
        reason,
        booking.id,
    )
    if not moved:
        return False
    await Stand.raw(
        "UPDATE stand SET status = 'free' WHERE id = {} AND status IN ('held', 'booked')", booking.stand
    )
    await options.give_back(booking.id)
    await _offer_to_waiting_list(booking.stand)
    return True


async def refuse(booking_id: int, reason: str = "") -> BookingSummary:
    booking = await _booking(booking_id)
    errors: dict[str, str] = {}
    reason = text(errors, {"reason": reason}, "reason", length=2000)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        if not await _release(booking, "refused", ("held",), reason):
            raise Conflict(_("This request is no longer waiting for a decision."))
        stand = await Stand.objects().where(Stand.id == booking.stand).first()
        await queue_email(
            booking.requested_by,
            _("Your stand request"),
            _("Your request for stand %(number)s was not accepted.", number=stand.number if stand else "")
            + (f"\n\n{reason}" if reason else ""),
            dedup_key=f"stand-refused-{booking.id}",
        )
    return await summary(booking_id)


async def cancel(booking_id: int, *, by_staff: bool, email: str | None = None) -> BookingSummary:
    """Cancel a hold or an approved booking: the stand is free, invoices get credit notes, badges end.
    Exhibitors may cancel themselves up to STAND_FREE_CANCELLATION_DAYS before the event; later, staff."""
    from stands import badges, billing

    booking = await _booking(booking_id)
    if not by_staff:
        if not await may_act(booking_id, email):
            raise NotFound(_("This booking does not exist."))
        event = await get_event(booking.event)
        days = get_settings().stand_free_cancellation_days
        if booking.status == "approved" and event.starts_at - now_utc() < timedelta(days=days):
            raise ValidationFailed.one(
                "booking", _("Less than %(days)s days before the event: ask the team to cancel.", days=days)
            )
    async with atomic():
        if not await _release(booking, "cancelled", ("held", "approved")):
            raise Conflict(_("This booking is already closed."))
        await billing.credit_booking(booking_id)
        await badges.cancel_for_booking(booking_id)
    return await summary(booking_id)


async def expire_due() -> int:
    """Holds past their time give their stand back (periodic job, and before each request)."""
    due = await Booking.select(Booking.id).where(
        (Booking.status == "held") & (Booking.hold_expires_at < now_utc())
    )
    expired = 0
    for row in due:
        booking = await Booking.objects().where(Booking.id == row["id"]).first()
        if booking is None:
            continue
        async with atomic():
            if await _release(booking, "expired", ("held",)):
                expired += 1
                await queue_email(
                    booking.requested_by,
                    _("Your stand request expired"),
                    _(
                        "Your stand request was not answered in time and has expired; the stand is free again."
                    ),
                    dedup_key=f"stand-expired-{booking.id}",
                )
    return expired


# ---- waiting list -------------------------------------------------------------------------------
async def join_waiting_list(category_id: Any, *, email: str | None, name: str = "") -> dict[str, Any]:
    address = normalize_email(email or "")
    if not address:
        raise ValidationFailed.one("email", _("Sign in with your email address first."))
    errors: dict[str, str] = {}
    cid = whole(errors, {"category": category_id}, "category", low=1, high=2**31 - 1)
    name = text(errors, {"name": name}, "name", length=200)
    if errors:
        raise ValidationFailed(errors)
    if not await StandCategory.exists().where(StandCategory.id == cid):
        raise NotFound(_("Unknown stand category."))
    async with atomic():
        existing = (
            await WaitingEntry.select()
            .where(
                (WaitingEntry.category == cid)
                & (WaitingEntry.email == address)
                & (WaitingEntry.status == "waiting")
            )
            .first()
        )
        if existing:
            entry_id = existing["id"]
        else:
            entry = WaitingEntry(category=cid, email=address, name=name)
            await entry.save()
            entry_id = entry.id
    position = await WaitingEntry.count().where(
        (WaitingEntry.category == cid) & (WaitingEntry.status == "waiting") & (WaitingEntry.id <= entry_id)
    )
    return {"id": entry_id, "category": cid, "position": position}


async def _offer_to_waiting_list(stand_id: int) -> None:
    """In the releasing transaction: the first person waiting for this category hears the stand is free."""
    stand = await Stand.objects().where(Stand.id == stand_id).first()
    if stand is None:
        return
    first = (
        await WaitingEntry.select()
        .where((WaitingEntry.category == stand.category) & (WaitingEntry.status == "waiting"))
        .order_by(WaitingEntry.id)
        .first()
    )
    if first is None:
        return
    moved = await WaitingEntry.raw(
        "UPDATE stand_waiting_entry SET status = 'notified', notified_at = {} WHERE id = {} AND status = 'waiting' RETURNING id",
        now_utc(),
        first["id"],
    )
    if moved:
        event_id = (
            await FloorPlan.select(FloorPlan.event).where(FloorPlan.id == stand.plan).first() or {}
        ).get("event")
        await queue_email(
            first["email"],
            _("A stand is free"),
            _(
                "Stand %(number)s is free again: book it on the plan before somebody else does.",
                number=stand.number,
            )
            + f"\n\n{get_settings().base_url}/stands/{event_id}#stand-{stand.id}",
            dedup_key=f"stand-waiting-{first['id']}",
        )


# ---- reading ------------------------------------------------------------------------------------
async def _booking(booking_id: int) -> Booking:
    booking = await Booking.objects().where(Booking.id == booking_id).first()
    if booking is None:
        raise NotFound(_("This booking does not exist."))
    return booking


async def summary(booking_id: int, *, written: tuple[Booking, Stand] | None = None) -> BookingSummary:
    """The booking as its exhibitor sees it; `written`: the booking and its stand just written in this
    request, so that only the shares are read back."""
    if written is not None:
        booking, stand = written
    else:
        booking = await _booking(booking_id)
        stand = await Stand.objects().where(Stand.id == booking.stand).first()
    shares = await BookingShare.select().where(BookingShare.booking == booking_id).order_by(BookingShare.id)
    return BookingSummary(
        id=booking.id,
        stand_id=booking.stand,
        stand_number=stand.number if stand else "",
        status=booking.status,
        hold_expires_at=booking.hold_expires_at,
        total_ht_cents=sum(s["amount_ht_cents"] for s in shares),
        shares=[
            {
                "id": s["id"],
                "organisation": s["organisation"],
                "name": s["name"],
                "share_percent": s["share_bp"] / 100,
                "member_price": s["member_price"],
                "amount_ht_cents": s["amount_ht_cents"],
                "vat_cents": s["vat_cents"],
                "amount_ttc_cents": s["amount_ttc_cents"],
                "paid": s["paid_at"] is not None,
                "invoice": s["invoice"],
            }
            for s in shares
        ],
    )


async def bookings_of(email: str | None) -> list[BookingSummary]:
    address = normalize_email(email or "")
    if not address:
        return []
    ids = {r["id"] for r in await Booking.select(Booking.id).where(Booking.requested_by == address)}
    orgs = await organisation_ids_for(address)
    if orgs:
        ids |= {
            r["booking"]
            for r in await BookingShare.select(BookingShare.booking).where(
                BookingShare.organisation.is_in(list(orgs))
            )
        }
    return [await summary(i) for i in sorted(ids)]
