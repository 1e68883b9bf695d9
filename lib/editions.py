"""A new edition from last year's, whole: each domain copies its part of an edition.

The kernel knows no domain. The wiring names, in piccolo_conf.EDITION_MODULES (server/apps.py: every
`<app>/duplicate.py`, in the apps' order), modules that define

    async def copy_edition(source_event_id: int, new_event_id: int, shift: EditionShift) -> str | None

called one after the other inside the transaction that creates the new edition (events.services.editions
.duplicate_event); each copies its settings with every date shifted by `shift.at`, returns a short
summary of what it copied (or None: nothing to copy), and never copies participants, orders or bookings.
A domain plugs in by adding the module: nothing else to register.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from lib.clock import local_tz

Copier = Callable[[int, int, "EditionShift"], Awaitable[str | None]]


@dataclass(frozen=True)
class EditionShift:
    """How the new edition's dates follow the old ones: a wall-clock delta in the venue's time zone (so a
    9:00 session stays at 9:00 across a DST change) and the edition years (2027 → 2028 in titles)."""

    delta: timedelta
    old_year: int
    new_year: int

    def at(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        tz = local_tz()
        aware = value if value.tzinfo else value.replace(tzinfo=tz)
        local = aware.astimezone(tz).replace(tzinfo=None)
        return (local + self.delta).replace(tzinfo=tz).astimezone(aware.tzinfo)

    def iso(self, value: str) -> str:
        """An ISO datetime kept as text (JSON settings), shifted."""
        shifted = self.at(datetime.fromisoformat(value))
        assert shifted is not None
        return shifted.isoformat()

    def text(self, value: str) -> str:
        """A title with the old edition's year put to the new one ("MIMA 2027" → "MIMA 2028")."""
        return re.sub(rf"(?<!\d){self.old_year}(?!\d)", str(self.new_year), value)


@dataclass(frozen=True)
class CopyReport:
    module: str
    summary: str


def copier_modules() -> list[str]:
    """The modules named by the wiring (piccolo_conf.EDITION_MODULES), found the way Piccolo finds it."""
    try:
        from piccolo.conf.apps import Finder

        conf = Finder().get_piccolo_conf_module()
    except ModuleNotFoundError:
        return []
    return list(getattr(conf, "EDITION_MODULES", []) if conf is not None else [])


def copiers() -> list[tuple[str, Copier]]:
    found = []
    for name in copier_modules():
        module: Any = importlib.import_module(name)
        copy = getattr(module, "copy_edition", None)
        if copy is None:
            raise RuntimeError(f"{name} has no copy_edition(source_event_id, new_event_id, shift)")
        found.append((name, cast(Copier, copy)))
    return found


async def copy_edition(source_event_id: int, new_event_id: int, shift: EditionShift) -> list[CopyReport]:
    """Every domain's part of the edition, in the apps' order (call inside the duplicating transaction)."""
    reports = []
    for name, copy in copiers():
        summary = await copy(source_event_id, new_event_id, shift)
        if summary:
            reports.append(CopyReport(name, summary))
    return reports
