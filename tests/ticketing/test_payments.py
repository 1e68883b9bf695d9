"""Paid orders against the local Stripe fake (localstripe): PaymentIntents, signed webhooks, return
sync, replays, expiry, late payments, cancellation with refund, invoices and credit notes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.conftest import post
from tests.stripe_helpers import sign_webhook
from tests.ticketing.factories import cles_event
from tests.ticketing.helpers import attachment, order, pdf_text
from ticketing.invoices import paris_year
from ticketing.tables import CreditNote, Invoice, Order, ProcessedStripeEvent, TicketType


def _webhook(client, event: dict, signature: str | None = None):
    payload = json.dumps(event).encode()
    return client.post(
        "/api/webhooks/stripe",
        content=payload,
        headers={"stripe-signature": signature or sign_webhook(payload), "content-type": "application/json"},
    )


async def _paid_order(client, stripe_fake, quantity: int = 1):
    event, _member, public = await cles_event(capacity=10)
    attendees = [{"name": f"Person {i}"} for i in range(quantity)] if quantity > 1 else None
    r = order(client, event.id, [{"ticket_type": public.id, "quantity": quantity}], attendees=attendees)
    assert r.status_code == 201, r.text
    return event, public, r.json()


async def test_paid_order_confirmed_by_signed_webhook_only(client, stripe_fake, mailbox):
    event, public, body = await _paid_order(client, stripe_fake)
    assert body["status"] == "pending_payment"
    assert (body["total_ht_cents"], body["total_vat_cents"], body["total_ttc_cents"]) == (2000, 400, 2400)
    assert body["client_secret"] and body["payment_intent"].startswith("pi_")
    assert body["tickets"][0]["status"] == "pending"

    paid = stripe_fake.pay(body["payment_intent"])
    assert paid.status == "succeeded" and paid.amount == 2400 and paid.currency == "eur"
    [event_json] = stripe_fake.events("payment_intent.succeeded")

    # a bad signature, a wrong secret, a missing header: 400 and nothing changes
    assert _webhook(client, event_json, signature="t=1,v1=deadbeef").status_code == 400
    assert (
        _webhook(
            client, event_json, signature=sign_webhook(json.dumps(event_json).encode(), "whsec_other")
        ).status_code
        == 400
    )
    stale = sign_webhook(json.dumps(event_json).encode(), timestamp=int(datetime.now(UTC).timestamp()) - 3600)
    assert _webhook(client, event_json, signature=stale).status_code == 400
    assert (await Order.objects().first()).status == "pending_payment"

    r = _webhook(client, event_json)
    assert r.status_code == 200 and r.json()["outcome"] == "confirmed"
    # replayed: harmless
    r = _webhook(client, event_json)
    assert r.status_code == 200 and r.json()["outcome"] == "duplicate"
    assert await ProcessedStripeEvent.count() == 1

    got = client.get(f"/api/orders/{body['token']}").json()
    year = paris_year(datetime.now(UTC))
    assert got["status"] == "confirmed" and got["invoice"] == f"F{year}-00001"
    assert got["tickets"][0]["status"] == "valid"
    assert await Invoice.count() == 1

    msg = mailbox.wait_for("alice@example.org")[0]
    invoice_text = pdf_text(attachment(msg, f"F{year}-00001"))
    for expected in (
        "LE DAMIER",
        "Epicentre Factory",
        "5 rue Saint-Dominique",
        "63000 Clermont-Ferrand",
        "Alice Martin",
        "Studio A",
        f"F{year}-00001",
        "20,00",
        "4,00",
        "24,00",
        "TVA 20",
    ):
        assert expected in invoice_text, (expected, invoice_text)
    assert "Alice Martin" in pdf_text(attachment(msg, "tickets.pdf"))
    inv = client.get(f"/api/orders/{body['token']}/invoice.pdf")
    assert inv.status_code == 200 and "24,00" in pdf_text(inv.content)

    # paying twice for one order is refused
    r = post(client, f"/api/orders/{body['token']}/payment")
    assert r.status_code == 409


async def test_out_of_order_and_foreign_events_are_harmless(client, stripe_fake):
    _event, _public, body = await _paid_order(client, stripe_fake)
    # a payment_failed event for a PaymentIntent that in fact succeeded, arriving late: no harm
    stripe_fake.pay(body["payment_intent"])
    fake_failed = {
        "id": "evt_failed_late",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "created": 1,
        "data": {"object": {"id": body["payment_intent"], "object": "payment_intent"}},
    }
    r = _webhook(client, fake_failed)
    assert r.status_code == 200 and r.json()["outcome"] == "confirmed"  # acts on the PI's real state
    unrelated = {
        "id": "evt_other",
        "object": "event",
        "type": "customer.created",
        "created": 1,
        "data": {"object": {"id": "cus_1", "object": "customer"}},
    }
    assert _webhook(client, unrelated).json()["outcome"] == "ignored"


async def test_confirmed_on_return_by_retrieving_the_payment_intent(client, stripe_fake, mailbox):
    _event, _public, body = await _paid_order(client, stripe_fake, quantity=2)
    assert body["total_ttc_cents"] == 4800
    r = post(client, f"/api/orders/{body['token']}/sync")
    assert r.json()["status"] == "pending_payment"  # not paid yet: nothing confirmed
    stripe_fake.pay(body["payment_intent"])
    r = post(client, f"/api/orders/{body['token']}/sync")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    r = post(client, f"/api/orders/{body['token']}/sync")
    assert r.json()["status"] == "confirmed" and await Invoice.count() == 1
    mailbox.wait_for("alice@example.org")


async def test_declined_card_leaves_order_pending(client, stripe_fake):
    _event, _public, body = await _paid_order(client, stripe_fake)
    try:
        stripe_fake.pay(body["payment_intent"], card="4000000000000341")
    except Exception:  # the fake declines the card, as Stripe does
        pass
    r = post(client, f"/api/orders/{body['token']}/sync")
    assert r.json()["status"] == "pending_payment"


async def test_expired_reservation_releases_places_and_late_payment(client, stripe_fake, mailbox):
    event, public, body = await _paid_order(client, stripe_fake)
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == public.id).first())["sold"] == 1
    await Order.update({Order.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Order.token == body["token"]
    )
    types = client.get(f"/api/events/{event.id}/ticket-types").json()
    assert (await Order.objects().first()).status == "expired"
    assert types[1]["places_left"] == 10
    r = post(client, f"/api/orders/{body['token']}/payment")
    assert r.status_code == 409 and "expiré" in r.json()["detail"]

    # the customer had the payment page open and pays anyway: places are still free -> confirmed
    stripe_fake.pay(body["payment_intent"])
    r = post(client, f"/api/orders/{body['token']}/sync")
    assert r.json()["status"] == "confirmed"
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == public.id).first())["sold"] == 1


async def test_late_payment_for_a_full_event_is_refunded(client, stripe_fake, mailbox):
    event, _member, public = await cles_event(capacity=1)
    r = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}])
    first = r.json()
    await Order.update({Order.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Order.token == first["token"]
    )
    r = order(
        client,
        event.id,
        [{"ticket_type": public.id, "quantity": 1}],
        buyer={"name": "Bob", "email": "bob@example.org"},
    )
    assert r.status_code == 201  # the released place went to Bob
    assert order(client, event.id, [{"ticket_type": public.id, "quantity": 1}]).status_code == 409
    stripe_fake.pay(first["payment_intent"])
    r = post(client, f"/api/orders/{first['token']}/sync")
    assert r.json()["status"] == "refunded" and r.json()["refunded_cents"] == 2400
    from ticketing.payments import client as stripe_client

    refunds = stripe_client().v1.refunds.list({"payment_intent": first["payment_intent"]})
    assert [x.amount for x in refunds.data] == [2400]
    msg = mailbox.wait_for("alice@example.org")[0]
    assert "refund" in msg["Subject"].lower() or "rembours" in msg["Subject"].lower()


async def test_cancel_paid_order_refunds_with_credit_note(client, stripe_fake, mailbox):
    event, public, body = await _paid_order(client, stripe_fake)
    stripe_fake.pay(body["payment_intent"])
    assert post(client, f"/api/orders/{body['token']}/sync").json()["status"] == "confirmed"
    mailbox.wait_for("alice@example.org")
    r = post(client, f"/api/orders/{body['token']}/cancel")
    assert r.status_code == 200, r.text
    got = r.json()
    year = paris_year(datetime.now(UTC))
    assert got["status"] == "refunded" and got["credit_note"] == f"AV{year}-00001"
    assert all(t["status"] == "cancelled" for t in got["tickets"])
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == public.id).first())["sold"] == 0
    from ticketing.payments import client as stripe_client

    refunds = stripe_client().v1.refunds.list({"payment_intent": body["payment_intent"]})
    assert [x.amount for x in refunds.data] == [2400]
    # cancelling again: refused, no second refund
    assert post(client, f"/api/orders/{body['token']}/cancel").status_code == 409
    assert len(stripe_client().v1.refunds.list({"payment_intent": body["payment_intent"]}).data) == 1
    msgs = mailbox.wait_for("alice@example.org", count=2)
    note_pdf = pdf_text(attachment(msgs[1], f"AV{year}-00001"))
    assert f"F{year}-00001" in note_pdf and "-24,00" in note_pdf
    assert await CreditNote.count() == 1
    pdf = client.get(f"/api/orders/{body['token']}/credit-note.pdf")
    assert pdf.status_code == 200


async def test_cancellation_window(client, stripe_fake):
    event, _member, public = await cles_event()
    free = await __import__("tests.ticketing.factories", fromlist=["make_type"]).make_type(event, "Libre", 0)
    body = order(client, event.id, [{"ticket_type": free.id, "quantity": 1}]).json()
    from events.tables import Event

    await Event.update({Event.starts_at: datetime.now(UTC) + timedelta(hours=2)}).where(Event.id == event.id)
    r = post(client, f"/api/orders/{body['token']}/cancel")
    assert r.status_code == 422 and "48" in r.json()["errors"]["order"]
    assert client.get(f"/api/orders/{body['token']}").json()["status"] == "confirmed"
