"""What every events rule shares: Paris time, slugs, uids, field checks and the venue's JSON shape.

The checks add a translated message to `errors` (keyed by field) instead of raising, so a form reports
every bad field at once; the caller raises ValidationFailed(errors) when it is not empty.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lib.i18n import _

PARIS = ZoneInfo("Europe/Paris")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 100


# ---- time, slugs, uids -----------------------------------------------------------------------------
def aware(value: datetime) -> datetime:
    """An aware datetime in UTC; naive input is Europe/Paris local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(UTC)


def paris(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:  # stored values are UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(PARIS)


def new_uid() -> str:
    return uuid.uuid4().hex


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].strip("-") or "event"


# ---- field checks ------------------------------------------------------------------------------------
def required_text(errors: dict[str, str], field: str, value: Any, max_length: int = 200) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        errors[field] = _("This field is required.")
    elif len(text) > max_length:
        errors[field] = _("This text is too long (at most %(max)s characters).", max=max_length)
    return text


def optional_text(errors: dict[str, str], field: str, value: Any, max_length: int | None = None) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if max_length is not None and len(text) > max_length:
        errors[field] = _("This text is too long (at most %(max)s characters).", max=max_length)
    return text


def check_capacity(errors: dict[str, str], value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors["capacity"] = _("The capacity must be zero or more.")
        return None
    return value


def check_datetime(errors: dict[str, str], field: str, value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        errors[field] = _("This field is required.")
        return None
    return aware(value)


# ---- the venue's shape (a venue of its own, and the venue inside an event) ------------------------------
def venue_dict(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if not row or row.get("id") is None:
        return None
    return {
        "id": row["id"],
        "name": row["name"],
        "address": row["address"],
        "postal_code": row["postal_code"],
        "city": row["city"],
    }


def venue_address(venue: dict[str, Any] | None) -> str:
    """One-line postal address of a venue (for LOCATION and pages)."""
    if not venue:
        return ""
    town = " ".join(p for p in (venue.get("postal_code"), venue.get("city")) if p)
    return ", ".join(p for p in (venue.get("name"), venue.get("address"), town) if p)
