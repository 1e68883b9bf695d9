"""From the tables to the scheduler and back: build the model.Instance, run solver.solve (or add_late
once published), store meetings with table numbers and the unmet wishes of the run; pins, hand moves
with a conflict check, and the conflicts of the current grid."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio

from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from scheduling.availability import Busy, busy_times
from scheduling.engine import model, solver
from scheduling.fields import utc
from scheduling.programmes import accessible_of, get_programme, grid_slots
from scheduling.tables import (
    Decline,
    Meeting,
    MeetingProgramme,
    Participant,
    ScheduleRun,
    UnmetWish,
    Wish,
)

RUN_TIME_LIMIT = 30.0


@dataclass
class Built:
    programme: MeetingProgramme
    instance: model.Instance
    slots: list[model.Slot]
    slot_at: dict[datetime, int]
    meetings: list[dict[str, Any]]
    busy: dict[int, list[Busy]]
    outside: list[dict[str, Any]] = field(default_factory=list)  # fixed meetings at reserved tables


async def _meetings(programme_id: int) -> list[dict[str, Any]]:
    rows = await Meeting.select().where(Meeting.programme == programme_id).order_by(Meeting.starts_at)
    for r in rows:
        r["starts_at"] = utc(r["starts_at"])
        r["ends_at"] = utc(r["ends_at"])
    return rows


async def build(programme: MeetingProgramme) -> Built:
    slots = await grid_slots(programme)
    slot_at = {s.start: s.index for s in slots}
    busy = await busy_times(programme)
    meetings = await _meetings(programme.id)
    open_tables = programme.tables - programme.reserved_tables
    outside = [m for m in meetings if (m["pinned"] or m["published"]) and m["table_number"] > open_tables]
    extra_blocked: dict[int, set[int]] = {}
    for m in outside:
        if m["starts_at"] in slot_at:
            for who in (m["producer"], m["buyer"]):
                extra_blocked.setdefault(who, set()).add(slot_at[m["starts_at"]])
    rows = await Participant.select().where(Participant.programme == programme.id).order_by(Participant.id)
    people = [
        model.Participant(
            id=r["id"],
            side=r["side"],
            max_meetings=r["max_meetings"],
            unavailable=model.blocked_slots(slots, [(b.starts_at, b.ends_at) for b in busy.get(r["id"], [])])
            | frozenset(extra_blocked.get(r["id"], ())),
            needs_accessible=r["needs_accessible"],
        )
        for r in rows
    ]
    ids = [r["id"] for r in rows] or [0]
    outside_pairs = {frozenset((m["producer"], m["buyer"])) for m in outside}
    wishes = [
        model.Wish(w["source"], w["target"], w["priority"])
        for w in await Wish.select().where(Wish.source.is_in(ids))
        if frozenset((w["source"], w["target"])) not in outside_pairs
    ]
    declines = [
        model.Decline(d["source"], d["target"])
        for d in await Decline.select().where(Decline.source.is_in(ids))
    ]
    pins, published = [], []
    for m in meetings:
        if m in outside or not (m["pinned"] or m["published"]):
            continue
        if m["starts_at"] not in slot_at:
            raise ValidationFailed(
                {"__all__": _("A fixed meeting is no longer on the grid: move it before running again.")}
            )
        item = model.Meeting(m["producer"], m["buyer"], slot_at[m["starts_at"]], m["table_number"])
        (published if m["published"] else pins).append(item)
    instance = model.Instance(
        participants=people,
        slots=slots,
        wishes=wishes,
        declines=declines,
        pins=pins,
        published=published,
        accessible_tables=accessible_of(programme),
        max_meetings=programme.max_meetings,
    )
    return Built(programme, instance, slots, slot_at, meetings, busy, outside)


async def run(programme_id: int, time_limit: float = RUN_TIME_LIMIT) -> ScheduleRun:
    """Schedule the programme. Before publication: everything but the pins is rescheduled. After:
    only late registrations are fitted into the gaps (add_late), published meetings never move."""
    programme = await get_programme(programme_id)
    built = await build(programme)
    if not built.slots:
        raise ValidationFailed(
            {"__all__": _("Define the grid (days and times) before running the scheduler.")}
        )
    late = programme.status == "published" or any(m["published"] for m in built.meetings)
    newcomers = []
    if late:
        rows = await Participant.select(Participant.id).where(
            (Participant.programme == programme_id) & Participant.late.eq(True)
        )
        newcomers = [r["id"] for r in rows]

    # the share of the best total the fair schedule may give up (basis points; NULL: strict fairness)
    budget_bp = programme.fairness_budget_bp
    fairness_budget = None if budget_bp is None else budget_bp / 10000

    def compute() -> Any:
        if late:
            return solver.add_late(
                built.instance, newcomers, time_limit=time_limit, fairness_budget=fairness_budget
            )
        return solver.solve(built.instance, time_limit=time_limit, fairness_budget=fairness_budget)

    try:
        schedule = await anyio.to_thread.run_sync(compute)
    except model.ScheduleInputError as exc:
        raise ValidationFailed({"__all__": "; ".join(exc.problems)}) from None
    by_index = {s.index: s for s in built.slots}
    fixed = {
        (m["producer"], m["buyer"]): m
        for m in built.meetings
        if (m["pinned"] or m["published"]) and m not in built.outside
    }
    async with write_transaction():
        await Meeting.delete().where(
            (Meeting.programme == programme_id) & Meeting.pinned.eq(False) & Meeting.published.eq(False)
        )
        new_rows = []
        for m in schedule.meetings:
            slot = by_index[m.slot]
            kept = fixed.get((m.producer, m.buyer))
            if kept is not None:
                if kept["table_number"] != m.table:
                    await Meeting.update({Meeting.table_number: m.table}).where(Meeting.id == kept["id"])
                continue
            new_rows.append(
                Meeting(
                    programme=programme_id,
                    producer=m.producer,
                    buyer=m.buyer,
                    starts_at=slot.start,
                    ends_at=slot.end,
                    table_number=m.table,
                    uid=uuid.uuid4().hex,
                )
            )
        if new_rows:
            await Meeting.insert(*new_rows)
        record = ScheduleRun(
            programme=programme_id,
            kind="late" if late else "full",
            status=schedule.status[:60],
            meetings=len(schedule.meetings),
            total_weight=schedule.total_weight,
            min_share=schedule.min_share,
            best_total_weight=schedule.unconstrained_weight,
            fairness_budget_bp=budget_bp,
            seconds=schedule.seconds,
        )
        await record.save()
        if schedule.unmet:
            await UnmetWish.insert(
                *[
                    UnmetWish(
                        run=record.id, source=u.source, target=u.target, priority=u.priority, reason=u.reason
                    )
                    for u in schedule.unmet
                ]
            )
        if programme.status in ("draft", "wishes_open"):
            await MeetingProgramme.update({MeetingProgramme.status: "scheduled"}).where(
                MeetingProgramme.id == programme_id
            )
    return record


def fairness_cost(total_weight: float | None, best_total_weight: float | None) -> float | None:
    """The share of the best total (without the fairness rule) the run gave up for fairness; None when
    the best total is unknown (late runs) or zero. Never below 0: the fair schedule may beat the
    reference one when the solver stopped on its time limit."""
    if not best_total_weight or total_weight is None:
        return None
    return max(0.0, (best_total_weight - total_weight) / best_total_weight)


async def latest_run(programme_id: int) -> dict[str, Any] | None:
    row = (
        await ScheduleRun.select()
        .where(ScheduleRun.programme == programme_id)
        .order_by(ScheduleRun.id, ascending=False)
        .first()
    )
    if row is not None:
        row["fairness_cost"] = fairness_cost(row["total_weight"], row["best_total_weight"])
    return row


def reason_label(reason: str) -> str:
    return {
        model.DECLINED: _("the other side declined"),
        model.NO_COMMON_SLOT: _("no common free slot"),
        model.CAPACITY: _("capacity (tables or meetings per person)"),
        model.FROZEN: _("the schedule was already published"),
    }.get(reason, reason)


async def unmet_wishes(programme_id: int, participant_id: int | None = None) -> list[dict[str, Any]]:
    last = await latest_run(programme_id)
    if last is None:
        return []
    query = UnmetWish.select(
        UnmetWish.all_columns(),
        UnmetWish.source.organisation_name.as_alias("source_name"),
        UnmetWish.target.organisation_name.as_alias("target_name"),
    ).where(UnmetWish.run == last["id"])
    if participant_id is not None:
        query = query.where(UnmetWish.source == participant_id)
    return await query.order_by(UnmetWish.priority, ascending=False)


# ---- pins, hand moves, conflicts ------------------------------------------------------------------
async def get_meeting(meeting_id: int, programme_id: int | None = None) -> Meeting:
    query = Meeting.objects().where(Meeting.id == meeting_id)
    if programme_id is not None:
        query = query.where(Meeting.programme == programme_id)
    meeting = await query.first()
    if meeting is None:
        raise NotFound(_("This meeting does not exist."))
    return meeting


async def set_pinned(meeting_id: int, pinned: bool) -> Meeting:
    meeting = await get_meeting(meeting_id)
    await Meeting.update({Meeting.pinned: pinned}).where(Meeting.id == meeting_id)
    meeting.pinned = pinned
    return meeting


def _problems(
    item: dict[str, Any],
    others: list[dict[str, Any]],
    built: Built,
    sides: dict[int, dict[str, Any]],
    declined: set[frozenset],
) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with one meeting among the others."""
    out: list[tuple[str, str]] = []
    programme = built.programme
    start, end = item["starts_at"], item["ends_at"]
    if start not in built.slot_at:
        out.append(("starts_at", _("This time is not a slot of the grid.")))
    if not 1 <= item["table_number"] <= programme.tables:
        out.append(("table_number", _("There is no table %(n)d.", n=item["table_number"])))
    for other in others:
        if other["id"] == item.get("id") or not (other["starts_at"] < end and start < other["ends_at"]):
            continue
        if other["table_number"] == item["table_number"]:
            out.append(("table_number", _("Table %(n)d is already taken then.", n=item["table_number"])))
        for who in (item["producer"], item["buyer"]):
            if who in (other["producer"], other["buyer"]):
                out.append(
                    (
                        "starts_at",
                        _("%(name)s already has a meeting then.", name=sides[who]["organisation_name"]),
                    )
                )
    for who in (item["producer"], item["buyer"]):
        for b in built.busy.get(who, []):
            if b.starts_at < end and start < b.ends_at:
                out.append(
                    ("starts_at", _("%(name)s is not available then.", name=sides[who]["organisation_name"]))
                )
                break
    if frozenset((item["producer"], item["buyer"])) in declined:
        out.append(("buyer_id", _("One side declined this meeting.")))
    acc = accessible_of(programme)
    needs = sides[item["producer"]]["needs_accessible"] or sides[item["buyer"]]["needs_accessible"]
    if needs and item["table_number"] not in acc:
        out.append(("table_number", _("This meeting needs an accessible table.")))
    return out


