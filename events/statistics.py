"""Read-only counts of the events domain for the year's figures (figures/): the events of a year and the
member organisations in good standing, grouped in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from events.tables import Event
from members.tables import MembershipYear

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class EventRow:
    id: int
    slug: str
    kind: str
    title: str
    title_en: str
    starts_at: datetime
    year: int  # the Paris calendar year the event starts in


@dataclass(frozen=True)
class MemberCount:
    college: int
    revenue_band: str
    organisations: int


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """Midnight of 1 January in Paris, this year and the next (aware datetimes)."""
    return datetime(year, 1, 1, tzinfo=PARIS), datetime(year + 1, 1, 1, tzinfo=PARIS)


def _row(r: dict) -> EventRow:
    starts = r["starts_at"]
    if isinstance(starts, str):
        starts = datetime.fromisoformat(starts)
    return EventRow(
        r["id"], r["slug"], r["kind"], r["title"], r["title_en"] or "", starts, starts.astimezone(PARIS).year
    )


async def held_events(year: int | None = None, event_id: int | None = None) -> list[EventRow]:
    """Published events (not drafts, not cancelled) starting in the year, or one of them, or all years."""
    query = Event.select(
        Event.id, Event.slug, Event.kind, Event.title, Event.title_en, Event.starts_at
    ).where(Event.status == "published")
    if year is not None:
        start, end = year_bounds(year)
        query = query.where((Event.starts_at >= start) & (Event.starts_at < end))
    if event_id is not None:
        query = query.where(Event.id == event_id)
    return [_row(r) for r in await query.order_by(Event.starts_at)]


async def event_row(event_id: int) -> EventRow | None:
    rows = await Event.select(
        Event.id, Event.slug, Event.kind, Event.title, Event.title_en, Event.starts_at
    ).where(Event.id == event_id)
    return _row(rows[0]) if rows else None


async def members_of_year(year: int) -> list[MemberCount]:
    """Organisations that paid the year's membership (good standing), by college and revenue band."""
    rows = await MembershipYear.raw(
        "SELECT o.college AS college, o.revenue_band AS band, COUNT(DISTINCT o.id) AS n "
        "FROM membership_year m JOIN organisation o ON o.id = m.organisation "
        "WHERE m.year = {} AND m.paid_on IS NOT NULL GROUP BY o.college, o.revenue_band "
        "ORDER BY o.college, o.revenue_band",
        int(year),
    )
    return [MemberCount(int(r["college"]), str(r["band"]), int(r["n"])) for r in rows]


async def standing_on(pairs: list[tuple[int, date]]) -> set[tuple[int, date]]:
    """Which (organisation, day) pairs are in good standing: that year's dues paid on or before the day
    (the rule of members.standing.membership_standing, read for many pairs in one grouped query)."""
    if not pairs:
        return set()
    orgs = ", ".join(str(int(o)) for o in {o for o, _d in pairs})
    years = ", ".join(str(int(y)) for y in {d.year for _o, d in pairs})
    rows = await MembershipYear.raw(
        "SELECT organisation, year, MIN(paid_on) AS paid_on FROM membership_year "
        f"WHERE organisation IN ({orgs}) AND year IN ({years}) AND paid_on IS NOT NULL "
        "GROUP BY organisation, year"
    )
    first_paid = {}
    for r in rows:
        paid = r["paid_on"]
        first_paid[(int(r["organisation"]), int(r["year"]))] = (
            date.fromisoformat(paid) if isinstance(paid, str) else paid
        )
    return {(o, d) for o, d in pairs if (paid := first_paid.get((o, d.year))) is not None and paid <= d}
