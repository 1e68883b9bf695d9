"""Device authorisation, revocation, roles, the offline ticket list and the documented API."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

from checkin.tables import Device
from tests.checkin.helpers import auth, code_of, login, make_event, make_ticket, make_type, scan_id
from tests.conftest import post
from ticketing import signing
from ticketing.shortcode import short_code


async def test_staff_authorises_lists_and_revokes_a_device(client):
    event = await make_event()
    ttype = await make_type(event)
    ticket = await make_ticket(event, ttype)
    await login(client, "staff")
    r = post(
        client, f"/api/staff/checkin/events/{event.id}/devices", json={"name": "Phone 1", "door": "Hall"}
    )
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert r.json()["pairing_url"].endswith(f"/door/pair/{r.json()['pairing_code']}")
    stored = await Device.objects().first()
    assert stored.token_hash != token and token not in stored.token_hash  # only the hash is kept

    me = client.get("/api/devices/me", headers=auth(token)).json()
    assert me["event"]["id"] == event.id and me["door"] == "Hall"
    listed = client.get(f"/api/staff/checkin/events/{event.id}/devices").json()
    assert listed[0]["name"] == "Phone 1" and listed[0]["last_sync_at"] and listed[0]["created_by_name"]

    body = {"code": code_of(ticket), "scan_id": scan_id()}
    assert client.post("/api/devices/redeem", json=body, headers=auth(token)).json()["status"] == "ok"
    r = post(client, f"/api/staff/checkin/events/{event.id}/devices/{stored.id}/revoke")
    assert r.status_code == 200
    for method, url, kw in (
        ("POST", "/api/devices/redeem", {"json": {"code": code_of(ticket), "scan_id": scan_id()}}),
        ("POST", "/api/devices/scans", {"json": {"scans": []}}),
        ("GET", "/api/devices/tickets", {}),
        ("GET", "/api/devices/me", {}),
        ("GET", "/api/devices/counters", {}),
    ):
        r = client.request(method, url, headers=auth(token), **kw)
        assert r.status_code == 401, (url, r.status_code, r.text)


async def test_without_a_token_nobody_is_checked_in(client):
    event = await make_event()
    ttype = await make_type(event)
    ticket = await make_ticket(event, ttype)
    await login(client, "door")  # even a signed-in door user needs a paired device
    body = {"code": code_of(ticket), "scan_id": scan_id()}
    assert client.post("/api/devices/redeem", json=body).status_code == 401
    assert client.post("/api/devices/redeem", json=body, headers=auth("ldd_forged")).status_code == 401
    assert (
        client.post("/api/devices/redeem", json=body, headers={"authorization": "Basic eDp5"}).status_code
        == 401
    )
    page = client.get("/door")
    assert page.status_code == 200 and 'data-testid="door-app"' in page.text


async def test_door_role_sees_only_door_pages(client):
    event = await make_event()
    await login(client, "door")
    assert client.get("/door").status_code == 200
    assert client.get(f"/staff/checkin/events/{event.id}").status_code == 403
    assert client.get(f"/api/staff/checkin/events/{event.id}/devices").status_code == 403
    assert (
        post(client, f"/api/staff/checkin/events/{event.id}/devices", json={"name": "x"}).status_code == 403
    )


async def test_door_page_requires_sign_in(client):
    r = client.get("/door", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code in (302, 303) and "/auth/login" in r.headers["location"]


async def test_authorise_validation_and_staff_page(client):
    event = await make_event()
    await login(client, "admin")
    r = post(client, f"/api/staff/checkin/events/{event.id}/devices", json={"name": " "})
    assert r.status_code == 422 and "name" in r.json()["errors"]
    r = post(client, f"/api/staff/checkin/events/{event.id}/devices", json={"name": "P", "session": 12345})
    assert r.status_code == 422 and "session" in r.json()["errors"]
    page = post(client, f"/staff/checkin/events/{event.id}/devices", data={"name": "Phone 9", "door": "Hall"})
    assert page.status_code == 200, page.text[:300]
    assert 'data-testid="pairing-qr"' in page.text and "/door/pair/" in page.text
    assert 'data-testid="device-token"' in page.text and ">ldd_" in page.text  # third-party scanners
    page = client.get(f"/staff/checkin/events/{event.id}")
    assert "Phone 9" in page.text and "ldd_" not in page.text  # the token is shown once only


async def test_offline_ticket_list_is_compact_and_gzipped(client):
    event = await make_event()
    ttype = await make_type(event)
    other = await make_event("other", "Other")
    await make_ticket(other, await make_type(other), "Not Listed")
    a = await make_ticket(event, ttype, "Anne-Sophie Martin")
    b = await make_ticket(event, ttype, "Bob Cancel", order_status="cancelled", ticket_status="cancelled")
    c = await make_ticket(
        event, ttype, "Carl Unpaid", order_status="pending_payment", ticket_status="pending"
    )
    d = await make_ticket(event, ttype, "Dora In")
    await login(client, "staff")
    token = post(client, f"/api/staff/checkin/events/{event.id}/devices", json={"name": "P"}).json()["token"]
    client.post("/api/devices/redeem", json={"ticket_id": d.id, "scan_id": scan_id()}, headers=auth(token))
    r = client.get("/api/devices/tickets", headers={**auth(token), "accept-encoding": "gzip"})
    assert r.status_code == 200
    data = r.json()  # the client decodes content-encoding: gzip
    assert r.headers["content-encoding"] == "gzip"
    assert data["key"]["public_key"] == signing.public_key_info()["public_key"]
    # [id, state, initials, type, short code, name, reason, checked in at, door, by]; trailing empties left out
    code = {t.id: short_code(t.id) for t in (a, b, c, d)}
    assert data["fields"][:6] == ["ticket_id", "state", "initials", "ticket_type_id", "code", "name"]
    checked_in = data["tickets"][3]
    assert data["tickets"][:3] == [
        [a.id, 0, "ASM", ttype.id, code[a.id], "Anne-Sophie Martin"],
        [b.id, 2, "BC", ttype.id, code[b.id], "Bob Cancel", "cancelled"],
        [c.id, 4, "CU", ttype.id, code[c.id], "Carl Unpaid", "payment_pending"],
    ]
    assert checked_in[:7] == [d.id, 1, "DI", ttype.id, code[d.id], "Dora In", "already"]
    assert checked_in[7].startswith(str(datetime.now(UTC).year)) and checked_in[8:] == ["", "P"]
    raw = client.get("/api/devices/tickets", headers={**auth(token), "accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers and json.loads(raw.content)["event"] == event.id
    assert len(gzip.compress(raw.content)) < len(raw.content) * 2


async def test_public_key_and_schema_document_the_device_api(client):
    key = client.get("/api/devices/public-key").json()
    assert key["algorithm"] == "Ed25519" and key["public_key"]
    schema = client.get("/schema/openapi.json").json()
    ops = {
        op.get("operationId")
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict)
    }
    for op in ("checkinRedeem", "checkinUploadScans", "checkinTicketList", "checkinPublicKey", "checkinUndo"):
        assert op in ops


async def test_pairing_qr_decodes_to_the_pairing_link(client):
    import base64
    import io
    import re

    import zxingcpp
    from PIL import Image

    event = await make_event()
    await login(client, "staff")
    page = post(
        client, f"/staff/checkin/events/{event.id}/devices", data={"name": "Phone QR", "door": "Hall"}
    )
    src = re.search(r'src="data:image/png;base64,([^"]+)" alt="[^"]*" data-testid="pairing-qr"', page.text)
    assert src, page.text[:500]
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(src.group(1)))))
    assert len(decoded) == 1
    url = decoded[0].text
    assert url.startswith("http://testserver.local/door/pair/")
    # the staff member's own phone opens it (signed in): confirm, and the door page gets the token
    path = url.removeprefix("http://testserver.local")
    assert 'data-testid="pair-device">Phone QR<' in client.get(path).text
    r = post(client, "/door/pair", data={"code": path.rsplit("/", 1)[1]}, follow_redirects=False)
    token = r.headers["location"].split("#pair=")[1]
    me = client.get("/api/devices/me", headers=auth(token)).json()
    assert me["name"] == "Phone QR" and me["door"] == "Hall"


async def test_door_user_lands_on_the_door_page(client):
    from tests.auth import DEFAULT_PASSWORD, make_staff

    await make_staff(role="door", email="porte@ledamier.test")
    r = post(
        client,
        "/auth/login",
        data={"email": "porte@ledamier.test", "password": DEFAULT_PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/door"
    sw = client.get("/door-sw.js")
    assert sw.status_code == 200 and "javascript" in sw.headers["content-type"]
    assert sw.headers["service-worker-allowed"] == "/"
