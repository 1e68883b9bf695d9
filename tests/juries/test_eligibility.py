"""The entry's status path, through the real stack: received (the rights not cleared yet) → eligible (the
submitter clears them) → in selection (the first round opens; received entries stay out) → selected / not
selected; a member whose standing lapsed before the first round goes back to received. The submitter sees
each step on the entry's page."""

from __future__ import annotations

import anyio

from members.tables import MembershipYear
from tests.conftest import post, send
from tests.juries.helpers import call_body, court_event, film, member, sign_in, sign_in_staff


def _status(client, entry_id: int) -> str:
    return {e["id"]: e["status"] for e in client.get("/api/juries/me/entries").json()}[entry_id]


def test_received_eligible_in_selection_selected(client, mailbox):
    event = anyio.run(court_event)
    anyio.run(lambda: member("Studio Volcan", "volcan.test"))
    lapsing = anyio.run(lambda: member("Lapsing Films", "lapsing.test"))
    sign_in_staff(client)
    call = post(client, "/api/juries/calls", json=call_body(event["id"], jurors_per_entry=1)).json()
    client.cookies.clear()
    sign_in(client, "anne@volcan.test", mailbox)
    pending = post(
        client, f"/api/juries/calls/{call['id']}/submissions", json=film("Sans droits", rights_cleared=False)
    ).json()
    assert pending["status"] == "received"
    page = client.get(f"/juries/{call['id']}/entries/{pending['id']}")
    assert 'data-testid="eligibility-gaps"' in page.text and "droits" in page.text
    assert 'aria-current="step"' in page.text
    kept_back = post(
        client,
        f"/api/juries/calls/{call['id']}/submissions",
        json=film("Toujours sans droits", genre="documentary", rights_cleared=False),
    ).json()
    # the submitter clears the rights: eligible, and the page says so
    r = send(client, "PATCH", f"/api/juries/me/entries/{pending['id']}", json={"rights_cleared": True})
    assert r.status_code == 200 and r.json()["status"] == "eligible"
    page = client.get(f"/juries/{call['id']}/entries/{pending['id']}?lang=en")
    assert 'data-testid="eligibility-gaps"' not in page.text
    assert '<li aria-current="step" data-done="yes">✓ <strong>eligible</strong>' in page.text
    # unticking takes it back
    r = send(client, "PATCH", f"/api/juries/me/entries/{pending['id']}", json={"rights_cleared": False})
    assert r.json()["status"] == "received"
    r = send(client, "PATCH", f"/api/juries/me/entries/{pending['id']}", json={"rights_cleared": True})
    assert r.json()["status"] == "eligible"
    client.cookies.clear()
    sign_in(client, "zoe@lapsing.test", mailbox)
    lapsed = post(client, f"/api/juries/calls/{call['id']}/submissions", json=film("Lapsed")).json()
    assert lapsed["status"] == "eligible"
    client.cookies.clear()
    # the dues year is cancelled before the selection: the first round re-checks the standing
    anyio.run(lambda: MembershipYear.delete().where(MembershipYear.organisation == lapsing.id))
    sign_in_staff(client)
    r = post(
        client, f"/api/juries/calls/{call['id']}/jurors", json={"email": "guest@example.org", "name": "G"}
    )
    assert r.status_code == 201
    round_ = post(client, f"/api/juries/calls/{call['id']}/rounds", json={"kind": "yes_no", "quorum": 1})
    assert round_.status_code == 201, round_.text
    statuses = {e["id"]: e["status"] for e in client.get(f"/api/juries/calls/{call['id']}/entries").json()}
    assert statuses == {pending["id"]: "in_selection", kept_back["id"]: "received", lapsed["id"]: "received"}
    # in selection, the entry can no longer change
    client.cookies.clear()
    sign_in(client, "anne@volcan.test", mailbox)
    assert _status(client, pending["id"]) == "in_selection"
    r = send(client, "PATCH", f"/api/juries/me/entries/{kept_back['id']}", json={"rights_cleared": True})
    assert r.status_code == 200 and r.json()["status"] == "eligible"  # too late for this selection
    r = send(client, "PATCH", f"/api/juries/me/entries/{pending['id']}", json={"title": "Changed"})
    assert r.status_code == 409
    # the jury says yes, staff select: selected, and the page shows the end of the path
    assert post(client, f"/api/juries/rounds/{round_.json()['id']}/assign", json={}).status_code in (401, 403)
    client.cookies.clear()
    sign_in_staff(client)
    assert post(client, f"/api/juries/rounds/{round_.json()['id']}/assign", json={}).status_code == 200
    client.cookies.clear()
    sign_in(client, "guest@example.org", mailbox)
    url = f"/api/juries/jury/{call['id']}/rounds/{round_.json()['id']}/entries/{pending['id']}/score"
    assert send(client, "PUT", url, json={"verdict": "yes"}).status_code == 200
    client.cookies.clear()
    sign_in_staff(client)
    post(client, f"/api/juries/rounds/{round_.json()['id']}/close")
    decision = post(
        client, f"/api/juries/rounds/{round_.json()['id']}/decision", json={"outcome": "selected", "top": 1}
    )
    assert decision.status_code == 200, decision.text
    client.cookies.clear()
    sign_in(client, "anne@volcan.test", mailbox)
    assert _status(client, pending["id"]) == "selected"
    page = client.get(f"/juries/{call['id']}/entries/{pending['id']}?lang=en")
    assert '<li aria-current="step" data-done="yes">✓ <strong>selected</strong>' in page.text
    assert _status(client, kept_back["id"]) == "eligible"  # never entered this selection: not "not selected"
