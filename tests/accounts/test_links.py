"""One-time sign-in links for attendees and participants, through the real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import anyio

from accounts.tables import LoginLink
from lib.tokens import hash_token
from tests.auth import link_from_message, login_attendee, request_link
from tests.conftest import post


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def test_magic_link_end_to_end(client, mailbox):
    location = login_attendee(client, "Visitor@Example.org", mailbox, next="/events")
    assert location == "/events"
    me = client.get("/api/auth/me").json()
    assert me == {"staff": None, "attendee_email": "visitor@example.org"}
    [msg] = mailbox.to("visitor@example.org")
    assert msg["Subject"] == "Votre lien de connexion aux événements du DAMIER"  # French by default
    path = link_from_message(msg)
    token = path.rsplit("/", 1)[1]
    assert "http://testserver.local/auth/link/" in msg.get_body(preferencelist=("plain",)).get_content()
    rows = run(LoginLink.select().run)
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hash_token(token)
    assert token not in str(rows[0])  # only the hash is stored
    assert rows[0]["used_at"] is not None


def test_english_request_gets_english_email(client, mailbox):
    request_link(client, "guest@example.org", mailbox, headers={"accept-language": "en-GB,en;q=0.9"})
    [msg] = mailbox.to("guest@example.org")
    assert msg["Subject"] == "Your sign-in link for LE DAMIER events"
    assert "It works once and expires in 30 minutes" in msg.get_body(preferencelist=("plain",)).get_content()


def test_get_does_not_consume_the_link(client, mailbox):
    path = request_link(client, "scanned@example.org", mailbox)
    for _ in range(3):  # a mail scanner prefetching the link
        page = client.get(path)
        assert page.status_code == 200
        assert "scanned@example.org" in page.text
        assert 'name="_csrf_token"' in page.text
    assert client.get("/api/auth/me").status_code == 401
    r = post(client, path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert client.get("/api/auth/me").json()["attendee_email"] == "scanned@example.org"


def test_reused_link_is_refused_in_the_users_language(client, mailbox):
    path = request_link(client, "twice@example.org", mailbox)
    assert post(client, path, follow_redirects=False).status_code == 303
    again = post(client, path, follow_redirects=False)
    assert again.status_code == 400
    assert "Ce lien de connexion a déjà été utilisé." in again.text
    page = client.get(path)
    assert page.status_code == 400 and "déjà été utilisé" in page.text
    en = client.get(path + "?lang=en")
    assert en.status_code == 400
    assert "This sign-in link has already been used. Ask for a new one." in en.text


def test_link_requested_in_english_shows_english_errors(client, mailbox):
    path = request_link(client, "en@example.org", mailbox, headers={"accept-language": "en"})
    assert post(client, path, follow_redirects=False).status_code == 303
    other = client.__class__(app=client.app, base_url="http://testserver.local")  # another browser
    with other:
        r = post(other, path, follow_redirects=False)
    assert r.status_code == 400
    assert "This sign-in link has already been used." in r.text


def test_expired_link_is_refused(client, mailbox):
    path = request_link(client, "late@example.org", mailbox)
    token = path.rsplit("/", 1)[1]
    past = datetime.now(UTC) - timedelta(minutes=1)
    run(LoginLink.update({LoginLink.expires_at: past}).where(LoginLink.token_hash == hash_token(token)).run)
    r = post(client, path, follow_redirects=False)
    assert r.status_code == 400
    assert "Ce lien de connexion a expiré. Demandez-en un nouveau." in r.text
    en = post(client, path + "?lang=en", follow_redirects=False)
    assert en.status_code == 400
    assert "This sign-in link has expired. Ask for a new one." in en.text
    assert client.get("/api/auth/me").status_code == 401


def test_link_expiry_follows_settings(client, mailbox):
    request_link(client, "timing@example.org", mailbox)
    [row] = run(LoginLink.select().run)
    delta = row["expires_at"] - row["created_at"]
    assert timedelta(minutes=29) < delta <= timedelta(minutes=30, seconds=5)


def test_unknown_token_and_bad_email(client):
    r = client.get("/auth/link/not-a-real-token")
    assert r.status_code == 400 and "n’est pas valide" in r.text
    bad = post(client, "/auth/link", data={"email": "not an email"}, headers={"accept-language": "en"})
    assert bad.status_code == 422
    assert "Enter a valid email address." in bad.text
    assert run(LoginLink.count().run) == 0


def test_json_api_link_flow(client, mailbox):
    r = post(client, "/api/auth/link", json={"email": "api@example.org", "next": "https://evil.example/"})
    assert r.status_code == 202
    [msg] = mailbox.wait_for("api@example.org")
    token = link_from_message(msg).rsplit("/", 1)[1]
    used = post(client, f"/api/auth/link/{token}")
    assert used.status_code == 200
    assert used.json() == {"attendee_email": "api@example.org", "next": "/"}
    assert client.get("/api/auth/me").json()["attendee_email"] == "api@example.org"
    again = post(client, f"/api/auth/link/{token}", headers={"accept-language": "en"})
    assert again.status_code == 400
    assert again.json()["detail"] == "This sign-in link has already been used. Ask for a new one."
    bad = post(client, "/api/auth/link", json={"email": "nope"})
    assert bad.status_code == 422 and bad.json()["errors"] == {
        "email": "Saisissez une adresse e-mail valide."
    }


async def test_concurrent_use_signs_in_once(jobs_worker):
    import asyncio

    from accounts.services import LinkInvalid, consume_login_link, request_login_link

    issued = await request_login_link("race@example.org")
    results = await asyncio.gather(
        *(consume_login_link(issued.token) for _ in range(5)), return_exceptions=True
    )
    ok = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, LinkInvalid)]
    assert len(ok) == 1 and len(refused) == 4
