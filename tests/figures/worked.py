"""A worked year for the figures tests, built through the domains' own functions (register, dues,
ticketing tables as the check-in tests write them, door check-in, speed-meetings, stands, trade fairs,
calls for films, projects), with the figures computed by hand beside it (EXPECTED)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from checkin import services as door
from commissions.tables import Commission
from dues import calls as dues
from dues.tables import DuesCall
from juries import calls as jury_calls
from juries import submissions
from juries.tables import Entry
from members import register, standing
from projects import billing, experts, hours, records
from scheduling import agenda, deals, planning
from scheduling import services as meetings
from scheduling.tables import Participant
from stands import booking, floorplan, subsidies
from tests.juries.helpers import call_body, film
from tests.ticketing.factories import make_event, make_type
from ticketing.tables import Order, Ticket

YEAR = register.today().year

# Hand-computed from the data below.
EXPECTED: dict[str, dict[str, int]] = {
    # Three organisations paid YEAR (one of them through the dues call), one did not.
    "members": {"members": 3, "dues_called": 4, "dues_paid": 1, "dues_paid_ht": 35000},
    # MIMA: 4 sold (20 € HT each), 3 checked in; Clés: 2 sold (free), 1 checked in; the draft event is not held.
    "events": {
        "events": 2,
        "tickets": 6,
        "admitted": 4,
        "no_shows": 2,
        "attendance": 6667,
        "ticket_revenue": 8000,
    },
    # 4 meetings: 2 held with deals (1,500 € and 400 €), 1 no-show, 1 unreported.
    "meetings": {"meetings": 4, "held": 2, "no_shows": 1, "deals": 2, "deal_amount": 190000},
    # A 9 m² member stand at 50 €/m², a free stand; a fair of 400 € accreditation: 2 members get 200 € each.
    "stands": {
        "booked": 2,
        "revenue": 45000,
        "fairs": 1,
        "fair_structures": 2,
        "fair_subsidies": 40000,
    },
    # 3 films submitted, 1 withdrawn after (not counted), 1 selected.
    "films": {"submitted": 2, "selected": 1},
    # 12 h 30 of support at 35 €/h = 437.50 €; an expert's 1,000 € invoice, half covered.
    "projects": {
        "accompanied": 1,
        "hours": 750,
        "billed": 43750,
        "expert_costs": 100000,
        "expert_covered": 50000,
    },
    # 150 € proposed (10 % of 1,500 €), 48 € confirmed (400 € at a raised 12 %).
    "commissions": {"deals": 2, "proposed": 15000, "confirmed": 4800},
    # In: tickets 80 + stands 450 + dues 350 + support 437.50 + commissions 48; out: fair 400 + experts 500.
    "money": {"in": 136550, "out": 90000, "balance": 46550},
}


async def organisation(name: str, college: int, band: str, domain: str, paid: bool) -> Any:
    org = await register.create_organisation(
        name=name, college=college, revenue_band=band, email=f"contact@{domain}", email_domain=domain
    )
    if paid:
        await standing.record_membership_payment(org.id, YEAR, register.today())
    return org


async def sold_ticket(
    event: Any,
    ttype: Any,
    name: str,
    *,
    price: int,
    order_status: str = "confirmed",
    ticket_status: str = "valid",
) -> Ticket:
    order = Order(
        token=secrets.token_urlsafe(16),
        event=event.id,
        buyer_name=name,
        buyer_email=f"{name.split()[0].lower()}@example.org",
        status=order_status,
        total_ht_cents=price,
    )
    await order.save()
    ticket = Ticket(
        public_id=secrets.token_hex(8),
        order=order.id,
        event=event.id,
        ticket_type=ttype.id,
        attendee_name=name,
        attendee_email=f"{name.split()[0].lower()}@example.org",
        price_ht_cents=price,
        status=ticket_status,
    )
    await ticket.save()
    return ticket


async def check_in(event: Any, ticket: Ticket, device: Any) -> str:
    scan = door.Scan(event_id=event.id, device_id=device.id, door="Entrée")
    result = await door.redeem(scan, scan_id=secrets.token_hex(8), ticket_id=ticket.id)
    return result["status"]


async def build() -> dict[str, Any]:
    label = await organisation("Label Auvergne", 1, "gt250k", "label-auvergne.fr", paid=False)
    studio = await organisation("Studio Volcan", 2, "lt20k", "studio-volcan.fr", paid=True)
    await organisation("Atelier Puy", 2, "20k-60k", "atelier-puy.fr", paid=True)
    loner = await organisation("Sans Cotisation", 3, "lt20k", "sans-cotisation.fr", paid=False)
    await dues.call_year(YEAR)  # four invoices
    label_call = await DuesCall.objects().where(DuesCall.organisation == label.id).first()
    await dues.mark_paid(label_call.id, "transfer")  # 350 € HT: Label Auvergne is now in good standing

    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=5)
    mima = await make_event(capacity=None, days=0, kind="mima", title=f"MIMA {YEAR}", title_en=f"MIMA {YEAR}")
    await (
        type(mima)
        .update({type(mima).starts_at: start, type(mima).ends_at: start + timedelta(hours=8)})
        .where(type(mima).id == mima.id)
    )
    cles = await make_event(capacity=None, days=0, title="Les Clés : lever des fonds")
    draft = await make_event(capacity=None, days=0, status="draft", title="Brouillon")

    full = await make_type(mima, "Plein tarif", 2000)
    sold = [await sold_ticket(mima, full, f"Visiteur{i} Test", price=2000) for i in range(4)]
    await sold_ticket(mima, full, "Annulé Commande", price=2000, order_status="cancelled")
    refused = await sold_ticket(mima, full, "Annulé Billet", price=2000, ticket_status="cancelled")
    mima_door, _token = await door.authorise_device(mima.id, "Téléphone 1", "Entrée")
    statuses = [await check_in(mima, t, mima_door) for t in sold[:3]]
    statuses.append(await check_in(mima, sold[0], mima_door))  # scanned twice: counts once
    statuses.append(await check_in(mima, refused, mima_door))  # a cancelled ticket is not admitted
    free = await make_type(cles, "Membre", 0)
    workshop = [await sold_ticket(cles, free, f"Membre{i} Test", price=0) for i in range(2)]
    cles_door, _token = await door.authorise_device(cles.id, "Téléphone 2", "Salle")
    statuses.append(await check_in(cles, workshop[0], cles_door))
    other_type = await make_type(draft, "Plein tarif", 2000)
    await sold_ticket(draft, other_type, "Brouillon Test", price=2000)

    prog = await meetings.create_programme(mima.id, tables=3, meeting_minutes=20, accessible_tables="1")
    await meetings.add_day(prog.id, start, start + timedelta(minutes=80))
    p1 = await meetings.add_participant(
        prog.id,
        email="anne@studio-volcan.fr",
        side="producer",
        first_name="Anne",
        last_name="Prod",
        organisation_name="Studio Volcan",
    )
    p2 = await meetings.add_participant(
        prog.id,
        email="paul@label-auvergne.fr",
        side="producer",
        first_name="Paul",
        last_name="Prod",
        organisation_name="Label Auvergne",
    )
    b1 = await meetings.add_participant(
        prog.id,
        email="bea@festival.example",
        side="buyer",
        first_name="Bea",
        last_name="Buyer",
        organisation_name="Festival Été",
    )
    b2 = await meetings.add_participant(
        prog.id,
        email="bob@mediatheque.example",
        side="buyer",
        first_name="Bob",
        last_name="Buyer",
        organisation_name="Médiathèque",
    )
    slot = [start + timedelta(minutes=20 * i) for i in range(4)]
    m11 = await planning.pin_pair(prog.id, p1.id, b1.id, slot[0])
    m12 = await planning.pin_pair(prog.id, p1.id, b2.id, slot[1])
    m21 = await planning.pin_pair(prog.id, p2.id, b1.id, slot[1])
    await planning.pin_pair(prog.id, p2.id, b2.id, slot[2])
    await agenda.publish(prog.id)
    later = start + timedelta(hours=3)
    await deals.report(m11.id, p1, True, True, "Date de concert", "1 500", now=later)
    await deals.report(m12.id, b2, False, now=later)
    await deals.report(m21.id, b1, True, now=later)
    await deals.report(m21.id, p2, True, True, "Résidence", "400", now=later)
    confirmed = await Commission.objects().where(Commission.meeting == m21.id).first()
    await deals.confirm(confirmed.id, rate_bp=1200, rate_reason="Coordination forte de la résidence")

    await floorplan.save_plan(mima.id, {"width_cm": 4000, "depth_cm": 2500, "grid_cm": 50})
    category = await floorplan.add_category(
        mima.id,
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
    stand_ids = []
    for i in range(3):
        row = await floorplan.save_stand(
            mima.id,
            {
                "number": f"A{i + 1}",
                "category": category["id"],
                "x_cm": 100 + i * 350,
                "y_cm": 100,
                "width_cm": 300,
                "depth_cm": 300,
            },
        )
        stand_ids.append(row["id"])
    await booking.assign(mima.id, stand_ids[0], {"organisation": label.id}, staff_email="staff@ledamier.test")
    await booking.assign(
        mima.id,
        stand_ids[1],
        {"organisation": studio.id, "free_of_charge": True},
        staff_email="staff@ledamier.test",
    )
    held = await booking.request_stand(mima.id, stand_ids[2], email="contact@sans-cotisation.fr", data={})
    assert held.status == "held"  # not confirmed: not counted

    fair = await subsidies.save_fair(
        {
            "name": "MaMA Festival",
            "place": "Paris",
            "starts_on": register.today().isoformat(),
            "ends_on": register.today().isoformat(),
            "accreditation_cents": 40000,
        }
    )
    for org in (label, studio, loner):
        await subsidies.declare(fair.id, organisation_id=org.id)

    call = await jury_calls.create_call(call_body(edition_year=YEAR, max_entries_per_organisation=3))
    entries = [
        await submissions.submit_entry(call.id, "anne@studio-volcan.fr", film(f"Film {i}")) for i in range(3)
    ]
    # The selection itself is the juries' rounds (tested there): here only its outcome matters.
    await Entry.update({Entry.status: "selected"}).where(Entry.id == entries[0].id)
    await Entry.update({Entry.status: "withdrawn"}).where(Entry.id == entries[2].id)

    created = await records.create_project(
        {
            "title": "Concert immersif",
            "lead_name": "Camille Martin",
            "lead_email": "camille@studio-volcan.fr",
            "carriers": [{"organisation": label.id}, {"organisation": studio.id}],
            "convention_on": register.today().isoformat(),
        }
    )
    project = created.project
    today = register.today().isoformat()
    await hours.log_hours(project.id, {"worked_on": today, "who": "Directrice", "hours": "10"})
    await hours.log_hours(project.id, {"worked_on": today, "who": "Chargé", "hours": "2.5"})
    await billing.bill_project(project.id)
    await experts.record(project.id, {"expert": "Cabinet Son", "invoiced_on": today, "amount_eur": "1000"})
    return {
        "mima": mima.id,
        "cles": cles.id,
        "draft": draft.id,
        "statuses": statuses,
        "programme": prog.id,
        "participants": [p.id for p in (p1, p2, b1, b2)],
        "project": project.id,
        "fair": fair.id,
        "Participant": Participant,
    }
