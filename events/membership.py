"""Membership: member organisations, their people, yearly dues and good standing.

Rules (DOMAIN.md):
- an organisation belongs to one of five colleges (events.tables.COLLEGES) and one revenue band; the band
  sets its yearly dues HT (default 220 / 270 / 310 / 350 EUR, overridable with MEMBERSHIP_DUES_EUR);
- one MembershipYear row per organisation and calendar year; paid_on set means the dues are paid;
- an organisation is *in good standing on date D* when it has a MembershipYear for D's year whose
  paid_on is set and is on or before D;
- a person is a member through their Person record's organisation or, failing that, through their email's
  domain equal to an organisation's email_domain (staff of a member organisation get member prices).

Every service validates its whole input first and raises ValidationFailed({field: translated message})
before writing anything. Emails are stored lower-cased and compared case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from piccolo.columns.combination import WhereRaw

from events.tables import COLLEGES, MembershipYear, Organisation, Person
from lib.db import is_unique_violation, write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.locking import lock
from lib.settings import get_settings
from lib.tokens import normalize_email

REVENUE_BANDS = ("lt20k", "20k-60k", "60k-250k", "gt250k")
REVENUE_BAND_LABELS = {
    "lt20k": "< 20 k€",
    "20k-60k": "20-60 k€",
    "60k-250k": "60-250 k€",
    "gt250k": "> 250 k€",
}
# Public mailbox providers: their domain never identifies the staff of one organisation.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.fr",
        "hotmail.com",
        "hotmail.fr",
        "outlook.com",
        "outlook.fr",
        "live.com",
        "live.fr",
        "msn.com",
        "icloud.com",
        "me.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "laposte.net",
        "bbox.fr",
        "aol.com",
        "gmx.fr",
        "gmx.com",
        "protonmail.com",
        "proton.me",
    }
)
MIN_YEAR, MAX_YEAR = 2000, 2100
PERSON_LOCALES = ("fr", "en")

EMAIL_RE = re.compile(r"^[^@\s,;<>\"]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
DOMAIN_RE = re.compile(r"^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def today() -> date:
    """Today in the cluster's time zone (Europe/Paris by default)."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date()


def dues_cents(revenue_band: str) -> int:
    """Yearly dues HT in cents for a revenue band (ValidationFailed for an unknown band)."""
    if revenue_band not in REVENUE_BANDS:
        raise ValidationFailed.one("revenue_band", unknown_band_message())
    return get_settings().membership_dues_cents[REVENUE_BANDS.index(revenue_band)]


def dues_table() -> dict[str, int]:
    """Revenue band -> yearly dues HT in cents."""
    return {band: dues_cents(band) for band in REVENUE_BANDS}


# ---- field validation (shared by the services and the CSV import) ------------------------------------
def unknown_band_message() -> str:
    return _("Unknown revenue band (choose one of %(bands)s).", bands=", ".join(REVENUE_BANDS))


def unknown_college_message() -> str:
    return _("Unknown college (choose 1 to 5).")


def email_error(value: str, *, required: bool) -> str | None:
    """None when the (already normalised) email is acceptable, else the translated message."""
    if not value:
        return _("An email address is required.") if required else None
    if len(value) > 254 or not EMAIL_RE.match(value):
        return _("This email address is not valid.")
    return None


def email_domain_of(email: str) -> str:
    return normalize_email(email).rpartition("@")[2]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _max_length(errors: dict[str, str], field: str, value: str, length: int) -> None:
    if len(value) > length and field not in errors:
        errors[field] = _("At most %(n)s characters.", n=length)


