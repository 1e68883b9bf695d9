"""Wishes (whom a participant wants to meet, and how much) and declines (never this pair), open to change only
during the wish phase, except for staff until publication."""

from __future__ import annotations

from typing import Any

from lib.db import write_transaction
from lib.errors import ValidationFailed
from lib.i18n import _
from scheduling.engine import model
from scheduling.fields import PRIORITIES
from scheduling.programmes import get_programme, wish_phase_open
from scheduling.tables import Decline, MeetingProgramme, Participant, Wish


def wishes_frozen_message(programme: MeetingProgramme) -> str:
    if programme.status == "published":
        return _(
            "The agendas are published: wishes and declines can no longer change. "
            "Contact the LE DAMIER team if a meeting must move."
        )
    return _("The wish phase is not open.")


async def _check_wishes_open(participant: Participant, staff: bool) -> MeetingProgramme:
    """Participants add and remove wishes and declines only while the wish phase is open: after
    publication they are frozen, whatever page or API asks. Staff may still set them (the wishes of
    a late registration, fitted into the gaps without moving a published meeting)."""
    programme = await get_programme(participant.programme)
    if not staff and not wish_phase_open(programme):
        raise ValidationFailed({"__all__": wishes_frozen_message(programme)})
    return programme


async def _other(participant: Participant, target_id: Any) -> Participant:
    try:
        target_id = int(target_id)
    except (TypeError, ValueError):
        raise ValidationFailed({"target_id": _("Choose someone from the catalogue.")}) from None
    target = (
        await Participant.objects()
        .where((Participant.id == target_id) & (Participant.programme == participant.programme))
        .first()
    )
    if target is None:
        raise ValidationFailed({"target_id": _("Choose someone from the catalogue.")})
    if target.side == participant.side:
        raise ValidationFailed({"target_id": _("You can only choose someone from the other side.")})
    return target


def parse_priority(value: Any) -> int:
    if isinstance(value, str) and value in PRIORITIES:
        return PRIORITIES[value]
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in model.PRIORITIES:
        raise ValidationFailed({"priority": _("Choose must, would like or if possible.")})
    return number


async def set_wish(participant: Participant, target_id: Any, priority: Any, staff: bool = False) -> Wish:
    """Add or change a wish (staff may do so outside the wish phase, until publication). At most the
    programme's limit."""
    programme = await _check_wishes_open(participant, staff)
    prio = parse_priority(priority)
    target = await _other(participant, target_id)
    async with write_transaction():
        existing = (
            await Wish.objects().where((Wish.source == participant.id) & (Wish.target == target.id)).first()
        )
        if existing is not None:
            existing.priority = prio
            await existing.save()
            return existing
        count = await Wish.count().where(Wish.source == participant.id)
        if count >= programme.wish_limit:
            raise ValidationFailed(
                {"target_id": _("You can make at most %(limit)d wishes.", limit=programme.wish_limit)}
            )
        await Decline.delete().where((Decline.source == participant.id) & (Decline.target == target.id))
        wish = Wish(source=participant.id, target=target.id, priority=prio)
        await wish.save()
    return wish


async def remove_wish(participant: Participant, target_id: int, staff: bool = False) -> None:
    await _check_wishes_open(participant, staff)
    await Wish.delete().where((Wish.source == participant.id) & (Wish.target == target_id))


async def decline(participant: Participant, target_id: Any, staff: bool = False) -> None:
    """Never schedule this pair (drops a wish of the decliner for them)."""
    await _check_wishes_open(participant, staff)
    target = await _other(participant, target_id)
    async with write_transaction():
        await Wish.delete().where((Wish.source == participant.id) & (Wish.target == target.id))
        if not await Decline.exists().where(
            (Decline.source == participant.id) & (Decline.target == target.id)
        ):
            await Decline(source=participant.id, target=target.id).save()


async def undecline(participant: Participant, target_id: int, staff: bool = False) -> None:
    await _check_wishes_open(participant, staff)
    await Decline.delete().where((Decline.source == participant.id) & (Decline.target == target_id))


async def wishes_of(participant_id: int) -> list[dict[str, Any]]:
    return await Wish.select(Wish.id, Wish.target, Wish.priority).where(Wish.source == participant_id)


async def declines_of(participant_id: int) -> list[int]:
    return [r["target"] for r in await Decline.select(Decline.target).where(Decline.source == participant_id)]
