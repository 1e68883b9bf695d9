"""Time helpers: one clock for the whole code base (tests and services agree on what "now" is)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from lib.settings import get_settings


def now_utc() -> datetime:
    """The current time, timezone-aware, in UTC (how every timestamp is stored)."""
    return datetime.now(UTC)


def local_tz() -> ZoneInfo:
    """The venue's time zone (TIMEZONE, Europe/Paris by default): how times are shown and typed."""
    return ZoneInfo(get_settings().timezone)
