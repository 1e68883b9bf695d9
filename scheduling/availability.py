"""When a participant cannot meet: their own blocks, and every showcase or screening of the event they perform
in (blocked automatically, through the event's programme)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from events.tables import Session, SessionPerson
from lib.errors import ValidationFailed
from lib.i18n import _
from scheduling.fields import utc
from scheduling.tables import Availability, MeetingProgramme, Participant

PERFORMING_KINDS = ("showcase", "screening")


async def add_block(
    participant: Participant, starts_at: datetime, ends_at: datetime, note: str = ""
) -> Availability:
    start, end = utc(starts_at), utc(ends_at)
    if end <= start:
        raise ValidationFailed({"ends_at": _("The end must be after the start.")})
    block = Availability(participant=participant.id, starts_at=start, ends_at=end, note=note[:200])
    await block.save()
    return block


async def remove_block(participant: Participant, block_id: int) -> None:
    await Availability.delete().where(
        (Availability.id == block_id) & (Availability.participant == participant.id)
    )


async def blocks_of(participant_id: int) -> list[dict[str, Any]]:
    return (
        await Availability.select()
        .where(Availability.participant == participant_id)
        .order_by(Availability.starts_at)
    )


@dataclass(frozen=True)
class Busy:
    starts_at: datetime
    ends_at: datetime
    reason: str  # "own" (the participant's block) or the title of a showcase/screening


async def busy_times(programme: MeetingProgramme) -> dict[int, list[Busy]]:
    """Participant id -> busy intervals: their own blocks, and every showcase or screening of the event's
    programme they perform in (SessionPerson -> Person -> Participant), blocked automatically."""
    out: dict[int, list[Busy]] = {}
    participants = await Participant.select(Participant.id, Participant.person).where(
        Participant.programme == programme.id
    )
    by_person = {r["person"]: r["id"] for r in participants}
    blocks = await Availability.select().where(
        Availability.participant.is_in([r["id"] for r in participants] or [0])
    )
    for b in blocks:
        out.setdefault(b["participant"], []).append(Busy(utc(b["starts_at"]), utc(b["ends_at"]), "own"))
    if by_person:
        performing = await SessionPerson.select(
            SessionPerson.person,
            SessionPerson.session.title.as_alias("title"),
            SessionPerson.session.starts_at.as_alias("starts_at"),
            SessionPerson.session.ends_at.as_alias("ends_at"),
        ).where(
            (SessionPerson.session.event == programme.event)
            & SessionPerson.session.kind.is_in(list(PERFORMING_KINDS))
            & SessionPerson.session.cancelled.eq(False)
            & SessionPerson.person.is_in(list(by_person))
        )
        for row in performing:
            out.setdefault(by_person[row["person"]], []).append(
                Busy(utc(row["starts_at"]), utc(row["ends_at"]), row["title"])
            )
    return out


async def performer_sessions(programme: MeetingProgramme) -> list[dict[str, Any]]:
    return await Session.select(Session.id, Session.title, Session.starts_at, Session.ends_at).where(
        (Session.event == programme.event) & Session.kind.is_in(list(PERFORMING_KINDS))
    )
