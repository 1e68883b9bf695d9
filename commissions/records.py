"""Commission records from their three sources, and their rate (rules; no HTTP).

- A speed-meeting deal (scheduling.deals reports it): one record per meeting, at the programme's rate, kept in
  step with the report while it is only expected.
- A collective market the cluster won for several members (a call for tenders answered together): the buyer,
  the amount won per member -> one record per member, all in one transaction.
- Business the cluster brought to one member: one record.

The rate is COMMISSION_RATE_PERCENT (10 %) of the amount won by default; a record may have another rate where
the cluster coordinated heavily, and then it says why (rate_reason). Amounts are HT, in cents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from commissions.tables import CollectiveMarket, Commission
from lib.clock import local_tz
from lib.db import write_transaction
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _
from lib.settings import get_settings
from members.tables import Organisation

SOURCES = ("deal", "market", "business")
STATUSES = ("expected", "confirmed", "invoiced", "paid", "cancelled")
MAX_CENTS = 10**11  # a billion euros: beyond any business of the cluster, within a 64-bit integer


@dataclass(frozen=True)
class CommissionRecord:
    """One commission as every page, the API and the other domains see it."""

    id: int
    source: str  # deal | market | business
    status: str  # expected | confirmed | invoiced | paid | cancelled
    organisation_id: int | None
    organisation: str
    buyer: str
    description: str
    won_on: date
    year: int
    amount_cents: int  # the amount won, HT
    rate_bp: int
    rate_reason: str
    commission_cents: int  # HT
    market_id: int | None
    market: str
    meeting_id: int | None
    programme_id: int | None
    invoice_id: int | None
    invoice_number: str
    credit_note_number: str
    invoiced_at: datetime | None
    paid_at: datetime | None
    payment_method: str
    cancel_reason: str
    reminders: int


@dataclass(frozen=True)
class MarketShare:
    organisation_id: int
    amount_cents: int


def default_rate_bp() -> int:
    return get_settings().commission_rate_bp


def commission_of(amount_cents: int, rate_bp: int) -> int:
    """The commission on an amount, rounded half up to the cent."""
    return (amount_cents * rate_bp + 5000) // 10000


def today() -> date:
    return datetime.now(local_tz()).date()


def amount_cents(value: Any, field: str = "amount") -> int:
    """Euros ("1500", "1 500,50 €") or, from the API, an int of cents -> cents (> 0); a message naming the
    field otherwise."""
    message = _("Enter the amount won in euros (excl. VAT).")
    if isinstance(value, bool) or value in (None, ""):
        raise ValidationFailed.one(field, message)
    if isinstance(value, int):
        cents = value
    else:
        text = "".join(str(value).replace("€", "").replace(",", ".").split()).replace("\u202f", "")
        try:
            euros = float(text)
        except ValueError:
            raise ValidationFailed.one(field, message) from None
        if euros != euros or abs(euros) > MAX_CENTS / 100:  # NaN or absurd
            raise ValidationFailed.one(field, message)
        cents = round(euros * 100)
    if not 0 < cents <= MAX_CENTS:
        raise ValidationFailed.one(field, message)
    return cents


def optional_amount_cents(value: Any, field: str = "amount") -> int | None:
    return None if value in (None, "") else amount_cents(value, field)


def rate_bp_of(data: dict[str, Any], default: int) -> int:
    """The rate from `rate_bp` (basis points) or `rate_percent` ("12,5"); the default when neither."""
    if data.get("rate_bp") not in (None, ""):
        value = data["rate_bp"]
        try:
            if isinstance(value, bool):
                raise ValueError
            rate = int(value)
        except (TypeError, ValueError):
            rate = -1
        if not 0 <= rate <= 10000:
            raise ValidationFailed.one(
                "rate_bp", _("Enter a number between %(low)d and %(high)d.", low=0, high=10000)
            )
        return rate
    if data.get("rate_percent") not in (None, ""):
        try:
            percent = float(str(data["rate_percent"]).replace(",", ".").replace("%", "").strip())
        except ValueError:
            percent = -1
        if not 0 <= percent <= 100:
            raise ValidationFailed.one("rate_percent", _("Enter a percentage between 0 and 100."))
        return round(percent * 100)
    return default


def check_reason(rate_bp: int, reason: Any, default: int | None = None) -> str:
    """A rate other than the default needs a reason (the cluster coordinated heavily...)."""
    text = " ".join(str(reason or "").split())
    if len(text) > 300:
        raise ValidationFailed.one("rate_reason", _("At most %(n)s characters.", n=300))
    if rate_bp != (default_rate_bp() if default is None else default) and not text:
        raise ValidationFailed.one(
            "rate_reason", _("Say why this commission's rate differs from the default rate.")
        )
    return text


def _text(data: dict[str, Any], name: str, limit: int, required: bool, message: str) -> str:
    text = " ".join(str(data.get(name) or "").split())
    if required and not text:
        raise ValidationFailed.one(name, message)
    if len(text) > limit:
        raise ValidationFailed.one(name, _("At most %(n)s characters.", n=limit))
    return text


def won_on_of(data: dict[str, Any]) -> date:
    value = data.get("won_on")
    if value in (None, ""):
        return today()
    if isinstance(value, date):
        return value
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed.one("won_on", _("This date is not valid.")) from None
    if not 2000 <= day.year <= today().year + 1:
        raise ValidationFailed.one("won_on", _("This date is not valid."))
    return day


def _id(value: Any, field: str) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed.one(field, _("Choose a member organisation.")) from None
    if not 0 < number < 2**63:
        raise ValidationFailed.one(field, _("Choose a member organisation."))
    return number


async def _organisation(value: Any, field: str = "organisation") -> Organisation:
    org = await Organisation.objects().where(Organisation.id == _id(value, field)).first()
    if org is None:
        raise ValidationFailed.one(field, _("Choose a member organisation."))
    return org


async def record_business(data: Any) -> CommissionRecord:
    """Business the cluster brought to one member: organisation, buyer, description, amount (won_on,
    rate_bp or rate_percent with rate_reason optional)."""
    data = data if isinstance(data, dict) else {}
    org = await _organisation(data.get("organisation"))
    buyer = _text(data, "buyer", 200, True, _("Name the buyer."))
    description = _text(data, "description", 300, False, "")
    amount = amount_cents(data.get("amount"))
    won_on = won_on_of(data)
    rate = rate_bp_of(data, default_rate_bp())
    reason = check_reason(rate, data.get("rate_reason"))
    row = Commission(
        source="business",
        organisation=org.id,
        buyer=buyer,
        description=description,
        won_on=won_on,
        amount_cents=amount,
        rate_bp=rate,
        rate_reason=reason,
        commission_cents=commission_of(amount, rate),
    )
    async with write_transaction():
        await row.save()
    return await get_record(row.id)


@dataclass(frozen=True)
class MarketResult:
    market_id: int
    records: list[CommissionRecord]


async def record_market(data: Any) -> MarketResult:
    """A collective market won for several members: title, buyer, reference, won_on, and `shares`, a list of
    {organisation, amount} (one per member, at least two members, each once) -> one record per member, at
    the rate given (rate_bp / rate_percent with rate_reason) or the default."""
    data = data if isinstance(data, dict) else {}
    title = _text(data, "title", 200, True, _("Name the market (the call for tenders)."))
    buyer = _text(data, "buyer", 200, True, _("Name the buyer."))
    reference = _text(data, "reference", 100, False, "")
    won_on = won_on_of(data)
    rate = rate_bp_of(data, default_rate_bp())
    reason = check_reason(rate, data.get("rate_reason"))
    raw_shares = data.get("shares")
    if not isinstance(raw_shares, list) or len(raw_shares) < 2:
        raise ValidationFailed.one("shares", _("A collective market is won by at least two members."))
    shares: list[MarketShare] = []
    for i, raw in enumerate(raw_shares):
        raw = raw if isinstance(raw, dict) else {}
        org = await _organisation(raw.get("organisation"), f"shares[{i}].organisation")
        amount = amount_cents(raw.get("amount"), f"shares[{i}].amount")
        if any(s.organisation_id == org.id for s in shares):
            raise ValidationFailed.one(f"shares[{i}].organisation", _("Each member appears once."))
        shares.append(MarketShare(org.id, amount))
    async with write_transaction():
        market = CollectiveMarket(title=title, buyer=buyer, reference=reference, won_on=won_on)
        await market.save()
        ids = []
        for share in shares:
            row = Commission(
                source="market",
                organisation=share.organisation_id,
                market=market.id,
                buyer=buyer,
                description=title,
                won_on=won_on,
                amount_cents=share.amount_cents,
                rate_bp=rate,
                rate_reason=reason,
                commission_cents=commission_of(share.amount_cents, rate),
            )
            await row.save()
            ids.append(row.id)
    return MarketResult(market.id, [await get_record(i) for i in ids])


async def record_deal(
    *,
    meeting_id: int,
    programme_id: int,
    organisation_id: int | None,
    buyer: str,
    description: str,
    amount_cents: int,
    rate_bp: int,
) -> None:
    """Inside the transaction of a speed-meeting report: the meeting's commission, created at the
    programme's rate, or kept in step with the report while it is only expected."""
    existing = await Commission.objects().where(Commission.meeting == meeting_id).first()
    if existing is None:
        reason = "" if rate_bp == default_rate_bp() else _("Rate of the speed-meeting programme")
        await Commission(
            source="deal",
            organisation=organisation_id,
            programme=programme_id,
            meeting=meeting_id,
            buyer=buyer,
            description=description,
            won_on=today(),
            amount_cents=amount_cents,
            rate_bp=rate_bp,
            rate_reason=reason,
            commission_cents=commission_of(amount_cents, rate_bp),
        ).save()
    elif existing.status == "expected":
        await Commission.update(
            {
                Commission.description: description,
                Commission.amount_cents: amount_cents,
                Commission.commission_cents: commission_of(amount_cents, existing.rate_bp),
            }
        ).where((Commission.id == existing.id) & (Commission.status == "expected"))


