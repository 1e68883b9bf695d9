"""The "at most 4 projects at once" rule under a race (SQLite and PostgreSQL): with 3 active, two
concurrent creations → exactly one is accompanied, the other refused and nothing of it written."""

from __future__ import annotations

import asyncio

from lib.errors import Conflict
from projects import records
from projects.tables import Project
from tests.projects.factories import project, two_members


async def _create(title: str, ids: list[int]) -> str:
    try:
        await records.create_project(
            {
                "title": title,
                "lead_name": "Camille",
                "lead_email": "camille@alpha.example",
                "carriers": [{"organisation": i} for i in ids],
            }
        )
    except Conflict as exc:
        return f"refused: {exc}"
    return "accompanied"


async def test_two_creations_when_three_are_active_give_exactly_one_fourth():
    ids = await two_members()
    for n in range(3):
        await project(f"Projet {n}", carriers=ids)
    results = await asyncio.gather(_create("Quatrième A", ids), _create("Quatrième B", ids))
    assert sorted(r.split(":")[0] for r in results) == ["accompanied", "refused"], results
    assert await Project.count().where(Project.status == "active") == 4
    assert await Project.count() == 4  # the refused one left nothing behind


async def test_eight_concurrent_creations_from_empty_give_exactly_four():
    ids = await two_members()
    results = await asyncio.gather(*[_create(f"Projet {n}", ids) for n in range(8)])
    assert results.count("accompanied") == 4
    assert await Project.count().where(Project.status == "active") == 4
