"""Stored ticket PDFs that nobody needs any more leave VAR_DIR/documents (a periodic job).

A tickets file is named tickets-<event>-<order>-<locale>-<ticket ids>-<digest>.pdf (ticketing.documents).
It is removed when:
- its event ended more than TICKET_PDF_KEEP_DAYS days ago (30 by default; a later download renders anew);
- one of its tickets was cancelled, or is gone (the order's PDF now shows the others: another file);
- a newer rendering of the same tickets in the same language replaced it (an attendee renamed);
- it has the name of an older version of the code, which never reads it.
Never removed: the newest rendering of a set of valid tickets whose event is not that old — what a
download, the personal space or a resent email would read — nor any file younger than MIN_AGE (a
rendering under way, whose change may not be committed yet). Invoices and credit notes are kept (they
are accounting records).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from events.tables import Event
from lib.clock import now_utc
from lib.settings import get_settings
from ticketing.documents import documents_dir
from ticketing.tables import Ticket

log = logging.getLogger(__name__)

MIN_AGE = timedelta(hours=1)
NAME = re.compile(r"^tickets-(\d+)-(\d+)-([a-z]{2})-([0-9_]+|none)-([0-9a-f]{32})\.pdf$")
OLD_NAME = re.compile(r"^tickets-[0-9a-f]{32}\.pdf$")


@dataclass(frozen=True)
class CleanupResult:
    kept: int
    removed: int


@dataclass(frozen=True)
class _Stored:
    path: Path
    event_id: int
    ticket_ids: tuple[int, ...]
    group: str  # event, order, locale and tickets: the renderings of one document
    mtime: float


def _read(folder: Path) -> tuple[list[_Stored], list[Path]]:
    stored, outdated = [], []
    for path in folder.glob("tickets-*.pdf"):
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            continue
        match = NAME.match(path.name)
        if match is None:
            if OLD_NAME.match(path.name):
                outdated.append(path)
            continue
        event, order, locale, ids, _digest = match.groups()
        ticket_ids = () if ids == "none" else tuple(int(i) for i in ids.split("_"))
        stored.append(_Stored(path, int(event), ticket_ids, f"{event}-{order}-{locale}-{ids}", mtime))
    return stored, outdated


async def remove_unneeded_ticket_pdfs() -> CleanupResult:
    """Remove the stored ticket PDFs no longer needed (see the module's docstring)."""
    folder = documents_dir()
    if not folder.is_dir():
        return CleanupResult(0, 0)
    now = now_utc()
    young = time.time() - MIN_AGE.total_seconds()
    stored, outdated = _read(folder)
    candidates = [s for s in stored if s.mtime < young]
    doomed: list[Path] = [p for p in outdated if p.stat().st_mtime < young]
    # the newest rendering of each document; the older ones were replaced
    newest: dict[str, _Stored] = {}
    for s in stored:
        if s.group not in newest or s.mtime > newest[s.group].mtime:
            newest[s.group] = s
    current = [s for s in candidates if newest[s.group] is s]
    doomed += [s.path for s in candidates if newest[s.group] is not s]
    if current:
        ended_before = now - timedelta(days=get_settings().ticket_pdf_keep_days)
        event_ids = sorted({s.event_id for s in current})
        old_events = {
            r["id"]
            for r in await Event.select(Event.id).where(
                Event.id.is_in(event_ids) & (Event.ends_at < ended_before)
            )
        }
        ticket_ids = sorted({t for s in current for t in s.ticket_ids})
        valid: set[int] = set()
        for start in range(0, len(ticket_ids), 500):
            rows = await Ticket.select(Ticket.id).where(
                Ticket.id.is_in(ticket_ids[start : start + 500]) & (Ticket.status != "cancelled")
            )
            valid.update(r["id"] for r in rows)
        for s in current:
            if s.event_id in old_events or not s.ticket_ids or any(t not in valid for t in s.ticket_ids):
                doomed.append(s.path)
    for path in doomed:
        path.unlink(missing_ok=True)
    if doomed:
        log.info("removed %d stored ticket PDFs no longer needed", len(doomed))
    return CleanupResult(kept=len(stored) + len(outdated) - len(doomed), removed=len(doomed))
