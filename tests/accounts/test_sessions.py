"""Sessions live in the database: signing out, signing out everywhere, a password change and a
deactivation end them at once, on every web worker; a cookie saved before is worth nothing after."""

from __future__ import annotations

import re

import anyio
from litestar.testing import TestClient

from lib.tokens import hash_token
from tests.auth import DEFAULT_PASSWORD, login_attendee, login_staff, make_staff
from tests.conftest import post


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def worker() -> TestClient:
    """Another web worker: an independent app instance sharing only the database."""
    from server.app import create_app

    return TestClient(app=create_app(), base_url="http://testserver.local")


def replay(cookie: str) -> TestClient:
    """A client that only has a copy of a session cookie (saved from the browser, a proxy log...)."""
    c = worker()
    c.cookies.set("session", cookie, domain="testserver.local")
    return c


def test_staff_cookie_saved_before_logout_is_refused_after(client):
    from accounts.tables import WebSession

    login_staff(client, role="admin")
    saved = client.cookies.get("session")
    with replay(saved) as copy:
        assert copy.get("/api/auth/me").status_code == 200  # the copy works while the session lives
        assert copy.get("/staff", follow_redirects=False).status_code == 200
    r = post(client, "/auth/logout", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    with replay(saved) as copy:
        assert copy.get("/api/auth/me").status_code == 401
        page = copy.get("/staff", headers={"accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/auth/login")
        assert post(copy, "/api/staff/users/", json={}).status_code == 401
    assert run(WebSession.count().run) == 0


def test_attendee_cookie_saved_before_logout_is_refused_after(client, mailbox):
    login_attendee(client, "visitor@example.org", mailbox)
    saved = client.cookies.get("session")
    with replay(saved) as copy:
        assert copy.get("/api/auth/me").json()["attendee_email"] == "visitor@example.org"
    assert post(client, "/api/auth/logout").status_code == 200
    with replay(saved) as copy:
        r = copy.get("/me", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/auth/link")
        # the dead cookie is cleared in the answer
        cleared = [h for h in r.headers.get_list("set-cookie") if h.startswith("session=")]
        assert cleared and "max-age=0" in cleared[0].lower()
    with replay(saved) as copy:
        assert copy.get("/api/auth/me").status_code == 401


def test_the_cookie_is_an_opaque_key_and_only_its_hash_is_stored(client):
    user = login_staff(client, role="staff")
    key = client.cookies.get("session")
    assert re.fullmatch(r"[A-Za-z0-9_\-]{40,}", key)
    assert "staff" not in key and "{" not in key  # not the signed data of a client-side session
    from accounts.tables import WebSession

    [row] = run(WebSession.select().run)
    assert row["key_hash"] == hash_token(key) and key not in str(row)
    assert row["staff_user"] == user.id


def test_sessions_are_shared_by_web_workers(client):
    login_staff(client, role="staff")
    key = client.cookies.get("session")
    with replay(key) as other:
        for _ in range(3):
            assert other.get("/api/auth/me").json()["staff"]["email"] == "staff@ledamier.test"
        assert post(other, "/api/auth/logout").status_code == 200  # signed out on the other worker
    assert client.get("/api/auth/me").status_code == 401  # ... is signed out here too


def test_sign_out_everywhere_ends_every_session_of_the_staff_member(client):
    login_staff(client, role="staff")
    with worker() as phone, worker() as colleague:
        r = post(phone, "/auth/login", data={"email": "staff@ledamier.test", "password": DEFAULT_PASSWORD})
        assert r.status_code == 200  # followed the redirect to the back office
        login_staff(colleague, role="admin")
        assert phone.get("/api/auth/me").status_code == 200
        r = post(client, "/api/auth/logout-everywhere")
        assert r.status_code == 200 and r.json()["sessions_ended"] == 2
        assert client.get("/api/auth/me").status_code == 401
        assert phone.get("/api/auth/me").status_code == 401
        assert colleague.get("/api/auth/me").status_code == 200  # someone else's session lives on


def test_sign_out_everywhere_for_an_attendee_from_the_personal_space(client, mailbox):
    login_attendee(client, "visitor@example.org", mailbox)
    with worker() as laptop:
        login_attendee(laptop, "visitor@example.org", mailbox)
        me = client.get("/me")
        assert "connecté·e sur 2 appareils ou navigateurs" in me.text
        assert 'action="/auth/logout-everywhere"' in me.text
        r = post(client, "/auth/logout-everywhere", follow_redirects=False)
        assert r.status_code == 303
        assert laptop.get("/api/auth/me").status_code == 401
        assert client.get("/api/auth/me").status_code == 401


def test_a_password_change_ends_the_accounts_sessions_but_keeps_the_changer_signed_in(client):
    from accounts.services import set_password

    admin = login_staff(client, role="admin")
    user = run(make_staff, role="staff", email="editor@ledamier.test")
    with worker() as editor, worker() as admin_phone:
        post(editor, "/auth/login", data={"email": "editor@ledamier.test", "password": DEFAULT_PASSWORD})
        post(admin_phone, "/auth/login", data={"email": "admin@ledamier.test", "password": DEFAULT_PASSWORD})
        assert editor.get("/api/auth/me").status_code == 200
        # the admin resets the editor's password: the editor's sessions end
        r = post(client, f"/staff/users/{user.id}/password", data={"password": "a brand new password"})
        assert r.status_code == 200
        assert editor.get("/api/auth/me").status_code == 401
        # the admin changes their own password on this browser: it stays signed in, the phone does not
        post(client, f"/staff/users/{admin.id}/password", data={"password": "another new password"})
        assert client.get("/api/auth/me").status_code == 200
        assert admin_phone.get("/api/auth/me").status_code == 401
    run(set_password, admin.id, "and yet another one")  # from the CLI or a service: every session ends
    assert client.get("/api/auth/me").status_code == 401


def test_deactivation_deletes_the_sessions(client):
    from accounts.services import deactivate
    from accounts.tables import WebSession

    user = login_staff(client, role="staff")
    assert run(WebSession.count().run) == 1
    run(deactivate, user.id)
    assert run(WebSession.count().run) == 0
    assert client.get("/api/auth/me").status_code == 401


def test_an_expired_session_is_refused_and_removed(client):
    from datetime import UTC, datetime, timedelta

    from accounts.tables import WebSession

    login_staff(client, role="staff")
    past = datetime.now(UTC) - timedelta(minutes=1)
    run(WebSession.update({WebSession.expires_at: past}, force=True).run)
    assert client.get("/api/auth/me").status_code == 401
    assert run(WebSession.count().run) == 0


def test_session_lifetime_follows_the_setting(client, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from accounts.tables import WebSession
    from lib.settings import get_settings

    monkeypatch.setenv("SESSION_HOURS", "3")
    get_settings.cache_clear()
    try:
        login_staff(client, role="staff")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    [row] = run(WebSession.select(WebSession.expires_at).run)
    left = row["expires_at"] - datetime.now(UTC)
    assert timedelta(hours=2, minutes=58) < left <= timedelta(hours=3)


def test_sign_out_is_offered_on_the_public_staff_and_door_layouts(client, mailbox):
    anonymous = client.get("/events")
    assert 'data-testid="sign-in"' in anonymous.text and 'action="/auth/logout"' not in anonymous.text
    login_staff(client, role="admin")
    for path in ("/", "/events", "/staff", "/staff/events", "/door"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'action="/auth/logout"' in page.text, path
        assert "Test admin" in page.text, path  # the signed-in staff member's name
    r = client.get("/staff")
    form = re.search(r'<form method="post" action="/auth/logout".*?</form>', r.text, re.S).group(0)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form).group(1)
    out = client.post("/auth/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/api/auth/me").status_code == 401
