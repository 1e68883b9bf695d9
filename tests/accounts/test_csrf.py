"""Hardening (issue 10, security 9): CSRF tokens tied to the session, CSRF exclusions on exact paths,
no redirect to a foreign Referer, X-Forwarded-For trusted only from configured proxies."""

from __future__ import annotations

import re

import anyio
import pytest
from litestar.testing import TestClient

from tests.auth import DEFAULT_PASSWORD, login_staff, make_staff
from tests.conftest import post


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def app_with(monkeypatch, **env: str):
    """An app built with these environment settings (settings are read when the app is built)."""
    from lib.settings import get_settings
    from server.app import create_app

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        return create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def worker() -> TestClient:
    from server.app import create_app

    return TestClient(app=create_app(), base_url="http://testserver.local")


def send_with_token(client, url: str, token: str, **kwargs):
    """A request carrying `token` both as the CSRF cookie and header (a tossed cookie, a leaked token)."""
    client.cookies.set("csrftoken", token, domain="testserver.local")
    return client.post(url, headers={"x-csrftoken": token}, **kwargs)


# ---- CSRF tied to the session --------------------------------------------------------------------
def test_a_token_of_one_session_is_refused_in_another(client):
    incomplete = {"email": "new@ledamier.test"}  # passes CSRF, then fails validation: nothing written
    login_staff(client, role="admin", email="alice@ledamier.test")
    alice_token = client.cookies.get("csrftoken")
    assert send_with_token(client, "/api/staff/users/", alice_token, json=incomplete).status_code == 400
    with worker() as bob:
        login_staff(bob, role="admin", email="bob@ledamier.test")
        bob_token = bob.cookies.get("csrftoken")
        # Alice's token, valid in her session, is refused in Bob's (even planted as his cookie)
        assert send_with_token(bob, "/api/staff/users/", alice_token, json=incomplete).status_code == 403
        assert send_with_token(bob, "/api/staff/users/", bob_token, json=incomplete).status_code == 400


def test_the_token_of_a_visitor_is_refused_once_signed_in(client):
    client.get("/auth/login")
    anonymous_token = client.cookies.get("csrftoken")
    login_staff(client, role="admin")
    signed_in_token = client.cookies.get("csrftoken")
    assert signed_in_token != anonymous_token  # signing in issued a token for the new session
    r = send_with_token(client, "/api/auth/logout", anonymous_token)
    assert r.status_code == 403
    assert client.get("/api/auth/me").status_code == 200  # still signed in
    r = send_with_token(client, "/api/auth/logout", signed_in_token)
    assert r.status_code == 200