async def _context(programme: MeetingProgramme) -> tuple[Built, dict[int, dict[str, Any]], set[frozenset]]:
    built = await build_loose(programme)
    sides = {r["id"]: r for r in await Participant.select().where(Participant.programme == programme.id)}
    ids = list(sides) or [0]
    declined = {
        frozenset((d["source"], d["target"])) for d in await Decline.select().where(Decline.source.is_in(ids))
    }
    return built, sides, declined


async def build_loose(programme: MeetingProgramme) -> Built:
    """The grid, busy times and meetings without validating fixed meetings (for checks and views)."""
    slots = await grid_slots(programme)
    return Built(
        programme=programme,
        instance=model.Instance(participants=[], slots=slots),
        slots=slots,
        slot_at={s.start: s.index for s in slots},
        meetings=await _meetings(programme.id),
        busy=await busy_times(programme),
    )


async def conflicts(programme_id: int) -> dict[int, list[str]]:
    """Meeting id -> what is wrong with it (two places at once, table twice, unavailable, declined...)."""
    programme = await get_programme(programme_id)
    built, sides, declined = await _context(programme)
    out: dict[int, list[str]] = {}
    for m in built.meetings:
        problems = _problems(m, built.meetings, built, sides, declined)
        if problems:
            out[m["id"]] = list(dict.fromkeys(msg for _field, msg in problems))
    return out