async def get_row(commission_id: int) -> Commission:
    row = await Commission.objects().where(Commission.id == commission_id).first()
    if row is None:
        raise NotFound(_("This commission does not exist."))
    return row


def _select() -> Any:
    return Commission.select(
        *Commission.all_columns(),
        Commission.organisation.name.as_alias("organisation_name"),
        Commission.market.title.as_alias("market_title"),
        Commission.invoice.number.as_alias("invoice_number"),
        Commission.credit_note.number.as_alias("credit_note_number"),
    )


def _record(r: dict[str, Any]) -> CommissionRecord:
    won_on = r["won_on"]
    if isinstance(won_on, str):
        won_on = date.fromisoformat(won_on)
    return CommissionRecord(
        id=r["id"],
        source=r["source"],
        status=r["status"],
        organisation_id=r["organisation"],
        organisation=r["organisation_name"] or "",
        buyer=r["buyer"],
        description=r["description"],
        won_on=won_on,
        year=won_on.year,
        amount_cents=r["amount_cents"],
        rate_bp=r["rate_bp"],
        rate_reason=r["rate_reason"],
        commission_cents=r["commission_cents"],
        market_id=r["market"],
        market=r["market_title"] or "",
        meeting_id=r["meeting"],
        programme_id=r["programme"],
        invoice_id=r["invoice"],
        invoice_number=r["invoice_number"] or "",
        credit_note_number=r["credit_note_number"] or "",
        invoiced_at=r["invoiced_at"],
        paid_at=r["paid_at"],
        payment_method=r["payment_method"],
        cancel_reason=r["cancel_reason"],
        reminders=r["reminders"],
    )


