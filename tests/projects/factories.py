"""Test data for the projects tests: member organisations and projects carried by them."""

from __future__ import annotations

from typing import Any

from members.register import today
from projects import records
from tests.stands.factories import member


async def two_members(prefix: str = "") -> list[int]:
    a, _ = await member(f"{prefix}Alpha Studio")
    b, _ = await member(f"{prefix}Beta Sons")
    return [a.id, b.id]


async def project(title: str = "Concert immersif", *, carriers: list[int] | None = None, **kw: Any):
    ids = carriers or await two_members(prefix=f"{title} ")
    data = {
        "title": title,
        "lead_name": "Camille Martin",
        "lead_email": "camille@alpha.example",
        "carriers": [{"organisation": i} for i in ids],
        "convention_on": today().isoformat(),
        **kw,
    }
    return (await records.create_project(data)).project
