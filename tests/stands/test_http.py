"""Stands through the HTTP stack: pages, JSON API, sign-in by email link, staff decisions."""

from __future__ import annotations

import io

import anyio
from pypdf import PdfReader

from tests.auth import login_attendee, login_staff
from tests.conftest import post, send
from tests.stands.factories import hall, member

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def setup_hall(**kw):
    return anyio.run(lambda: hall(**kw))


def setup_member(name: str, **kw):
    return anyio.run(lambda: member(name, **kw))


def test_public_plan_svg_and_list_view(client):
    h = setup_hall()
    page = client.get(f"/stands/{h['event'].id}")
    assert page.status_code == 200
    assert "<svg" in page.text and 'data-testid="row-A1"' in page.text
    data = client.get(f"/api/stands/{h['event'].id}/plan").json()
    assert [s["number"] for s in data["stands"]] == ["A1", "A2", "A3", "A4", "A5"]
    assert data["stands"][0]["member_price_cents"] == 45000


def test_member_requests_staff_approves_invoice_catalogue(client, mailbox):
    h = setup_hall()
    _org, email = setup_member("Volcans Films")
    login_attendee(client, email, mailbox)
    bad = post(
        client,
        f"/api/stands/{h['event'].id}/stands/{h['stands'][0]}/request",
        json={"options": [{"option": h["socket"]["id"], "quantity": "lots"}]},
    )
    assert bad.status_code in (400, 422) and "options.0.quantity" in bad.json()["errors"]
    r = post(
        client,
        f"/stands/{h['event'].id}/stand/{h['stands'][0]}",
        data={f"option_{h['socket']['id']}": "1"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:400]
    mine = client.get("/api/stands/me/bookings").json()
    assert mine[0]["status"] == "held" and mine[0]["shares"][0]["amount_ht_cents"] == 45000 + 4500
    client.cookies.clear()
    login_staff(client)
    r = post(
        client, f"/staff/stands/{h['event'].id}/bookings/{mine[0]['id']}/approve", follow_redirects=False
    )
    assert r.status_code == 303 and "error" not in r.headers["location"], r.headers["location"]
    invoice_mail = next(
        m
        for m in mailbox.wait_for(email, count=3)
        if "F" in str(m["Subject"]) and any(True for _ in m.iter_attachments())
    )
    pdf = next(p for p in invoice_mail.iter_attachments() if p.get_content_type() == "application/pdf")
    text = PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text()
    assert "594,00" in text  # (450 + 45) HT + 20 % TVA
    catalogue = client.get(f"/stands/{h['event'].id}/exhibitors?lang=en")
    assert "Volcans Films" in catalogue.text and "Stand A1" in catalogue.text
    staff_page = client.get(f"/staff/stands/{h['event'].id}")
    assert staff_page.status_code == 200 and "Volcans Films" in staff_page.text
    csv_text = client.get(f"/staff/stands/{h['event'].id}/exhibitors.csv").text
    assert "Volcans Films" in csv_text
    assert client.get(f"/staff/stands/{h['event'].id}/plan.pdf").headers["content-type"] == "application/pdf"


def test_editor_patch_refuses_overlap_naming_the_field(client):
    h = setup_hall()
    login_staff(client)
    r = send(
        client, "PATCH", f"/api/stands/staff/{h['event'].id}/stands/{h['stands'][1]}", json={"x_cm": 150}
    )
    assert r.status_code == 422 and "x_cm" in r.json()["errors"]
    ok = send(
        client,
        "PATCH",
        f"/api/stands/staff/{h['event'].id}/stands/{h['stands'][4]}",
        json={"x_cm": 2000, "y_cm": 1000},
    )
    assert ok.status_code == 200 and ok.json()["x_cm"] == 2000


def test_anonymous_cannot_request_and_staff_api_is_guarded(client):
    h = setup_hall()
    r = post(client, f"/api/stands/{h['event'].id}/stands/{h['stands'][0]}/request", json={})
    assert r.status_code == 401
    r = send(client, "PATCH", f"/api/stands/staff/{h['event'].id}/stands/{h['stands'][0]}", json={"x_cm": 0})
    assert r.status_code == 401


def test_logo_must_be_an_image_and_not_too_large(client, mailbox):
    h = setup_hall()
    org, email = setup_member("Alpha")

    async def assign() -> int:
        from stands import booking
        from stands.tables import ExhibitorProfile

        await booking.assign(h["event"].id, h["stands"][0], {"organisation": org.id}, staff_email="s@x.test")
        return (await ExhibitorProfile.select(ExhibitorProfile.id).first())["id"]

    profile_id = anyio.run(assign)
    login_attendee(client, email, mailbox)
    r = send(client, "PUT", f"/api/stands/exhibitors/{profile_id}/logo", content=b"<svg onload=alert(1)>")
    assert r.status_code == 422 and "logo" in r.json()["errors"]
    r = send(client, "PUT", f"/api/stands/exhibitors/{profile_id}/logo", content=PNG + b"\x00" * 1_000_001)
    assert r.status_code in (413, 422)
    r = send(client, "PUT", f"/api/stands/exhibitors/{profile_id}/logo", content=PNG)
    assert r.status_code == 200 and r.json()["type"] == "image/png"
    page = post(
        client,
        f"/stands/exhibitors/{profile_id}/logo",
        files={"logo": ("logo.txt", b"hello", "text/plain")},
        follow_redirects=False,
    )
    assert page.status_code == 303 and "error" in page.headers["location"]
    assert client.get(f"/stands/logo/{profile_id}").content == PNG
