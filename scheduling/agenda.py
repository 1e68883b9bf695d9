"""Personal agendas (web data, PDF, iCalendar), staff's per-table sheets, and publishing: every
participant gets their agenda by email in their language with the .ics attached; later publications
email only the agendas that changed."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from events.ics import PARIS_VTIMEZONE, PRODID, TZID, UID_DOMAIN
from events.tables import Event, Venue
from lib import i18n
from lib.i18n import _
from lib.jobs import atomic
from lib.mail import queue_email
from lib.pdf import line as _line
from lib.pdf import new_pdf as _pdf
from lib.pdf import output as _output
from lib.settings import get_settings
from lib.templating import fmt_date, fmt_range, fmt_time
from scheduling.fields import PARIS, side_label, utc
from scheduling.participants import get_participant, list_participants, participant_info
from scheduling.programmes import get_programme
from scheduling.tables import Meeting, MeetingProgramme, Participant


@contextmanager
def locale(code: str):  # noqa: ANN201
    token = i18n.current_locale.set(code if code in i18n.LOCALES else i18n.DEFAULT_LOCALE)
    try:
        yield
    finally:
        i18n.current_locale.reset(token)


async def agenda(participant_id: int, published_only: bool = False) -> list[dict[str, Any]]:
    """The participant's meetings in time order, with the other party."""
    participant = await get_participant(participant_id)
    column = Meeting.producer if participant.side == "producer" else Meeting.buyer
    other = Meeting.buyer if participant.side == "producer" else Meeting.producer
    query = Meeting.select(
        Meeting.all_columns(),
        other.organisation_name.as_alias("other_organisation"),
        other.role.as_alias("other_role"),
        other.offer.as_alias("other_offer"),
        other.looking_for.as_alias("other_looking_for"),
        other.person.first_name.as_alias("other_first"),
        other.person.last_name.as_alias("other_last"),
        other.person.email.as_alias("other_email"),
    ).where(column == participant_id)
    if published_only:
        query = query.where(Meeting.published.eq(True))
    rows = await query.order_by(Meeting.starts_at)
    out = []
    for r in rows:
        out.append(
            {
                "id": r["id"],
                "starts_at": utc(r["starts_at"]),
                "ends_at": utc(r["ends_at"]),
                "table": r["table_number"],
                "uid": r["uid"],
                "sequence": r["sequence"],
                "published": r["published"],
                "other_id": r["buyer"] if participant.side == "producer" else r["producer"],
                "other_name": f"{r['other_first']} {r['other_last']}".strip(),
                "other_organisation": r["other_organisation"],
                "other_role": r["other_role"],
                "other_email": r["other_email"],
                "other_summary": r["other_offer"] or r["other_looking_for"],
            }
        )
    return out


def digest(items: list[dict[str, Any]]) -> str:
    text = "|".join(f"{m['uid']}:{m['starts_at'].isoformat()}:{m['table']}:{m['other_id']}" for m in items)
    return hashlib.sha256(text.encode()).hexdigest()


async def _event_info(programme: MeetingProgramme) -> dict[str, Any]:
    event = await Event.select().where(Event.id == programme.event).first()
    venue = await Venue.select().where(Venue.id == event["venue"]).first() if event["venue"] else None
    location = ""
    if venue:
        location = ", ".join(p for p in (venue["name"], venue["address"], venue["city"]) if p)
    return {**event, "location": location}


def _title(event: dict[str, Any]) -> str:
    return i18n.localized(event, "title")


def meeting_summary(item: dict[str, Any]) -> str:
    who = item["other_organisation"] or item["other_name"]
    return _("Meeting with %(who)s – table %(table)d", who=who, table=item["table"])


