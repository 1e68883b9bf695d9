"""The back office in headless chromium: live member search (htmx, no page reload) and a programme
session refused for overlapping another one in the same room, the message next to the room field."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def sign_in(page, server) -> None:
    page.goto(f"{server.url}/auth/login")
    page.locator("input[name='email']").fill(server.admin_email)
    page.locator("input[name='password']").fill(server.admin_password)
    page.locator("form[action='/auth/login'] button[type='submit']").click()
    page.wait_for_load_state()
    assert "/auth/login" not in page.url


def test_member_search_and_programme_overlap(live_server, browser_page) -> None:
    from playwright.sync_api import expect

    page = browser_page
    sign_in(page, live_server)

    # -- live search: the table updates in place (no navigation), the URL follows
    page.goto(f"{live_server.url}/staff/members")
    all_rows = page.locator("[data-testid^='org-row-']").count()
    assert all_rows >= 15
    page.evaluate("window.__stayed = true")
    page.locator("#filter-q").fill("volcan")
    expect(page).to_have_url(re.compile(r"q=volcan"))
    expect(page.locator("[data-testid^='org-row-']")).not_to_have_count(all_rows)
    names = page.locator("[data-testid^='org-row-'] td:first-child a").all_inner_texts()
    assert names and all("volcan" in n.lower() for n in names), names
    assert page.evaluate("window.__stayed") is True

    # -- programme: a session at the same time and in the same room as an existing one is refused
    page.goto(f"{live_server.url}/staff/events")
    page.locator("[data-testid='edit-event-mima-2027']").click()
    page.locator("[data-testid='programme-link']").click()
    expect(page.locator("h1")).to_contain_text("Programme")
    before = page.locator("article.session").count()
    taken = page.locator("article.session:not(.cancelled):has(.room)").first
    taken_title = taken.locator("h3").inner_text().split(" / ")[0].strip()
    taken.locator("[data-testid^='edit-session-']").click()
    form = page.locator("[data-testid='session-form']")
    slot = {
        name: form.locator(f"[name='{name}']").input_value() for name in ("room_id", "starts_at", "ends_at")
    }
    assert slot["room_id"], slot
    page.locator("a", has_text=re.compile("Annuler la modification")).click()

    form = page.locator("[data-testid='session-form']")
    form.locator("input[name='title']").fill("Session en conflit")
    form.locator("select[name='room_id']").select_option(slot["room_id"])
    form.locator("input[name='starts_at']").fill(slot["starts_at"])
    form.locator("input[name='ends_at']").fill(slot["ends_at"])
    form.locator("[data-testid='save-session']").click()
    error = page.locator("[data-testid='error-room_id']")
    expect(error).to_be_visible()
    expect(error).to_contain_text(taken_title)
    assert form.locator("input[name='title']").input_value() == "Session en conflit"
    assert page.locator("article.session").count() == before
