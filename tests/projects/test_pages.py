"""Staff pages of the projects through the HTTP stack: create, log hours, record an expert cost, bill."""

from __future__ import annotations

import re

import anyio

from tests.auth import login_staff
from tests.conftest import post
from tests.projects.factories import two_members


def test_staff_create_log_expert_and_bill_from_the_pages(client):
    ids = anyio.run(two_members)
    login_staff(client)
    index = client.get("/staff/projects/")
    assert index.status_code == 200 and "0 places sur 4 occupées" in index.text
    form = {
        "title": "Scène augmentée",
        "lead_name": "Camille",
        "lead_email": "camille@alpha.example",
        "convention_on": "2026-10-01",
        "origin": "staff",
        "carrier_1": str(ids[0]),
        "carrier_2": "",
    }
    refused = post(client, "/staff/projects/", data=form)
    assert refused.status_code == 422 and "au moins 2 structures" in refused.text
    created = post(
        client, "/staff/projects/", data={**form, "carrier_2": str(ids[1])}, follow_redirects=False
    )
    assert created.status_code == 303
    url = created.headers["location"]
    bad = post(client, f"{url}/hours", data={"worked_on": "2026-11-02", "who": "Léa", "hours": "beaucoup"})
    assert bad.status_code == 422 and "Indiquez les heures" in bad.text
    for spent in ("24", "24", "3"):  # 51 h
        assert (
            post(
                client, f"{url}/hours", data={"worked_on": "2026-11-02", "who": "Léa", "hours": spent}
            ).status_code
            == 200
        )
    assert (
        post(
            client,
            f"{url}/experts",
            data={"expert": "Studio", "invoiced_on": "2026-11-03", "amount_eur": "1000"},
        ).status_code
        == 200
    )
    page = post(client, f"{url}/bill")
    assert page.status_code == 200
    assert "1 530,00" in page.text.replace("\u202f", " ").replace("\xa0", " ")
    assert "765,00" in page.text.replace("\u202f", " ").replace("\xa0", " ")  # each carrier's half
    assert re.search(r"/api/projects/bill-shares/\d+/invoice.pdf", page.text)
    again = post(client, f"{url}/bill")
    assert again.status_code == 409 and "Rien à facturer" in again.text
