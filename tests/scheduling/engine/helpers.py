"""Small builders for scheduling instances in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scheduling.engine.model import BUYER, PRODUCER, Participant, Slot

START = datetime(2025, 10, 9, 8, 0, tzinfo=UTC)


def slots(count: int, tables: int | list[int] = 1) -> list[Slot]:
    per = tables if isinstance(tables, list) else [tables] * count
    return [
        Slot(i, START + timedelta(minutes=20 * i), START + timedelta(minutes=20 * (i + 1)), per[i])
        for i in range(count)
    ]


def producer(pid: str, **kw) -> Participant:
    return Participant(pid, PRODUCER, **kw)


def buyer(pid: str, **kw) -> Participant:
    return Participant(pid, BUYER, **kw)


def pairs(schedule) -> set[tuple[str, str]]:
    return {(m.producer, m.buyer) for m in schedule.meetings}


def reasons(schedule) -> dict[tuple[str, str], str]:
    return {(u.source, u.target): u.reason for u in schedule.unmet}
