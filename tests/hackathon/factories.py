"""Test data for the hackathon tests: a Culture Experience Days edition and its participants."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from hackathon import editions, registration
from hackathon.tables import Edition
from tests.ticketing.factories import make_event

ROLE_CYCLE = ("artist", "developer", "designer", "researcher", "technician")


async def edition(capacity: int = 40, **settings: Any) -> Edition:
    event = await make_event(
        capacity=None,
        days=settings.pop("days", 30),
        kind="ced",
        title="Culture Experience Days 2027",
        title_en="Culture Experience Days 2027",
        slug=f"ced-{uuid.uuid4().hex[:6]}",
    )
    data: dict[str, Any] = {
        "theme": "Nouvelles interactions publics/artistes",
        "capacity": capacity,
        **settings,
    }
    if "submission_deadline" not in data:
        data["submission_deadline"] = event.starts_at + timedelta(days=2)
    return await editions.create_edition(event.id, data)


async def register(ed: Edition, i: int, **kw: Any) -> registration.Registered:
    data = {
        "name": kw.pop("name", f"Personne {i:03d}"),
        "email": kw.pop("email", f"p{i:03d}@example.org"),
        "role": kw.pop("role", ROLE_CYCLE[i % len(ROLE_CYCLE)]),
        "skills": kw.pop("skills", "son, vidéo" if i % 2 else "python, design"),
        **kw,
    }
    return await registration.register(ed.id, data)
