"""Headless chromium against the real server: piccolo-admin sign-in at /admin, then the site's own
sign-in form (the two share the csrftoken cookie), and an attendee's one-time link from the email."""

from __future__ import annotations

import json

import pytest

from tests.auth import link_from_message

pytestmark = pytest.mark.browser


def me(page, base: str) -> dict:
    page.goto(base + "/api/auth/me")
    return json.loads(page.inner_text("body"))


def test_admin_then_site_sign_in_then_attendee_link(live_server, browser_page, mailbox):
    from playwright.sync_api import expect

    page, base = browser_page, live_server.url

    # piccolo-admin first, in a fresh browser: it must not plant a cookie the site refuses later
    page.goto(base + "/admin")
    page.fill("input[name=username]", live_server.admin_email)
    page.fill("input[name=password]", live_server.admin_password)
    page.locator("form button").first.click()  # the UI follows the browser's language
    expect(page.get_by_role("heading", level=1)).to_contain_text("LE DAMIER — admin")
    expect(page.get_by_role("link", name=live_server.admin_email)).to_be_visible()

    # the site's staff sign-in form
    page.goto(base + "/auth/login?next=/staff/users")
    expect(page.locator("h1")).to_have_text("Connexion de l’équipe")
    page.fill("#email", live_server.admin_email)
    page.fill("#password", "not the password")
    page.click("form[action='/auth/login'] button[type=submit]")
    expect(page.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    page.fill("#password", live_server.admin_password)
    page.click("form[action='/auth/login'] button[type=submit]")
    page.wait_for_url(base + "/staff/users")
    expect(page.locator("h1")).to_have_text("Comptes de l’équipe")
    assert me(page, base)["staff"]["email"] == live_server.admin_email

    # an attendee asks for a link in English and opens it from the email
    page.goto(base + "/auth/link?lang=en")
    page.fill("#email", "guest@example.org")
    page.click("form[action='/auth/link'] button[type=submit]")
    expect(page.get_by_role("status")).to_contain_text("a sign-in link is on its way")
    [msg] = mailbox.wait_for("guest@example.org")
    assert msg["Subject"] == "Your sign-in link for LE DAMIER events"
    page.goto(base + link_from_message(msg))
    expect(page.get_by_text("Sign in as guest@example.org?")).to_be_visible()
    page.click("button:has-text('Continue')")
    page.wait_for_load_state()
    assert me(page, base) == {"staff": None, "attendee_email": "guest@example.org"}
    page.goto(base + link_from_message(msg))  # the link works once
    expect(page.get_by_role("alert")).to_have_text(
        "This sign-in link has already been used. Ask for a new one."
    )
