"""The year's figures at ten years of scale: the staff dashboard and the yearly activity report PDF.

    .venv/bin/python bench/report.py                      # SQLite in a temporary directory
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/report.py

It migrates a fresh database (WARNING: on PostgreSQL the public schema is dropped and recreated) and
generates ten years of a cluster of 60 member organisations: ~300 published events, 40,000 sold tickets,
30,000 check-ins at the door, ten MIMA speed-meetings with 5,000 meetings, their reports and 500 deals,
a stand hall per MIMA, trade fairs, calls for films, accompanied projects and the dues of every year
(bulk inserts, as the tables store them). Then, through the real app (Litestar's test client, a staff
member signed in), it times GET /staff/figures for the last year and GET /staff/figures/report.pdf;
the sign-in form page (/auth/link: the layout, middleware and session, no data) is the reference measured in
the same run, and the staff home page (/staff) is timed beside it. Targets: dashboard <= 300 ms,
PDF <= 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from bench.stands import migrate, reset_postgres  # noqa: E402

FIRST_YEAR = 2017
YEARS = 10
CHUNK = 500


def setup_env() -> None:
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    os.environ.setdefault("VAR_DIR", str(tmp / "var"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    # DB_POOL=1: with PostgreSQL, a pool, as `serve` has (without it each statement opens a connection)
    os.environ.update(
        {"DB_POOL": "1", "EMBEDDED_WORKER": "0", "SMTP_URL": "", "BASE_URL": "http://bench.local"}
    )


async def insert(table, rows: list) -> list[int]:  # type: ignore[no-untyped-def]
    ids: list[int] = []
    for i in range(0, len(rows), CHUNK):
        done = await table.insert(*rows[i : i + CHUNK]).returning(table.id)
        ids += [r["id"] for r in done]
    return ids


async def generate(
    events_per_year: int, tickets: int, checkins: int, meetings: int, deals: int
) -> dict[str, int]:
    from checkin.tables import CheckIn
    from commissions.tables import Commission
    from dues.tables import DuesCall
    from events.tables import Event
    from juries.tables import Call, Entry
    from members.tables import MembershipYear, Organisation, Person
    from projects.tables import ExpertCost, HoursEntry, Project, ProjectBill
    from scheduling.tables import Meeting, MeetingProgramme, MeetingReport, Participant
    from stands.tables import (
        Booking,
        BookingShare,
        FloorPlan,
        Stand,
        StandCategory,
        TradeFair,
        TradeFairParticipant,
    )
    from ticketing.tables import Order, Ticket, TicketType

    rng = random.Random(2027)
    bands = ("lt20k", "20k-60k", "60k-250k", "gt250k")
    dues = dict(zip(bands, (22000, 27000, 31000, 35000), strict=True))
    orgs = [
        Organisation(
            name=f"Membre {i:02d}", college=1 + i % 5, revenue_band=bands[i % 4], email_domain=f"m{i}.example"
        )
        for i in range(60)
    ]
    org_ids = await insert(Organisation, orgs)
    years = list(range(FIRST_YEAR, FIRST_YEAR + YEARS))
    await insert(
        MembershipYear,
        [
            MembershipYear(organisation=o, year=y, dues_cents=dues[bands[i % 4]], paid_on=date(y, 3, 1))
            for y in years
            for i, o in enumerate(org_ids)
            if rng.random() < 0.85
        ],
    )
    await insert(
        DuesCall,
        [
            DuesCall(
                organisation=o,
                year=y,
                revenue_band=bands[i % 4],
                amount_ht_cents=dues[bands[i % 4]],
                vat_cents=dues[bands[i % 4]] // 5,
                amount_ttc_cents=dues[bands[i % 4]] * 6 // 5,
                paid_at=datetime(y, 3, 1, tzinfo=UTC) if rng.random() < 0.85 else None,
            )
            for y in years
            for i, o in enumerate(org_ids)
        ],
    )
    kinds = ("cles", "training", "breakfast", "networking", "thematic_meeting", "general_assembly")
    events = []
    for y in years:
        for n in range(events_per_year):
            kind = "mima" if n == 0 else ("court_dici" if n == 1 else kinds[n % len(kinds)])
            start = datetime(y, 1 + n * 11 // events_per_year, 10 + n % 15, 9, tzinfo=UTC)
            title = {"mima": f"MIMA {y}", "court_dici": f"Le Court d'Ici {y}"}.get(
                kind, f"Rencontre {y}-{n:02d}"
            )
            events.append(
                Event(
                    slug=f"e-{y}-{n}",
                    kind=kind,
                    title=title,
                    starts_at=start,
                    ends_at=start + timedelta(hours=6),
                    status="published",
                    uid=uuid.uuid4().hex,
                    edition_year=y,
                )
            )
    event_ids = await insert(Event, events)
    mimas = [event_ids[i * events_per_year] for i in range(YEARS)]
    types = await insert(
        TicketType, [TicketType(event=e, name="Plein tarif", price_cents=2000) for e in event_ids]
    )
    per_event = tickets // len(event_ids)
    orders, order_events = [], []
    for e in event_ids:
        for k in range(per_event // 2):
            orders.append(
                Order(
                    token=uuid.uuid4().hex,
                    event=e,
                    buyer_name="B",
                    buyer_email=f"b{k}@x.example",
                    status="confirmed",
                    total_ht_cents=4000,
                )
            )
            order_events.append(e)
    order_ids = await insert(Order, orders)
    type_of = dict(zip(event_ids, types, strict=True))
    ticket_rows = []
    for o, e in zip(order_ids, order_events, strict=True):
        for _k in range(2):
            ticket_rows.append(
                Ticket(
                    public_id=uuid.uuid4().hex[:16],
                    order=o,
                    event=e,
                    ticket_type=type_of[e],
                    attendee_name="A",
                    price_ht_cents=rng.choice((0, 2000)),
                    status="valid",
                )
            )
    ticket_ids = await insert(Ticket, ticket_rows)
    ticket_event = {t: r.event for t, r in zip(ticket_ids, ticket_rows, strict=True)}
    admitted = rng.sample(ticket_ids, min(checkins, len(ticket_ids)))
    now = datetime.now(UTC)
    await insert(
        CheckIn,
        [
            CheckIn(
                ticket=t,
                event=ticket_event[t],
                session_key=0,
                scan_id=uuid.uuid4().hex,
                scanned_at=now,
                status="ok",
            )
            for t in admitted
        ],
    )
    # Speed-meetings: one programme per MIMA, 25 producers and 25 buyers, the meetings, their reports, deals.
    per_mima, deals_per = meetings // YEARS, deals // YEARS
    people = await insert(
        Person,
        [
            Person(first_name="P", last_name=str(i), email=f"p{i}@x.example", organisation=org_ids[i % 60])
            for i in range(50)
        ],
    )
    meeting_total = deal_total = 0
    for e in mimas:
        [prog] = await insert(MeetingProgramme, [MeetingProgramme(event=e, status="published")])
        parts = await insert(
            Participant,
            [
                Participant(programme=prog, person=p, side="producer" if i < 25 else "buyer")
                for i, p in enumerate(people)
            ],
        )
        start = next(ev.starts_at for ev, i in zip(events, event_ids, strict=True) if i == e)
        rows = [
            Meeting(
                programme=prog,
                producer=parts[k % 25],
                buyer=parts[25 + (k // 25) % 25],
                starts_at=start + timedelta(minutes=20 * (k % 20)),
                ends_at=start,
                table_number=k % 25,
                published=True,
                uid=uuid.uuid4().hex,
            )
            for k in range(per_mima)
        ]
        m_ids = await insert(Meeting, rows)
        reports, commissions = [], []
        for k, m in enumerate(m_ids):
            deal = k < deals_per
            reports.append(
                MeetingReport(
                    meeting=m,
                    participant=rows[k].producer,
                    took_place=k % 10 != 9,
                    deal=deal,
                    deal_nature="Date" if deal else "",
                    amount_cents=150000 if deal else None,
                )
            )
            if deal:
                commissions.append(
                    Commission(
                        programme=prog,
                        meeting=m,
                        organisation=org_ids[k % 60],
                        amount_cents=150000,
                        rate_bp=1000,
                        commission_cents=15000,
                        won_on=start.date(),
                        status="confirmed" if k % 2 else "expected",
                    )
                )
        await insert(MeetingReport, reports)
        await insert(Commission, commissions)
        meeting_total += len(m_ids)
        deal_total += len(commissions)
        [plan] = await insert(FloorPlan, [FloorPlan(event=e)])
        [cat] = await insert(StandCategory, [StandCategory(plan=plan, name="Stand", member_price_cents=5000)])
        stands = await insert(
            Stand, [Stand(plan=plan, category=cat, number=f"A{i}", status="booked") for i in range(30)]
        )
        bookings = await insert(Booking, [Booking(stand=s, event=e, status="approved") for s in stands])
        await insert(
            BookingShare,
            [
                BookingShare(
                    booking=b, organisation=org_ids[i], name="M", email="m@x.example", amount_ht_cents=45000
                )
                for i, b in enumerate(bookings)
            ],
        )
    for y in years:
        for f in range(2):
            [fair] = await insert(
                TradeFair,
                [
                    TradeFair(
                        name=f"Salon {y}-{f}",
                        starts_on=date(y, 6, 10 + f),
                        ends_on=date(y, 6, 12 + f),
                        accreditation_cents=40000,
                    )
                ],
            )
            await insert(
                TradeFairParticipant,
                [TradeFairParticipant(fair=fair, organisation=org_ids[(f * 7 + k) % 60]) for k in range(5)],
            )
        [call] = await insert(
            Call,
            [
                Call(
                    slug=f"court-{y}",
                    title=f"Le Court d'Ici {y}",
                    edition_year=y,
                    event=event_ids[years.index(y) * events_per_year + 1],
                    opens_at=datetime(y, 1, 1, tzinfo=UTC),
                    deadline=datetime(y, 1, 20, tzinfo=UTC),
                )
            ],
        )
        await insert(
            Entry,
            [
                Entry(
                    call=call,
                    submitter_email="s@x.example",
                    title=f"Film {k}",
                    runtime_seconds=600,
                    year=y,
                    status="selected" if k < 8 else "not_selected",
                )
                for k in range(30)
            ],
        )
        projects = await insert(
            Project,
            [
                Project(
                    title=f"Projet {y}-{k}",
                    status="active",
                    convention_on=date(y, 2, 1),
                    ends_on=date(y + 2, 1, 31),
                )
                for k in range(2)
            ],
        )
        for p in projects:
            await insert(
                HoursEntry,
                [
                    HoursEntry(project=p, worked_on=date(y, 1 + m, 5), who="Staff", minutes=240)
                    for m in range(12)
                ],
            )
            await insert(
                ExpertCost,
                [
                    ExpertCost(
                        project=p,
                        expert="X",
                        invoiced_on=date(y, 5, 1),
                        amount_ht_cents=200000,
                        covered_cents=100000,
                    )
                ],
            )
            await insert(
                ProjectBill,
                [
                    ProjectBill(
                        project=p,
                        total_minutes=2880,
                        rate_cents=3000,
                        whole_ht_cents=144000,
                        amount_ht_cents=144000,
                        created_at=datetime(y, 12, 1, tzinfo=UTC),
                    )
                ],
            )
    return {
        "events": len(event_ids),
        "tickets": len(ticket_ids),
        "checkins": len(admitted),
        "meetings": meeting_total,
        "deals": deal_total,
    }


def timed(client, url: str, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    client.get(url)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "bytes": len(r.content),
    }


def measure(year: int, runs: int, pdf_runs: int) -> dict[str, dict[str, float]]:
    from litestar.testing import TestClient

    from accounts.services import create_staff_user
    from server.app import create_app

    # Not tests.auth: importing the tests' conftest would drop DATABASE_URL (it picks the test backend).
    password = "bench horse battery staple"
    asyncio.run(create_staff_user(email="bench@ledamier.test", name="Bench", password=password, role="staff"))
    with TestClient(app=create_app(), base_url="http://bench.local") as client:
        client.get("/auth/login")
        token = client.cookies.get("csrftoken") or ""
        r = client.post(
            "/auth/login",
            data={"email": "bench@ledamier.test", "password": password},
            headers={"x-csrftoken": token},
            follow_redirects=False,
        )
        assert r.status_code in (302, 303), r.text[:300]
        return {
            "reference": timed(client, "/auth/link", runs),
            "staff home": timed(client, "/staff", runs),
            "dashboard": timed(client, f"/staff/figures?year={year}", runs),
            "pdf": timed(client, f"/staff/figures/report.pdf?year={year}", pdf_runs),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events-per-year", type=int, default=30)
    parser.add_argument("--tickets", type=int, default=40000)
    parser.add_argument("--checkins", type=int, default=30000)
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--deals", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pdf-runs", type=int, default=5)
    args = parser.parse_args()
    setup_env()
    if os.environ.get("DATABASE_URL"):
        asyncio.run(reset_postgres(os.environ["DATABASE_URL"]))
    migrate()
    start = time.perf_counter()
    counts = asyncio.run(
        generate(args.events_per_year, args.tickets, args.checkins, args.meetings, args.deals)
    )
    print(f"generated in {time.perf_counter() - start:.0f} s: {counts}")
    year = FIRST_YEAR + YEARS - 1
    result = measure(year, args.runs, args.pdf_runs)
    for name, r in result.items():
        print(f"{name}: median {r['median']:.0f} ms, p95 {r['p95']:.0f} ms, {r['bytes'] / 1000:.0f} KB")
    print(f"backend: {'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}; {describe()}")


if __name__ == "__main__":
    main()
