"""Offline reconciliation over HTTP, attendance CSV and attendance sheets (PDF read back)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from checkin.tables import CheckIn
from tests.checkin.helpers import (
    auth,
    code_of,
    login,
    make_device,
    make_event,
    make_session,
    make_ticket,
    make_type,
    scan_id,
)
from tests.conftest import post
from ticketing.tables import Order, Ticket


def upload(client, token: str, scans: list[dict]):
    r = client.post("/api/devices/scans", json={"scans": scans}, headers=auth(token))
    assert r.status_code == 200, r.text
    return r.json()["results"]


def at(minutes: int) -> str:
    return (datetime(2027, 3, 20, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes)).isoformat()


async def test_two_doors_scan_the_same_ticket_offline_earliest_wins_other_reported(client):
    event = await make_event()
    ttype = await make_type(event)
    ticket = await make_ticket(event, ttype, "Alice Martin")
    _d1, door1 = await make_device(event, "Phone 1", "Main door")
    _d2, door2 = await make_device(event, "Phone 2", "Side door")
    # Door 2 uploads first, but door 1 scanned two minutes earlier.
    late = upload(client, door2, [{"scan_id": scan_id(), "code": code_of(ticket), "scanned_at": at(5)}])
    assert late[0]["status"] == "ok"
    early_id = scan_id()
    early = upload(client, door1, [{"scan_id": early_id, "code": code_of(ticket), "scanned_at": at(3)}])
    assert early[0]["status"] == "ok" and early[0]["superseded"]
    # Retried upload of the same batch: nothing counted twice.
    assert upload(client, door1, [{"scan_id": early_id, "code": code_of(ticket), "scanned_at": at(3)}])[0][
        "replayed"
    ]
    rows = await CheckIn.select(CheckIn.status, CheckIn.door, CheckIn.flag).order_by(CheckIn.scanned_at)
    assert [(r["status"], r["door"], r["flag"]) for r in rows] == [
        ("ok", "Main door", ""),
        ("duplicate", "Side door", "superseded"),
    ]
    # A third, later offline scan is recorded as a flagged duplicate, never dropped.
    third = upload(client, door2, [{"scan_id": scan_id(), "code": code_of(ticket), "scanned_at": at(9)}])
    assert (
        third[0]["status"] == "already"
        and third[0]["flag"] == "duplicate"
        and third[0]["door"] == "Main door"
    )

    await login(client, "staff")
    conflicts = client.get(f"/api/staff/checkin/events/{event.id}/conflicts").json()
    assert sorted(c["flag"] for c in conflicts) == ["duplicate", "superseded"]
    assert all(c["winner"]["door"] == "Main door" for c in conflicts)
    page = client.get(f"/staff/checkin/events/{event.id}")
    assert "Remplacé par un scan antérieur" in page.text and "Alice Martin" in page.text
    r = post(client, f"/api/staff/checkin/events/{event.id}/conflicts/{conflicts[0]['id']}/reviewed")
    assert r.status_code == 200
    assert len(client.get(f"/api/staff/checkin/events/{event.id}/conflicts").json()) == 1
    counters = client.get(f"/api/staff/checkin/events/{event.id}/counters").json()
    assert counters["checked_in"] == 1


async def test_online_winner_loses_to_an_earlier_offline_scan(client):
    event = await make_event()
    ttype = await make_type(event)
    ticket = await make_ticket(event, ttype)
    _d1, online = await make_device(event, "Phone 1", "Main door")
    _d2, offline = await make_device(event, "Phone 2", "Side door")
    r = client.post(
        "/api/devices/redeem", json={"code": code_of(ticket), "scan_id": scan_id()}, headers=auth(online)
    )
    assert r.json()["status"] == "ok"
    earlier = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    res = upload(client, offline, [{"scan_id": scan_id(), "code": code_of(ticket), "scanned_at": earlier}])
    assert res[0]["status"] == "ok"
    assert await CheckIn.count().where(CheckIn.status == "ok") == 1
    winner = await CheckIn.select(CheckIn.door).where(CheckIn.status == "ok").first()
    assert winner["door"] == "Side door"


async def test_ticket_cancelled_while_device_offline_is_flagged(client):
    event = await make_event()
    ttype = await make_type(event)
    keep = await make_ticket(event, ttype, "Kept Ticket")
    gone = await make_ticket(event, ttype, "Gone Ticket")
    device, token = await make_device(event)
    listing = client.get("/api/devices/tickets", headers=auth(token)).json()
    assert [t[1] for t in listing["tickets"]] == [0, 0]  # both valid at the last sync
    # While the phone is offline, the order is cancelled.
    later = datetime.now(UTC) + timedelta(seconds=1)
    await Order.update({Order.status: "cancelled", Order.cancelled_at: later}).where(Order.id == gone.order)
    await Ticket.update({Ticket.status: "cancelled", Ticket.updated_at: later}).where(Ticket.id == gone.id)
    res = upload(
        client,
        token,
        [
            {"scan_id": scan_id(), "code": code_of(gone), "scanned_at": at(1)},
            {"scan_id": scan_id(), "code": code_of(keep), "scanned_at": at(2)},
            {"scan_id": scan_id(), "code": "LD1forged", "scanned_at": at(3), "accepted": False},
        ],
    )
    assert [r["status"] for r in res] == ["cancelled", "ok", "invalid"]
    assert res[0]["flag"] == "cancelled_after_sync"
    await login(client, "staff")
    conflicts = client.get(f"/api/staff/checkin/events/{event.id}/conflicts").json()
    assert [(c["name"], c["flag"]) for c in conflicts] == [("Gone Ticket", "cancelled_after_sync")]
    devices = client.get(f"/api/staff/checkin/events/{event.id}/devices").json()
    assert devices[0]["last_sync_at"] and devices[0]["list_synced_at"]


async def test_bad_batches_are_rejected_whole(client):
    event = await make_event()
    ttype = await make_type(event)
    ticket = await make_ticket(event, ttype)
    _device, token = await make_device(event)
    r = client.post(
        "/api/devices/scans",
        json={"scans": [{"scan_id": scan_id(), "code": code_of(ticket)}, {"scan_id": "bad", "code": "x"}]},
        headers=auth(token),
    )
    assert r.status_code == 422
    r = client.post(
        "/api/devices/scans",
        json={"scans": [{"scan_id": scan_id(), "scanned_at": "yesterday"}]},
        headers=auth(token),
    )
    assert r.status_code == 422
    assert await CheckIn.count() == 0


async def test_attendance_csv_and_sheet_pdf(client):
    event = await make_event()
    ttype = await make_type(event)
    workshop = await make_session(event, "Atelier : lever des fonds")
    here = await make_ticket(event, ttype, "Élodie Présente", organisation="Label Volcan")
    await make_ticket(event, ttype, "Zoé Absente", organisation="Studio Puy")
    await make_ticket(event, ttype, "Noé Annulé", order_status="cancelled", ticket_status="cancelled")
    _d, token = await make_device(event, "Phone 1", "Salle 2", session=workshop.id)
    r = client.post(
        "/api/devices/redeem", json={"code": code_of(here), "scan_id": scan_id()}, headers=auth(token)
    )
    assert r.json()["status"] == "ok"
    await login(client, "staff")
    r = client.get(f"/api/staff/checkin/events/{event.id}/attendance.csv", params={"session": workshop.id})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3  # header + two expected attendees (the cancelled one is not expected)
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Élodie Présente"][5] == "oui" and by_name["Élodie Présente"][7] == "Salle 2"
    assert by_name["Zoé Absente"][5] == "non" and by_name["Zoé Absente"][6] == ""

    pdf = client.get(f"/api/staff/checkin/events/{event.id}/sessions/{workshop.id}/attendance.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Feuille d'émargement" in text or "Attendance sheet" in text
    assert "Atelier : lever des fonds" in text and "Élodie Présente" in text and "Zoé Absente" in text
    assert "Label Volcan" in text and "Noé Annulé" not in text
    assert "1 / 2" in text or "1 sur 2" in text or "1 of 2" in text
