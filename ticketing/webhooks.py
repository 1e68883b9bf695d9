"""Stripe webhooks: verify the signature, then act on the object's current state, once per event id.

A duplicated or replayed event (same id) is recognised and ignored; events arriving out of order are
harmless because the handler retrieves the PaymentIntent from Stripe and acts on its current status,
and every order transition is a conditional UPDATE from the expected previous status.
"""

from __future__ import annotations

import stripe

from ticketing import orders, payments
from ticketing.tables import ProcessedStripeEvent


class BadSignature(Exception):
    pass


async def handle(payload: bytes, signature: str) -> str:
    try:
        event = payments.construct_event(payload, signature)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise BadSignature("invalid Stripe signature") from exc
    if await ProcessedStripeEvent.exists().where(ProcessedStripeEvent.event_id == event.id):
        return "duplicate"
    obj = event.data.object
    object_id = getattr(obj, "id", "") or ""
    outcome = "ignored"
    if event.type.startswith("payment_intent.") and object_id:
        pi = await payments.retrieve_payment_intent(object_id)
        order = await orders.confirm_payment(pi)
        outcome = order.status if order is not None else "unknown_order"
    await ProcessedStripeEvent.raw(
        "INSERT INTO ticket_stripe_event (event_id, event_type, object_id, processed_at) "
        "VALUES ({}, {}, {}, CURRENT_TIMESTAMP) ON CONFLICT (event_id) DO NOTHING",
        event.id,
        event.type,
        object_id,
    )
    return outcome
