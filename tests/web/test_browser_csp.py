"""In headless Debian chromium, under the real Content-Security-Policy: the site's own scripts still
work (booking totals, filters, htmx, confirmations, the door app, the account menu) and the browser
reports no violation on any page."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.browser

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @ ' + location.pathname));
"""


def run(coro):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _demo_ids() -> dict:
    from events.tables import Event
    from ticketing.tables import TicketType

    tt = (
        await TicketType.select(TicketType.id, TicketType.event)
        .where(TicketType.staff_only.eq(False) & (TicketType.price_cents > 0))
        .first()
    )
    event = await Event.select(Event.id).where(Event.id == tt["event"]).first()
    return {"event": event["id"], "type": tt["id"]}


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_the_site_works_under_its_content_security_policy(live_server, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.context.add_init_script(WATCH)
    base = live_server.url
    ids = run(_demo_ids())
    seen: list[str] = []

    def visit(path: str) -> None:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        seen.extend(violations(page))

    # public pages; the kind filter submits itself (data-autosubmit, no onchange=)
    visit("/")
    visit("/events")
    page.select_option("#kind", index=1)
    page.wait_for_url(re.compile(r"kind="))
    seen.extend(violations(page))
    # the booking form computes its total (static/js/buy.js)
    visit(f"/events/{ids['event']}/tickets")
    page.get_by_test_id(f"qty-{ids['type']}").fill("2")
    expect(page.get_by_test_id("total")).not_to_have_text("0")
    seen.extend(violations(page))
    visit("/auth/link")

    # staff: htmx filters, a confirmation that can be dismissed, the door app, the account menu
    page.goto(base + "/auth/login")
    page.fill("#email", live_server.admin_email)
    page.fill("#password", live_server.admin_password)
    page.click("form[action='/auth/login'] button[type=submit]")
    page.wait_for_url(re.compile(r"/staff$"))
    seen.extend(violations(page))
    visit("/staff/members")
    page.fill("#filter-q", "zzzz-nobody")
    expect(page.locator("#org-results")).not_to_contain_text("Studio", timeout=5000)
    seen.extend(violations(page))
    visit(f"/staff/events/{ids['event']}/edit")
    asked: list[str] = []

    def dismiss(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_test_id("cancel-event").click()
    page.wait_for_timeout(300)
    assert asked and "Annuler cet événement" in asked[0]  # the data-confirm question (static/js/app.js)
    assert page.url.endswith("/edit")  # dismissed: nothing was posted
    visit("/staff/tickets/")
    visit("/staff/meetings")
    visit("/door")
    expect(page.get_by_test_id("door-signout")).to_be_visible()
    visit("/me")
    page.get_by_test_id("account-who").click()
    expect(page.get_by_test_id("sign-out")).to_be_visible()
    page.get_by_test_id("sign-out").click()
    page.wait_for_url(base + "/")
    expect(page.get_by_test_id("sign-in")).to_be_visible()
    seen.extend(violations(page))
    assert seen == []
