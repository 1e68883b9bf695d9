"""Odd Stripe webhooks, signed with the real webhook secret (issue 10, security 7): every payload the
endpoint cannot use is a 400 naming the field, records nothing and leaves the order as it was; an event type
the system does not act on is acknowledged; a PaymentIntent Stripe does not know is a 400, not a 500."""

from __future__ import annotations

import json

import pytest

from tests.conftest import post
from tests.stripe_helpers import sign_webhook
from tests.ticketing.factories import cles_event
from ticketing.tables import Order, ProcessedStripeEvent


def signed(client, payload: bytes, **headers: str):
    return client.post(
        "/api/webhooks/stripe",
        content=payload,
        headers={"stripe-signature": sign_webhook(payload), "content-type": "application/json", **headers},
    )


def pi_event(**overrides) -> dict:
    event = {
        "id": "evt_odd",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": 1,
        "data": {"object": {"id": "pi_odd", "object": "payment_intent"}},
    }
    event.update(overrides)
    return event


ODD_EVENTS = [
    ({k: v for k, v in pi_event().items() if k != "id"}, {"id"}),
    (pi_event(id=12), {"id"}),
    (pi_event(id="e" * 101), {"id"}),
    ({k: v for k, v in pi_event().items() if k != "type"}, {"type"}),
    (pi_event(type=["payment_intent.succeeded"]), {"type"}),
    (pi_event(data=None), {"data.object"}),
    (pi_event(data={"object": [1, 2]}), {"data.object"}),
    (pi_event(data="pi_odd"), {"data.object"}),
    (pi_event(data={"object": {"id": "ch_1", "object": "charge"}}), {"data.object.object"}),
    (pi_event(data={"object": {"object": "payment_intent"}}), {"data.object.id"}),
    (pi_event(data={"object": {"id": 7, "object": "payment_intent"}}), {"data.object.id"}),
    (pi_event(id=None, type=None, data={}), {"id", "type", "data.object"}),
]


@pytest.mark.parametrize(("event", "fields"), ODD_EVENTS)
async def test_signed_webhook_with_odd_fields_is_a_400_naming_them(client, stripe_fake, event, fields):
    r = signed(client, json.dumps(event).encode())
    assert r.status_code == 400, (r.status_code, r.text[:300])
    body = r.json()
    assert set(body["errors"]) == fields, body
    assert body["status_code"] == 400 and body["detail"]
    assert await ProcessedStripeEvent.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'"evt"',
        b"null",
        b"[" * 10_000 + b"]" * 10_000,
        b'{"id": ' + b"9" * 30 + b"}",
    ],
)
async def test_signed_webhook_that_is_not_an_event_object_is_a_400(client, stripe_fake, payload):
    r = signed(client, payload, **{"accept-language": "en"})
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert r.json()["errors"], r.json()
    assert await ProcessedStripeEvent.count() == 0


async def test_unknown_event_types_are_acknowledged_and_a_payment_intent_stripe_does_not_know_is_a_400(
    client, stripe_fake
):
    for event_type, obj in [
        ("customer.created", {"id": "cus_1", "object": "customer"}),
        ("invoice.paid", {"object": "invoice"}),  # no id: nothing is fetched for it
        ("payment_intent.created", {"id": "pi_unknown", "object": "payment_intent"}),
    ]:
        event = pi_event(id=f"evt_{event_type}", type=event_type, data={"object": obj})
        r = signed(client, json.dumps(event).encode())
        if event_type.startswith("payment_intent."):
            assert r.status_code == 400, r.text
            assert list(r.json()["errors"]) == ["data.object.id"]
        else:
            assert r.status_code == 200 and r.json()["outcome"] == "ignored", r.text
    assert await ProcessedStripeEvent.count() == 2  # the two acknowledged ones, not the refused one


async def test_an_odd_webhook_leaves_the_order_unpaid(client, stripe_fake):
    event, _member, public = await cles_event(capacity=5)
    r = post(
        client,
        f"/api/events/{event.id}/orders",
        json={
            "buyer": {"name": "Paula", "email": "paula@example.org"},
            "items": [{"ticket_type": public.id, "quantity": 1}],
        },
    )
    assert r.status_code == 201, r.text
    pi = r.json()["payment_intent"]
    stripe_fake.pay(pi)
    odd = pi_event(data={"object": {"id": pi, "object": "charge"}})
    assert signed(client, json.dumps(odd).encode()).status_code == 400
    assert (await Order.objects().first()).status == "pending_payment"
    # the genuine event still confirms it afterwards
    [genuine] = stripe_fake.events("payment_intent.succeeded")
    r = signed(client, json.dumps(genuine).encode())
    assert r.status_code == 200 and r.json()["outcome"] == "confirmed"


def test_a_missing_signature_names_the_header(client):
    r = client.post("/api/webhooks/stripe", content=b"{}", headers={"accept-language": "en"})
    assert r.status_code == 400
    assert r.json()["errors"] == {"stripe-signature": "The Stripe signature is missing or invalid."}