def test_a_form_rendered_for_the_session_posts_with_its_token(client):
    login_staff(client, role="admin")
    page = client.get("/staff/users")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/staff/users/",
        data={
            "_csrf_token": token,
            "email": "new@ledamier.test",
            "name": "New",
            "password": "x" * 12,
            "role": "staff",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert post(client, "/auth/logout", follow_redirects=False).status_code == 303
    # the same page token, once that session ended, is refused (the visitor now has another token)
    r = send_with_token(client, "/auth/login", token, data={"email": "a@b.fr", "password": "x"})
    assert r.status_code == 403


def test_signing_out_issues_a_fresh_token_that_works_for_the_next_sign_in(client):
    login_staff(client, role="staff")
    before = client.cookies.get("csrftoken")
    r = post(client, "/auth/logout", follow_redirects=False)
    after = [h for h in r.headers.get_list("set-cookie") if h.startswith("csrftoken=")]
    assert after and before not in after[0]
    r = post(client, "/auth/login", data={"email": "staff@ledamier.test", "password": DEFAULT_PASSWORD})
    assert r.status_code == 200 and client.get("/api/auth/me").status_code == 200


# ---- exclusions on exact paths -------------------------------------------------------------------
def test_csrf_exclusions_match_only_their_own_routes(client):
    login_staff(client, role="admin")
    client.cookies.delete("csrftoken")
    # paths that merely contain an excluded path are checked like any other
    for path in (
        "/staff/tickets/orders/api/webhooks",
        "/staff/tickets/orders/xapi/webhooks",
        "/api/orders/admin/cancel",
        "/auth/link/admin",
    ):
        r = client.post(path, data={}, follow_redirects=False)
        assert r.status_code == 403, (path, r.status_code)
    # the excluded routes themselves still work without a token
    assert client.post("/api/webhooks/stripe", content=b"{}").status_code == 400  # bad signature, no 403
    assert client.post("/api/devices/redeem", json={}).status_code == 401  # no device token, no 403


def test_every_route_skipping_csrf_is_the_webhook_the_device_api_or_the_admin(client):
    from server.core import csrf_exclusions

    patterns = [re.compile(p) for p in csrf_exclusions()]
    app = client.app
    skipped = set()
    for route in app.routes:
        path = re.sub(r"\{[^}]+\}", "x", route.path)
        if any(p.search(path) for p in patterns):
            skipped.add(route.path)
    for path in skipped:
        assert path.startswith(("/api/devices/", "/admin")) or path == "/api/webhooks/stripe", path
    assert "/api/webhooks/stripe" in skipped and "/api/devices/redeem" in skipped


# ---- no redirect to a foreign Referer ---------------------------------------------------------------
async def test_order_actions_return_to_a_same_site_path_only(client, mailbox):
    from tests.ticketing.factories import make_event, make_type
    from tests.ticketing.helpers import staff_login
    from ticketing import orders

    event = await make_event()
    free = await make_type(event, "Invitation", 0)
    placed = await orders.place_order(
        event_id=event.id,
        buyer={"name": "Alice Martin", "email": "alice@example.org"},
        items=[{"ticket_type": free.id, "quantity": 1}],
    )
    token = placed.order.token
    await staff_login(client)
    url = f"/staff/tickets/orders/{token}/resend"
    for referer in (
        "https://evil.example/phish",
        "//evil.example/x",
        "http://testserver.local.evil.example/",
    ):
        r = post(client, url, headers={"referer": referer}, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/staff/tickets/?flash="), (referer, r.headers["location"])
    # from the site's own filtered list, the filters are kept
    r = post(
        client,
        url,
        headers={"referer": f"http://testserver.local/staff/tickets/?event={event.id}&q=alice"},
        follow_redirects=False,
    )
    assert r.headers["location"].startswith(f"/staff/tickets/?event={event.id}&q=alice&flash=")
    # a same-site page outside the orders list is no destination either
    r = post(client, url, headers={"referer": "http://testserver.local/auth/logout"}, follow_redirects=False)
    assert r.headers["location"].startswith("/staff/tickets/?flash=")
    # the form may say where to go back (a local path only)
    r = post(client, url, data={"next": "https://evil.example/"}, follow_redirects=False)
    assert r.headers["location"].startswith("/staff/tickets/?flash=")


# ---- X-Forwarded-For only from trusted proxies -------------------------------------------------------
@pytest.fixture
def behind_proxy(monkeypatch):
    """The app behind a reverse proxy it trusts (the test client's peer is called "testclient")."""
    with TestClient(
        app=app_with(monkeypatch, FORWARDED_ALLOW_IPS="127.0.0.1,testclient"),
        base_url="http://testserver.local",
    ) as c:
        yield c


def test_forwarded_for_is_ignored_from_an_untrusted_peer(client):
    """By default only the local proxy is trusted: a client cannot pick its address to escape limits."""
    run(make_staff, role="staff")
    bad = {"email": "staff@ledamier.test", "password": "wrong password"}
    for i in range(10):
        r = post(client, "/auth/login", data=bad, headers={"x-forwarded-for": f"198.51.100.{i}"})
        assert r.status_code == 400
    r = post(client, "/auth/login", data=bad, headers={"x-forwarded-for": "198.51.100.77"})
    assert r.status_code == 429


def test_forwarded_for_from_a_trusted_proxy_is_the_client_address(behind_proxy):
    from lib.tables import RateLimitHit

    run(make_staff, role="staff")
    bad = {"email": "staff@ledamier.test", "password": "wrong password"}
    r = post(behind_proxy, "/auth/login", data=bad, headers={"x-forwarded-for": "203.0.113.9, 10.0.0.2"})
    assert r.status_code == 400
    keys = {h["key"] for h in run(RateLimitHit.select(RateLimitHit.key).run)}
    assert "login:ip:10.0.0.2" in keys  # the rightmost address the trusted proxy saw
    assert not any("testclient" in k for k in keys)


def test_serve_gives_uvicorn_the_trusted_proxies_of_the_settings(monkeypatch):
    from lib.settings import load_settings
    from server.cli import uvicorn_options

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    options = uvicorn_options(load_settings(), host="0.0.0.0", port=8000, workers=2, access_log=False)
    assert options["proxy_headers"] is True and options["forwarded_allow_ips"] == "127.0.0.1,::1"
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")
    assert (
        uvicorn_options(load_settings(), host="::", port=1, workers=1, access_log=False)[
            "forwarded_allow_ips"
        ]
        == ""
    )  # nobody: X-Forwarded-For is ignored
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.0/8")
    assert (
        uvicorn_options(load_settings(), host="::", port=1, workers=1, access_log=False)[
            "forwarded_allow_ips"
        ]
        == "10.0.0.0/8"
    )
