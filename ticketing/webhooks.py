"""Stripe webhooks: verify the signature, then act on the object's current state, once per event id.

A duplicated or replayed event (same id) is recognised and ignored; events arriving out of order are
harmless because the handler retrieves the PaymentIntent from Stripe and acts on its current status,
and every order transition is a conditional UPDATE from the expected previous status.
A PaymentIntent that pays something else than an order (a stand share, dues) carries its purpose in its
metadata: the handler its domain registered with ticketing.payments.pays_for records the payment, once.

A signed payload is still read field by field: a missing id or type, a value of the wrong type or a
payment_intent.* event whose object is not a PaymentIntent is a 400 naming the field (nothing is
recorded); event types this system does not act on are acknowledged and ignored, as Stripe expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
import stripe

from lib.i18n import _
from lib.validation import BadRequest, check_json_document
from ticketing import orders, payments
from ticketing.tables import ProcessedStripeEvent


class BadSignature(Exception):
    pass


class StripeUnreachable(Exception):
    """Stripe could not be asked for the PaymentIntent: the webhook is answered 503 and Stripe retries."""


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    id: str
    type: str
    object_type: str
    object_id: str


ID_LENGTH = 100  # the columns of ticket_stripe_event


def _text(errors: dict[str, str], field: str, value: Any, limit: int = ID_LENGTH) -> str:
    if value is not None and not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    if not value or not value.strip():
        errors[field] = _("This field is required.")
        return ""
    if len(value) > limit:
        errors[field] = _("At most %(limit)d characters.", limit=limit)
        return ""
    return value


def read_event(payload: bytes) -> WebhookEvent:
    """The fields of a (verified) Stripe event this system uses, or BadRequest naming the faulty one."""
    try:
        data = msgspec.json.decode(payload)
    except (msgspec.DecodeError, RecursionError):
        raise BadRequest({"body": _("The request body is not valid JSON.")}) from None
    check_json_document(data)
    if not isinstance(data, dict):
        raise BadRequest({"body": _("This must be a JSON object.")})
    errors: dict[str, str] = {}
    event_id = _text(errors, "id", data.get("id"))
    event_type = _text(errors, "type", data.get("type"))
    container = data.get("data")
    obj = container.get("object") if isinstance(container, dict) else None
    object_type = object_id = ""
    if not isinstance(obj, dict):
        errors["data.object"] = _("This must be a JSON object.")
    else:
        object_id = obj.get("id") if isinstance(obj.get("id"), str) else ""
        object_type = obj.get("object") if isinstance(obj.get("object"), str) else ""
        if event_type.startswith("payment_intent."):
            if object_type != "payment_intent":
                errors["data.object.object"] = _("A payment_intent event must carry a PaymentIntent.")
            _text(errors, "data.object.id", obj.get("id"))
    if errors:
        raise BadRequest(errors)
    return WebhookEvent(
        id=event_id, type=event_type, object_type=object_type, object_id=object_id[:ID_LENGTH]
    )


async def handle(payload: bytes, signature: str) -> str:
    try:
        payments.verify_webhook_signature(payload, signature)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise BadSignature("invalid Stripe signature") from exc
    event = read_event(payload)
    if await ProcessedStripeEvent.exists().where(ProcessedStripeEvent.event_id == event.id):
        return "duplicate"
    outcome = "ignored"
    if event.type.startswith("payment_intent."):
        try:
            pi = await payments.retrieve_payment_intent(event.object_id)
        except payments.PaymentUnavailable as exc:
            if payments.is_missing_resource(exc):
                raise BadRequest({"data.object.id": _("Stripe knows no such PaymentIntent.")}) from exc
            raise StripeUnreachable(str(exc)) from exc
        target = payments.payment_target(pi)
        if target is not None:  # a stand share, dues...: the domain that started the payment records it
            handler, ref = target
            outcome = await handler(ref, pi)
        else:
            order = await orders.confirm_payment(pi)
            outcome = order.status if order is not None else "unknown_order"
    await ProcessedStripeEvent.raw(
        "INSERT INTO ticket_stripe_event (event_id, event_type, object_id, processed_at) "
        "VALUES ({}, {}, {}, CURRENT_TIMESTAMP) ON CONFLICT (event_id) DO NOTHING",
        event.id,
        event.type,
        event.object_id,
    )
    return outcome
