"""End to end in headless Debian chromium: a non-member buys a 24 € ticket (payment completed through
the local Stripe peer, confirmed on return) and receives the PDF by email. Members proving their address:
test_browser_member_proof.py; checkout without Stripe: test_browser_no_stripe.py."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ticketing.helpers import attachment, pdf_text

pytestmark = pytest.mark.browser


def run(coro):
    """Database work from another thread (Playwright's sync API owns this thread's event loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _setup():
    from tests.ticketing.factories import cles_event
    from tests.ticketing.helpers import make_member_org

    event, member, public = await cles_event(capacity=30)
    await make_member_org("studio-volcans.fr")
    return event.id, member.id, public.id


async def _payment_intent(token: str) -> str:
    from ticketing.tables import Order

    row = await Order.select(Order.payment_intent_id).where(Order.token == token).first()
    return row["payment_intent_id"]


def test_non_member_pays_24_eur(live_server, browser_page, stripe_fake, mailbox):
    from playwright.sync_api import expect

    page = browser_page
    base = live_server.url
    event_id, _member_type, public_type = run(_setup())

    # -- a non-member buys one 20 € HT ticket
    page.goto(f"{base}/events/{event_id}/tickets")
    page.get_by_test_id(f"qty-{public_type}").fill("1")
    expect(page.get_by_test_id("total")).to_contain_text("24,00")
    page.get_by_test_id("buyer-name").fill("Nadia Publique")
    page.get_by_test_id("buyer-email").fill("nadia@example.org")
    page.get_by_test_id("buyer-organisation").fill("Festival des Dômes")
    page.get_by_test_id("order-submit").click()
    expect(page).to_have_url(re.compile(r"/orders/[\w-]+/pay$"))
    expect(page.get_by_test_id("total-ht")).to_contain_text("20,00")
    expect(page.get_by_test_id("total-vat")).to_contain_text("4,00")
    expect(page.get_by_test_id("total-ttc")).to_contain_text("24,00")
    token = re.search(r"/orders/([\w-]+)/pay$", page.url).group(1)

    # the card payment happens at the Stripe peer; Stripe then sends the buyer back to the return URL
    paid = stripe_fake.pay(run(_payment_intent(token)))
    assert paid.status == "succeeded" and paid.amount == 2400
    page.get_by_test_id("payment-done").click()
    expect(page).to_have_url(re.compile(rf"/orders/{token}$"))
    expect(page.get_by_test_id("order-status")).to_have_attribute("data-status", "confirmed")
    expect(page.get_by_test_id("invoice-pdf")).to_be_visible()

    # The shared live server's job worker may still be sending the demo's e-mails (PDFs) queued
    # before this one: on a loaded 2-core machine that backlog took over 30 s.
    msg = mailbox.wait_for("nadia@example.org", timeout=120)[0]
    assert "Vos billets" in msg["Subject"]
    assert "Nadia Publique" in pdf_text(attachment(msg, "tickets.pdf"))
    assert "24,00" in pdf_text(attachment(msg, "F"))