async def move(meeting_id: int, starts_at: datetime, table_number: int) -> Meeting:
    """Move a meeting by hand to a slot and table; refused when it would conflict. A moved meeting is
    pinned (the next run keeps it); a published one stays published and its agenda changes."""
    meeting = await get_meeting(meeting_id)
    programme = await get_programme(meeting.programme)
    built, sides, declined = await _context(programme)
    start = utc(starts_at)
    slot = next((s for s in built.slots if s.start == start), None)
    if slot is None:
        raise ValidationFailed({"starts_at": _("This time is not a slot of the grid.")})
    item = {
        "id": meeting.id,
        "producer": meeting.producer,
        "buyer": meeting.buyer,
        "starts_at": slot.start,
        "ends_at": slot.end,
        "table_number": int(table_number),
    }
    problems = _problems(item, built.meetings, built, sides, declined)
    if problems:
        raise ValidationFailed(dict(reversed(problems)))
    async with write_transaction():
        await Meeting.update(
            {
                Meeting.starts_at: slot.start,
                Meeting.ends_at: slot.end,
                Meeting.table_number: int(table_number),
                Meeting.pinned: True,
                Meeting.sequence: Meeting.sequence + 1,
            }
        ).where(Meeting.id == meeting.id)
    return await get_meeting(meeting.id)


