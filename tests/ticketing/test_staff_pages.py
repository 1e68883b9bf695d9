"""Back-office ticketing pages: orders list with filters and actions, sales view, issuing, ticket types."""

from __future__ import annotations

from tests.conftest import post
from tests.ticketing.factories import make_event
from tests.ticketing.helpers import order, staff_login
from ticketing.tables import Order, TicketType


async def test_staff_pages(client, mailbox):
    event = await make_event(capacity=40)
    assert client.get(f"/staff/tickets/events/{event.id}", follow_redirects=False).status_code in (
        302,
        303,
        401,
    )
    await staff_login(client)

    r = post(
        client, f"/staff/tickets/events/{event.id}/types", data={"defaults": "1"}, follow_redirects=False
    )
    assert r.status_code == 303
    types = {t.name: t for t in await TicketType.objects().where(TicketType.event == event.id)}
    assert types["Non-adhérent"].price_cents == 2000 and types["Adhérent"].requires_membership
    assert types["Intervenant"].staff_only
    r = post(client, f"/staff/tickets/events/{event.id}/types", data={"name": "Étudiant", "price": "5,50"})
    assert r.status_code == 200
    assert (await TicketType.objects().where(TicketType.name == "Étudiant").first()).price_cents == 550
    r = post(
        client,
        f"/staff/tickets/events/{event.id}/types",
        data={"name": "", "price": "abc"},
        follow_redirects=False,
    )
    assert "flash=" in r.headers["location"]

    r = post(
        client,
        f"/staff/tickets/events/{event.id}/issue",
        data={"ticket_type": str(types["Exposant"].id), "name": "Eva Exposante", "email": "eva@example.org"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    mailbox.wait_for("eva@example.org")
    free = order(
        client, event.id, [{"ticket_type": types["Adhérent"].id, "quantity": 1}], request_approval=True
    ).json()
    assert free["status"] == "reserved"

    page = client.get("/staff/tickets/", params={"event": event.id})
    assert page.status_code == 200 and "Eva Exposante" in page.text and "Alice Martin" in page.text
    assert "orders.csv?event=" in page.text
    page = client.get("/staff/tickets/", params={"q": "eva"})
    assert "Eva Exposante" in page.text and "Alice Martin" not in page.text

    r = post(client, f"/staff/tickets/orders/{free['token']}/approve", follow_redirects=False)
    assert r.status_code == 303
    assert (await Order.objects().where(Order.token == free["token"]).first()).status == "confirmed"

    sales = client.get(f"/staff/tickets/events/{event.id}")
    assert sales.status_code == 200 and 'data-testid="sales-confirmed">2<' in sales.text
