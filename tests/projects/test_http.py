"""The projects JSON API through the HTTP stack: staff only, bad input names the field, bills as PDFs."""

from __future__ import annotations

import io

import anyio
from pypdf import PdfReader

from tests.auth import login_staff
from tests.conftest import post
from tests.projects.factories import two_members


def test_staff_create_log_bill_and_read_the_invoice(client):
    ids = anyio.run(two_members)
    body = {
        "title": "Concert immersif",
        "lead_name": "Camille Martin",
        "lead_email": "camille@alpha.example",
        "carriers": [
            {"organisation": ids[0], "share_percent": 60},
            {"organisation": ids[1], "share_percent": 40},
        ],
        "convention_on": "2026-10-01",
    }
    assert post(client, "/api/projects/", json=body).status_code in (401, 403)
    login_staff(client)
    bad = post(client, "/api/projects/", json={**body, "lead_email": "non"})
    assert bad.status_code == 422 and "lead_email" in bad.json()["errors"]
    created = post(client, "/api/projects/", json=body)
    assert created.status_code == 201, created.text
    project = created.json()
    assert project["status"] == "active" and project["ends_on"] == "2028-10-01"
    bad_hours = post(
        client,
        f"/api/projects/{project['id']}/hours",
        json={"worked_on": "2026-11-02", "who": "Léa", "hours": "x"},
    )
    assert bad_hours.status_code == 422 and "hours" in bad_hours.json()["errors"]
    for hours in ("20", "15"):
        logged = post(
            client,
            f"/api/projects/{project['id']}/hours",
            json={"worked_on": "2026-11-02", "who": "Léa", "hours": hours},
        )
    assert logged.status_code == 201 and logged.json()["total_minutes"] == 35 * 60
    bill = post(client, f"/api/projects/{project['id']}/bills")
    assert bill.status_code == 201, bill.text
    assert bill.json()["amount_ht_cents"] == 112000  # 35 h × 32 €
    assert [s["amount_ht_cents"] for s in bill.json()["shares"]] == [67200, 44800]
    again = post(client, f"/api/projects/{project['id']}/bills")
    assert again.status_code == 409
    expert = post(
        client,
        f"/api/projects/{project['id']}/experts",
        json={"expert": "Studio Son", "invoiced_on": "2026-11-05", "amount_eur": "4000"},
    )
    assert expert.status_code == 201 and expert.json()["covered_cents"] == 150000
    summary = client.get(f"/api/projects/{project['id']}").json()
    assert summary["hours"]["to_bill_ht_cents"] == 0 and len(summary["bills"]) == 1
    share = bill.json()["shares"][1]
    pdf = client.get(f"/api/projects/bill-shares/{share['id']}/invoice.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"].startswith("application/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Beta Sons" in text and "448,00" in text and "537,60" in text  # 40 % HT and TTC
    assert client.get("/api/projects/bill-shares/99999/invoice.pdf").status_code == 404
    listed = client.get("/api/projects/").json()
    assert [p["title"] for p in listed] == ["Concert immersif"]