def parse_college(value: Any) -> int | None:
    """The college number (1-5) or None when the value is not a known college."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = _text(value)
        if not text.isdigit():
            return None
        number = int(text)
    return number if number in COLLEGES else None


ORGANISATION_FIELDS = (
    "name",
    "college",
    "revenue_band",
    "email",
    "email_domain",
    "city",
    "website",
    "description",
)
PERSON_FIELDS = ("first_name", "last_name", "email", "organisation_id", "role", "phone", "locale")


def clean_organisation(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the organisation fields present in `data` (no database access).

    Returns (clean values, errors by field). Only the keys present are checked, so it serves
    both creation (all keys) and partial updates.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in data:
        if key not in ORGANISATION_FIELDS:
            errors[key] = _("Unknown field.")
    if "name" in data:
        name = " ".join(_text(data["name"]).split())
        if not name:
            errors["name"] = _("The name is required.")
        _max_length(errors, "name", name, 200)
        clean["name"] = name
    if "college" in data:
        college = parse_college(data["college"])
        if college is None:
            errors["college"] = unknown_college_message()
        clean["college"] = college
    if "revenue_band" in data:
        band = _text(data["revenue_band"])
        if band not in REVENUE_BANDS:
            errors["revenue_band"] = unknown_band_message()
        clean["revenue_band"] = band
    if "email" in data:
        email = normalize_email(_text(data["email"]))
        message = email_error(email, required=False)
        if message:
            errors["email"] = message
        clean["email"] = email
    if "email_domain" in data:
        domain = _text(data["email_domain"]).lower().lstrip("@")
        if domain:
            if len(domain) > 100 or not DOMAIN_RE.match(domain):
                errors["email_domain"] = _("This email domain is not valid (for example: ledamier.fr).")
            elif domain in PUBLIC_EMAIL_DOMAINS:
                errors["email_domain"] = _(
                    "A public mailbox provider cannot identify an organisation's staff."
                )
        clean["email_domain"] = domain
    if "city" in data:
        clean["city"] = _text(data["city"])
        _max_length(errors, "city", clean["city"], 100)
    if "website" in data:
        website = _text(data["website"])
        if website and not website.lower().startswith(("http://", "https://")):
            website = "https://" + website
        if website and (len(website) > 300 or not URL_RE.match(website)):
            errors["website"] = _("This web address is not valid.")
        clean["website"] = website
    if "description" in data:
        clean["description"] = _text(data["description"])
    return clean, errors


def clean_person(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the person fields present in `data` (no database access)."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in data:
        if key not in PERSON_FIELDS:
            errors[key] = _("Unknown field.")
    for key, message in (
        ("first_name", _("The first name is required.")),
        ("last_name", _("The last name is required.")),
    ):
        if key in data:
            value = " ".join(_text(data[key]).split())
            if not value:
                errors[key] = message
            _max_length(errors, key, value, 100)
            clean[key] = value
    if "email" in data:
        email = normalize_email(_text(data["email"]))
        message = email_error(email, required=True)
        if message:
            errors["email"] = message
        clean["email"] = email
    if "organisation_id" in data:
        org_id = data["organisation_id"]
        if org_id in (None, ""):
            clean["organisation_id"] = None
        elif isinstance(org_id, bool) or not isinstance(org_id, int):
            errors["organisation_id"] = _("Unknown organisation.")
        else:
            clean["organisation_id"] = org_id
    if "role" in data:
        clean["role"] = _text(data["role"])
        _max_length(errors, "role", clean["role"], 150)
    if "phone" in data:
        clean["phone"] = _text(data["phone"])
        _max_length(errors, "phone", clean["phone"], 40)
    if "locale" in data:
        locale = _text(data["locale"]).lower() or "fr"
        if locale not in PERSON_LOCALES:
            errors["locale"] = _("Unknown language (choose fr or en).")
        clean["locale"] = locale
    return clean, errors


def year_error(year: Any) -> str | None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        return _("The year must be between %(min)s and %(max)s.", min=MIN_YEAR, max=MAX_YEAR)
    return None


def paid_on_error(paid_on: date) -> str | None:
    if paid_on > today():
        return _("The payment date cannot be in the future.")
    if paid_on.year < MIN_YEAR - 1:
        return _("The payment date is too far in the past.")
    return None


# ---- database helpers ----------------------------------------------------------------------------------


async def _lock_organisation(organisation_id: int) -> None:
    """Serialise writers of one organisation's records (PostgreSQL; SQLite is already serialised by
    write_transaction's BEGIN IMMEDIATE)."""
    await lock("organisation", organisation_id)


async def organisation_name_taken(name: str, *, exclude_id: int | None = None) -> bool:
    """Names are unique ignoring case (the register has about fifty organisations)."""
    key = name.casefold()
    rows = await Organisation.select(Organisation.id, Organisation.name)
    return any(r["name"].casefold() == key and r["id"] != exclude_id for r in rows)


async def email_domain_taken(domain: str, *, exclude_id: int | None = None) -> bool:
    if not domain:
        return False
    query = Organisation.select(Organisation.id).where(WhereRaw("lower(email_domain) = {}", domain))
    return any(r["id"] != exclude_id for r in await query)


async def _person_by_email(email: str) -> Person | None:
    return await Person.objects().where(WhereRaw("lower(email) = {}", normalize_email(email))).first()


async def get_organisation(organisation_id: int) -> Organisation:
    org = await Organisation.objects().where(Organisation.id == organisation_id).first()
    if org is None:
        raise NotFound(_("Unknown organisation."))
    return org


async def get_person(person_id: int) -> Person:
    person = await Person.objects().where(Person.id == person_id).first()
    if person is None:
        raise NotFound(_("Unknown person."))
    return person


# ---- organisations -----------------------------------------------------------------------------------
async def create_organisation(
    *,
    name: str,
    college: int = 1,
    revenue_band: str = "lt20k",
    email: str = "",
    email_domain: str = "",
    city: str = "",
    website: str = "",
    description: str = "",
) -> Organisation:
    clean, errors = clean_organisation(
        {
            "name": name,
            "college": college,
            "revenue_band": revenue_band,
            "email": email,
            "email_domain": email_domain,
            "city": city,
            "website": website,
            "description": description,
        }
    )
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        await _check_organisation_unique(clean, exclude_id=None)
        org = Organisation(**clean)
        try:
            await org.save()
        except Exception as exc:
            if is_unique_violation(exc):
                raise ValidationFailed.one("name", _("Another organisation already has this name.")) from exc
            raise
    return org


