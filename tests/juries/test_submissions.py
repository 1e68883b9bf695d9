"""Calls and film submissions through the real stack: eligibility rules with a message naming the field,
the confirmation email (FR/EN) through the real SMTP, edits until the deadline, the still image checks."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime, timedelta

import anyio
import pytest

from juries.tables import Call, Entry
from tests.auth import login_staff
from tests.conftest import post, send
from tests.juries.helpers import call_body, court_event, film, member, sign_in


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def call_id(client):
    event = anyio.run(court_event)
    login_staff(client)
    r = post(client, "/api/juries/calls", json=call_body(event["id"]))
    assert r.status_code == 201, r.text
    client.cookies.clear()
    return r.json()["id"]


def submit(client, call_id, body, **kw):
    return post(client, f"/api/juries/calls/{call_id}/submissions", json=body, **kw)


def test_call_settings_are_checked(client):
    login_staff(client)
    r = post(client, "/api/juries/calls", json=call_body(eligibility="friends", hidden_fields=["title"]))
    assert r.status_code == 422
    assert set(r.json()["errors"]) >= {"eligibility", "hidden_fields"}
    now = datetime.now(UTC)
    r = post(client, "/api/juries/calls", json=call_body(deadline=(now - timedelta(days=3)).isoformat()))
    assert r.status_code == 422 and "deadline" in r.json()["errors"]


def test_member_submits_and_gets_the_confirmation(client, mailbox, call_id):
    anyio.run(lambda: member("Studio Volcan", "volcan.test"))
    sign_in(client, "anne@volcan.test", mailbox)
    r = submit(client, call_id, film("La Montagne"))
    assert r.status_code == 201, r.text
    entry = r.json()
    assert entry["status"] == "eligible" and entry["producer"] == "Studio Volcan"
    assert entry["runtime_seconds"] == 12 * 60 + 30
    mails = mailbox.wait_for("anne@volcan.test", count=2)  # the sign-in link, then the confirmation
    confirmation = mails[-1]
    assert "La Montagne" in confirmation["Subject"] and "reçu" in confirmation["Subject"]
    assert f"/juries/{call_id}/entries/{entry['id']}" in confirmation.get_body(("plain",)).get_content()
    # the submitter edits until the deadline, and sees the status
    r = send(client, "PATCH", f"/api/juries/me/entries/{entry['id']}", json={"title": "La Montagne (v2)"})
    assert r.status_code == 200 and r.json()["title"] == "La Montagne (v2)"
    mine = client.get("/api/juries/me/entries").json()
    assert [(e["title"], e["status"]) for e in mine] == [("La Montagne (v2)", "eligible")]


def test_confirmation_in_english(client, mailbox, call_id):
    anyio.run(lambda: member("Studio Volcan", "volcan.test"))
    sign_in(client, "bob@volcan.test", mailbox)
    r = submit(client, call_id, film("The Mountain"), headers={"accept-language": "en"})
    assert r.status_code == 201, r.text
    confirmation = mailbox.wait_for("bob@volcan.test", count=2)[-1]
    assert confirmation["Subject"] == "Your film “The Mountain” is received"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"runtime": "25:00"}, "runtime"),
        ({"runtime": "12 minutes"}, "runtime"),
        ({"year": 2001}, "year"),
        ({"genre": "western"}, "genre"),
        ({"title": ""}, "title"),
        ({"screener_url": "javascript:alert(1)"}, "screener_url"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_entries_are_refused_naming_the_field(client, mailbox, call_id, override, field):
    anyio.run(lambda: member("Studio Volcan", "volcan.test"))
    sign_in(client, "anne@volcan.test", mailbox)
    r = submit(client, call_id, {**film("X"), **override})
    assert r.status_code == 422, r.text
    assert field in r.json()["errors"]
    assert anyio.run(lambda: Entry.count()) == 0


def test_eligibility_rules(client, mailbox, call_id):
    anyio.run(lambda: member("Studio Volcan", "volcan.test"))
    anyio.run(lambda: member("Unpaid Films", "unpaid.test", paid=False))
    sign_in(client, "anne@volcan.test", mailbox)
    assert submit(client, call_id, film("One")).status_code == 201
    assert submit(client, call_id, film("Two")).status_code == 201
    third = submit(client, call_id, film("Three"))  # two entries per organisation
    assert third.status_code == 422 and "organisation_id" in third.json()["errors"]
    assert "2" in third.json()["errors"]["organisation_id"]
    sign_in(client, "zoe@unpaid.test", mailbox)
    unpaid = submit(client, call_id, film("Unpaid"))
    assert unpaid.status_code == 422 and "organisation_id" in unpaid.json()["errors"]
    sign_in(client, "someone@gmail.com", mailbox)
    stranger = submit(client, call_id, film("Stranger"))
    assert stranger.status_code == 422 and "organisation_id" in stranger.json()["errors"]
    # after the deadline nothing is accepted, nor changed
    anyio.run(
        lambda: Call.update({Call.deadline: datetime.now(UTC) - timedelta(minutes=1)}).where(
            Call.id == call_id
        )
    )
    sign_in(client, "anne@volcan.test", mailbox)
    late = submit(client, call_id, film("Late"))
    assert late.status_code == 422 and "deadline" in late.json()["errors"]
    entry_id = client.get("/api/juries/me/entries").json()[0]["id"]
    r = send(client, "PATCH", f"/api/juries/me/entries/{entry_id}", json={"title": "Changed"})
    assert r.status_code == 422 and "deadline" in r.json()["errors"]
    assert anyio.run(lambda: Entry.count()) == 2


def test_open_call_takes_anyone(client, mailbox):
    event = anyio.run(court_event)
    login_staff(client)
    call = post(client, "/api/juries/calls", json=call_body(event["id"], eligibility="anyone")).json()
    sign_in(client, "someone@gmail.com", mailbox)
    assert submit(client, call["id"], film("Open")).status_code == 201


def test_still_upload_checks_type_and_size(client, mailbox, call_id):
    anyio.run(lambda: member("Studio Volcan", "volcan.test"))
    sign_in(client, "anne@volcan.test", mailbox)
    entry_id = submit(client, call_id, film("Still")).json()["id"]
    url = f"/api/juries/me/entries/{entry_id}/still"
    gif = send(client, "PUT", url, content=b"GIF89a....", headers={"content-type": "image/gif"})
    assert gif.status_code == 422 and "still" in gif.json()["errors"]
    liar = send(client, "PUT", url, content=b"not a png at all", headers={"content-type": "image/png"})
    assert liar.status_code == 422 and "still" in liar.json()["errors"]
    big = send(
        client, "PUT", url, content=png() + b"\0" * (5 * 1024 * 1024), headers={"content-type": "image/png"}
    )
    assert big.status_code in (413, 422)
    ok = send(client, "PUT", url, content=png(), headers={"content-type": "image/png"})
    assert ok.status_code == 200 and ok.json()["has_still"] is True
    image = client.get(f"/juries/stills/{entry_id}")
    assert image.status_code == 200 and image.content == png()
    client.cookies.clear()
    assert client.get(f"/juries/stills/{entry_id}").status_code == 404  # not for anybody


def test_submitter_must_be_signed_in(client, call_id):
    r = submit(client, call_id, film("Anon"))
    assert r.status_code == 401


def test_member_submits_through_the_form_page(client, mailbox, call_id):
    anyio.run(lambda: member("Studio Volcan", "volcan.test"))
    assert client.get(f"/juries/{call_id}/submit", follow_redirects=False).status_code in (302, 303)
    sign_in(client, "anne@volcan.test", mailbox)
    page = client.get(f"/juries/{call_id}/submit")
    assert page.status_code == 200 and 'name="runtime"' in page.text
    fields = {k: str(v) for k, v in film("Le Puy").items() if k != "rights_cleared"}
    bad = post(client, f"/juries/{call_id}/submit", data={**fields, "runtime": "99:00"})
    assert bad.status_code == 422 and 'data-testid="error-runtime"' in bad.text and "Le Puy" in bad.text
    files = {"still": ("still.png", png(), "image/png")}
    r = post(client, f"/juries/{call_id}/submit", data={**fields, "rights_cleared": "on"}, files=files)
    assert r.status_code == 200, r.text[:500]
    assert "reçu" in r.text and 'data-testid="entry-status"' in r.text
    entry = client.get("/api/juries/me/entries").json()[0]
    assert entry["has_still"] and entry["rights_cleared"]
