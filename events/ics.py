"""iCalendar (RFC 5545) feeds: all public events, and one event's programme.

UIDs are the events' and sessions' stored uids (set once, never changed) so a subscriber's calendar
updates entries in place; SEQUENCE is the stored counter bumped on every change; times carry
TZID=Europe/Paris with a matching VTIMEZONE component.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from events import services
from lib.i18n import _, localized
from lib.settings import get_settings

PRODID = "-//LE DAMIER//Evenements//FR"
UID_DOMAIN = "ledamier.fr"
TZID = "Europe/Paris"


def ical_uid(uid: str) -> str:
    """The UID of an event or session: its stored uid, with the cluster's domain unless it has one."""
    return uid if "@" in uid else f"{uid}@{UID_DOMAIN}"


# The EU rule in force since 1996 (last Sunday of March / October), as calendar clients publish it.
PARIS_VTIMEZONE = "\r\n".join(
    [
        "BEGIN:VTIMEZONE",
        f"TZID:{TZID}",
        "X-LIC-LOCATION:Europe/Paris",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "",
    ]
)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add_component(Timezone.from_ical(PARIS_VTIMEZONE))
    return cal


def _local(value: datetime) -> datetime:
    return value.astimezone(services.PARIS)


def _event_url(event: dict[str, Any]) -> str:
    return f"{get_settings().base_url}/events/{event['slug']}"


def _stamp(value: datetime | None) -> datetime:
    return (value or datetime.now(UTC)).astimezone(UTC)


def event_component(event: dict[str, Any]) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", ical_uid(event["uid"]))
    vevent.add("dtstamp", _stamp(event["updated_at"]))
    vevent.add("last-modified", _stamp(event["updated_at"]))
    vevent.add("created", _stamp(event["created_at"]))
    vevent.add("dtstart", _local(event["starts_at"]))
    vevent.add("dtend", _local(event["ends_at"]))
    vevent.add("sequence", event["sequence"])
    vevent.add("status", "CANCELLED" if event["status"] == "cancelled" else "CONFIRMED")
    vevent.add("summary", localized(event, "title"))
    description = localized(event, "description")
    if description:
        vevent.add("description", description)
    location = services.venue_address(event.get("venue"))
    if location:
        vevent.add("location", location)
    vevent.add("url", _event_url(event))
    return vevent


def session_component(event: dict[str, Any], session: dict[str, Any]) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", ical_uid(session["uid"]))
    vevent.add("dtstamp", _stamp(event["updated_at"]))
    vevent.add("dtstart", _local(session["starts_at"]))
    vevent.add("dtend", _local(session["ends_at"]))
    vevent.add("sequence", session["sequence"])
    cancelled = session["cancelled"] or event["status"] == "cancelled"
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("summary", f"{localized(session, 'title')} – {localized(event, 'title')}")
    lines = [localized(session, "description")]
    if session["speakers"]:
        people = ", ".join(
            f"{s['name']} ({s['organisation']})" if s["organisation"] else s["name"]
            for s in session["speakers"]
        )
        lines.append(_("With: %(people)s", people=people))
    description = "\n\n".join(line for line in lines if line)
    if description:
        vevent.add("description", description)
    address = services.venue_address(event.get("venue"))
    room = session["room"]["name"] if session["room"] else ""
    location = " – ".join(p for p in (room, address) if p)
    if location:
        vevent.add("location", location)
    vevent.add("url", _event_url(event))
    return vevent


def event_calendar(event: dict[str, Any]) -> bytes:
    """One event alone (the .ics of an order and of its confirmation email): the same UID, SEQUENCE,
    times, venue and address as in the public feeds, so calendars update one entry."""
    cal = _calendar(localized(event, "title"))
    cal.add_component(event_component(event))
    return cal.to_ical()


async def events_feed() -> bytes:
    """All published and cancelled events (cancelled ones with STATUS:CANCELLED); no drafts."""
    cal = _calendar(_("LE DAMIER – events"))
    for event in await services.list_events(published_only=True, include_cancelled=True):
        cal.add_component(event_component(event))
    return cal.to_ical()


async def programme_calendar(slug: str) -> bytes:
    """One public event and its sessions. Drafts raise NotFound."""
    event = await services.event_with_programme(slug, published_only=True)
    cal = _calendar(_("%(title)s – programme", title=localized(event, "title")))
    cal.add_component(event_component(event))
    for session in event["programme"]:
        cal.add_component(session_component(event, session))
    return cal.to_ical()
