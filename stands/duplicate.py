"""A new edition starts from last year's hall: the floor plan, its categories (prices), stands, features
and options, all free again; no booking, share, waiting entry nor exhibitor profile is copied."""

from __future__ import annotations

from lib.editions import EditionShift
from stands.floorplan import copy_plan
from stands.tables import Stand


async def copy_edition(source_event_id: int, new_event_id: int, shift: EditionShift) -> str | None:
    plan = await copy_plan(source_event_id, new_event_id)
    if plan is None:
        return None
    return f"stand plan, {await Stand.count().where(Stand.plan == plan.id)} stands"
