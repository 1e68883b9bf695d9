"""A fresh phone pairs through the staff sign-in and checks in a typed short code (headless Debian
chromium against the real server): staff authorise a device on the desktop page, the phone (360 px,
new browser context) opens the pairing link, is sent to the sign-in page, comes back to confirm, lands
on the door page paired, and a ticket code typed from its PDF lets the person in. No page of the
journey scrolls sideways at 360 px."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest

from tests.checkin.helpers import make_event, make_ticket, make_type
from tests.checkin.test_browser_door import in_thread
from tests.plugin import CHROMIUM, CHROMIUM_ARGS
from ticketing.shortcode import display, short_code

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


async def _data():
    from tests.auth import DEFAULT_PASSWORD, make_staff

    event = await make_event("porte-appairage-2027", "MIMA 2027 — accueil")
    free = await make_type(event, "Acheteur invité", 0)
    ticket = await make_ticket(event, free, "Chloé Dupont", organisation="Festival des Volcans")
    refused = await make_ticket(
        event,
        free,
        "Paul Attente",
        organisation="Label Puy",
        order_status="pending_payment",
        ticket_status="pending",
    )
    late = await make_ticket(event, free, "Hélène Hors-Ligne", organisation="Radio Arverne")
    await make_staff(role="door", email="benevole@ledamier.test")
    return event, ticket, refused, late, DEFAULT_PASSWORD


async def _checkins():
    from checkin.tables import CheckIn

    return await CheckIn.select(CheckIn.ticket, CheckIn.status, CheckIn.door).order_by(CheckIn.id)


def _no_overflow(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert page.evaluate(NO_OVERFLOW), (name, page.evaluate("document.documentElement.scrollWidth"))


def test_fresh_phone_pairs_through_sign_in_and_checks_in_a_typed_code(live_server, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    event, ticket, _refused, late, password = asyncio.run(_data())
    base = live_server.url
    shots = tmp_path
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        console: list[str] = []
        try:
            # Staff, on the desktop: authorise a device for the event; the page shows its pairing link.
            desk = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
            staff = desk.new_page()
            staff.set_default_timeout(20000)
            staff.goto(f"{base}/auth/login?next=/staff/checkin/events/{event.id}")
            staff.locator("input[name='email']").fill(live_server.admin_email)
            staff.locator("input[name='password']").fill(live_server.admin_password)
            staff.locator("form[action='/auth/login'] button[type='submit']").click()
            staff.wait_for_url(f"{base}/staff/checkin/events/{event.id}")
            staff.locator("[data-testid=device-name]").fill("Téléphone bénévole")
            staff.locator("[data-testid=device-door]").fill("Hall Sémaphore")
            staff.locator("[data-testid=authorise]").click()
            shown = staff.locator("[data-testid=pairing-url]").inner_text().strip()
            path = re.fullmatch(r"https?://[^/]+(/door/pair/[2-9A-HJ-NP-Z-]+)", shown)
            assert path, shown
            link = base + path.group(1)  # BASE_URL of the tests' settings is not the live server's
            staff.screenshot(path=str(shots / "staff-pairing-1366.png"), full_page=True)
            desk.close()

            # A fresh phone (its own browser context: no cookie, no storage) opens the link.
            phone_context = browser.new_context(
                locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True
            )
            phone = phone_context.new_page()
            phone.set_default_timeout(20000)
            phone.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            phone.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            phone.goto(link)
            phone.wait_for_url(
                re.compile(r".*/auth/login\?next=/door/pair/.*")
            )  # sent to the staff sign-in...
            _no_overflow(phone, shots, "login-360")
            phone.locator("input[name='email']").fill("benevole@ledamier.test")
            phone.locator("input[name='password']").fill(password)
            phone.locator("form[action='/auth/login'] button[type='submit']").click()
            phone.wait_for_url(link)  # ...and back to the pairing link
            assert phone.locator("[data-testid=pair-event]").inner_text() == "MIMA 2027 — accueil"
            assert phone.locator("[data-testid=pair-device]").inner_text() == "Téléphone bénévole"
            _no_overflow(phone, shots, "pair-360")
            phone.locator("[data-testid=pair-confirm]").click()

            # Paired: the door page knows its event, and the token is not left in the address bar.
            phone.wait_for_selector("#door[data-ready='1']")
            assert phone.url == f"{base}/door"
            assert phone.locator("[data-testid=event-title]").inner_text() == "MIMA 2027 — accueil"
            assert phone.locator("#setup").is_hidden()

            # The code printed on the ticket, typed as a person would (lower case, spaces).
            typed = display(short_code(ticket.id)).lower().replace("-", " ")
            wedge = phone.locator("[data-testid=wedge]")
            wedge.fill(typed)
            wedge.press("Enter")
            phone.wait_for_selector("[data-testid=result][data-status='ok']")
            assert phone.locator("[data-testid=result-name]").inner_text() == "Chloé Dupont"
            assert "Festival des Volcans" in phone.locator("[data-testid=result-detail]").inner_text()
            rows = in_thread(_checkins)
            assert [(r["ticket"], r["status"], r["door"]) for r in rows] == [
                (ticket.id, "ok", "Hall Sémaphore")
            ]
            _no_overflow(phone, shots, "door-ok-360")

            # A refused ticket found by name says why, instead of a grey button.
            phone.locator("[data-testid=search]").fill("attente")
            phone.locator("#search-form button[type='submit']").click()
            why = phone.locator("[data-testid=search-results] [data-testid=search-why]")
            why.wait_for()
            assert "paiement" in why.inner_text()
            assert phone.locator("[data-testid=search-results] button").count() == 0
            _no_overflow(phone, shots, "door-search-360")

            # The same code again: already checked in, with when, where and by whom.
            wedge.fill(display(short_code(ticket.id)))
            wedge.press("Enter")
            phone.wait_for_selector("[data-testid=result][data-status='already']")
            why_text = phone.locator("[data-testid=result-why]").inner_text()
            assert "Hall Sémaphore" in why_text and "Téléphone bénévole" in why_text
            _no_overflow(phone, shots, "door-already-360")

            # Offline: the downloaded list finds tickets by name (accents and case ignored) and by
            # typed code, and says why one cannot enter.
            phone.locator("[data-testid=camera-toggle]").click()  # no camera: nothing else to scan
            phone_context.set_offline(True)
            phone.wait_for_selector("#door[data-online='0']")
            phone.locator("[data-testid=search]").fill("helene")
            phone.locator("#search-form button[type='submit']").click()
            phone.wait_for_selector("[data-testid=search-results] li[data-state='valid']")
            assert "Hélène Hors-Ligne" in phone.locator("[data-testid=search-results]").inner_text()
            phone.locator("[data-testid=search]").fill("dupont")
            phone.locator("#search-form button[type='submit']").click()
            phone.wait_for_selector("[data-testid=search-results] li[data-state='in']")
            assert "Hall Sémaphore" in phone.locator("[data-testid=search-why]").inner_text()
            wedge.fill(display(short_code(late.id)))
            wedge.press("Enter")
            phone.wait_for_selector("[data-testid=result][data-status='ok'][data-offline='1']")
            assert phone.locator("[data-testid=result-name]").inner_text() == "Hélène Hors-Ligne"
            code = display(short_code(late.id))
            wedge.fill(code[:-1] + ("Z" if code[-1] != "Z" else "2"))  # one character mistyped
            wedge.press("Enter")
            phone.wait_for_selector("[data-testid=result][data-status='invalid']")
            assert "faute de frappe" in phone.locator("[data-testid=result-why]").inner_text()
            _no_overflow(phone, shots, "door-offline-360")
            phone_context.set_offline(False)
            phone.wait_for_selector("#door[data-pending='0']", timeout=30000)
            deadline = time.monotonic() + 10
            admitted: list = []
            while time.monotonic() < deadline:
                admitted = [r["ticket"] for r in in_thread(_checkins) if r["status"] == "ok"]
                if len(admitted) == 2:
                    break
                time.sleep(0.2)
            assert admitted == [ticket.id, late.id]
            phone_context.close()
        except Exception:
            print("\n".join(console))
            raise
        finally:
            browser.close()