async def get_record(commission_id: int) -> CommissionRecord:
    rows = await _select().where(Commission.id == commission_id)
    if not rows:
        raise NotFound(_("This commission does not exist."))
    return _record(rows[0])


async def list_records(
    *,
    year: int | None = None,
    organisation_id: int | None = None,
    source: str | None = None,
    status: str | None = None,
    programme_id: int | None = None,
) -> list[CommissionRecord]:
    """Records, newest first, filtered by the year won, member, source, status or meeting programme."""
    query = _select()
    if year is not None:
        query = query.where(
            (Commission.won_on >= date(year, 1, 1)) & (Commission.won_on <= date(year, 12, 31))
        )
    if organisation_id is not None:
        query = query.where(Commission.organisation == organisation_id)
    if source:
        query = query.where(Commission.source == source)
    if status:
        query = query.where(Commission.status == status)
    if programme_id is not None:
        query = query.where(Commission.programme == programme_id)
    rows = await query.order_by(Commission.won_on, ascending=False).order_by(Commission.id, ascending=False)
    return [_record(r) for r in rows]


async def commissions_of(organisation_id: int) -> list[CommissionRecord]:
    """Every commission of one member organisation, newest first (the member's space lists them)."""
    return await list_records(organisation_id=organisation_id)


async def confirm(commission_id: int, data: Any = None) -> CommissionRecord:
    """Staff confirm an expected commission, possibly correcting the amount (`amount`) or the rate
    (`rate_bp` / `rate_percent`, with `rate_reason` when it differs from the default). Confirming again
    changes nothing; an invoiced, paid or cancelled one is not changed any more."""
    data = data if isinstance(data, dict) else {}
    row = await get_row(commission_id)
    if row.status not in ("expected", "confirmed"):
        raise Conflict(_("This commission is already invoiced: cancel it with a credit note to change it."))
    amount = optional_amount_cents(data.get("amount")) or row.amount_cents
    rate = rate_bp_of(data, row.rate_bp)
    reason_given = data.get("rate_reason")
    reason = check_reason(rate, reason_given if reason_given not in (None, "") else row.rate_reason)
    async with write_transaction():
        await Commission.update(
            {
                Commission.amount_cents: amount,
                Commission.rate_bp: rate,
                Commission.rate_reason: reason,
                Commission.commission_cents: commission_of(amount, rate),
                Commission.status: "confirmed",
                Commission.confirmed_at: row.confirmed_at or datetime.now(UTC),
            }
        ).where((Commission.id == row.id) & Commission.status.is_in(["expected", "confirmed"]))
    return await get_record(row.id)


async def cancel_expected(commission_id: int, reason: Any) -> CommissionRecord:
    """Cancel a commission not yet invoiced (the deal fell through): no document, a reason kept."""
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationFailed.one("reason", _("Say why the commission is cancelled."))
    if len(text) > 300:
        raise ValidationFailed.one("reason", _("At most %(n)s characters.", n=300))
    row = await get_row(commission_id)
    async with write_transaction():
        done = await Commission.raw(
            "UPDATE commission SET status = 'cancelled', cancelled_at = {}, cancel_reason = {} "
            "WHERE id = {} AND status IN ('expected', 'confirmed') RETURNING id",
            datetime.now(UTC),
            text,
            row.id,
        )
    if not done and row.status != "cancelled":
        raise Conflict(_("This commission is already invoiced: cancel it with a credit note."))
    return await get_record(row.id)
