"""Paid checkout without Stripe keys (issue 10, journey 4): say plainly that online payment is off, offer
the configured alternative (bank transfer with its details and reference, or the team's contact), and
lead an expired order back to booking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lib.settings import get_settings
from tests.conftest import post
from tests.ticketing.factories import cles_event
from tests.ticketing.helpers import attachment, order, pdf_text, staff_login
from ticketing import orders
from ticketing.tables import Invoice, Order

IBAN = "FR76 3000 4000 0100 0000 0000 000"


@pytest.fixture
def no_stripe(monkeypatch):
    def apply(**env) -> None:
        monkeypatch.delenv("STRIPE_API_KEY", raising=False)
        monkeypatch.delenv("STRIPE_PUBLISHABLE_KEY", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_without_stripe_the_team_contact_is_offered(client, no_stripe):
    no_stripe(CONTACT_EMAIL="billetterie@ledamier.fr")
    event, _member, public = await cles_event()
    r = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}])
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "pending_payment" and body["online_payment"] is False
    assert (
        body["payment_intent"] is None
        and body["payment_reference"] == f"LDE-{(await Order.objects().first()).id}"
    )
    refused = post(client, f"/api/orders/{body['token']}/payment")
    assert (
        refused.status_code == 409
        and "paiement en ligne par carte n'est pas disponible" in refused.json()["detail"]
    )
    pay = client.get(f"/orders/{body['token']}/pay")
    assert pay.status_code == 200
    assert 'data-testid="online-payment-off"' in pay.text and "paiement en ligne par carte" in pay.text
    assert "billetterie@ledamier.fr" in pay.text and body["payment_reference"] in pay.text
    assert "réessayer dans un instant" not in pay.text and 'data-testid="payment-done"' not in pay.text
    page = client.get(f"/orders/{body['token']}")
    assert 'data-testid="contact-staff"' in page.text and 'data-testid="pay-link"' not in page.text
    buy = client.get(f"/events/{event.id}/tickets")
    assert "la page de la commande indique comment payer" in buy.text


async def test_bank_transfer_holds_the_places_and_staff_confirm_it(client, mailbox, no_stripe):
    no_stripe(BANK_IBAN=IBAN, BANK_BIC="BNPAFRPPXXX")
    event, _member, public = await cles_event()
    body = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}]).json()
    reference = body["payment_reference"]
    pay = client.get(f"/orders/{body['token']}/pay")
    assert IBAN in pay.text and "BNPAFRPPXXX" in pay.text and reference in pay.text
    assert 'data-testid="choose-transfer"' in pay.text
    r = post(client, f"/orders/{body['token']}/bank-transfer", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/orders/{body['token']}"
    held = await Order.objects().first()
    assert held.payment_method == "transfer" and held.status == "pending_payment"
    assert held.expires_at > datetime.now(UTC) + timedelta(days=6)
    msg = mailbox.wait_for("alice@example.org")[0]
    text = msg.get_body(("plain",)).get_content()
    assert "virement" in msg["Subject"] and IBAN in text and reference in text and "24,00" in text
    page = client.get(f"/orders/{body['token']}").text
    assert 'data-testid="transfer-chosen"' in page
    # the sweep leaves it alone; the team records the transfer: confirmed, invoice and tickets emailed
    assert await orders.expire_due() == 0
    await staff_login(client)
    listed = client.get("/staff/tickets/").text
    assert 'data-testid="transfer-received"' in listed and reference in listed
    r = post(client, f"/staff/tickets/orders/{body['token']}/paid", follow_redirects=False)
    assert r.status_code in (302, 303)
    assert (await Order.objects().first()).status == "confirmed"
    assert await Invoice.count() == 1
    tickets = mailbox.wait_for("alice@example.org", count=2)[1]
    assert "Alice Martin" in pdf_text(attachment(tickets, "tickets.pdf"))
    assert "24,00" in pdf_text(attachment(tickets, "F"))
    # paid by transfer: the buyer cannot ask Stripe for a refund; the team cancels and refunds by hand
    refused = post(client, f"/api/orders/{body['token']}/cancel")
    assert refused.status_code == 422 and "virement" in refused.json()["detail"]
    r = post(client, f"/api/staff/ticketing/orders/{body['token']}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "refunded" and r.json()["credit_note"]


async def test_an_expired_order_leads_back_to_booking(client, no_stripe):
    no_stripe()
    event, _member, public = await cles_event()
    body = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}]).json()
    await Order.update({Order.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Order.token == body["token"]
    )
    page = client.get(f"/orders/{body['token']}").text
    assert 'data-status="expired"' in page
    assert 'data-testid="book-again"' in page and f'href="/events/{event.id}/tickets"' in page
    assert client.get(f"/orders/{body['token']}/pay", follow_redirects=False).status_code in (302, 303)