async def _check_organisation_unique(clean: dict[str, Any], *, exclude_id: int | None) -> None:
    errors: dict[str, str] = {}
    if "name" in clean and await organisation_name_taken(clean["name"], exclude_id=exclude_id):
        errors["name"] = _("Another organisation already has this name.")
    if clean.get("email_domain") and await email_domain_taken(clean["email_domain"], exclude_id=exclude_id):
        errors["email_domain"] = _("Another organisation already uses this email domain.")
    if errors:
        raise ValidationFailed(errors)


async def update_organisation(organisation_id: int, changes: dict[str, Any]) -> Organisation:
    """Change some fields of an organisation (only the keys given)."""
    clean, errors = clean_organisation(changes)
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        org = await get_organisation(organisation_id)
        await _check_organisation_unique(clean, exclude_id=org.id)
        if clean:
            for key, value in clean.items():
                setattr(org, key, value)
            try:
                await org.save(columns=[getattr(Organisation, key) for key in clean])
            except Exception as exc:
                if is_unique_violation(exc):
                    raise ValidationFailed.one(
                        "name", _("Another organisation already has this name.")
                    ) from exc
                raise
    return org


async def list_organisations(
    *, search: str | None = None, college: int | None = None, limit: int = 200, offset: int = 0
) -> list[Organisation]:
    """Organisations by name; `search` matches name, city, email or email domain (case-insensitive)."""
    if college is not None and parse_college(college) is None:
        raise ValidationFailed.one("college", unknown_college_message())
    query = Organisation.objects().order_by(Organisation.name)
    if college is not None:
        query = query.where(Organisation.college == college)
    rows = await query
    if search and search.strip():
        needle = search.strip().casefold()
        rows = [
            o
            for o in rows
            if any(needle in (v or "").casefold() for v in (o.name, o.city, o.email, o.email_domain))
        ]
    return rows[offset : offset + limit]


# ---- people -----------------------------------------------------------------------------------------
async def _check_person_refs(clean: dict[str, Any], *, exclude_id: int | None) -> None:
    errors: dict[str, str] = {}
    if "email" in clean:
        other = await _person_by_email(clean["email"])
        if other is not None and other.id != exclude_id:
            errors["email"] = _("Another person already has this email address.")
    if clean.get("organisation_id") is not None:
        exists = await Organisation.exists().where(Organisation.id == clean["organisation_id"])
        if not exists:
            errors["organisation_id"] = _("Unknown organisation.")
    if errors:
        raise ValidationFailed(errors)


def _person_columns(clean: dict[str, Any]) -> dict[str, Any]:
    values = dict(clean)
    if "organisation_id" in values:
        values["organisation"] = values.pop("organisation_id")
    return values


async def create_person(
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation_id: int | None = None,
    role: str = "",
    phone: str = "",
    locale: str = "fr",
) -> Person:
    clean, errors = clean_person(
        {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "organisation_id": organisation_id,
            "role": role,
            "phone": phone,
            "locale": locale,
        }
    )
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        await _check_person_refs(clean, exclude_id=None)
        person = Person(**_person_columns(clean))
        try:
            await person.save()
        except Exception as exc:
            if is_unique_violation(exc):
                raise ValidationFailed.one(
                    "email", _("Another person already has this email address.")
                ) from exc
            raise
    return person


async def update_person(person_id: int, changes: dict[str, Any]) -> Person:
    clean, errors = clean_person(changes)
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        person = await get_person(person_id)
        await _check_person_refs(clean, exclude_id=person.id)
        values = _person_columns(clean)
        if values:
            for key, value in values.items():
                setattr(person, key, value)
            try:
                await person.save(columns=[getattr(Person, key) for key in values])
            except Exception as exc:
                if is_unique_violation(exc):
                    raise ValidationFailed.one(
                        "email", _("Another person already has this email address.")
                    ) from exc
                raise
    return person


async def list_people(
    *, search: str | None = None, organisation_id: int | None = None, limit: int = 200, offset: int = 0
) -> list[Person]:
    """People by last name; `search` matches names, email and role (case-insensitive)."""
    query = Person.objects().order_by(Person.last_name).order_by(Person.first_name)
    if organisation_id is not None:
        query = query.where(Person.organisation == organisation_id)
    rows = await query
    if search and search.strip():
        needle = search.strip().casefold()
        rows = [
            p
            for p in rows
            if any(needle in (v or "").casefold() for v in (p.first_name, p.last_name, p.email, p.role))
        ]
    return rows[offset : offset + limit]


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
    await _lock_organisation(org.id)
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
    person = await _person_by_email(address)
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
