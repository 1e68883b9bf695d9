"""Le Court d'Ici in headless Debian chromium, on the live server with the demo data: a member submits a
film; a juror rates blind on a phone; staff close the round, select, build the ~100-minute programme and
publish it; the event page shows it."""

from __future__ import annotations

import re
import time

import anyio
import pytest

from tests.conftest import MAILBOX
from tests.plugin import assert_no_horizontal_overflow

pytestmark = pytest.mark.browser
LINK = re.compile(r"https?://[^\s\"'<>]+(/auth/link/[A-Za-z0-9_\-]+)")
JUROR = "claire.mercier@festival-courts.example"


def db(make):
    """Run a database call from this test (Playwright's sync API holds an event loop in this thread)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, make).result()


def _link_for(email: str, already: int) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for msg in reversed(MAILBOX.to(email)[already:]):
            match = LINK.search(msg.get_body(preferencelist=("plain",)).get_content())
            if match:
                return match.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no sign-in link for {email}")


def _sign_in(page, base: str, email: str) -> None:
    """On the sign-in page the browser was sent to: ask for a link, open it from the email, continue."""
    already = len(MAILBOX.to(email))
    page.locator("input[name='email']").fill(email)
    page.locator("form[action='/auth/link'] button[type='submit']").click()
    page.wait_for_load_state()
    page.goto(base + _link_for(email, already))
    page.locator("form button[type='submit']").click()
    page.wait_for_load_state()


async def _second_round(call_id: int) -> None:
    """Round 1 of the demo moves its best 14 on; round 2 (yes/maybe/no) is assigned and every juror but
    the one in the browser has answered."""
    from juries import results, rounds
    from juries.tables import Assignment, Juror

    first = await rounds.open_round_of(call_id)
    assert first is None
    await results.decide(1, {"outcome": "next_round", "top": 14}, "staff@ledamier.fr")
    second = await rounds.create_round(call_id, {"kind": "yes_no", "quorum": 4})  # staff close it
    await rounds.assign_round(second.id)
    for juror in await Juror.objects().where((Juror.call == call_id) & (Juror.email != JUROR)):
        for a in await Assignment.objects().where(
            (Assignment.round == second.id) & (Assignment.juror == juror.id)
        ):
            await rounds.record_score(
                juror, second.id, a.entry, {"verdict": "yes" if a.entry % 3 else "maybe"}
            )


def test_court_dici_from_submission_to_the_event_page(live_server, browser_page, tmp_path):
    from juries.tables import Call, Entry
    from members.tables import Organisation, Person

    page, base = browser_page, live_server.url
    call = db(lambda: Call.objects().where(Call.slug == "le-court-dici-2027").first())
    assert call is not None
    org = db(lambda: Organisation.objects().where(Organisation.name == "Clip & Cadre").first())
    member = db(lambda: Person.objects().where(Person.organisation == org.id).first())

    # -- a member submits a film (phone viewport)
    page.goto(f"{base}/juries/{call.id}/submit")
    _sign_in(page, base, member.email)
    assert f"/juries/{call.id}/submit" in page.url, page.url
    page.get_by_test_id("title").fill("Les Volcans chantent")
    page.get_by_test_id("directors").fill(f"{member.first_name} {member.last_name}")
    page.get_by_test_id("genre").select_option("music_video")
    page.get_by_test_id("runtime").fill("4:20")
    page.get_by_test_id("year").fill("2026")
    page.get_by_test_id("synopsis_fr").fill("Un clip tourné au sommet du puy de Dôme.")
    page.get_by_test_id("rights").check()
    page.get_by_test_id("submit-film").click()
    page.wait_for_load_state()
    assert (
        page.get_by_test_id("entry-status").inner_text() == "recevable"
    )  # rights cleared, member in good standing: eligible
    assert db(lambda: Entry.count().where(Entry.title == "Les Volcans chantent")) == 1

    # -- a juror rates blind on the phone
    db(lambda: _second_round(call.id))
    page.context.clear_cookies()
    page.goto(f"{base}/juries/{call.id}/jury")
    _sign_in(page, base, JUROR)
    assert f"/juries/{call.id}/jury" in page.url, page.url
    html = page.content()
    for hidden in ("Volcans Films", "Documentaires du Massif", "Clip &amp; Cadre", "Motion Sancy"):
        assert hidden not in html  # the producer is hidden by the call
    page.set_viewport_size({"width": 360, "height": 780})
    assert_no_horizontal_overflow(page, tmp_path / "jury-360.png")
    saves = page.locator("[data-testid^='save-']")
    count = saves.count()
    assert count > 0
    for i in range(count):
        button = page.locator("[data-testid^='save-']").nth(i)
        entry_id = button.get_attribute("data-testid").split("-")[1]
        page.get_by_test_id(f"verdict-{entry_id}-yes").check()
        button.click()
        page.wait_for_load_state()
        assert page.get_by_test_id(f"saved-{entry_id}").is_visible()

    # -- staff close the round, select, build the programme and publish it
    page.context.clear_cookies()
    page.goto(f"{base}/auth/login")
    page.locator("input[name='email']").fill(live_server.admin_email)
    page.locator("input[name='password']").fill(live_server.admin_password)
    page.locator("form[action='/auth/login'] button[type='submit']").click()
    page.wait_for_load_state()
    page.goto(f"{base}/staff/juries/{call.id}")
    page.get_by_test_id("close-round-2").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("results-2").is_visible()
    page.get_by_test_id("select-2").click()
    page.wait_for_load_state()
    page.get_by_test_id("build-programme").click()
    page.wait_for_load_state()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(tmp_path / "staff-programme-1366.png"), full_page=True)
    first = page.get_by_test_id("alternative-1")
    assert first.is_visible(), page.content()[:3000]
    titles = [t.split(" (")[0] for t in first.locator("li").all_inner_texts()]
    assert len(titles) >= 5
    assert page.get_by_test_id("alternative-3").is_visible()
    page.get_by_test_id("publish-1").click()
    page.wait_for_load_state()

    # -- the event page shows it
    assert "/events/le-court-dici-2027" in page.url, page.url
    text = page.content()
    for title in titles:
        assert title in text
