"""Role guards and the admins' staff account page."""

from __future__ import annotations

import anyio
from piccolo.apps.user.tables import BaseUser

from accounts.tables import StaffUser
from tests.auth import DEFAULT_PASSWORD, login_staff
from tests.conftest import post

HTML = {"accept": "text/html,application/xhtml+xml"}


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def test_anonymous_browser_is_sent_to_sign_in_and_api_gets_401(client):
    r = client.get("/staff/users", headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/auth/login?next=/staff/users"
    assert client.get("/staff/users", follow_redirects=False).status_code == 401
    assert client.get("/api/staff/users", headers=HTML).status_code == 401
    page = client.get("/auth/login?next=/staff/users")
    assert 'name="next" value="/staff/users"' in page.text


def test_door_and_staff_users_are_forbidden(client):
    login_staff(client, role="door")
    assert client.get("/staff/users", headers=HTML).status_code == 403
    assert client.get("/api/staff/users").status_code == 403
    r = post(
        client, "/staff/users", data={"email": "x@ledamier.test", "name": "X", "password": DEFAULT_PASSWORD}
    )
    assert r.status_code == 403
    login_staff(client, role="staff")
    assert client.get("/staff/users").status_code == 403
    assert run(StaffUser.count().run) == 2


def test_admin_manages_staff_accounts(client):
    login_staff(client, role="admin")
    page = client.get("/staff/users")
    assert page.status_code == 200 and "Comptes de l’équipe" in page.text
    form = {
        "email": "Nouveau@LeDamier.test",
        "name": "Nouvelle recrue",
        "password": "mot de passe solide",
        "role": "door",
    }
    r = post(client, "/staff/users", data=form, follow_redirects=False)
    assert r.status_code == 303
    user = run(StaffUser.objects().where(StaffUser.email == "nouveau@ledamier.test").first().run)
    assert user.role == "door" and user.active
    assert "nouveau@ledamier.test" in client.get("/staff/users").text

    assert post(client, f"/staff/users/{user.id}/role", data={"role": "staff"}).status_code == 200
    assert run(StaffUser.select(StaffUser.role).where(StaffUser.id == user.id).first().run)["role"] == "staff"
    admin_user = run(BaseUser.objects().where(BaseUser.username == "nouveau@ledamier.test").first().run)
    assert admin_user.admin and admin_user.active and not admin_user.superuser

    assert post(client, f"/staff/users/{user.id}/deactivate").status_code == 200
    assert (
        run(StaffUser.select(StaffUser.active).where(StaffUser.id == user.id).first().run)["active"] is False
    )
    admin_user = run(BaseUser.objects().where(BaseUser.username == "nouveau@ledamier.test").first().run)
    assert not admin_user.active and not admin_user.admin
    # the deactivated account cannot sign in any more
    with client.__class__(app=client.app, base_url="http://testserver.local") as other:
        r = post(
            other, "/auth/login", data={"email": "nouveau@ledamier.test", "password": "mot de passe solide"}
        )
        assert r.status_code == 400


def test_create_form_shows_field_errors_and_writes_nothing(client):
    login_staff(client, role="admin")
    form = {"email": "admin@ledamier.test", "name": "", "password": "court", "role": "chef"}
    r = post(client, "/staff/users", data=form, headers={"accept-language": "en"})
    assert r.status_code == 422
    for message in (
        "A staff account with this email already exists.",
        "The name is required.",
        "The password must be at least 10 characters long.",
        "The role must be one of: admin, staff, door.",
    ):
        assert message in r.text
    assert run(StaffUser.count().run) == 1


def test_last_admin_is_protected(client):
    admin = login_staff(client, role="admin")
    r = post(
        client, f"/staff/users/{admin.id}/role", data={"role": "staff"}, headers={"accept-language": "en"}
    )
    assert r.status_code == 422 and "The last active admin cannot lose the admin role." in r.text
    r = post(client, f"/staff/users/{admin.id}/deactivate")
    assert r.status_code == 422 and "Le dernier administrateur actif ne peut pas être désactivé." in r.text
    assert run(StaffUser.select(StaffUser.role).first().run)["role"] == "admin"


def test_set_password_and_role_change_take_effect(client):
    login_staff(client, role="admin")
    r = post(
        client,
        "/api/staff/users",
        json={"email": "p@ledamier.test", "name": "P", "password": DEFAULT_PASSWORD},
    )
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    r = post(client, f"/api/staff/users/{uid}", json={"password": "a brand new password", "role": "door"})
    assert r.status_code == 200 and r.json()["role"] == "door"
    with client.__class__(app=client.app, base_url="http://testserver.local") as other:
        old = post(other, "/auth/login", data={"email": "p@ledamier.test", "password": DEFAULT_PASSWORD})
        assert old.status_code == 400
        new = post(
            other,
            "/auth/login",
            data={"email": "p@ledamier.test", "password": "a brand new password"},
            follow_redirects=False,
        )
        assert new.status_code == 303
        assert other.get("/api/auth/me").json()["staff"]["role"] == "door"
