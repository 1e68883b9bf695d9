"""Trade fairs through HTTP: staff record one (bad input names the field), members declare they go,
the page and the CSV show each structure's support and why a structure gets nothing."""

from __future__ import annotations

import anyio

from tests.auth import login_attendee, login_staff
from tests.conftest import post
from tests.stands.factories import fair_day, member


def test_staff_record_fair_members_declare_support_shown(client, mailbox):
    alpha, a = anyio.run(lambda: member("Alpha"))
    beta, b = anyio.run(lambda: member("Beta"))
    login_staff(client)
    bad = post(
        client,
        "/api/stands/staff/fairs",
        json={"name": "X", "starts_on": "2027-05-02", "ends_on": "2027-05-01", "accreditation_cents": 1000},
    )
    assert bad.status_code == 422 and "ends_on" in bad.json()["errors"]
    r = post(
        client,
        "/api/stands/staff/fairs",
        json={
            "name": "Midem",
            "place": "Cannes",
            "starts_on": fair_day().isoformat(),
            "ends_on": fair_day(32).isoformat(),
            "accreditation_cents": 90000,
        },
    )
    assert r.status_code == 201
    fair_id = r.json()["id"]
    lone = post(
        client, f"/api/stands/staff/fairs/{fair_id}/participants", json={"organisation": alpha.id}
    ).json()
    assert lone["structures"][0]["subsidy_cents"] == 0 and lone["structures"][0]["reason"] == "alone"
    client.cookies.clear()
    login_attendee(client, b, mailbox)
    both = post(client, f"/api/stands/fairs/{fair_id}/going", json={}).json()
    assert [s["subsidy_cents"] for s in both["structures"]] == [30000, 30000]  # 50 % of 900 € capped at 300 €
    client.cookies.clear()
    login_staff(client, email="other-staff@ledamier.test")
    page = client.get(f"/staff/stands/fairs?year={fair_day().year}")
    assert page.status_code == 200 and "Midem" in page.text and "600,00" in page.text
    csv_text = client.get(f"/api/stands/staff/fairs/support.csv?year={fair_day().year}").text
    assert "Alpha" in csv_text and "Beta" in csv_text and "600,00" in csv_text
