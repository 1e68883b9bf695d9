"""Failed sign-ins are throttled per source and per account (issue 10, security 8): an attacker at one
address cannot lock the real user out from another, and a locked account (admin included) gets in
through a one-time link emailed to its address."""

from __future__ import annotations

import anyio
import pytest
from litestar.testing import TestClient

from tests.auth import DEFAULT_PASSWORD, LINK_RE, make_staff
from tests.conftest import post

PER_SOURCE = 10  # LOGIN_RATE_PER_15MIN (tests/conftest.py)
PER_ACCOUNT = 50  # LOGIN_ACCOUNT_LOCK_15MIN default
ADMIN = "admin@ledamier.test"


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


@pytest.fixture
def proxied(monkeypatch):
    """The app behind a trusted reverse proxy, so that X-Forwarded-For gives each request its source."""
    from lib.settings import get_settings
    from server.app import create_app

    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "testclient")
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    with TestClient(app=app, base_url="http://testserver.local") as c:
        yield c


def attempt(client, ip: str, password: str, email: str = ADMIN, **kwargs):
    return post(
        client,
        "/auth/login",
        data={"email": email, "password": password},
        headers={"x-forwarded-for": ip, **kwargs.pop("headers", {})},
        follow_redirects=False,
        **kwargs,
    )


def test_an_attacker_at_one_address_does_not_lock_the_admin_out_elsewhere(proxied):
    run(make_staff, role="admin", email=ADMIN)
    for _ in range(PER_SOURCE):
        assert attempt(proxied, "198.51.100.66", "guess guess guess").status_code == 400
    # the attacker's address is throttled, even with the right password
    assert attempt(proxied, "198.51.100.66", DEFAULT_PASSWORD).status_code == 429
    # the admin, from the office, signs in
    r = attempt(proxied, "203.0.113.10", DEFAULT_PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/staff"


def test_a_successful_sign_in_does_not_count_against_the_limits(proxied):
    run(make_staff, role="staff", email="staff@ledamier.test")
    for _ in range(PER_SOURCE + 5):
        r = attempt(proxied, "203.0.113.10", DEFAULT_PASSWORD, email="staff@ledamier.test")
        assert r.status_code == 303
        assert post(proxied, "/auth/logout", follow_redirects=False).status_code == 303


def test_a_locked_account_gets_in_by_an_emailed_one_time_link(proxied, mailbox):
    run(make_staff, role="admin", email=ADMIN)
    # many addresses guessing: the account itself locks
    for i in range(PER_ACCOUNT):
        assert attempt(proxied, f"198.51.100.{i // PER_SOURCE}", "guess guess guess").status_code == 400
    locked = attempt(proxied, "203.0.113.10", DEFAULT_PASSWORD, headers={"accept-language": "en"})
    assert locked.status_code == 429
    assert "Too many failed sign-ins on this account" in locked.text
    assert 'action="/auth/staff-link"' in locked.text  # the way in that remains
    r = post(proxied, "/auth/staff-link", data={"email": ADMIN}, headers={"x-forwarded-for": "203.0.113.10"})
    assert r.status_code == 200 and 'data-testid="staff-link-sent"' in r.text
    [msg] = mailbox.wait_for(ADMIN)
    assert msg["Subject"] == "Votre compte équipe LE DAMIER est bloqué : connectez-vous avec ce lien"
    path = LINK_RE.search(msg.get_body(preferencelist=("plain",)).get_content()).group(1)
    page = proxied.get(path)
    assert page.status_code == 200 and "Se connecter au compte équipe admin@ledamier.test" in page.text
    r = post(proxied, path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/staff"
    me = proxied.get("/api/auth/me").json()
    assert me["staff"]["email"] == ADMIN and me["staff"]["role"] == "admin"
    assert proxied.get("/staff").status_code == 200
    # the link works once
    assert post(proxied, path, follow_redirects=False).status_code == 400


def test_no_link_for_an_account_that_is_not_locked_and_the_same_answer(client, mailbox):
    run(make_staff, role="admin", email=ADMIN)
    for email in (ADMIN, "nobody@ledamier.test"):
        r = post(client, "/auth/staff-link", data={"email": email})
        assert r.status_code == 200 and 'data-testid="staff-link-sent"' in r.text
        api = post(client, "/api/auth/staff-link", json={"email": email})
        assert api.status_code == 202
    import time

    time.sleep(1)  # give a wrongly queued email the time to arrive
    assert mailbox.to(ADMIN) == [] and mailbox.to("nobody@ledamier.test") == []


async def test_a_staff_link_of_a_deactivated_account_signs_nobody_in(client, mailbox):
    from accounts.services import deactivate, request_staff_link
    from lib.tables import RateLimitHit

    user = await make_staff(role="staff", email="gone@ledamier.test")
    await RateLimitHit.insert(
        *[RateLimitHit(key="login:email:gone@ledamier.test") for _ in range(PER_ACCOUNT)]
    )
    issued = await request_staff_link("gone@ledamier.test")
    assert issued is not None
    await deactivate(user.id)
    path = "/auth/link/" + issued.token
    r = post(client, path, follow_redirects=False)
    assert r.status_code == 400
    assert client.get("/api/auth/me").status_code == 401


def test_the_admin_site_login_counts_failures_only(client):
    from lib.tables import RateLimitHit
    from tests.accounts.test_admin import admin_login

    run(make_staff, role="admin", email=ADMIN)
    for _ in range(3):  # (piccolo-admin's own in-memory limit allows 20 logins per 5 minutes)
        assert admin_login(client, ADMIN, DEFAULT_PASSWORD).status_code in (200, 303)
    assert run(RateLimitHit.count().run) == 0
    for _ in range(PER_SOURCE):
        assert admin_login(client, ADMIN, "wrong password!").status_code == 401
    assert admin_login(client, ADMIN, DEFAULT_PASSWORD).status_code == 429
