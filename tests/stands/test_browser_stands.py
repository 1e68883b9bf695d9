"""The stands flow in headless Debian chromium on a phone viewport (390 × 844), on the demo's MIMA 2027 hall:
a member signs in by email link, picks a free stand on the SVG plan and adds a power socket; staff approve;
the invoice arrives by email (PDF read back); the exhibitor appears in the public catalogue with its stand;
a badge ticket is checked in at the door."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from tests.auth import LINK_RE
from tests.checkin.test_browser_door import in_thread
from tests.plugin import assert_no_horizontal_overflow

pytestmark = pytest.mark.browser
MEMBER = "Studio Essai Navigateur"


async def _setup():
    from events.tables import Event
    from tests.stands.factories import member

    _org, email = await member(MEMBER)
    event = await Event.objects().where(Event.slug == "mima-2027").first()
    return event, email


async def _badge_code(email: str) -> tuple[str, int]:
    from stands.tables import Badge
    from ticketing.signing import sign

    badge = (
        await Badge.select(Badge.ticket, Badge.ticket.event.as_alias("event"))
        .where(Badge.share.email == email)
        .first()
    )
    return sign(badge["ticket"], badge["event"]), badge["ticket"]


async def _device(event):
    from checkin import services

    _device, token = await services.authorise_device(event.id, "Téléphone stands", "Entrée exposants", None)
    return token


def _link(mailbox, email: str, already: int) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for msg in mailbox.to(email)[already:]:
            body = msg.get_body(preferencelist=("plain",)).get_content()
            match = LINK_RE.search(body)
            if match:
                return match.group(1)
        time.sleep(0.1)
    raise AssertionError("no sign-in link")


def test_member_books_on_phone_staff_approve_invoice_catalogue_badge_at_door(
    live_server,
    browser_page,
    mailbox,
    tmp_path,
):
    base = live_server.url
    event, email = in_thread(_setup)
    page = browser_page

    # Sign in by email link, coming back to the plan.
    page.goto(f"{base}/auth/link?next=/stands/{event.id}")
    page.locator("#email").fill(email)
    already = len(mailbox.to(email))
    page.locator("form[action='/auth/link'] button[type='submit']").click()
    page.goto(base + _link(mailbox, email, already))
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(f"{base}/stands/{event.id}*")

    # The plan on a phone: tap a free stand in the SVG.
    assert page.locator("svg.floorplan").is_visible()
    assert_no_horizontal_overflow(page, tmp_path / "plan-360.png")
    page.locator("svg.floorplan a.stand-free[data-number='C1']").click()
    page.wait_for_url(f"{base}/stands/{event.id}/stand/*")
    assert "prix adhérent" in page.locator("[data-testid=standing]").inner_text()
    page.locator("[data-testid=option-power]").fill("1")
    page.locator("[data-testid=request-stand]").click()
    page.wait_for_url(f"{base}/stands/bookings*")
    assert "retenu" in page.locator("[data-testid=flash]").inner_text().lower()

    # Staff approve it in their own session.
    staff = page.context.browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    spage = staff.new_page()
    spage.goto(f"{base}/auth/login?next=/staff/stands/{event.id}")
    spage.locator("input[name='email']").fill(live_server.admin_email)
    spage.locator("input[name='password']").fill(live_server.admin_password)
    spage.locator("form[action='/auth/login'] button[type='submit']").click()
    spage.wait_for_url(f"{base}/staff/stands/{event.id}*")
    row = spage.locator("[data-testid^=booking-]", has_text=MEMBER)
    row.locator("button[data-testid^=approve-]").click()
    spage.wait_for_url("**flash=*")

    # The invoice arrives by email: HT 7.5 m² × 40 € + socket 45 € = 345 €, TTC 414 €.
    deadline = time.monotonic() + 30
    invoice = None
    while invoice is None and time.monotonic() < deadline:
        for msg in mailbox.to(email):
            pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
            if pdfs:
                invoice = pdfs[0]
        time.sleep(0.2)
    assert invoice is not None, "no invoice email"
    text = PdfReader(io.BytesIO(invoice.get_content())).pages[0].extract_text()
    assert "Stand C1" in text and "414,00" in text and "Prise électrique" in text

    # The exhibitor names a badge; it appears in the public catalogue with its stand.
    page.goto(f"{base}/stands/bookings")
    page.locator("[data-testid=badge-names]").fill("Alex Navigateur")
    page.locator("[data-testid=issue-badges]").click()
    page.wait_for_url("**flash=saved")
    page.goto(f"{base}/stands/{event.id}/exhibitors")
    card = page.locator("[data-testid^=exhibitor-]", has_text=MEMBER)
    assert "Stand C1" in card.inner_text()

    # The badge ticket at the door (door page paired with a device, the hardware-scanner field).
    code, _ticket = in_thread(lambda: _badge_code(email))
    token = in_thread(lambda: _device(event))
    spage.goto(f"{base}/door#pair={token}")
    spage.wait_for_selector("#door[data-ready='1']")
    wedge = spage.locator("[data-testid=wedge]")
    wedge.fill(code)
    wedge.press("Enter")
    spage.wait_for_selector("[data-testid=result][data-status='ok']")
    assert spage.locator("[data-testid=result-name]").inner_text() == "Alex Navigateur"
    staff.close()
