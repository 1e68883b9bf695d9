"""Time helpers: one clock for the whole code base (tests and services agree on what "now" is)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import overload
from zoneinfo import ZoneInfo

from lib.settings import get_settings


def now_utc() -> datetime:
    """The current time, timezone-aware, in UTC (how every timestamp is stored)."""
    return datetime.now(UTC)


def local_tz() -> ZoneInfo:
    """The venue's time zone (TIMEZONE, Europe/Paris by default): how times are shown and typed."""
    return ZoneInfo(get_settings().timezone)


def local_today() -> date:
    """Today in the cluster's time zone: between midnight in Paris and midnight UTC the machine's
    date.today() is still yesterday."""
    return datetime.now(local_tz()).date()


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: datetime | None) -> datetime | None:
    """A stored timestamp as an aware datetime (SQLite hands naive ones back: they are UTC)."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def local_date(value: datetime) -> date:
    """The cluster's calendar day of a stored timestamp (a payment at 23:30 UTC is the next day in Paris)."""
    return aware(value).astimezone(local_tz()).date()
