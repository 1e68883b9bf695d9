"""Ticketing pages render in French and English with prices HT / TVA / TTC."""

from __future__ import annotations

from tests.conftest import post
from tests.ticketing.factories import cles_event
from tests.ticketing.helpers import order


async def test_buy_page_shows_prices_and_members_flag(client):
    event, member, public = await cles_event()
    r = client.get(f"/events/{event.id}/tickets")
    assert r.status_code == 200
    html = r.text
    assert "Non-adhérent" in html and "20,00" in html and "4,00" in html and "24,00" in html
    assert f'data-testid="qty-{public.id}"' in html
    en = client.get(f"/events/{event.id}/tickets?lang=en").text
    assert "Non-member" in en and "€24.00" in en
    assert client.get("/events/999999/tickets").status_code == 404


async def test_order_pay_and_return_pages(client, stripe_fake):
    event, _member, public = await cles_event()
    body = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}]).json()
    page = client.get(f"/orders/{body['token']}")
    assert page.status_code == 200 and 'data-status="pending_payment"' in page.text
    pay = client.get(f"/orders/{body['token']}/pay")
    assert pay.status_code == 200 and "24,00" in pay.text and "TVA 20 %" in pay.text
    stripe_fake.pay(body["payment_intent"])
    back = client.get(f"/orders/{body['token']}/return", follow_redirects=False)
    assert back.status_code in (302, 303) and back.headers["location"] == f"/orders/{body['token']}"
    page = client.get(f"/orders/{body['token']}")
    assert (
        'data-status="confirmed"' in page.text and "tickets.pdf" in page.text and "invoice.pdf" in page.text
    )
    # paid: the pay page sends back to the order
    assert client.get(f"/orders/{body['token']}/pay", follow_redirects=False).status_code in (302, 303)
    assert client.get("/orders/not-a-token").status_code == 404
    assert post(client, f"/api/orders/{body['token']}/payment").status_code == 409
