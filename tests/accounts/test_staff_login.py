"""Staff sign-in through the real app: form and JSON API, sessions, validation, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import anyio
import pytest

from accounts.tables import StaffUser
from tests.auth import DEFAULT_PASSWORD, login_staff, make_staff
from tests.conftest import ROOT, post


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def test_login_form_then_me(client):
    user = login_staff(client, role="admin")
    r = client.get("/api/auth/me")
    assert r.status_code == 200
    body = r.json()
    assert body["staff"]["email"] == "admin@ledamier.test"
    assert body["staff"]["role"] == "admin"
    assert body["staff"]["id"] == user.id
    stored = run(StaffUser.objects().where(StaffUser.id == user.id).first)
    assert stored.last_login_at is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert DEFAULT_PASSWORD not in stored.password_hash


def test_login_redirects_to_safe_next_only(client):
    run(make_staff, role="staff")
    form = {"email": "staff@ledamier.test", "password": DEFAULT_PASSWORD, "next": "/staff/events"}
    r = post(client, "/auth/login", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/staff/events"
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        r = post(client, "/auth/login", data={**form, "next": evil}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/staff", evil


def test_door_users_land_on_the_door_app(client):
    run(make_staff, role="door")
    form = {"email": "door@ledamier.test", "password": DEFAULT_PASSWORD}
    r = post(client, "/auth/login", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/door"


def test_wrong_password_and_unknown_email_give_the_same_answer(client):
    run(make_staff, role="staff")
    wrong = post(client, "/auth/login", data={"email": "staff@ledamier.test", "password": "not the password"})
    unknown = post(client, "/auth/login", data={"email": "nobody@ledamier.test", "password": "whatever123"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Identifiant ou mot de passe incorrect." in wrong.text  # French by default
    assert "Identifiant ou mot de passe incorrect." in unknown.text
    assert client.get("/api/auth/me").status_code == 401
    en = post(
        client,
        "/auth/login",
        data={"email": "staff@ledamier.test", "password": "nope nope nope"},
        headers={"accept-language": "en"},
    )
    assert "Wrong email or password." in en.text


def test_deactivated_user_cannot_sign_in_and_loses_session(client):
    user = login_staff(client, role="staff")
    assert client.get("/api/auth/me").status_code == 200
    from accounts.services import deactivate

    run(deactivate, user.id)
    assert client.get("/api/auth/me").status_code == 401
    r = post(client, "/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert r.status_code == 400


def test_session_is_cleared_at_login(client, mailbox):
    from tests.auth import login_attendee

    login_attendee(client, "visitor@example.org", mailbox)
    assert client.get("/api/auth/me").json()["attendee_email"] == "visitor@example.org"
    before = client.cookies.get("session")
    login_staff(client, role="staff")
    me = client.get("/api/auth/me").json()
    assert me["attendee_email"] is None  # nothing from the earlier session survives
    assert me["staff"]["role"] == "staff"
    assert client.cookies.get("session") != before


def test_logout_form_and_api(client):
    login_staff(client, role="staff")
    r = post(client, "/auth/logout", follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/auth/me").status_code == 401


def test_json_api_login_me_logout(client):
    run(make_staff, role="door", email="door@ledamier.test")
    r = post(client, "/api/auth/login", json={"email": "Door@LeDamier.test ", "password": DEFAULT_PASSWORD})
    assert r.status_code == 200, r.text
    assert r.json()["staff"]["role"] == "door"
    assert client.get("/api/auth/me").json()["staff"]["email"] == "door@ledamier.test"
    bad = post(client, "/api/auth/login", json={"email": "door@ledamier.test", "password": "wrong password"})
    assert bad.status_code == 401
    assert bad.json()["detail"] == "Identifiant ou mot de passe incorrect."
    assert post(client, "/api/auth/logout").status_code == 200
    assert client.get("/api/auth/me").status_code == 401


def test_api_is_documented_in_schema(client):
    schema = client.get("/schema/openapi.json").json()
    ops = {op.get("operationId"): op for path in schema["paths"].values() for op in path.values()}
    for op_id in ("apiAuthLogin", "apiAuthLogout", "apiAuthMe", "apiAuthRequestLink", "apiAuthUseLink"):
        assert op_id in ops, op_id
        assert "accounts" in ops[op_id]["tags"]


async def test_validation_messages_name_the_field():
    from accounts.services import create_staff_user
    from lib.errors import ValidationFailed
    from lib.i18n import current_locale

    cases = [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"role": "superuser"}, "role"),
        ({"name": "  "}, "name"),
    ]
    base = {"email": "ok@ledamier.test", "name": "Ok", "password": DEFAULT_PASSWORD, "role": "staff"}
    for change, field in cases:
        with pytest.raises(ValidationFailed) as exc:
            await create_staff_user(**{**base, **change})
        assert list(exc.value.errors) == [field]
    assert await StaffUser.count() == 0
    await create_staff_user(**base)
    with pytest.raises(ValidationFailed) as exc:
        await create_staff_user(**{**base, "email": " OK@ledamier.test"})
    assert exc.value.errors == {"email": "Un compte équipe existe déjà avec cette adresse e-mail."}
    token = current_locale.set("en")
    try:
        with pytest.raises(ValidationFailed) as exc:
            await create_staff_user(**{**base, "email": "x@ledamier.test", "password": "short"})
        assert exc.value.errors == {"password": "The password must be at least 10 characters long."}
    finally:
        current_locale.reset(token)
    assert await StaffUser.count() == 1


def test_api_validation_errors_in_request_language(client):
    login_staff(client, role="admin")
    r = post(
        client,
        "/api/staff/users",
        json={"email": "bad", "name": "X", "password": "short", "role": "boss"},
        headers={"accept-language": "en"},
    )
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert set(errors) == {"email", "password", "role"}
    assert errors["password"] == "The password must be at least 10 characters long."
    r = post(client, "/api/staff/users", json={"email": "bad", "name": "X", "password": DEFAULT_PASSWORD})
    assert r.json()["errors"] == {"email": "Saisissez une adresse e-mail valide."}


def test_cli_create_admin_then_sign_in(client):
    env = {**os.environ, "PICCOLO_CONF": "piccolo_conf"}
    cmd = [sys.executable, "-m", "server.cli", "create-admin", "--email", "Boss@LeDamier.test"]
    cmd += ["--name", "La Directrice", "--password", "une phrase de passe longue", "--role", "admin"]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "created admin boss@ledamier.test" in out.stdout
    form = {"email": "boss@ledamier.test", "password": "une phrase de passe longue"}
    r = post(client, "/auth/login", data=form, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/auth/me").json()["staff"]["role"] == "admin"
    # the same email again: refused, the field is named
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0
    assert "email" in again.stderr
    short = [*cmd[:5], "other@ledamier.test", "--name", "X", "--password", "short", "--role", "admin"]
    bad = subprocess.run(short, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "password" in bad.stderr


async def test_concurrent_creation_of_one_email_gives_one_account():
    import asyncio

    from accounts.services import create_staff_user
    from lib.errors import ValidationFailed

    results = await asyncio.gather(
        *(
            create_staff_user(email="same@ledamier.test", name=f"N{i}", password=DEFAULT_PASSWORD)
            for i in range(3)
        ),
        return_exceptions=True,
    )
    assert sum(1 for r in results if isinstance(r, StaffUser)) == 1
    assert all(
        isinstance(r, ValidationFailed) and "email" in r.errors
        for r in results
        if not isinstance(r, StaffUser)
    )
    assert await StaffUser.count() == 1
