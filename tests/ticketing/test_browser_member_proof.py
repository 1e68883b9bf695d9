"""In headless Debian chromium (issue 10, journey 1 of the member price): a member books the free member
ticket, reads the confirmation link from its mailbox (the loopback SMTP server), confirms it and gets the
ticket; the pages fit a 360 px phone screen."""

from __future__ import annotations

import re

import pytest

from tests.plugin import assert_no_horizontal_overflow
from tests.ticketing.helpers import attachment, pdf_text
from tests.ticketing.test_browser_tickets import run
from tests.ticketing.test_member_proof import confirmation_link, wait_for_subject

pytestmark = pytest.mark.browser


async def _setup() -> tuple[int, int]:
    from tests.ticketing.factories import cles_event
    from tests.ticketing.helpers import make_member_org

    event, member, _public = await cles_event(capacity=30)
    await make_member_org("studio-volcans.fr")
    return event.id, member.id


def test_a_member_proves_its_address_and_gets_the_free_ticket(live_server, browser_page, mailbox, tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    base = live_server.url
    event_id, member_type = run(_setup())

    page.goto(f"{base}/events/{event_id}/tickets")
    expect(page.get_by_test_id("member-proof-info")).to_be_visible()
    # the booking form's own width at 360 px is the phone-layout work of issue 10 (journey 8)
    page.screenshot(path=str(tmp_path / "buy-360.png"), full_page=True)
    page.get_by_test_id(f"qty-{member_type}").fill("1")
    page.get_by_test_id("buyer-name").fill("Marc Adhérent")
    page.get_by_test_id("buyer-email").fill("marc@studio-volcans.fr")
    page.get_by_test_id("order-submit").click()
    expect(page).to_have_url(re.compile(r"/orders/[\w-]+$"))
    order_url = page.url
    expect(page.get_by_test_id("order-status")).to_have_attribute("data-status", "awaiting_member")
    expect(page.get_by_test_id("member-proof")).to_contain_text("marc@studio-volcans.fr")
    expect(page.get_by_test_id("held-until")).to_be_visible()
    assert_no_horizontal_overflow(page, tmp_path / "order-awaiting-360.png")

    # the real email, read from the loopback SMTP mailbox
    path = confirmation_link(mailbox, "marc@studio-volcans.fr", timeout=30)
    page.goto(base + path)
    expect(page.get_by_test_id("member-confirm")).to_contain_text("marc@studio-volcans.fr")
    assert_no_horizontal_overflow(page, tmp_path / "confirm-360.png")
    page.get_by_test_id("member-confirm-submit").click()
    expect(page.get_by_test_id("member-confirmed")).to_be_visible()
    assert_no_horizontal_overflow(page, tmp_path / "confirmed-360.png")

    page.goto(order_url)
    expect(page.get_by_test_id("order-status")).to_have_attribute("data-status", "confirmed")
    expect(page.get_by_test_id("tickets-pdf")).to_be_visible()
    assert_no_horizontal_overflow(page, tmp_path / "order-confirmed-360.png")
    msg = wait_for_subject(mailbox, "marc@studio-volcans.fr", "Vos billets", timeout=30)
    assert "Marc Adhérent" in pdf_text(attachment(msg, "tickets.pdf"))
