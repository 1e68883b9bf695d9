"""Session cookie flags, Secure cookies behind HTTPS, CSRF on every accounts form."""

from __future__ import annotations

import anyio
import pytest
from litestar.testing import TestClient

from accounts.tables import LoginLink, StaffUser
from tests.auth import DEFAULT_PASSWORD, login_staff, make_staff, request_link
from tests.conftest import post


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def session_cookie_header(response) -> str:
    [header] = [h for h in response.headers.get_list("set-cookie") if h.startswith("session=")]
    return header.lower()


def test_session_cookie_is_httponly_and_samesite_lax(client):
    run(make_staff, role="staff")
    r = post(
        client,
        "/auth/login",
        data={"email": "staff@ledamier.test", "password": DEFAULT_PASSWORD},
        follow_redirects=False,
    )
    header = session_cookie_header(r)
    assert "httponly" in header
    assert "samesite=lax" in header
    assert "secure" not in header.replace("samesite", "")  # plain-HTTP deployment by default


@pytest.fixture
def secure_client(monkeypatch):
    from lib.settings import get_settings
    from server.app import create_app

    monkeypatch.setenv("SECURE_COOKIES", "1")
    get_settings.cache_clear()
    try:
        assert get_settings().secure_cookies
        app = create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    with TestClient(app=app, base_url="https://testserver.local") as c:
        yield c


def test_secure_cookies_setting_marks_cookies_secure(secure_client):
    run(make_staff, role="staff")
    first = secure_client.get("/auth/login")
    csrf = [h for h in first.headers.get_list("set-cookie") if h.startswith("csrftoken=")]
    assert csrf and "secure" in csrf[0].lower()
    r = secure_client.post(
        "/auth/login",
        data={"email": "staff@ledamier.test", "password": DEFAULT_PASSWORD},
        headers={"x-csrftoken": secure_client.cookies.get("csrftoken")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    header = session_cookie_header(r)
    assert "; secure" in header and "httponly" in header and "samesite=lax" in header


def test_forms_without_csrf_token_are_refused(client, mailbox):
    run(make_staff, role="staff")
    client.get("/auth/login")  # the browser has the CSRF cookie, the attacker's form has no token
    creds = {"email": "staff@ledamier.test", "password": DEFAULT_PASSWORD}
    assert client.post("/auth/login", data=creds).status_code == 403
    assert client.post("/api/auth/login", json=creds).status_code == 403
    assert client.post("/auth/link", data={"email": "a@example.org"}).status_code == 403
    assert run(LoginLink.count().run) == 0
    path = request_link(client, "victim@example.org", mailbox)
    assert client.post(path, follow_redirects=False).status_code == 403
    assert run(LoginLink.select(LoginLink.used_at).first().run)["used_at"] is None  # link not burnt
    login_staff(client, role="admin")
    form = {"email": "x@ledamier.test", "name": "X", "password": DEFAULT_PASSWORD}
    assert client.post("/staff/users", data=form).status_code == 403
    assert client.post("/auth/logout").status_code == 403
    assert run(StaffUser.count().run) == 2
    # a forged token is refused too; the form's own hidden token works
    assert client.post("/auth/login", data={**creds, "_csrf_token": "forged"}).status_code == 403
    page = client.get("/auth/login")
    token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
    r = client.post("/auth/login", data={**creds, "_csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
