"""Shared builders for the events tests (they go through the real services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from events import services


async def semaphore() -> dict[str, Any]:
    return await services.create_venue(
        name="Le Sémaphore", address="Rue des Alouettes", postal_code="63118", city="Cébazat"
    )


async def mima_2027(**overrides: Any) -> dict[str, Any]:
    """MIMA 2027 at the Sémaphore, 25-26 March 2027 (before the DST change of 28 March)."""
    venue = overrides.pop("venue", None) or await semaphore()
    data: dict[str, Any] = {
        "title": "MIMA 2027",
        "title_en": "MIMA 2027 – Image and Music Market",
        "kind": "mima",
        "description": "Marché de l'Image et de la Musique en Auvergne",
        "venue_id": venue["id"],
        "starts_at": datetime(2027, 3, 25, 9, 0),
        "ends_at": datetime(2027, 3, 26, 19, 0),
        "capacity": 300,
        "edition_year": 2027,
    }
    data.update(overrides)
    return await services.create_event(**data)


async def person(first: str = "Anne", last: str = "Martin", organisation: str = "Studio Volcan") -> Any:
    from members.tables import Organisation, Person

    org = await Organisation.objects().where(Organisation.name == organisation).first()
    if org is None:
        org = Organisation(name=organisation, college=2)
        await org.save()
    p = Person(
        first_name=first, last_name=last, email=f"{first}.{last}@example.org".lower(), organisation=org.id
    )
    await p.save()
    return p
