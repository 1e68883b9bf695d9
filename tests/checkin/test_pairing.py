"""Pairing a door phone: a one-time link that survives the sign-in, re-issuable by staff.

A fresh phone is a second test client (its own cookies, no session) next to the staff client."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from checkin import services
from checkin.tables import Device
from lib.clock import now_utc
from tests.auth import DEFAULT_PASSWORD, make_staff
from tests.checkin.helpers import auth, code_of, login, make_event, make_ticket, make_type, scan_id
from tests.conftest import post


@pytest.fixture
def phone() -> Iterator:
    """A fresh phone: its own browser (cookie jar), signed in to nothing."""
    from litestar.testing import TestClient

    from server.app import create_app

    with TestClient(app=create_app(), base_url="http://testserver.local") as c:
        yield c


HTML = {"accept": "text/html"}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def pair_through_login(phone, link: str, email: str) -> str:
    """Open the pairing link on the phone, sign in when sent to the sign-in page, confirm; the
    device token the phone ends up with (from the /door#pair=<token> it is sent to)."""
    path = _path(link)
    r = phone.get(path, headers=HTML, follow_redirects=False)
    assert r.status_code == 303, (r.status_code, r.text[:300])
    login_url = r.headers["location"]
    assert login_url.startswith("/auth/login?next=")
    page = phone.get(login_url)
    nxt = re.search(r'name="next" value="([^"]+)"', page.text)
    assert nxt and nxt.group(1) == path, "the pairing link survives the sign-in page"
    r = post(
        phone,
        "/auth/login",
        data={"email": email, "password": DEFAULT_PASSWORD, "next": nxt.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == path
    confirm = phone.get(path, headers=HTML)
    assert confirm.status_code == 200 and 'data-testid="pair-confirm"' in confirm.text
    assert confirm.headers["cache-control"] == "no-store"  # it holds a one-time code
    code = re.search(r'name="code" value="([^"]+)"', confirm.text).group(1)
    r = post(phone, "/door/pair", data={"code": code}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    location = r.headers["location"]
    assert location.startswith("/door#pair=ldd_")
    return location.split("#pair=")[1]


async def _staff_device(client, name: str = "Phone 1", door: str = "Main door"):
    event = await make_event()
    ttype = await make_type(event)
    ticket = await make_ticket(event, ttype, "Alice Martin")
    await login(client, "staff")
    r = post(client, f"/api/staff/checkin/events/{event.id}/devices", json={"name": name, "door": door})
    assert r.status_code == 201, r.text
    return event, ticket, r.json()


async def test_a_fresh_phone_pairs_through_the_sign_in(client, phone):
    event, ticket, created = await _staff_device(client)
    await make_staff(role="door", email="porte@ledamier.test")
    link = created["pairing_url"]
    assert link.startswith("http://testserver.local/door/pair/")
    assert created["token"] not in link  # the link carries a one-time code, not the device token
    token = pair_through_login(phone, link, "porte@ledamier.test")

    me = phone.get("/api/devices/me", headers=auth(token)).json()
    assert me["event"]["id"] == event.id and me["name"] == "Phone 1" and me["door"] == "Main door"
    body = {"code": code_of(ticket), "scan_id": scan_id()}
    assert phone.post("/api/devices/redeem", json=body, headers=auth(token)).json()["status"] == "ok"
    # the token shown at creation (for a third-party scanner) is voided by the phone's pairing
    assert phone.get("/api/devices/me", headers=auth(created["token"])).status_code == 401

    # the link works once
    again = post(phone, "/door/pair", data={"code": created["pairing_code"]}, follow_redirects=False)
    assert again.status_code == 422 and 'data-testid="pair-error"' in again.text
    assert phone.get(_path(link), headers=HTML).status_code == 404
    device = await Device.objects().first()
    assert device.pairing_hash is None and device.paired_at is not None
    listed = client.get(f"/api/staff/checkin/events/{event.id}/devices").json()
    assert listed[0]["paired_at"] and listed[0]["pairing_expires_at"] is None


async def test_a_lost_pairing_is_reissued_and_the_old_phone_locked_out(client, phone):
    event, ticket, created = await _staff_device(client)
    await make_staff(role="door", email="porte@ledamier.test")
    old_phone_token = pair_through_login(phone, created["pairing_url"], "porte@ledamier.test")
    device_id = created["id"]

    # the phone is lost (or wiped): staff issue a new link for the same device
    r = post(client, f"/api/staff/checkin/events/{event.id}/devices/{device_id}/pairing")
    assert r.status_code == 201, r.text
    first = r.json()
    r = post(client, f"/api/staff/checkin/events/{event.id}/devices/{device_id}/pairing")
    second = r.json()
    assert first["pairing_code"] != second["pairing_code"]
    # until a phone uses the new link, the old one keeps working (a mistaken click locks nobody out)
    assert phone.get("/api/devices/me", headers=auth(old_phone_token)).status_code == 200

    from litestar.testing import TestClient

    from server.app import create_app

    with TestClient(app=create_app(), base_url="http://testserver.local") as new_phone:
        # only the newest link works: issuing one voids the unused previous one
        stale = post(new_phone, "/door/pair", data={"code": first["pairing_code"]}, follow_redirects=False)
        assert stale.status_code == 401  # not signed in yet: the sign-in comes first
        new_token = pair_through_login(new_phone, second["pairing_url"], "porte@ledamier.test")
        refused = post(new_phone, "/door/pair", data={"code": first["pairing_code"]}, follow_redirects=False)
        assert refused.status_code == 422
        assert new_phone.get("/api/devices/me", headers=auth(new_token)).json()["name"] == "Phone 1"
    # the lost phone can no longer check anyone in
    body = {"code": code_of(ticket), "scan_id": scan_id()}
    assert phone.post("/api/devices/redeem", json=body, headers=auth(old_phone_token)).status_code == 401
    assert phone.post("/api/devices/redeem", json=body, headers=auth(new_token)).json()["status"] == "ok"

    # a revoked device gets no new link
    assert post(client, f"/api/staff/checkin/events/{event.id}/devices/{device_id}/revoke").status_code == 200
    r = post(client, f"/api/staff/checkin/events/{event.id}/devices/{device_id}/pairing")
    assert r.status_code == 404


async def test_pairing_codes_expire_and_typed_codes_are_accepted(client, phone):
    event, _ticket, created = await _staff_device(client)
    await make_staff(role="door", email="porte@ledamier.test")
    post(phone, "/auth/login", data={"email": "porte@ledamier.test", "password": DEFAULT_PASSWORD})
    # typed on the phone's pairing page: lower case, spaces instead of dashes
    form = phone.get("/door/pair")
    assert form.status_code == 200 and 'data-testid="pair-code"' in form.text
    typed = created["pairing_code"].lower().replace("-", " ")
    r = post(phone, "/door/pair", data={"code": typed}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/door#pair=ldd_")

    reissued = post(client, f"/api/staff/checkin/events/{event.id}/devices/{created['id']}/pairing").json()
    await Device.update({Device.pairing_expires_at: now_utc() - timedelta(minutes=1)}).where(
        Device.id == created["id"]
    )
    r = post(phone, "/door/pair", data={"code": reissued["pairing_code"]}, follow_redirects=False)
    assert r.status_code == 422
    assert "expired" in r.text or "expiré" in r.text
    assert phone.get(_path(reissued["pairing_url"]), headers=HTML).status_code == 404
    r = post(phone, "/door/pair", data={"code": ""}, follow_redirects=False)
    assert r.status_code == 422


async def test_attendees_and_strangers_cannot_pair(client, phone):
    _event, _ticket, created = await _staff_device(client)
    # no session: POST /door/pair is refused before the code is even looked at
    r = post(phone, "/door/pair", data={"code": created["pairing_code"]}, follow_redirects=False)
    assert r.status_code == 401
    assert (await Device.objects().first()).pairing_hash is not None  # still unused


async def test_staff_page_reissues_a_pairing_qr(client):
    event = await make_event()
    await login(client, "staff")
    page = post(client, f"/staff/checkin/events/{event.id}/devices", data={"name": "Phone 9", "door": "Hall"})
    assert page.status_code == 200 and 'data-testid="pairing-code"' in page.text
    device = await Device.objects().first()
    page = client.get(f"/staff/checkin/events/{event.id}")
    assert "ldd_" not in page.text and f'data-testid="reissue-{device.id}"' in page.text
    assert 'data-testid="new-device"' not in page.text  # a pairing link is shown once; re-issue for another

    page = post(client, f"/staff/checkin/events/{event.id}/devices/{device.id}/pairing")
    assert page.status_code == 200 and 'data-testid="new-device"' in page.text
    assert "ldd_" not in page.text  # a re-issued link shows no device token
    src = re.search(r'src="data:image/png;base64,([^"]+)" alt="[^"]*" data-testid="pairing-qr"', page.text)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(src.group(1)))))
    url = decoded[0].text
    assert url.startswith("http://testserver.local/door/pair/")
    shown = re.search(r'data-testid="pairing-code">([^<]+)<', page.text).group(1)
    assert url.endswith(shown)
    assert await services.device_for_pairing(shown)  # the link on the page is the valid one
    assert f'data-testid="pairing-{device.id}"' in page.text
