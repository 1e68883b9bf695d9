"""Demo data of the stands domain: the MIMA 2027 hall (about 40 stands, some booked, some held, one shared,
one free partner stand) and a trade fair that three members go to. Everything goes through the services,
so the demo obeys the same rules as the site (prices by standing, stock, invoices)."""

from __future__ import annotations

from datetime import date, timedelta

from events.tables import Event
from lib.clock import local_today
from members.tables import Organisation, Person

ROWS = "ABCD"
PER_ROW = 10


async def _email(org_id: int) -> str:
    person = (
        await Person.select(Person.email).where(Person.organisation == org_id).order_by(Person.id).first()
    )
    return person["email"] if person else ""


async def load() -> str | None:
    """Nothing happens when MIMA 2027 is missing or already has its plan."""
    orgs = {row["name"]: row["id"] for row in await Organisation.select(Organisation.id, Organisation.name)}
    from stands import booking, floorplan, options, subsidies
    from stands.tables import FloorPlan

    event = await Event.objects().where(Event.slug == "mima-2027").first()
    if event is None or await FloorPlan.exists().where(FloorPlan.event == event.id):
        return None
    await floorplan.save_plan(
        event.id, {"width_cm": 4800, "depth_cm": 3000, "grid_cm": 50, "members_only": False}
    )
    bare = await floorplan.add_category(
        event.id,
        {
            "name": "Stand nu",
            "name_en": "Bare stand",
            "pricing": "per_m2",
            "member_price_cents": 4000,
            "non_member_price_cents": 7000,
            "badges_base": 2,
            "badges_per_m2": 9,
        },
    )
    fitted = await floorplan.add_category(
        event.id,
        {
            "name": "Stand équipé",
            "name_en": "Fitted stand",
            "pricing": "fixed",
            "member_price_cents": 45000,
            "non_member_price_cents": 80000,
            "badges_base": 2,
            "badges_per_m2": 9,
        },
    )
    for kind, label, x, y, w, d in (
        ("aisle", "Allée centrale", 0, 1300, 4800, 400),
        ("door", "Entrée", 2200, 2900, 400, 100),
        ("stage", "Scène showcases", 3900, 2000, 800, 900),
        ("pillar", "", 1900, 900, 50, 50),
        ("pillar", "", 1900, 1950, 50, 50),
    ):
        await floorplan.save_feature(
            event.id, {"kind": kind, "label": label, "x_cm": x, "y_cm": y, "width_cm": w, "depth_cm": d}
        )
    ids: dict[str, int] = {}
    for r, row in enumerate(ROWS):
        y = (100, 900, 1800, 2500)[r] if r < 4 else 0
        depth = 300 if row in "AD" else 250
        for i in range(PER_ROW):
            x = 100 + i * 360 + (120 if i >= 5 else 0)
            category = fitted["id"] if row == "B" else bare["id"]
            stand = await floorplan.save_stand(
                event.id,
                {
                    "number": f"{row}{i + 1}",
                    "category": category,
                    "x_cm": x,
                    "y_cm": y,
                    "width_cm": 300,
                    "depth_cm": depth,
                    "open_sides": "corner" if i in (0, PER_ROW - 1) else "row",
                },
            )
            ids[stand["number"]] = stand["id"]
    for code, name, name_en, price, stock in (
        ("power", "Prise électrique 3 kW", "Power socket 3 kW", 4500, 30),
        ("table", "Table supplémentaire", "Extra table", 2000, 20),
        ("chairs", "Lot de 2 chaises", "Pair of chairs", 1500, 40),
        ("screen", "Écran 55 pouces", "55-inch screen", 12000, 5),
        ("wifi", "Wi-Fi dédié", "Dedicated Wi-Fi", 3000, None),
    ):
        await options.save_option(
            event.id, {"code": code, "name": name, "name_en": name_en, "price_cents": price, "stock": stock}
        )
    socket = (
        await options.StandOption.select(options.StandOption.id)
        .where(options.StandOption.code == "power")
        .first()
    )["id"]

    booked = [
        "Volcans Films",
        "Label Volcanique",
        "Studio Gergovie",
        "Arverne Booking",
        "Puy de Sons Productions",
    ]
    for n, name in enumerate(booked):
        if name not in orgs:
            continue
        held = await booking.request_stand(
            event.id,
            ids[f"A{n + 1}"],
            email=await _email(orgs[name]),
            data={"options": [{"option": socket, "quantity": 1}]},
        )
        await booking.approve(held.id)
    for n, name in enumerate(
        ["Collectif Basalte", "Éditions Musicales du Dôme", "Institut Supérieur de l'Image et du Son"]
    ):
        if name in orgs:
            await booking.request_stand(
                event.id,
                ids[f"B{n + 1}"],
                email=await _email(orgs[name]),
                data={"note": "Showcase acoustique possible."},
            )
    sharers = [
        o
        for o in ("Laboratoire Arts & Usages Numériques", "Ville de Cébazat – Service culturel")
        if o in orgs
    ]
    if len(sharers) == 2:
        shared = await booking.request_stand(
            event.id,
            ids["D1"],
            email=await _email(orgs[sharers[0]]),
            data={"share_percent": 60, "co_exhibitors": [{"organisation": orgs[sharers[1]], "percent": 40}]},
        )
        await booking.approve(shared.id)
    partner = "Agence Culturelle Auvergne Volcans"
    if partner in orgs:
        await booking.assign(
            event.id,
            ids["C5"],
            {"organisation": orgs[partner], "free_of_charge": True, "note": "Partenaire"},
            staff_email="admin@ledamier.fr",
        )
    await floorplan.save_stand(event.id, {"unavailable": True}, ids["C10"])

    today = local_today()
    start = min(today + timedelta(days=10), date(today.year, 12, 20))
    fair = await subsidies.save_fair(
        {
            "name": "Rencontres professionnelles des musiques actuelles",
            "place": "Paris, La Villette",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=2)).isoformat(),
            "accreditation_cents": 75000,
            "shared_stand_cents": 240000,
        }
    )
    going = [o for o in ("Label Volcanique", "Arverne Booking", "Festival Nuits Arvernes") if o in orgs]
    for i, name in enumerate(going):
        await subsidies.declare(
            fair.id, organisation_id=orgs[name], shares_stand=i < 2, declared_by="admin@ledamier.fr"
        )
    support = await subsidies.fair_support(fair.id)
    return (
        f"Stands MIMA 2027: {len(ids)} stands (/stands/{event.id}, staff: /staff/stands/{event.id}); "
        f"trade fair with {len(going)} members going, cluster support {support.total_subsidy_cents / 100:.2f} €."
    )
