"""Mentors: members' experts offer time slots; a team books one. A slot is booked by one conditional
UPDATE ... WHERE team IS NULL RETURNING, so two teams pressing at once never both get it; a team cannot
hold two slots that overlap."""

from __future__ import annotations

from typing import Any

from hackathon.common import get_edition, local_times
from hackathon.tables import HackParticipant, MentorSlot, Team
from juries.common import now, row_or_404, text, when, whole
from lib.errors import Conflict, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from lib.locking import lock
from lib.tokens import normalize_email
from members.register import email_error
from members.tables import Organisation

FIELDS = ("mentor_name", "mentor_email", "organisation_id", "topic", "starts_at", "ends_at")


async def offer_slot(edition_id: Any, data: Any) -> MentorSlot:
    edition = await get_edition(edition_id)
    if not isinstance(data, dict):
        raise ValidationFailed.one("mentor_name", _("This field is required."))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    name = text(errors, data, "mentor_name", required=True, max_length=200)
    raw = data.get("mentor_email")
    email = normalize_email(raw if isinstance(raw, str) else "")
    if problem := email_error(email, required=True):
        errors["mentor_email"] = problem
    topic = text(errors, data, "topic", required=False, max_length=200)
    data = local_times(data, "starts_at", "ends_at")
    starts = when(errors, data, "starts_at", required=True)
    ends = when(errors, data, "ends_at", required=True)
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The slot must end after it starts.")
    organisation = whole(errors, data, "organisation_id", required=False, low=1, high=2**31 - 1)
    if organisation is not None and not await Organisation.exists().where(Organisation.id == organisation):
        errors["organisation_id"] = _("This organisation is not in the member register.")
    if errors:
        raise ValidationFailed(errors)
    slot = MentorSlot(
        edition=edition.id,
        mentor_name=name,
        mentor_email=email,
        organisation=organisation,
        topic=topic,
        starts_at=starts,
        ends_at=ends,
    )
    await slot.save()
    return slot


async def get_slot(slot_id: Any) -> MentorSlot:
    return await row_or_404(MentorSlot, slot_id, _("This mentor slot does not exist."))


async def book(participant: HackParticipant, slot_id: Any) -> MentorSlot:
    if participant.status != "accepted" or participant.team is None:
        raise ValidationFailed.one("team", _("Join a team to book a mentor."))
    slot = await get_slot(slot_id)
    if slot.edition != participant.edition:
        raise ValidationFailed.one("slot_id", _("This mentor slot does not exist."))
    team_id = participant.team
    async with atomic():
        await lock("hackathon-team", team_id)  # the team's overlapping check, one booking at a time
        overlapping = await MentorSlot.exists().where(
            (MentorSlot.team == team_id)
            & (MentorSlot.starts_at < slot.ends_at)
            & (MentorSlot.ends_at > slot.starts_at)
        )
        if overlapping:
            raise Conflict(_("Your team already has a mentor at that time."))
        done = (
            await MentorSlot.update({MentorSlot.team: team_id, MentorSlot.booked_at: now()})
            .where((MentorSlot.id == slot.id) & MentorSlot.team.is_null())
            .returning(MentorSlot.id)
        )
        if not done:
            raise Conflict(_("Another team has just booked this slot."))
    return await get_slot(slot.id)


async def cancel_booking(participant: HackParticipant, slot_id: Any) -> MentorSlot:
    slot = await get_slot(slot_id)
    done = (
        await MentorSlot.update({MentorSlot.team: None, MentorSlot.booked_at: None})
        .where((MentorSlot.id == slot.id) & (MentorSlot.team == (participant.team or 0)))
        .returning(MentorSlot.id)
    )
    if not done:
        raise Conflict(_("Your team has not booked this slot."))
    return await get_slot(slot.id)


async def slots_of(edition_id: int) -> list[MentorSlot]:
    return (
        await MentorSlot.objects()
        .where(MentorSlot.edition == edition_id)
        .order_by(MentorSlot.starts_at, MentorSlot.id)
    )


async def slot_json(slot: MentorSlot) -> dict[str, Any]:
    team = await Team.select(Team.name).where(Team.id == slot.team).first() if slot.team else None
    return {
        "id": slot.id,
        "mentor_name": slot.mentor_name,
        "topic": slot.topic,
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
        "team_id": slot.team,
        "team": team["name"] if team else None,
    }
