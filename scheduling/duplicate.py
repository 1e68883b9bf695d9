"""A new edition keeps last year's speed-meeting programme: its settings (meeting length, limits, tables,
commission rate, fairness), its phases (wishes open and close, publication) and its grid (days, breaks),
every date shifted. Participants, wishes, meetings, runs, reports and commissions are never copied; the
copy starts as a draft."""

from __future__ import annotations

import json

from lib.editions import EditionShift
from scheduling.tables import MeetingDay, MeetingProgramme

SETTINGS = (
    "meeting_minutes",
    "max_meetings",
    "wish_limit",
    "tables",
    "reserved_tables",
    "accessible_tables",
    "commission_rate_bp",
    "fairness_budget_bp",
)


async def copy_edition(source_event_id: int, new_event_id: int, shift: EditionShift) -> str | None:
    source = await MeetingProgramme.objects().where(MeetingProgramme.event == source_event_id).first()
    if source is None or await MeetingProgramme.exists().where(MeetingProgramme.event == new_event_id):
        return None
    programme = MeetingProgramme(
        event=new_event_id,
        status="draft",
        wishes_open_at=shift.at(source.wishes_open_at),
        wishes_close_at=shift.at(source.wishes_close_at),
        publish_at=shift.at(source.publish_at),
        **{name: getattr(source, name) for name in SETTINGS},
    )
    await programme.save()
    days = await MeetingDay.objects().where(MeetingDay.programme == source.id).order_by(MeetingDay.starts_at)
    for day in days:
        breaks = [[shift.iso(a), shift.iso(b)] for a, b in json.loads(day.breaks or "[]")]
        await MeetingDay(
            programme=programme.id,
            starts_at=shift.at(day.starts_at),
            ends_at=shift.at(day.ends_at),
            breaks=json.dumps(breaks),
        ).save()
    return f"speed-meeting programme, {len(days)} days"