async def agenda_ics(participant_id: int, published_only: bool = True) -> bytes:
    participant = await get_participant(participant_id)
    programme = await get_programme(participant.programme)
    event = await _event_info(programme)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("%(title)s – my meetings", title=_title(event)))
    cal.add("x-wr-timezone", TZID)
    cal.add_component(Timezone.from_ical(PARIS_VTIMEZONE))
    stamp = datetime.now(UTC)
    for item in await agenda(participant_id, published_only=published_only):
        vevent = VEvent()
        vevent.add("uid", f"meeting-{item['uid']}@{UID_DOMAIN}")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", item["starts_at"].astimezone(PARIS))
        vevent.add("dtend", item["ends_at"].astimezone(PARIS))
        vevent.add("sequence", item["sequence"])
        vevent.add("status", "CONFIRMED")
        vevent.add("summary", meeting_summary(item))
        lines = [
            _("Speed-meeting – %(title)s", title=_title(event)),
            _("Table %(table)d", table=item["table"]),
            f"{item['other_name']} – {item['other_organisation']}".strip(" –"),
        ]
        if item["other_role"]:
            lines.append(item["other_role"])
        vevent.add("description", "\n".join(lines))
        location = " – ".join(p for p in (_("Table %(table)d", table=item["table"]), event["location"]) if p)
        vevent.add("location", location)
        cal.add_component(vevent)
    return cal.to_ical()


async def agenda_pdf(participant_id: int, published_only: bool = True) -> bytes:
    info = await participant_info(participant_id)
    programme = await get_programme((await get_participant(participant_id)).programme)
    event = await _event_info(programme)
    items = await agenda(participant_id, published_only=published_only)
    pdf = _pdf()
    pdf.set_title(_("My meetings"))
    pdf.add_page()
    _line(pdf, get_settings().org_name, 10)
    _line(pdf, _("Speed-meeting – %(title)s", title=_title(event)), 16, bold=True, h=9)
    if event["location"]:
        _line(pdf, event["location"], 10)
    pdf.ln(2)
    _line(pdf, f"{info['name']} – {info['organisation']}".strip(" –"), 13, bold=True)
    _line(pdf, side_label(info["side"]), 10)
    pdf.ln(3)
    if not items:
        _line(pdf, _("No meeting in your agenda yet."), 11)
    day = None
    for item in items:
        this_day = fmt_date(item["starts_at"], "full")
        if this_day != day:
            day = this_day
            pdf.ln(2)
            _line(pdf, day, 12, bold=True)
        when = f"{fmt_time(item['starts_at'])}–{fmt_time(item['ends_at'])}"
        who = (
            f"{item['other_organisation']} ({item['other_name']})"
            if item["other_organisation"]
            else item["other_name"]
        )
        _line(pdf, f"{when}  ·  {_('Table %(table)d', table=item['table'])}  ·  {who}", 11)
    return _output(pdf)


async def table_sheets_pdf(programme_id: int) -> bytes:
    """One page per table in use: its meetings in time order (for the table's holder)."""
    programme = await get_programme(programme_id)
    event = await _event_info(programme)
    names = {
        r["id"]: (r["organisation_name"] or f"{r['first_name']} {r['last_name']}")
        for r in await Participant.select(
            Participant.id,
            Participant.organisation_name,
            Participant.person.first_name.as_alias("first_name"),
            Participant.person.last_name.as_alias("last_name"),
        ).where(Participant.programme == programme_id)
    }
    meetings = await Meeting.select().where(Meeting.programme == programme_id).order_by(Meeting.starts_at)
    by_table: dict[int, list[dict[str, Any]]] = {}
    for m in meetings:
        by_table.setdefault(m["table_number"], []).append(m)
    pdf = _pdf()
    pdf.set_title(_("Table sheets"))
    if not by_table:
        pdf.add_page()
        _line(pdf, _("No meeting scheduled yet."), 12)
    for table in sorted(by_table):
        pdf.add_page()
        _line(pdf, _("Speed-meeting – %(title)s", title=_title(event)), 11)
        _line(pdf, _("Table %(table)d", table=table), 22, bold=True, h=12)
        pdf.ln(3)
        for m in by_table[table]:
            start, end = utc(m["starts_at"]), utc(m["ends_at"])
            when = fmt_range(start, end, "short")
            _line(pdf, f"{when}  ·  {names.get(m['producer'], '')}  ×  {names.get(m['buyer'], '')}", 11)
    return _output(pdf)


