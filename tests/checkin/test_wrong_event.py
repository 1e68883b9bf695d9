"""A door device sees only its own event's attendees: a wrong-event answer names nobody, on every path
(redeem by code or by id, offline upload, search); the fast lane's case is in test_fastlane.py."""

from __future__ import annotations

from checkin.tables import CheckIn
from tests.checkin.helpers import auth, code_of, make_device, make_event, make_ticket, make_type, scan_id
from ticketing.shortcode import display, short_code

SECRET_NAME, SECRET_ORG, SECRET_EMAIL = "Wanda Ailleurs", "Studio Secret", "wanda@secret.fr"


async def _two_events():
    mine = await make_event("cles-2027", "Clés pour réussir")
    other = await make_event("mima-2027", "MIMA 2027")
    mine_type = await make_type(mine)
    other_type = await make_type(other)
    elsewhere = await make_ticket(other, other_type, SECRET_NAME, email=SECRET_EMAIL, organisation=SECRET_ORG)
    await make_ticket(mine, mine_type, "Marc Local")
    _device, token = await make_device(mine)
    return mine, other, elsewhere, token


def _names_nobody(text: str) -> None:
    # the initials as the offline list writes them (a JSON string): a random ticket code may contain "WA"
    for secret in (SECRET_NAME, SECRET_ORG, SECRET_EMAIL, "Wanda", '"WA"'):
        assert secret not in text, (secret, text)


async def test_sequential_ticket_ids_reveal_no_attendee(client):
    _mine, _other, elsewhere, token = await _two_events()
    for ticket_id in range(1, elsewhere.id + 3):
        r = client.post(
            "/api/devices/redeem", json={"ticket_id": ticket_id, "scan_id": scan_id()}, headers=auth(token)
        )
        assert r.status_code == 200
        _names_nobody(r.text)
    body = client.post(
        "/api/devices/redeem", json={"ticket_id": elsewhere.id, "scan_id": scan_id()}, headers=auth(token)
    ).json()
    assert body["status"] == "wrong_event" and "ticket" not in body
    assert body["reason"] == "wrong_event" and body["explanation"]
    assert "ticket_event" not in body  # a bare id proves nothing: not even which event it is for
    assert await CheckIn.count().where(CheckIn.ticket == elsewhere.id) == 0


async def test_a_real_code_of_another_event_says_which_event_but_not_who(client):
    _mine, other, elsewhere, token = await _two_events()
    for code in (code_of(elsewhere), display(short_code(elsewhere.id))):
        r = client.post("/api/devices/redeem", json={"code": code, "scan_id": scan_id()}, headers=auth(token))
        body = r.json()
        assert body["status"] == "wrong_event", body
        _names_nobody(r.text)
        assert body["ticket_event"]["id"] == other.id and body["ticket_event"]["title"] == "MIMA 2027"
        assert "MIMA 2027" in body["explanation"]


async def test_offline_upload_of_another_events_ticket_names_nobody(client):
    _mine, _other, elsewhere, token = await _two_events()
    scans = [
        {"scan_id": scan_id(), "code": code_of(elsewhere), "scanned_at": "2027-03-11T09:00:00Z"},
        {"scan_id": scan_id(), "ticket_id": elsewhere.id, "scanned_at": "2027-03-11T09:01:00Z"},
    ]
    r = client.post("/api/devices/scans", json={"scans": scans}, headers=auth(token))
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["wrong_event", "wrong_event"]
    _names_nobody(r.text)


async def test_search_and_the_offline_list_show_only_the_devices_event(client):
    _mine, _other, elsewhere, token = await _two_events()
    for q in ("Wanda", "secret", SECRET_EMAIL, display(short_code(elsewhere.id)), str(elsewhere.public_id)):
        r = client.get("/api/devices/search", params={"q": q}, headers=auth(token))
        assert r.status_code == 200 and r.json() == [], (q, r.text)
    listing = client.get("/api/devices/tickets", headers=auth(token))
    _names_nobody(listing.text)
    assert short_code(elsewhere.id) not in listing.text
    assert [t[5] for t in listing.json()["tickets"]] == ["Marc Local"]
