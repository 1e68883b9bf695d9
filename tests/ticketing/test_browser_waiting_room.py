"""The waiting room in headless chromium on a 360 px phone, in English and in French: the page shows
the place and a progress bar, fits the screen, and opens the booking form by itself at the buyer's turn."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.plugin import CHROMIUM, CHROMIUM_ARGS, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser


async def _open_room(seconds: float) -> int:
    from events.tables import Event
    from ticketing import waiting_room

    event = await Event.objects().where(Event.slug == "mima-2027").first()
    opens = datetime.now(UTC) + timedelta(seconds=seconds)
    await waiting_room.configure(event.id, {"opens_at": opens.isoformat(), "admit_per_second": 1})
    return event.id


def test_the_waiting_room_lets_a_phone_in_at_its_turn(live_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    base = live_server.url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:  # opens in 12 s (the machine may be loaded)
                event_id = pool.submit(asyncio.run, _open_room(12)).result()
            pages = {}
            for lang, locale in (("en", "en-GB"), ("fr", "fr-FR")):
                context = browser.new_context(locale=locale, viewport={"width": 360, "height": 740})
                page = context.new_page()
                page.set_default_timeout(20000)
                page.goto(f"{base}/events/{event_id}/tickets?lang={lang}")  # sent to the room
                expect(page).to_have_url(re.compile(rf"/events/{event_id}/queue$"))
                pages[lang] = page
            en, fr = pages["en"], pages["fr"]
            expect(en.locator("h1")).to_have_text("Waiting room")
            expect(en.get_by_test_id("queue-position")).to_have_text("1")
            expect(fr.locator("h1")).to_have_text("File d'attente")
            expect(fr.get_by_test_id("queue-position")).to_have_text("2")
            expect(fr.get_by_text("Personnes avant vous :")).to_be_visible()
            expect(fr.get_by_test_id("queue-progress")).to_be_visible()
            for lang, page in pages.items():
                assert_no_horizontal_overflow(page, tmp_path / f"queue-{lang}-360.png")
            # at the opening the first is let in, one second later the second: the page moves on by itself
            en.wait_for_url(re.compile(rf"/events/{event_id}/tickets$"), timeout=40000)
            expect(en.locator("#order-form")).to_be_visible()
            fr.wait_for_url(re.compile(rf"/events/{event_id}/tickets$"), timeout=40000)
            expect(fr.locator("#order-form")).to_be_visible()
            assert_no_horizontal_overflow(fr, tmp_path / "tickets-fr-360.png")
        finally:
            browser.close()
