"""Redeem over the device API: every result status, retries, undo, search, counters."""

from __future__ import annotations

from checkin.tables import CheckIn
from tests.checkin.helpers import auth, code_of, make_device, make_event, make_ticket, make_type, scan_id
from tests.conftest import post
from ticketing import signing


async def _setup():
    event = await make_event()
    ttype = await make_type(event)
    device, token = await make_device(event)
    return event, ttype, device, token


def redeem(client, token: str, **body):
    body.setdefault("scan_id", scan_id())
    return client.post("/api/devices/redeem", json=body, headers=auth(token))


async def test_ok_then_already_with_when_where_who(client):
    event, ttype, device, token = await _setup()
    ticket = await make_ticket(event, ttype, "Alice Martin", organisation="Studio A")
    r = redeem(client, token, code=code_of(ticket))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ok"
    assert body["ticket"]["name"] == "Alice Martin"
    assert body["ticket"]["organisation"] == "Studio A"
    assert body["ticket"]["ticket_type"] == "Non-member"

    again = redeem(client, token, code=code_of(ticket), door="Side door").json()
    assert again["status"] == "already"
    assert again["door"] == "Main door"
    assert again["by"] == "Phone 1"
    assert again["checked_in_at"]
    rows = await CheckIn.select(CheckIn.status).where(CheckIn.ticket == ticket.id).order_by(CheckIn.id)
    assert [r["status"] for r in rows] == ["ok", "duplicate"]


async def test_refusals(client):
    event, ttype, device, token = await _setup()
    other = await make_event("cles-2027", "Clés pour réussir")
    other_type = await make_type(other)
    cancelled = await make_ticket(
        event, ttype, "Bob Cancel", order_status="cancelled", ticket_status="cancelled"
    )
    refunded = await make_ticket(
        event, ttype, "Rita Refund", order_status="refunded", ticket_status="cancelled"
    )
    unpaid = await make_ticket(
        event, ttype, "Ugo Unpaid", order_status="pending_payment", ticket_status="pending"
    )
    expired = await make_ticket(
        event, ttype, "Eve Expired", order_status="expired", ticket_status="cancelled"
    )
    wrong = await make_ticket(other, other_type, "Wanda Wrong")
    assert redeem(client, token, code=code_of(cancelled)).json()["status"] == "cancelled"
    assert redeem(client, token, code=code_of(refunded)).json()["status"] == "refunded"
    assert redeem(client, token, code=code_of(unpaid)).json()["status"] == "unpaid"
    assert redeem(client, token, code=code_of(expired)).json()["status"] in ("unpaid", "cancelled")
    body = redeem(client, token, code=code_of(wrong)).json()
    assert body["status"] == "wrong_event"
    assert await CheckIn.count() == 0


async def test_forged_altered_truncated_codes_are_invalid(client):
    event, ttype, device, token = await _setup()
    ticket = await make_ticket(event, ttype)
    good = code_of(ticket)
    # Same payload, signature by another key: forged.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forged = signing.sign(ticket.id, event.id, signing.SigningKey(1, Ed25519PrivateKey.generate()))
    raw = signing.b64d(good[3:])
    altered = "LD1" + signing.b64e(
        raw[:7] + bytes([raw[7] ^ 1]) + raw[8:]
    )  # another ticket id, same signature
    for code, reason in (
        (forged, "bad_signature"),
        (altered, "bad_signature"),
        (good[:-10], "truncated"),
        ("hello", "malformed"),
    ):
        body = redeem(client, token, code=code).json()
        assert body["status"] == "invalid", (code, body)
        assert body["reason"] == reason
    assert redeem(client, token, ticket_id=999999).json()["status"] == "invalid"
    assert await CheckIn.count() == 0
    assert redeem(client, token, code=good).json()["status"] == "ok"


async def test_retry_with_same_scan_id_is_not_counted_twice(client):
    event, ttype, device, token = await _setup()
    ticket = await make_ticket(event, ttype)
    sid = scan_id()
    first = redeem(client, token, code=code_of(ticket), scan_id=sid).json()
    second = redeem(client, token, code=code_of(ticket), scan_id=sid).json()
    assert first["status"] == "ok" and second["status"] == "ok"
    assert second["replayed"] is True
    assert await CheckIn.count() == 1
    counters = client.get("/api/devices/counters", headers=auth(token)).json()
    assert counters["checked_in"] == 1 and counters["expected"] == 1


