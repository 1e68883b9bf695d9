"""The demo data of `make run`: what it creates, through the real services, and that it is idempotent."""

from __future__ import annotations

import stat
from datetime import timedelta

from events.tables import Event, Room, Session, SessionPerson, Venue
from lib.tables import OutboxJob
from members.standing import is_member_in_good_standing
from members.tables import MembershipYear, Organisation, Person
from scheduling import planning
from scheduling import services as meetings
from scheduling.tables import Meeting, MeetingProgramme, Participant, Wish
from server import demo
from tests.conftest import post


async def counts() -> dict[str, int]:
    return {
        "events": await Event.count(),
        "sessions": await Session.count(),
        "speakers": await SessionPerson.count(),
        "organisations": await Organisation.count(),
        "people": await Person.count(),
        "years": await MembershipYear.count(),
        "venues": await Venue.count(),
        "rooms": await Room.count(),
        "programmes": await MeetingProgramme.count(),
        "participants": await Participant.count(),
        "wishes": await Wish.count(),
    }


async def sessions_of(slug: str) -> list[dict]:
    event = await Event.select(Event.id).where(Event.slug == slug).first()
    return await Session.select().where(Session.event == event["id"]).order_by(Session.starts_at)


async def test_demo_creates_the_events_of_the_issue():
    summary = await demo.load(if_empty=True)
    assert "Demo data loaded" in summary

    events = {e["slug"]: e for e in await Event.select()}
    for slug in (
        "mima-2027",
        "le-court-dici-2027",
        "cles-pour-reussir-lever-des-fonds-2027",
        "cles-pour-reussir-valoriser-son-stand-2027",
        "culture-experience-days-2027",
        "assemblee-generale-2027",
    ):
        assert events[slug]["status"] == "published", slug
        assert events[slug]["title_en"], slug
    assert {e["kind"] for e in events.values()} >= {"mima", "court_dici", "cles", "ced", "general_assembly"}
    assert sum(1 for e in events.values() if e["kind"] == "cles") == 2
    assert events["petit-dejeuner-adherents-2027-01"]["status"] == "draft"

    # MIMA 2027: a full programme in rooms, with speakers/performers from member organisations
    mima = await sessions_of("mima-2027")
    assert {s["kind"] for s in mima} >= {
        "showcase",
        "screening",
        "round_table",
        "speed_meeting",
        "networking",
    }
    assert all(s["room"] for s in mima)
    linked = await SessionPerson.select(
        SessionPerson.role, SessionPerson.person.organisation.name.as_alias("org")
    ).where(SessionPerson.session.is_in([s["id"] for s in mima]))
    assert {row["role"] for row in linked} >= {"speaker", "performer", "moderator"}
    assert sum(1 for row in linked if row["org"]) >= 10

    # Le Court d'Ici: about 100 minutes of screenings
    court = await sessions_of("le-court-dici-2027")
    assert {s["kind"] for s in court} == {"screening"}
    assert court[-1]["ends_at"] - court[0]["starts_at"] == timedelta(minutes=100)

    # Les Clés pour réussir: half-day workshops
    for slug in ("cles-pour-reussir-lever-des-fonds-2027", "cles-pour-reussir-valoriser-son-stand-2027"):
        assert events[slug]["ends_at"] - events[slug]["starts_at"] <= timedelta(hours=4)
        assert {s["kind"] for s in await sessions_of(slug)} == {"workshop"}

    # Culture Experience Days: a launch evening then three days of hackathon phases
    ced = await sessions_of("culture-experience-days-2027")
    assert sum(1 for s in ced if s["kind"] == "hackathon_phase") >= 3
    days = {s["starts_at"].astimezone(demo.PARIS).date() for s in ced}
    assert len(days) == 4
    assert ced[0]["starts_at"].astimezone(demo.PARIS).hour >= 18  # the launch evening comes first

    # About 20 member organisations over the 5 colleges and 4 revenue bands, with people and paid years
    orgs = await Organisation.select()
    assert 18 <= len(orgs) <= 25
    assert {o["college"] for o in orgs} == {1, 2, 3, 4, 5}
    assert {o["revenue_band"] for o in orgs} == {"lt20k", "20k-60k", "60k-250k", "gt250k"}
    with_people = {p["organisation"] for p in await Person.select(Person.organisation)}
    assert all(o["id"] in with_people for o in orgs)
    paid = await MembershipYear.select().where(MembershipYear.paid_on.is_not_null())
    assert {y["organisation"] for y in paid} == {o["id"] for o in orgs}
    assert {y["dues_cents"] for y in paid} == {22000, 27000, 31000, 35000}

    # Venues with addresses
    venues = {v["name"]: v for v in await Venue.select()}
    assert venues["Epicentre Factory"]["address"] == "5 rue Saint-Dominique"
    assert venues["Sémaphore"]["city"] == venues["pôle imagO"]["city"] == "Cébazat"

    # Its history's emails and documents (orders, stand and dues invoices) are recorded, never sent
    jobs = await OutboxJob.select(OutboxJob.actor, OutboxJob.status)
    assert {j["actor"] for j in jobs} >= {"ticketing.order_email", "dues.email", "stands.document_email"}
    assert {j["status"] for j in jobs} == {"skipped"}


