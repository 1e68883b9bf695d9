"""Yearly dues paid and good standing.

- one MembershipYear row per organisation and calendar year; paid_on set means the dues are paid;
- an organisation is *in good standing on date D* when it has a MembershipYear for D's year whose
  paid_on is set and is on or before D;
- a person is a member through their Person record's organisation or, failing that, through their email's
  domain equal to an organisation's email_domain (staff of a member organisation get member prices).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from piccolo.columns.combination import WhereRaw

from lib.db import write_transaction
from lib.errors import ValidationFailed
from lib.i18n import _
from lib.settings import get_settings
from lib.tokens import normalize_email
from members.people import person_by_email
from members.register import (
    PUBLIC_EMAIL_DOMAINS,
    dues_cents,
    email_domain_of,
    email_error,
    get_organisation,
    lock_organisation,
    paid_on_error,
    today,
    year_error,
)
from members.tables import MembershipYear, Organisation


# ---- dues and payments -----------------------------------------------------------------------------------
async def membership_years(organisation_id: int) -> list[MembershipYear]:
    return await (
        MembershipYear.objects()
        .where(MembershipYear.organisation == organisation_id)
        .order_by(MembershipYear.year)
    )


async def membership_years_by_org(organisation_ids: list[int]) -> dict[int, list[MembershipYear]]:
    result: dict[int, list[MembershipYear]] = {i: [] for i in organisation_ids}
    if not organisation_ids:
        return result
    rows = await (
        MembershipYear.objects()
        .where(MembershipYear.organisation.is_in(organisation_ids))
        .order_by(MembershipYear.year)
    )
    for row in rows:
        result.setdefault(row.organisation, []).append(row)
    return result


@dataclass(frozen=True)
class Payment:
    organisation_id: int
    year: int
    dues_cents: int
    paid_on: date
    created: bool  # False when this year was already recorded (idempotent)
    changed: bool  # True when a row was inserted or updated


async def record_membership_payment(organisation_id: int, year: int, paid_on: date | None = None) -> Payment:
    """Record that an organisation paid its dues for `year` on `paid_on` (default: today).

    Idempotent per organisation and year: one MembershipYear row; recording it again with the same date
    changes nothing; with another date it corrects the payment date. Dues come from the revenue band
    when the year is first recorded (or while it is still unpaid).
    """
    paid_on = paid_on or today()
    errors: dict[str, str] = {}
    message = year_error(year)
    if message:
        errors["year"] = message
    message = paid_on_error(paid_on) if isinstance(paid_on, date) else _("This date is not valid.")
    if message:
        errors["paid_on"] = message
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():  # a no-op when already inside a transaction (CSV import)
        return await _record_payment(organisation_id, year, paid_on)


async def _record_payment(organisation_id: int, year: int, paid_on: date) -> Payment:
    org = await get_organisation(organisation_id)
    await lock_organisation(org.id)
    rows = await (
        MembershipYear.objects()
        .where((MembershipYear.organisation == org.id) & (MembershipYear.year == year))
        .order_by(MembershipYear.id)
    )
    if not rows:
        row = MembershipYear(
            organisation=org.id, year=year, dues_cents=dues_cents(org.revenue_band), paid_on=paid_on
        )
        await row.save()
        return Payment(org.id, year, row.dues_cents, paid_on, created=True, changed=True)
    row = rows[0]
    if row.paid_on == paid_on:
        return Payment(org.id, year, row.dues_cents, paid_on, created=False, changed=False)
    columns = [MembershipYear.paid_on]
    if row.paid_on is None:
        row.dues_cents = dues_cents(org.revenue_band)
        columns.append(MembershipYear.dues_cents)
    row.paid_on = paid_on
    await row.save(columns=columns)
    return Payment(org.id, year, row.dues_cents, paid_on, created=False, changed=True)


# ---- good standing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OrganisationRef:
    id: int
    name: str


@dataclass(frozen=True)
class Standing:
    """The answer to "is this person or organisation a member in good standing on date D"."""

    in_good_standing: bool
    organisation: OrganisationRef | None
    year: int
    on: date
    reason: str  # paid | paid_after_date | not_paid | unknown_organisation | not_linked | unknown_email
    message: str  # translated into the current request's language
    matched_by: str | None = None  # organisation_id | person | email_domain
    paid_on: date | None = None


def _reason_message(reason: str, year: int) -> str:
    messages = {
        "paid": _("Member in good standing for %(year)s.", year=year),
        "paid_after_date": _("The %(year)s dues were paid after this date.", year=year),
        "not_paid": _("The %(year)s dues have not been paid.", year=year),
        "unknown_organisation": _("Unknown organisation."),
        "not_linked": _("This person is not linked to a member organisation."),
        "unknown_email": _("No member organisation matches this email address."),
    }
    return messages[reason]


async def _organisation_standing(org: Organisation, on: date, matched_by: str) -> Standing:
    rows = await MembershipYear.select(MembershipYear.paid_on).where(
        (MembershipYear.organisation == org.id)
        & (MembershipYear.year == on.year)
        & MembershipYear.paid_on.is_not_null()
    )
    dates = sorted(r["paid_on"] for r in rows)
    ref = OrganisationRef(org.id, org.name)
    if dates and dates[0] <= on:
        reason = "paid"
    elif dates:
        reason = "paid_after_date"
    else:
        reason = "not_paid"
    return Standing(
        in_good_standing=reason == "paid",
        organisation=ref,
        year=on.year,
        on=on,
        reason=reason,
        message=_reason_message(reason, on.year),
        matched_by=matched_by,
        paid_on=dates[0] if dates else None,
    )


def _no_match(reason: str, on: date) -> Standing:
    return Standing(False, None, on.year, on, reason, _reason_message(reason, on.year))


async def membership_standing(
    *, email: str | None = None, organisation_id: int | None = None, on: date | None = None
) -> Standing:
    """Is this organisation (by id) or this person (by email) a member in good standing on `on`
    (default: today in Europe/Paris)?

    By email: the person's own organisation, then the organisation whose email_domain is the email's
    domain; the first of them in good standing answers, otherwise the first one found explains why not.
    `organisation_id` wins when both are given.
    """
    if isinstance(on, datetime):  # an instant: its calendar day in the cluster's time zone
        on = on.astimezone(ZoneInfo(get_settings().timezone)).date() if on.tzinfo else on.date()
    on = on or today()
    if organisation_id is not None:
        org = await Organisation.objects().where(Organisation.id == organisation_id).first()
        if org is None:
            return _no_match("unknown_organisation", on)
        return await _organisation_standing(org, on, "organisation_id")
    address = normalize_email(email or "")
    if not address:
        raise ValidationFailed.one("email", _("Give an email address or an organisation."))
    message = email_error(address, required=True)
    if message:
        raise ValidationFailed.one("email", message)

    candidates: list[tuple[Organisation, str]] = []
    person = await person_by_email(address)
    if person is not None and person.organisation is not None:
        org = await Organisation.objects().where(Organisation.id == person.organisation).first()
        if org is not None:
            candidates.append((org, "person"))
    domain = email_domain_of(address)
    if domain not in PUBLIC_EMAIL_DOMAINS:
        domain_orgs = await (
            Organisation.objects()
            .where(WhereRaw("lower(email_domain) = {}", domain))
            .order_by(Organisation.id)
        )
        candidates += [(o, "email_domain") for o in domain_orgs if all(o.id != c.id for c, _m in candidates)]
    if not candidates:
        return _no_match("not_linked" if person is not None else "unknown_email", on)
    standings = [await _organisation_standing(org, on, how) for org, how in candidates]
    return next((s for s in standings if s.in_good_standing), standings[0])


async def is_member_in_good_standing(
    *, email: str | None = None, organisation_id: int | None = None, on: date | None = None
) -> bool:
    """Shortcut for ticketing: True when membership_standing(...) says in good standing."""
    return (await membership_standing(email=email, organisation_id=organisation_id, on=on)).in_good_standing
