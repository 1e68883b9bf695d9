"""Staff ticketing over HTTP: issue free tickets, search/filter, CSV export, resend, cancel, sales view."""

from __future__ import annotations

import csv
import io

from tests.conftest import post
from tests.ticketing.factories import cles_event, make_type
from tests.ticketing.helpers import attachment, order, pdf_text, staff_login


async def test_staff_area_needs_staff(client):
    event, _m, _p = await cles_event()
    assert client.get("/api/staff/ticketing/orders").status_code == 401
    assert post(client, f"/api/staff/ticketing/events/{event.id}/issue", json={}).status_code == 401
    await staff_login(client, role="door")
    assert client.get("/api/staff/ticketing/orders").status_code == 403


async def test_issue_search_export_resend_cancel_and_sales(client, stripe_fake, mailbox):
    event, member, public = await cles_event(capacity=50)
    speaker = await make_type(event, "Intervenant", 0, name_en="Speaker", staff_only=True, capacity=5)
    await staff_login(client)

    r = post(
        client,
        f"/api/staff/ticketing/events/{event.id}/issue",
        json={
            "buyer": {"name": "Chloé Oratrice", "email": "chloe@example.org", "organisation": "Université"},
            "items": [{"ticket_type": speaker.id, "quantity": 1}],
            "locale": "fr",
        },
    )
    assert r.status_code == 201, r.text
    issued = r.json()
    assert issued["status"] == "confirmed" and issued["total_ttc_cents"] == 0
    msg = mailbox.wait_for("chloe@example.org")[0]
    assert "Vos billets" in msg["Subject"]
    assert "Intervenant" in pdf_text(attachment(msg, "tickets.pdf"))

    # a paid public order, paid through the fake and confirmed on return
    body = order(
        client,
        event.id,
        [{"ticket_type": public.id, "quantity": 2}],
        attendees=[{"name": "Dan"}, {"name": "Eve", "email": "eve@example.org"}],
    ).json()
    stripe_fake.pay(body["payment_intent"])
    assert post(client, f"/api/orders/{body['token']}/sync").json()["status"] == "confirmed"

    found = client.get("/api/staff/ticketing/orders", params={"q": "chloé"}).json()
    assert [o["token"] for o in found] == [issued["token"]]
    found = client.get("/api/staff/ticketing/orders", params={"q": "eve@example.org"}).json()
    assert [o["token"] for o in found] == [body["token"]]  # found through an attendee
    found = client.get(
        "/api/staff/ticketing/orders", params={"event": event.id, "status": "confirmed"}
    ).json()
    assert len(found) == 2

    export = client.get("/api/staff/ticketing/orders.csv", params={"event": event.id})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Commande" and len(rows) == 1 + 3
    assert {r[4] for r in rows[1:]} == {"Chloé Oratrice", "Dan", "Eve"}
    assert {r[8] for r in rows[1:]} == {"0,00", "20,00"}  # French Excel: decimal comma

    sales = client.get(f"/api/staff/ticketing/events/{event.id}/sales").json()
    assert sales["confirmed"] == 3 and sales["held"] == 3 and sales["capacity"] == 50
    assert sales["revenue_ht_cents"] == 4000 and sales["revenue_ttc_cents"] == 4800
    by_type = {t["ticket_type"]: t for t in sales["types"]}
    assert by_type[public.id]["confirmed"] == 2 and by_type[speaker.id]["capacity"] == 5

    mailbox.clear()
    assert post(client, f"/api/staff/ticketing/orders/{issued['token']}/resend").status_code == 200
    mailbox.wait_for("chloe@example.org")

    # staff cancel after the attendee window is fine; the paid order is refunded through Stripe
    r = post(client, f"/api/staff/ticketing/orders/{body['token']}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "refunded"
    sales = client.get(f"/api/staff/ticketing/events/{event.id}/sales").json()
    assert sales["confirmed"] == 1 and sales["revenue_ttc_cents"] == 0 and sales["held"] == 1
