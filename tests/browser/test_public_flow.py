"""The issue's end-to-end path in headless chromium: event list, switch to English, MIMA, its .ics;
then a staff member signs in and duplicates MIMA 2027 into 2028 through the back office."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from server.demo import PARIS

pytestmark = pytest.mark.browser


async def _read_event(slug: str) -> tuple[dict, list[dict]]:
    from events.tables import Event, Session

    event = await Event.select().where(Event.slug == slug).first()
    assert event is not None, f"no event {slug}"
    sessions = await Session.select().where(Session.event == event["id"]).order_by(Session.starts_at)
    return event, sessions


def event_and_sessions(slug: str) -> tuple[dict, list[dict]]:
    """Read the database from another thread (Playwright's sync API owns this thread's event loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _read_event(slug)).result()


def test_visitor_reads_mima_in_english_and_staff_duplicates_it(live_server, browser_page, tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    base = live_server.url

    # -- the event list, in French by default
    page.goto(f"{base}/events")
    expect(page.locator("h1")).to_have_text("Événements à venir")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # -- switch to English: the same page, now in English (and remembered)
    page.locator(".lang-switch a[data-lang='en']").click()
    expect(page).to_have_url(re.compile(r"/events\?lang=en$"))
    expect(page.locator("h1")).to_have_text("Upcoming events")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Keys to success: raising funds")).to_be_visible()

    # -- open MIMA
    page.get_by_role("link", name="MIMA 2027 – Auvergne Image and Music Market").click()
    expect(page).to_have_url(re.compile(r"/events/mima-2027$"))
    expect(page.locator("h1")).to_have_text("MIMA 2027 – Auvergne Image and Music Market")
    expect(page.get_by_role("heading", name="Programme")).to_be_visible()
    expect(page.get_by_text("Round table: touring popular music in rural areas")).to_be_visible()
    expect(page.locator(".session").first).to_contain_text("9:00")  # Paris time, English format
    expect(page.get_by_text("Thursday, October 14, 2027").first).to_be_visible()

    # -- download its .ics and read it
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    path = tmp_path / "mima.ics"
    download.save_as(path)
    calendar = Calendar.from_ical(path.read_bytes())
    event, sessions = event_and_sessions("mima-2027")
    vevents = calendar.walk("VEVENT")
    uids = {str(v["UID"]) for v in vevents}
    assert any(event["uid"] in uid for uid in uids)
    assert len(vevents) >= len(sessions)
    assert calendar.walk("VTIMEZONE") and str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Europe/Paris"
    starts = sorted(v.decoded("DTSTART") for v in vevents)
    assert starts[0].astimezone(PARIS) == datetime(2027, 10, 14, 9, 0, tzinfo=PARIS)

    # -- a staff member signs in
    page.goto(f"{base}/auth/login")
    page.locator("input[name='email']").fill(live_server.admin_email)
    page.locator("input[name='password']").fill(live_server.admin_password)
    page.locator("form[action='/auth/login'] button[type='submit']").click()
    page.wait_for_load_state()
    assert "/auth/login" not in page.url, page.content()[:2000]

    # -- and duplicates MIMA 2027 into 2028 from the back office
    page.goto(f"{base}/staff/events")
    page.locator("[data-testid='duplicate-mima-2027']").click()
    date_input = page.locator("[data-testid='duplicate-form'] input[name='new_starts_at']")
    new_day = date.fromisoformat(date_input.input_value())
    assert new_day.year == 2028
    page.locator("[data-testid='duplicate-submit']").click()
    expect(page).to_have_url(re.compile(r"/staff/events/\d+/edit\?done=duplicated$"))
    expect(page.locator("[data-testid='event-status']")).to_have_text(re.compile("Draft|Brouillon"))

    copy, copy_sessions = event_and_sessions("mima-2028")
    assert copy["status"] == "draft" and copy["edition_year"] == 2028
    assert copy["title"].startswith("MIMA 2028")
    expected_start = datetime.combine(new_day, datetime.min.time().replace(hour=9), tzinfo=PARIS)
    assert copy["starts_at"] == expected_start
    delta = expected_start.replace(tzinfo=None) - datetime(2027, 10, 14, 9, 0)
    assert delta >= timedelta(days=350)
    assert len(copy_sessions) == len(sessions)

    def local(value: datetime) -> datetime:
        return value.astimezone(PARIS).replace(tzinfo=None)

    assert sorted(local(s["starts_at"]) for s in copy_sessions) == sorted(
        local(s["starts_at"]) + delta for s in sessions
    )
    assert sorted(local(s["ends_at"]) for s in copy_sessions) == sorted(
        local(s["ends_at"]) + delta for s in sessions
    )
    assert not {s["uid"] for s in copy_sessions} & {s["uid"] for s in sessions}

    # -- the 2028 draft stays hidden from the public
    response = page.goto(f"{base}/events/mima-2028")
    assert response is not None and response.status == 404