async def test_bad_scan_id_is_422(client):
    event, ttype, device, token = await _setup()
    ticket = await make_ticket(event, ttype)
    r = client.post(
        "/api/devices/redeem", json={"code": code_of(ticket), "scan_id": "x"}, headers=auth(token)
    )
    assert r.status_code == 422
    assert "scan_id" in r.json()["errors"]


async def test_undo_lets_the_ticket_in_again(client):
    event, ttype, device, token = await _setup()
    ticket = await make_ticket(event, ttype)
    ok = redeem(client, token, code=code_of(ticket)).json()
    r = client.post("/api/devices/undo", json={"checkin_id": ok["checkin_id"]}, headers=auth(token))
    assert r.status_code == 200 and r.json()["status"] == "undone"
    assert (
        client.post(
            "/api/devices/undo", json={"checkin_id": ok["checkin_id"]}, headers=auth(token)
        ).status_code
        == 404
    )
    assert redeem(client, token, code=code_of(ticket)).json()["status"] == "ok"
    statuses = sorted(r["status"] for r in await CheckIn.select(CheckIn.status))
    assert statuses == ["ok", "undone"]


async def test_manual_search_and_check_in_by_id(client):
    event, ttype, device, token = await _setup()
    ticket = await make_ticket(event, ttype, "Chloé Dupont", email="chloe@label.fr")
    await make_ticket(event, ttype, "Marc Autre")
    found = client.get("/api/devices/search", params={"q": "dupont"}, headers=auth(token)).json()
    assert [f["name"] for f in found] == ["Chloé Dupont"]
    assert found[0]["state"] == "valid"
    assert (
        client.get("/api/devices/search", params={"q": "chloe@label"}, headers=auth(token)).json()[0]["id"]
        == ticket.id
    )
    order_token = (await ticket.get_related("order")).token
    assert (
        client.get("/api/devices/search", params={"q": order_token}, headers=auth(token)).json()[0]["id"]
        == ticket.id
    )
    assert redeem(client, token, ticket_id=ticket.id).json()["status"] == "ok"
    assert (
        client.get("/api/devices/search", params={"q": "dupont"}, headers=auth(token)).json()[0]["state"]
        == "in"
    )


async def test_counters_per_type_and_door(client):
    event, ttype, device, token = await _setup()
    speaker = await make_type(event, "Speaker", 0)
    _d2, token2 = await make_device(event, "Phone 2", "Side door")
    a = await make_ticket(event, ttype, "A One")
    b = await make_ticket(event, ttype, "B Two")
    c = await make_ticket(event, speaker, "C Three")
    await make_ticket(event, speaker, "D Four")
    await make_ticket(event, ttype, "E Cancelled", order_status="cancelled", ticket_status="cancelled")
    assert redeem(client, token, code=code_of(a)).json()["status"] == "ok"
    assert redeem(client, token2, code=code_of(b)).json()["status"] == "ok"
    assert redeem(client, token2, code=code_of(c)).json()["status"] == "ok"
    counters = client.get("/api/devices/counters", headers=auth(token)).json()
    assert counters["checked_in"] == 3 and counters["expected"] == 4
    by_type = {t["name"]: (t["checked_in"], t["expected"]) for t in counters["by_type"]}
    assert by_type == {"Non-member": (2, 2), "Speaker": (1, 2)}
    assert {d["door"]: d["checked_in"] for d in counters["by_door"]} == {"Main door": 1, "Side door": 2}


async def test_staff_redeem_page_counters_fragment(client):
    from tests.auth import make_staff

    event, ttype, device, token = await _setup()
    a = await make_ticket(event, ttype, "A One")
    redeem(client, token, code=code_of(a))
    await make_staff("staff", "s@ledamier.test")
    from tests.auth import DEFAULT_PASSWORD

    post(client, "/auth/login", data={"email": "s@ledamier.test", "password": DEFAULT_PASSWORD})
    page = client.get(f"/staff/checkin/events/{event.id}/counters")
    assert page.status_code == 200
    assert 'data-testid="counter-total">1</strong> / 1' in page.text


async def test_result_messages_follow_the_request_language(client):
    event, ttype, device, token = await _setup()
    ticket = await make_ticket(event, ttype)
    fr = redeem(client, token, code=code_of(ticket)).json()
    assert fr["message"] == "Entré"
    en = client.post(
        "/api/devices/redeem",
        json={"code": code_of(ticket), "scan_id": scan_id()},
        headers={**auth(token), "accept-language": "en"},
    ).json()
    assert en["status"] == "already" and en["message"] == "Already checked in"