def _email_text(
    info: dict[str, Any], title: str, items: list[dict[str, Any]], first: bool
) -> tuple[str, str]:
    subject = (
        _("Your speed-meeting agenda – %(title)s", title=title)
        if first
        else _("Your speed-meeting agenda has changed – %(title)s", title=title)
    )
    lines = [_("Hello %(name)s,", name=info["name"]), ""]
    if items:
        lines.append(_("Here are your meetings:"))
        lines.append("")
        for item in items:
            when = fmt_range(item["starts_at"], item["ends_at"], "medium")
            lines.append(f"- {when} · {meeting_summary(item)}")
    else:
        lines.append(_("No meeting could be scheduled for you this time."))
    lines += [
        "",
        _("The attached calendar file adds them to your calendar."),
        _(
            "Your agenda online: %(url)s",
            url=f"{get_settings().base_url}/meetings/{info['programme']}/agenda",
        ),
    ]
    return subject, "\n".join(lines)


@dataclass(frozen=True)
class PublishPreview:
    """What publishing would do now: the meetings it publishes and the agendas it emails."""

    meetings: int
    unpublished: int
    participants: int
    emails: int  # participants whose agenda differs from the one last emailed (all, the first time)
    first_time: bool


async def publish_preview(programme_id: int) -> PublishPreview:
    programme = await get_programme(programme_id)
    participants = await list_participants(programme_id)
    stored = {
        r["id"]: r["agenda_digest"]
        for r in await Participant.select(Participant.id, Participant.agenda_digest).where(
            Participant.programme == programme_id
        )
    }
    emails = 0
    for info in participants:  # after publishing, every meeting of the programme is published
        if digest(await agenda(info["id"])) != stored.get(info["id"]):
            emails += 1
    return PublishPreview(
        meetings=await Meeting.count().where(Meeting.programme == programme_id),
        unpublished=await Meeting.count().where(
            (Meeting.programme == programme_id) & Meeting.published.eq(False)
        ),
        participants=len(participants),
        emails=emails,
        first_time=programme.status != "published",
    )


async def publish(programme_id: int) -> int:
    """Publish every meeting of the programme and email each participant whose agenda differs from the
    one last emailed (all of them the first time). Returns the number of emails queued."""
    programme = await get_programme(programme_id)
    event = await _event_info(programme)
    participants = await list_participants(programme_id)
    stored = {
        r["id"]: r["agenda_digest"]
        for r in await Participant.select(Participant.id, Participant.agenda_digest).where(
            Participant.programme == programme_id
        )
    }
    sent = 0
    async with atomic():
        await Meeting.update({Meeting.published: True}).where(Meeting.programme == programme_id)
        await MeetingProgramme.update(
            {MeetingProgramme.status: "published", MeetingProgramme.published_at: datetime.now(UTC)}
        ).where(MeetingProgramme.id == programme_id)
        for info in participants:
            items = await agenda(info["id"], published_only=True)
            fingerprint = digest(items)
            if fingerprint == stored.get(info["id"]):
                continue
            with locale(info["locale"] or "fr"):
                title = _title(event)
                subject, text = _email_text(
                    {**info, "programme": programme_id}, title, items, not stored.get(info["id"])
                )
                ics = await agenda_ics(info["id"], published_only=True)
            await queue_email(
                info["email"], subject, text, attachments=[("agenda.ics", "text/calendar", ics)]
            )
            await Participant.update({Participant.agenda_digest: fingerprint}).where(
                Participant.id == info["id"]
            )
            sent += 1
    return sent
