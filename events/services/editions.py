"""A new edition from a previous one (MIMA 2027 -> MIMA 2028): the event, its programme, and through
lib.editions every other domain's part of it, all in one transaction.

Not named `duplicate.py`: server/apps.py finds `<app>/duplicate.py` modules by that name as edition
copiers; this module is the one that calls them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from events.services.catalogue import event_row, get_event, unique_slug
from events.services.fields import PARIS, aware, new_uid
from events.tables import Event, Session, SessionPerson
from lib.clock import now_utc
from lib.db import write_transaction
from lib.editions import EditionShift, copy_edition
from lib.errors import ValidationFailed
from lib.i18n import _


def _same_day_next_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def _shift(value: datetime, delta: timedelta) -> datetime:
    """Shift by a wall-clock delta in Paris local time, so times of day survive DST changes."""
    local = aware(value).astimezone(PARIS).replace(tzinfo=None)
    return aware(local + delta)


def _replace_year(text: str, old: int, new: int) -> str:
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


async def duplicate_event(
    event_id: int, new_starts_at: datetime | None = None, new_year: int | None = None
) -> dict[str, Any]:
    """Copy an edition as a draft: sessions (same rooms), speakers, every date shifted by one delta, and
    each domain's part of it (lib.editions: `<app>/duplicate.py`); no participant, order nor booking.

    Default: the same calendar date one year later. new_year: the same date in that year.
    new_starts_at: the new start of the event (naive = Paris local time). The year in the title and
    slug is replaced (MIMA 2027 -> MIMA 2028), edition_year follows, every uid is new.
    """
    source = await event_row(event_id)
    old_start_local = aware(source["starts_at"]).astimezone(PARIS).replace(tzinfo=None)
    old_year = source["edition_year"] or old_start_local.year
    if new_starts_at is not None and new_year is not None:
        raise ValidationFailed({"new_year": _("Give either a new start or a new year, not both.")})
    if new_starts_at is not None:
        if not isinstance(new_starts_at, datetime):
            raise ValidationFailed({"new_starts_at": _("This field is required.")})
        new_start_local = aware(new_starts_at).astimezone(PARIS).replace(tzinfo=None)
    else:
        target_year = old_start_local.year + 1
        if new_year is not None:
            if not isinstance(new_year, int) or isinstance(new_year, bool) or not 2000 <= new_year <= 2200:
                raise ValidationFailed({"new_year": _("Enter a year between 2000 and 2200.")})
            target_year = old_start_local.year + (new_year - old_year)
        day = _same_day_next_years(old_start_local.date(), target_year - old_start_local.year)
        new_start_local = datetime.combine(day, old_start_local.time())
    delta = new_start_local - old_start_local
    if delta == timedelta(0):
        raise ValidationFailed({"new_starts_at": _("The copy must start at another date.")})
    year_shift = new_start_local.year - old_start_local.year
    new_edition_year = new_year if new_year is not None else old_year + year_shift
    title = _replace_year(source["title"], old_year, new_edition_year)
    title_en = _replace_year(source["title_en"], old_year, new_edition_year)
    slug_base = _replace_year(source["slug"], old_year, new_edition_year)
    if slug_base == source["slug"]:
        slug_base = f"{source['slug']}-{new_edition_year}"

    async with write_transaction():
        now = now_utc()
        slug = await unique_slug(slug_base)
        rows = await Event.insert(
            Event(
                slug=slug,
                kind=source["kind"],
                title=title,
                title_en=title_en,
                description=source["description"],
                description_en=source["description_en"],
                venue=source["venue"],
                starts_at=_shift(source["starts_at"], delta),
                ends_at=_shift(source["ends_at"], delta),
                capacity=source["capacity"],
                status="draft",
                edition_year=new_edition_year if source["edition_year"] is not None else None,
                uid=new_uid(),
                sequence=0,
                created_at=now,
                updated_at=now,
            )
        ).returning(Event.id)
        new_id = rows[0]["id"]
        sessions = await Session.select().where(Session.event == event_id).order_by(Session.id)
        links = await SessionPerson.select().where(
            SessionPerson.session.is_in([s["id"] for s in sessions] or [0])
        )
        for s in sessions:
            inserted = await Session.insert(
                Session(
                    event=new_id,
                    room=s["room"],
                    kind=s["kind"],
                    title=_replace_year(s["title"], old_year, new_edition_year),
                    title_en=_replace_year(s["title_en"], old_year, new_edition_year),
                    description=s["description"],
                    description_en=s["description_en"],
                    starts_at=_shift(s["starts_at"], delta),
                    ends_at=_shift(s["ends_at"], delta),
                    uid=new_uid(),
                    sequence=0,
                    cancelled=s["cancelled"],
                )
            ).returning(Session.id)
            copies = [
                SessionPerson(session=inserted[0]["id"], person=link["person"], role=link["role"])
                for link in links
                if link["session"] == s["id"]
            ]
            if copies:
                await SessionPerson.insert(*copies)
        # every other domain's part (ticket types, speed-meeting, stand plan, calls...): lib.editions
        await copy_edition(event_id, new_id, EditionShift(delta, old_year, new_edition_year))
    return await get_event(new_id)
