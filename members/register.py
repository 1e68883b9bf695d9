"""The member register: organisations, their revenue band and dues rate, and the field rules shared by
the services and the CSV import.

Rules (DOMAIN.md):
- an organisation belongs to one of five colleges (members.tables.COLLEGES) and one revenue band; the band
  sets its yearly dues HT (default 220 / 270 / 310 / 350 EUR, overridable with MEMBERSHIP_DUES_EUR);
- its people are in members.people, its yearly dues and good standing in members.standing.

Every service validates its whole input first and raises ValidationFailed({field: translated message})
before writing anything. Emails are stored lower-cased and compared case-insensitively.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from piccolo.columns.combination import WhereRaw

from lib.clock import local_today
from lib.db import is_unique_violation, write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.locking import lock
from lib.settings import get_settings
from lib.tokens import normalize_email
from members.tables import COLLEGES, Organisation

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
    return local_today()


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


async def lock_organisation(organisation_id: int) -> None:
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


async def get_organisation(organisation_id: int) -> Organisation:
    org = await Organisation.objects().where(Organisation.id == organisation_id).first()
    if org is None:
        raise NotFound(_("Unknown organisation."))
    return org


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
