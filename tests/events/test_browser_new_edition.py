"""MIMA 2028 set up from MIMA 2027 in headless Debian chromium, on the live server with the demo data:
staff sign in, duplicate the edition and publish it — every click, submit and page opened is counted, and
the whole edition must take at most 10 staff actions. The new edition has last year's ticket types, its
speed-meeting programme (a draft, no participant), its stand plan (all free), its sessions, every date
one year later; the public event page shows it."""

from __future__ import annotations

from datetime import timedelta

import anyio
import pytest

pytestmark = pytest.mark.browser
MAX_ACTIONS = 10


def db(make):
    """Run a database call from this test (Playwright's sync API holds an event loop in this thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, make).result()


def test_mima_2028_from_mima_2027_in_at_most_ten_actions(live_server, browser_page):
    from events.tables import Event, Session
    from scheduling.tables import MeetingDay, MeetingProgramme, Participant
    from stands.tables import Booking, FloorPlan, Stand
    from ticketing.tables import Order, TicketType

    page, base = browser_page, live_server.url
    actions: list[str] = []

    def act(what: str, do) -> None:
        actions.append(what)
        do()
        page.wait_for_load_state()

    page.set_viewport_size({"width": 1366, "height": 900})
    act("open the sign-in page", lambda: page.goto(f"{base}/auth/login"))
    page.locator("input[name='email']").fill(live_server.admin_email)
    page.locator("input[name='password']").fill(live_server.admin_password)
    act("sign in", lambda: page.locator("form[action='/auth/login'] button[type='submit']").click())
    act("open the events", lambda: page.goto(f"{base}/staff/events"))
    act("duplicate MIMA 2027", lambda: page.get_by_test_id("duplicate-mima-2027").click())
    act("create the new edition (one year later)", lambda: page.get_by_test_id("duplicate-submit").click())
    act("publish it", lambda: page.get_by_test_id("publish-event").click())
    assert len(actions) <= MAX_ACTIONS, actions

    old = db(lambda: Event.objects().where(Event.slug == "mima-2027").first())
    new = db(lambda: Event.objects().where(Event.slug == "mima-2028").first())
    assert new is not None and new.title.startswith("MIMA 2028") and new.status == "published"
    year = new.starts_at - old.starts_at
    assert timedelta(days=364) <= year <= timedelta(days=366)
    # ticket types: the same offer, nothing sold
    old_types = db(
        lambda: TicketType.objects().where(TicketType.event == old.id).order_by(TicketType.position)
    )
    new_types = db(
        lambda: TicketType.objects().where(TicketType.event == new.id).order_by(TicketType.position)
    )
    assert [(t.name, t.price_cents) for t in new_types] == [(t.name, t.price_cents) for t in old_types]
    assert all(t.sold == 0 for t in new_types)
    assert db(lambda: Order.count().where(Order.event == new.id)) == 0
    # the speed-meeting: settings, grid and phases one year later, no participant
    old_programme = db(lambda: MeetingProgramme.objects().where(MeetingProgramme.event == old.id).first())
    programme = db(lambda: MeetingProgramme.objects().where(MeetingProgramme.event == new.id).first())
    assert programme is not None and programme.status == "draft"
    assert (programme.meeting_minutes, programme.tables) == (
        old_programme.meeting_minutes,
        old_programme.tables,
    )
    assert db(lambda: MeetingDay.count().where(MeetingDay.programme == programme.id)) == db(
        lambda: MeetingDay.count().where(MeetingDay.programme == old_programme.id)
    )
    if old_programme.wishes_close_at:
        gap = programme.wishes_close_at - old_programme.wishes_close_at
        assert timedelta(days=364) <= gap <= timedelta(days=366)
    assert db(lambda: Participant.count().where(Participant.programme == programme.id)) == 0
    # the stand plan: every stand free again, no booking
    plan = db(lambda: FloorPlan.objects().where(FloorPlan.event == new.id).first())
    old_plan = db(lambda: FloorPlan.objects().where(FloorPlan.event == old.id).first())
    assert plan is not None
    stands = db(lambda: Stand.objects().where(Stand.plan == plan.id))
    assert len(stands) == db(lambda: Stand.count().where(Stand.plan == old_plan.id)) > 0
    assert {s.status for s in stands} <= {"free", "unavailable"}
    assert db(lambda: Booking.count().where(Booking.event == new.id)) == 0
    # the sessions, on the public page
    assert db(lambda: Session.count().where(Session.event == new.id)) == db(
        lambda: Session.count().where(Session.event == old.id)
    )
    page.goto(f"{base}/events/mima-2028")
    assert "MIMA 2028" in page.content()