async def pin_pair(
    programme_id: int, producer_id: int, buyer_id: int, starts_at: datetime, table_number: int | None = None
) -> Meeting:
    """Staff place a meeting by hand (pinned); the table defaults to the first free one."""
    programme = await get_programme(programme_id)
    built, sides, declined = await _context(programme)
    producer, buyer = sides.get(int(producer_id)), sides.get(int(buyer_id))
    if producer is None or producer["side"] != "producer":
        raise ValidationFailed({"producer_id": _("Choose a producer of this speed-meeting.")})
    if buyer is None or buyer["side"] != "buyer":
        raise ValidationFailed({"buyer_id": _("Choose a buyer of this speed-meeting.")})
    if any(m["producer"] == producer["id"] and m["buyer"] == buyer["id"] for m in built.meetings):
        raise ValidationFailed({"buyer_id": _("These two already meet.")})
    start = utc(starts_at)
    slot = next((s for s in built.slots if s.start == start), None)
    if slot is None:
        raise ValidationFailed({"starts_at": _("This time is not a slot of the grid.")})
    if table_number is None:
        taken = {m["table_number"] for m in built.meetings if m["starts_at"] == slot.start}
        acc = accessible_of(programme)
        needs = producer["needs_accessible"] or buyer["needs_accessible"]
        free = [t for t in range(1, slot.tables + 1) if t not in taken and (t in acc or not needs)]
        if not free:
            raise ValidationFailed({"starts_at": _("No table is free then.")})
        table_number = free[0]
    item = {
        "id": None,
        "producer": producer["id"],
        "buyer": buyer["id"],
        "starts_at": slot.start,
        "ends_at": slot.end,
        "table_number": int(table_number),
    }
    problems = _problems(item, built.meetings, built, sides, declined)
    if problems:
        raise ValidationFailed(dict(reversed(problems)))
    meeting = Meeting(
        programme=programme_id,
        producer=producer["id"],
        buyer=buyer["id"],
        starts_at=slot.start,
        ends_at=slot.end,
        table_number=int(table_number),
        pinned=True,
        uid=uuid.uuid4().hex,
    )
    await meeting.save()
    return meeting


async def delete_meeting(meeting_id: int) -> None:
    meeting = await get_meeting(meeting_id)
    if meeting.published:
        raise ValidationFailed({"__all__": _("A published meeting cannot be deleted; move it instead.")})
    await Meeting.delete().where(Meeting.id == meeting_id)


async def grid(programme_id: int) -> dict[str, Any]:
    """Slots x tables with the meetings and their conflicts, for the staff grid view."""
    programme = await get_programme(programme_id)
    built, sides, declined = await _context(programme)
    problems = await conflicts(programme_id)
    names = {pid: r["organisation_name"] or str(pid) for pid, r in sides.items()}
    rows = []
    starts = sorted({s.start for s in built.slots} | {m["starts_at"] for m in built.meetings})
    for start in starts:
        cells: dict[int, list[dict[str, Any]]] = {}
        for m in built.meetings:
            if m["starts_at"] == start:
                cells.setdefault(m["table_number"], []).append(
                    {
                        "id": m["id"],
                        "producer": names.get(m["producer"], ""),
                        "buyer": names.get(m["buyer"], ""),
                        "pinned": m["pinned"],
                        "published": m["published"],
                        "problems": problems.get(m["id"], []),
                    }
                )
        rows.append({"starts_at": start, "on_grid": start in built.slot_at, "cells": cells})
    return {
        "tables": list(range(1, programme.tables + 1)),
        "accessible": sorted(accessible_of(programme)),
        "rows": rows,
        "conflicts": sum(len(v) for v in problems.values()),
    }
