"""Speed-meeting scheduling model: plain dataclasses, no database, no HTTP.

A producer (member presenting artists, films, services) meets a buyer (venue, festival, media library...)
at a table during a slot. Participants state wishes with a priority, may decline someone, and may be
unavailable during some slots (arrives late, leaves early, performs in a showcase). Staff may pin a pair to a
slot (and a table); meetings already published must not move.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Literal

PRODUCER = "producer"
BUYER = "buyer"
Side = Literal["producer", "buyer"]

MUST = 3
WOULD_LIKE = 2
IF_POSSIBLE = 1
PRIORITIES = (MUST, WOULD_LIKE, IF_POSSIBLE)

# Reasons given for a wish that is not in the schedule.
DECLINED = "declined"  # one side declined the other: the pair is never scheduled
NO_COMMON_SLOT = (
    "no_common_slot"  # no open slot where both are available (and, if needed, an accessible table)
)
CAPACITY = "capacity"  # possible, but not chosen: tables, max meetings, other meetings of either side
FROZEN = "frozen"  # late addition: only pairs with a newcomer may be added to a published schedule
REASONS = (DECLINED, NO_COMMON_SLOT, CAPACITY, FROZEN)

PID = Hashable


@dataclass(frozen=True)
class Participant:
    id: PID
    side: Side
    max_meetings: int | None = None  # None: the instance default (or one per slot)
    unavailable: frozenset[int] = frozenset()  # slot indices, including performer blocks
    needs_accessible: bool = False  # must sit at an accessible table


@dataclass(frozen=True)
class Slot:
    index: int
    start: datetime
    end: datetime
    tables: int  # tables open during this slot, numbered 1..tables


@dataclass(frozen=True)
class Wish:
    source: PID
    target: PID
    priority: int = WOULD_LIKE


@dataclass(frozen=True)
class Decline:
    source: PID
    target: PID


@dataclass(frozen=True)
class Meeting:
    """A meeting; as a pin the table may be left to the scheduler, a published meeting has one."""

    producer: PID
    buyer: PID
    slot: int
    table: int | None = None


def _default_priority_weights() -> Mapping[int, float]:
    return MappingProxyType({MUST: 3.0, WOULD_LIKE: 2.0, IF_POSSIBLE: 1.0})


@dataclass(frozen=True)
class Weights:
    """Weight of a pair = weight of the producer's wish + weight of the buyer's wish (+ bonus if both)."""

    priority: Mapping[int, float] = field(default_factory=_default_priority_weights)
    mutual_bonus: float = 2.0


@dataclass
class Instance:
    participants: Sequence[Participant]
    slots: Sequence[Slot]
    wishes: Sequence[Wish] = ()
    declines: Sequence[Decline] = ()
    pins: Sequence[Meeting] = ()
    published: Sequence[Meeting] = ()
    accessible_tables: frozenset[int] = frozenset()  # table numbers that are wheelchair accessible
    max_meetings: int | None = None  # default per participant; None: as many as slots
    weights: Weights = field(default_factory=Weights)

    def participant(self, pid: PID) -> Participant:
        for p in self.participants:
            if p.id == pid:
                return p
        raise KeyError(pid)


class ScheduleInputError(ValueError):
    """The instance is inconsistent (unknown ids, wishes within one side, conflicting pins...)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def blocked_slots(slots: Iterable[Slot], busy: Iterable[tuple[datetime, datetime]]) -> frozenset[int]:
    """Slots overlapping any busy interval (e.g. the participant performs in a showcase then)."""
    intervals = list(busy)
    return frozenset(s.index for s in slots if any(b0 < s.end and s.start < b1 for b0, b1 in intervals))


def validate(inst: Instance) -> list[str]:
    """Problems that make the instance unusable; an empty list means it can be scheduled."""
    problems: list[str] = []
    sides: dict[PID, str] = {}
    for p in inst.participants:
        if p.id in sides:
            problems.append(f"participant {p.id!r} appears twice")
        if p.side not in (PRODUCER, BUYER):
            problems.append(f"participant {p.id!r} has an unknown side {p.side!r}")
        if p.max_meetings is not None and p.max_meetings < 0:
            problems.append(f"participant {p.id!r} has a negative max_meetings")
        sides[p.id] = p.side
    slot_tables: dict[int, int] = {}
    for s in inst.slots:
        if s.index in slot_tables:
            problems.append(f"slot {s.index} appears twice")
        if s.tables < 0:
            problems.append(f"slot {s.index} has a negative table count")
        if s.end <= s.start:
            problems.append(f"slot {s.index} ends before it starts")
        slot_tables[s.index] = s.tables

    def pair_ok(a: PID, b: PID, what: str) -> bool:
        if a not in sides or b not in sides:
            problems.append(f"{what} {a!r} -> {b!r}: unknown participant")
            return False
        if sides[a] == sides[b]:
            problems.append(f"{what} {a!r} -> {b!r}: both are {sides[a]}s")
            return False
        return True

    seen_wish: set[tuple[PID, PID]] = set()
    for w in inst.wishes:
        if pair_ok(w.source, w.target, "wish"):
            if w.priority not in inst.weights.priority:
                problems.append(f"wish {w.source!r} -> {w.target!r}: unknown priority {w.priority!r}")
            if (w.source, w.target) in seen_wish:
                problems.append(f"wish {w.source!r} -> {w.target!r} appears twice")
            seen_wish.add((w.source, w.target))
    declined: set[frozenset[PID]] = set()
    for d in inst.declines:
        if pair_ok(d.source, d.target, "decline"):
            declined.add(frozenset((d.source, d.target)))

    busy: dict[tuple[PID, int], Meeting] = {}
    tables_used: dict[tuple[int, int], Meeting] = {}
    pairs: set[tuple[PID, PID]] = set()
    unavailable = {p.id: p.unavailable for p in inst.participants}
    for kind, meetings in (("published meeting", inst.published), ("pin", inst.pins)):
        for m in meetings:
            label = f"{kind} {m.producer!r} / {m.buyer!r} at slot {m.slot}"
            if not pair_ok(m.producer, m.buyer, kind):
                continue
            if sides[m.producer] != PRODUCER:
                problems.append(f"{label}: the first party must be the producer")
                continue
            if m.slot not in slot_tables:
                problems.append(f"{label}: unknown slot")
                continue
            if kind == "published meeting" and m.table is None:
                problems.append(f"{label}: a published meeting has a table")
            if m.table is not None and not 1 <= m.table <= slot_tables[m.slot]:
                problems.append(f"{label}: table {m.table} is not open in this slot")
            if frozenset((m.producer, m.buyer)) in declined:
                problems.append(f"{label}: the pair was declined")
            if (m.producer, m.buyer) in pairs:
                problems.append(f"{label}: the pair already meets")
            pairs.add((m.producer, m.buyer))
            for who in (m.producer, m.buyer):
                if m.slot in unavailable[who]:
                    problems.append(f"{label}: {who!r} is unavailable then")
                if (who, m.slot) in busy:
                    problems.append(f"{label}: {who!r} already has a meeting then")
                busy[(who, m.slot)] = m
            if m.table is not None:
                if (m.slot, m.table) in tables_used:
                    problems.append(f"{label}: table {m.table} is already taken")
                tables_used[(m.slot, m.table)] = m
    return problems