async def test_demo_is_idempotent():
    await demo.load(if_empty=True)
    before = await counts()
    again = await demo.load(if_empty=True)
    assert "not loaded" in again
    assert await counts() == before
    # even without --if-empty nothing is duplicated
    await demo.load(if_empty=False)
    assert await counts() == before


async def test_demo_prints_a_working_staff_login(client):
    summary = await demo.load(if_empty=True)
    password_file = demo.password_file()
    password = password_file.read_text().strip()
    assert len(password) >= 12
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert f"{demo.DEMO_ADMIN_EMAIL} / {password}" in summary
    # the same password is kept on the next run (and printed again)
    assert password in await demo.load(if_empty=True)
    r = post(
        client,
        "/auth/login",
        data={"email": demo.DEMO_ADMIN_EMAIL, "password": password},
        follow_redirects=False,
    )
    assert r.status_code in (302, 303), r.text[:300]
    r = post(client, "/auth/login", data={"email": demo.DEMO_ADMIN_EMAIL, "password": "wrong password!"})
    assert r.status_code >= 400


async def test_demo_pages_are_served(demo_data, client):  # noqa: ARG001
    r = client.get("/events")
    assert "MIMA 2027" in r.text and "Culture Experience Days 2027" in r.text
    assert "Petit-déjeuner des adhérents – janvier 2027" not in r.text
    r = client.get("/events/mima-2027?lang=en")
    assert "MIMA 2027 – Auvergne Image and Music Market" in r.text
    assert "Collectif Basalte" in r.text and "Performer" in r.text
    assert client.get("/events/petit-dejeuner-adherents-2027-01").status_code == 404


async def test_if_empty_never_touches_a_database_with_events():
    from accounts.tables import StaffUser
    from events import services

    await services.create_event(
        title="Formation : droits d'auteur",
        kind="training",
        starts_at=demo.at(2031, 3, 3, 9),
        ends_at=demo.at(2031, 3, 3, 12),
    )
    summary = await demo.load(if_empty=True)
    assert "not loaded" in summary and "create-admin" in summary
    assert await Event.count() == 1 and await Organisation.count() == 0
    assert not await StaffUser.exists().where(StaffUser.email == demo.DEMO_ADMIN_EMAIL)


async def test_demo_has_a_speed_meeting_ready_to_run(demo_data):
    summary = demo_data
    assert "Speed-meeting MIMA 2027" in summary
    mima = await Event.select(Event.id).where(Event.slug == "mima-2027").first()
    programme = await MeetingProgramme.objects().where(MeetingProgramme.event == mima["id"]).first()
    assert programme is not None and meetings.wish_phase_open(programme)
    assert programme.meeting_minutes == 20 and 10 <= programme.tables <= 12
    assert meetings.accessible_of(programme)
    # the grid lies on MIMA's speed-meeting sessions
    speed = [s for s in await sessions_of("mima-2027") if s["kind"] == "speed_meeting"]
    slots = await meetings.grid_slots(programme)
    assert len(speed) >= 1 and len(slots) >= 10
    assert all(any(s["starts_at"] <= slot.start < slot.end <= s["ends_at"] for s in speed) for slot in slots)
    producers = await meetings.list_participants(programme.id, side="producer")
    buyers = await meetings.list_participants(programme.id, side="buyer")
    assert 8 <= len(producers) <= 10 and 10 <= len(buyers) <= 12
    for p in producers:
        assert await is_member_in_good_standing(email=p["email"]), p
    for p in [*producers, *buyers]:
        assert p["genres"] and p["territory"]
        assert await Wish.count().where(Wish.source == p["id"]) >= 1
    # staff can run it straight away
    run = await planning.run(programme.id, time_limit=10)
    assert run.meetings > 0
    assert await Meeting.count().where(Meeting.programme == programme.id) == run.meetings
