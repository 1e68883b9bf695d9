"""piccolo-admin at /admin: mounted, and signing in with the StaffUser credentials kept in sync."""

from __future__ import annotations

import anyio
from piccolo.apps.user.tables import BaseUser

from tests.auth import DEFAULT_PASSWORD, login_staff, make_staff
from tests.conftest import post


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def admin_login(client, username: str, password: str):
    """piccolo-admin's own login endpoint, with its double-submit CSRF header."""
    client.get("/admin/")
    token = client.cookies.get("csrftoken")
    assert token
    return client.post(
        "/admin/public/login/",
        json={"username": username, "password": password},
        headers={"x-csrftoken": token},
        follow_redirects=False,
    )


def test_admin_mount_answers(client):
    for url in ("/admin", "/admin?x=1"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 308 and r.headers["location"] == "/admin/"
    r = client.get("/admin/")
    assert r.status_code == 200
    assert "<html" in r.text.lower()
    meta = client.get("/admin/public/meta/")
    assert meta.status_code == 200
    assert meta.json()["site_name"] == "LE DAMIER — admin"
    assert client.get("/admin/api/tables/").status_code == 401  # private API needs a piccolo-admin session


def test_staff_user_signs_in_to_piccolo_admin(client):
    run(make_staff, role="staff", email="editor@ledamier.test")
    r = admin_login(client, "editor@ledamier.test", DEFAULT_PASSWORD)
    assert r.status_code in (200, 303), r.text
    tables = client.get("/admin/api/tables/")
    assert tables.status_code == 200
    assert {"event", "event_session", "organisation", "person", "venue", "room"} <= set(tables.json())
    user = client.get("/admin/api/user/").json()
    assert user["username"] == "editor@ledamier.test"


def test_wrong_password_door_and_deactivated_users_are_refused(client):
    run(make_staff, role="door", email="door@ledamier.test")
    staff = run(make_staff, role="staff", email="gone@ledamier.test")
    assert admin_login(client, "door@ledamier.test", DEFAULT_PASSWORD).status_code == 401
    assert admin_login(client, "gone@ledamier.test", "wrong password!").status_code == 401
    from accounts.services import deactivate

    assert admin_login(client, "gone@ledamier.test", DEFAULT_PASSWORD).status_code in (200, 303)
    assert client.get("/admin/api/tables/").status_code == 200
    run(deactivate, staff.id)
    assert client.get("/admin/api/tables/").status_code == 401  # its admin session ended
    assert admin_login(client, "gone@ledamier.test", DEFAULT_PASSWORD).status_code == 401


def test_role_and_password_changes_reach_piccolo_admin(client):
    from accounts.services import set_password, set_role

    door = run(make_staff, role="door", email="promoted@ledamier.test")
    row = run(BaseUser.objects().where(BaseUser.username == "promoted@ledamier.test").first().run)
    assert row is None or not (row.admin or row.active)  # door: no admin access
    run(set_role, door.id, "admin")
    run(set_password, door.id, "the admin password")
    row = run(BaseUser.objects().where(BaseUser.username == "promoted@ledamier.test").first().run)
    assert row.admin and row.superuser and row.active
    assert admin_login(client, "promoted@ledamier.test", "the admin password").status_code in (200, 303)


def test_admin_login_uses_the_shared_rate_limit(client):
    for _ in range(10):
        assert admin_login(client, "nobody@ledamier.test", "wrong password!").status_code == 401
    r = admin_login(client, "nobody@ledamier.test", "wrong password!")
    assert r.status_code == 429


def test_admin_csrf_cookie_keeps_site_forms_working(client):
    """Visiting /admin first must not leave a cookie that the site's own CSRF check refuses."""
    client.get("/admin/")
    assert client.cookies.get("csrftoken")
    login_staff(client, role="admin")  # a site form posted with that same cookie
    assert client.get("/api/auth/me").status_code == 200
    r = client.post("/admin/public/login/", json={"username": "admin@ledamier.test", "password": "b"})
    assert r.status_code == 403  # piccolo-admin still wants its CSRF header
    assert post(client, "/api/auth/logout").status_code == 200
