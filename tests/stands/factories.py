"""Test data for the stands tests: an edition with a hall, member organisations, people."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from members.register import today
from members.tables import MembershipYear, Organisation, Person
from stands import floorplan, options
from tests.ticketing.factories import make_event


async def member(
    name: str, *, paid: bool = True, email: str | None = None, year: int | None = None
) -> tuple[Organisation, str]:
    """An organisation (dues of this year paid unless paid=False) and one of its people's email. In
    the last days of a year the fairs of the tests (fair_day) fall in the next one: that year is paid too,
    since a fair's support reads the standing on the fair's day."""
    slug = name.lower().replace(" ", "-")
    org = Organisation(
        name=name,
        college=2,
        email="",
        website=f"https://{slug}.example",
        description=f"{name} fait des images.",
    )
    await org.save()
    address = email or f"contact@{slug}.example"
    await Person(first_name="Alex", last_name=name, email=address, organisation=org.id).save()
    if paid:
        on = today()
        for paid_year in sorted({year or on.year} | ({fair_day().year} if year is None else set())):
            await MembershipYear(
                organisation=org.id,
                year=paid_year,
                dues_cents=22000,
                paid_on=on - timedelta(days=1) if on.day > 1 else on,
            ).save()
    return org, address


async def hall(
    *, stands: int = 5, members_only: bool = False, days: int = 60, **event_kw: Any
) -> dict[str, Any]:
    """A published MIMA edition with a 40 m × 25 m hall, one category (per m²: 50 €/m² member,
    80 €/m² non-member), `stands` stands of 3 m × 3 m in a row, and a power socket option (stock 3)."""
    event = await make_event(
        capacity=None,
        days=days,
        kind="mima",
        title="MIMA 2027",
        title_en="MIMA 2027",
        slug=event_kw.pop("slug", f"mima-{uuid.uuid4().hex[:6]}"),
        **event_kw,
    )
    await floorplan.save_plan(
        event.id, {"width_cm": 4000, "depth_cm": 2500, "grid_cm": 50, "members_only": members_only}
    )
    category = await floorplan.add_category(
        event.id,
        {
            "name": "Stand nu",
            "name_en": "Bare stand",
            "pricing": "per_m2",
            "member_price_cents": 5000,
            "non_member_price_cents": 8000,
            "badges_base": 2,
            "badges_per_m2": 9,
        },
    )
    ids = []
    for i in range(stands):
        row = await floorplan.save_stand(
            event.id,
            {
                "number": f"A{i + 1}",
                "category": category["id"],
                "x_cm": 100 + i * 350,
                "y_cm": 100,
                "width_cm": 300,
                "depth_cm": 300,
            },
        )
        ids.append(row["id"])
    socket = await options.save_option(
        event.id,
        {
            "code": "power",
            "name": "Prise électrique",
            "name_en": "Power socket",
            "price_cents": 4500,
            "stock": 3,
        },
    )
    return {"event": event, "category": category, "stands": ids, "socket": socket}


def fair_day(offset: int = 30) -> date:
    return today() + timedelta(days=offset)
