"""The small values every speed-meeting module reads and shows: Paris wall time, wish priorities, sides and
statuses as words, tag lists, percentages stored as basis points, lists of table numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lib.i18n import _
from scheduling.engine import model
from web import labels

PARIS = ZoneInfo("Europe/Paris")
PRIORITIES = {"must": model.MUST, "would_like": model.WOULD_LIKE, "if_possible": model.IF_POSSIBLE}
PRIORITY_NAMES = {v: k for k, v in PRIORITIES.items()}


def utc(value: datetime) -> datetime:
    """Stored values are UTC; naive input is Europe/Paris wall time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(UTC)


def priority_label(priority: int) -> str:
    return {
        model.MUST: _("Must meet"),
        model.WOULD_LIKE: _("Would like to meet"),
        model.IF_POSSIBLE: _("If possible"),
    }.get(priority, str(priority))


def side_label(side: str) -> str:
    return {"producer": _("Producer"), "buyer": _("Buyer")}.get(side, side)


def status_label(status: str) -> str:
    return labels.programme_status_label(status)  # the one label table


def tags(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


def percent_to_bp(raw: Any) -> int | None:
    """'1', '0,5', '12.25', 10 -> basis points; None for anything else (or more than 2 decimals)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw * 100
    if not isinstance(raw, str):
        return None
    match = re.fullmatch(r"\s*(\d{1,5})(?:[.,](\d{1,2}))?\s*%?\s*", raw)
    if not match:
        return None
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def bp_to_percent(bp: int | None, locale: str = "fr") -> str:
    """100 -> '1', 50 -> '0,5' (French) or '0.5': what the percent fields show."""
    if bp is None:
        return ""
    whole, part = divmod(bp, 100)
    text = str(whole) if not part else f"{whole}.{part:02d}".rstrip("0")
    return text.replace(".", ",") if locale == "fr" else text


def parse_tables(raw: Any) -> list[int]:
    if isinstance(raw, list | tuple | set | frozenset):
        return sorted({int(x) for x in raw})
    return sorted({int(x) for x in str(raw or "").replace(";", ",").split(",") if x.strip()})
