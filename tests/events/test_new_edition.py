"""A new edition from last year's, whole: duplicating an event runs every domain's `duplicate.py` (found by
server/apps.py's convention, called by lib.editions): ticket types, the speed-meeting programme, the stand
plan and its categories, the calls and their rubric, every date shifted; nothing personal is copied
(participants, orders, tickets, bookings, entries, jurors)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from events import services
from juries.tables import Call, Entry, Juror, Round
from lib import editions
from members.people import create_person
from members.register import create_organisation
from scheduling.tables import MeetingDay, MeetingProgramme, Participant, Wish
from server import apps
from stands.tables import Booking, FloorPlan, Stand, StandCategory
from ticketing.tables import Order, TicketType

START = datetime(2027, 3, 18, 8, 0, tzinfo=UTC)  # 9:00 in Paris (winter time)


async def _mima() -> dict:
    return await services.create_event(
        title="MIMA 2027",
        kind="mima",
        starts_at=START,
        ends_at=START + timedelta(hours=10),
        edition_year=2027,
        status="published",
    )


def _shift_of(copy: dict) -> editions.EditionShift:
    """The shift duplicate_event used (one year later: the same date, the same local time)."""
    new_start = copy["starts_at"]
    new_start = new_start if isinstance(new_start, datetime) else datetime.fromisoformat(new_start)
    local = editions.local_tz()
    delta = new_start.astimezone(local).replace(tzinfo=None) - START.astimezone(local).replace(tzinfo=None)
    return editions.EditionShift(delta, 2027, 2028)


def test_every_domain_registers_its_copy_by_convention():
    found = apps.edition_modules()
    assert found[:3] == ["ticketing.duplicate", "scheduling.duplicate", "juries.duplicate"]
    assert "stands.duplicate" in found
    assert editions.copier_modules() == found  # through piccolo_conf, as lib.jobs finds job modules
    assert all(callable(copy) for _name, copy in editions.copiers())


def test_shift_keeps_the_time_of_day_across_dst():
    shift = editions.EditionShift(timedelta(days=364), 2027, 2028)
    summer = datetime(2027, 7, 1, 7, 0, tzinfo=UTC)  # 9:00 in Paris, summer time
    winter = shift.at(datetime(2027, 3, 18, 8, 0, tzinfo=UTC))
    assert winter == datetime(2028, 3, 16, 8, 0, tzinfo=UTC)
    assert shift.at(summer) == datetime(2028, 6, 29, 7, 0, tzinfo=UTC)
    assert shift.at(datetime(2027, 3, 20, 8, 0, tzinfo=UTC)) == datetime(2028, 3, 18, 8, 0, tzinfo=UTC)
    assert shift.text("MIMA 2027 (20270)") == "MIMA 2028 (20270)"
    assert shift.at(None) is None


async def test_ticket_types_are_copied_with_their_sales_dates_and_nothing_sold():
    event = await _mima()
    await TicketType.delete().where(TicketType.event == event["id"])
    await TicketType(
        event=event["id"],
        name="Pro",
        price_cents=2000,
        requires_membership=True,
        capacity=80,
        sold=42,
        sales_start=START - timedelta(days=60),
        sales_end=START - timedelta(hours=2),
        position=1,
    ).save()
    await TicketType(event=event["id"], name="Exposant", staff_only=True, position=2).save()
    await Order(token="t-1", event=event["id"], buyer_name="B", buyer_email="buyer@example.org").save()
    copy = await services.duplicate_event(event["id"])
    types = await TicketType.objects().where(TicketType.event == copy["id"]).order_by(TicketType.position)
    assert [(t.name, t.price_cents, t.requires_membership, t.capacity, t.sold) for t in types] == [
        ("Pro", 2000, True, 80, 0),
        ("Exposant", 0, False, None, 0),
    ]
    shift = _shift_of(copy)
    assert types[0].sales_start == shift.at(START - timedelta(days=60))
    new_start = shift.at(START)
    assert (new_start - types[0].sales_end) == timedelta(hours=2)
    assert types[1].sales_start is None
    assert await Order.count().where(Order.event == copy["id"]) == 0


async def test_speed_meeting_programme_settings_grid_and_phases_without_participants():
    event = await _mima()
    programme = MeetingProgramme(
        event=event["id"],
        status="published",
        wishes_open_at=START - timedelta(days=30),
        wishes_close_at=START - timedelta(days=7),
        publish_at=START - timedelta(days=5),
        meeting_minutes=15,
        max_meetings=6,
        wish_limit=12,
        tables=18,
        reserved_tables=2,
        accessible_tables="1,2",
        fairness_budget_bp=200,
        published_at=START - timedelta(days=5),
    )
    await programme.save()
    await MeetingDay(
        programme=programme.id,
        starts_at=START + timedelta(hours=1),
        ends_at=START + timedelta(hours=5),
        breaks=json.dumps(
            [[(START + timedelta(hours=3)).isoformat(), (START + timedelta(hours=3.5)).isoformat()]]
        ),
    ).save()
    org = await create_organisation(name="Volcans Films", college=2, email="contact@volcans.test")
    producer = await create_person(
        first_name="A", last_name="B", email="a@volcans.test", organisation_id=org.id
    )
    buyer = await create_person(first_name="C", last_name="D", email="c@festival.test")
    p1 = Participant(programme=programme.id, person=producer.id, side="producer")
    p2 = Participant(programme=programme.id, person=buyer.id, side="buyer")
    await p1.save()
    await p2.save()
    await Wish(source=p1.id, target=p2.id).save()
    copy = await services.duplicate_event(event["id"])
    new = await MeetingProgramme.objects().where(MeetingProgramme.event == copy["id"]).first()
    assert new is not None and new.status == "draft" and new.published_at is None
    assert (new.meeting_minutes, new.max_meetings, new.wish_limit, new.tables, new.reserved_tables) == (
        15,
        6,
        12,
        18,
        2,
    )
    assert (new.accessible_tables, new.fairness_budget_bp) == ("1,2", 200)
    shift = _shift_of(copy)
    assert new.wishes_open_at == shift.at(programme.wishes_open_at)
    assert new.wishes_close_at == shift.at(programme.wishes_close_at)
    assert new.publish_at == shift.at(programme.publish_at)
    days = await MeetingDay.objects().where(MeetingDay.programme == new.id)
    assert len(days) == 1 and days[0].starts_at == shift.at(START + timedelta(hours=1))
    [[a, b]] = json.loads(days[0].breaks)
    assert datetime.fromisoformat(a) == shift.at(START + timedelta(hours=3))
    assert datetime.fromisoformat(b) - datetime.fromisoformat(a) == timedelta(minutes=30)
    assert await Participant.count().where(Participant.programme == new.id) == 0


async def test_stand_plan_and_categories_all_free_without_bookings():
    event = await _mima()
    plan = FloorPlan(event=event["id"], width_cm=3000, members_only=True)
    await plan.save()
    category = StandCategory(
        plan=plan.id, name="Standard", member_price_cents=4000, non_member_price_cents=6000
    )
    await category.save()
    booked = Stand(plan=plan.id, category=category.id, number="A1", status="booked")
    await booked.save()
    await Stand(plan=plan.id, category=category.id, number="A2", status="unavailable").save()
    await Booking(
        stand=booked.id, event=event["id"], status="confirmed", requested_by="x@volcans.test"
    ).save()
    copy = await services.duplicate_event(event["id"])
    new = await FloorPlan.objects().where(FloorPlan.event == copy["id"]).first()
    assert new is not None and new.width_cm == 3000 and new.members_only
    categories = await StandCategory.objects().where(StandCategory.plan == new.id)
    assert [(c.name, c.member_price_cents, c.non_member_price_cents) for c in categories] == [
        ("Standard", 4000, 6000)
    ]
    stands = await Stand.objects().where(Stand.plan == new.id).order_by(Stand.number)
    assert [(s.number, s.status) for s in stands] == [("A1", "free"), ("A2", "unavailable")]
    assert await Booking.count().where(Booking.event == copy["id"]) == 0


async def test_calls_and_their_rubric_without_entries_nor_jurors():
    court = await services.create_event(
        title="Le Court d'Ici 2027",
        kind="court_dici",
        starts_at=START,
        ends_at=START + timedelta(hours=3),
        edition_year=2027,
    )
    call = Call(
        event=court["id"],
        slug="le-court-dici-2027",
        title="Le Court d'Ici 2027",
        title_en="Le Court d'Ici 2027 (short films)",
        edition_year=2027,
        opens_at=START - timedelta(days=90),
        deadline=START - timedelta(days=30),
        max_entries_per_organisation=3,
        min_year=2025,
        hidden_fields='["producer"]',
        jurors_per_entry=4,
        status="closed",
    )
    await call.save()
    rubric = [{"name": "artistic_quality", "weight": 4}, {"name": "technical_quality", "weight": 1}]
    await Round(call=call.id, kind="rubric", rubric=json.dumps(rubric)).save()
    await Entry(
        call=call.id, submitter_email="a@volcans.test", title="F", runtime_seconds=600, year=2026
    ).save()
    await Juror(call=call.id, email="j@example.org", name="J").save()
    copy = await services.duplicate_event(court["id"])
    new = await Call.objects().where(Call.event == copy["id"]).first()
    assert new is not None and new.id != call.id
    assert (new.slug, new.title, new.title_en) == (
        "le-court-dici-2028",
        "Le Court d'Ici 2028",
        "Le Court d'Ici 2028 (short films)",
    )
    assert (new.edition_year, new.min_year, new.max_entries_per_organisation, new.jurors_per_entry) == (
        2028,
        2026,
        3,
        4,
    )
    assert new.hidden_fields == '["producer"]' and new.status == "open"
    shift = _shift_of(copy)
    assert (new.opens_at, new.deadline) == (shift.at(call.opens_at), shift.at(call.deadline))
    assert json.loads(new.rubric) == rubric
    assert await Entry.count().where(Entry.call == new.id) == 0
    assert await Juror.count().where(Juror.call == new.id) == 0
    assert await Round.count().where(Round.call == new.id) == 0
    # the new call's rounds are rated on last year's rubric
    from juries import rounds

    first = await rounds.create_round(new.id, {"kind": "rubric"})
    assert json.loads(first.rubric) == rubric
