"""A signed-in person's speed-meeting participations, for their personal space: each programme with
its phase, their wishes (whom, how much) and their published agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from events.tables import Event
from lib.clock import now_utc
from lib.tokens import normalize_email
from scheduling import agenda
from scheduling.programmes import wish_phase_open
from scheduling.tables import MeetingProgramme, Participant, Wish


@dataclass(frozen=True)
class MyWish:
    name: str  # the other participant's organisation (or name)
    priority: int


@dataclass(frozen=True)
class MyParticipation:
    programme_id: int
    event: dict[str, Any]  # title, title_en, starts_at
    side: str
    status: str
    wish_phase_open: bool
    wishes_close_at: datetime | None
    wishes: list[MyWish]
    meetings: list[dict[str, Any]]  # the published agenda (scheduling.agenda.agenda)


async def participations_for_email(email: str) -> list[MyParticipation]:
    email = normalize_email(email)
    if not email:
        return []
    rows = await Participant.select(Participant.id, Participant.programme, Participant.side).where(
        Participant.person.email == email
    )
    out: list[MyParticipation] = []
    for row in rows:
        programme = await MeetingProgramme.objects().where(MeetingProgramme.id == row["programme"]).first()
        if programme is None:
            continue
        event = (
            await Event.select(Event.title, Event.title_en, Event.starts_at)
            .where(Event.id == programme.event)
            .first()
        ) or {}
        wishes = await Wish.select(
            Wish.priority,
            Wish.target.organisation_name.as_alias("organisation"),
            Wish.target.person.first_name.as_alias("first_name"),
            Wish.target.person.last_name.as_alias("last_name"),
        ).where(Wish.source == row["id"])
        out.append(
            MyParticipation(
                programme_id=programme.id,
                event=event,
                side=row["side"],
                status=programme.status,
                wish_phase_open=wish_phase_open(programme),
                wishes_close_at=programme.wishes_close_at,
                wishes=sorted(
                    (
                        MyWish(
                            name=w["organisation"] or f"{w['first_name']} {w['last_name']}".strip(),
                            priority=w["priority"],
                        )
                        for w in wishes
                    ),
                    key=lambda w: (-w.priority, w.name.lower()),
                ),
                meetings=await agenda.agenda(row["id"], published_only=True),
            )
        )
    out.sort(key=lambda p: p.event.get("starts_at") or now_utc(), reverse=True)
    return out
