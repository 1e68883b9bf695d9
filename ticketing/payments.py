"""Stripe through the official SDK (StripeClient, v1 services): PaymentIntents, refunds, webhooks.

Amounts are TTC in cents. Every call that creates something carries an idempotency key derived
from the order, so a retried request never charges or refunds twice. The SDK's blocking client
runs in a worker thread (it is independent of the event loop of the request).
STRIPE_API_BASE points the SDK at another server (the local fake in tests).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import anyio
import stripe

from lib.settings import get_settings

CURRENCY = "eur"


class PaymentUnavailable(Exception):
    """Stripe could not be reached or refused the request."""


def online_payment_enabled() -> bool:
    """Card payment through Stripe is configured (STRIPE_API_KEY); without it the payment page offers
    the configured alternative (bank transfer or the team's contact)."""
    return bool(get_settings().stripe_api_key)


@lru_cache(maxsize=4)
def _client(api_key: str, api_base: str) -> stripe.StripeClient:
    base = {"api": api_base} if api_base else None
    return stripe.StripeClient(api_key, base_addresses=base, max_network_retries=2)  # type: ignore[arg-type]


def client() -> stripe.StripeClient:
    settings = get_settings()
    if not settings.stripe_api_key:
        raise PaymentUnavailable("STRIPE_API_KEY is not configured")
    return _client(settings.stripe_api_key, settings.stripe_api_base)


async def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))
    except stripe.StripeError as exc:
        raise PaymentUnavailable(str(exc.user_message or exc)) from exc


async def create_intent(
    *, amount_cents: int, metadata: dict[str, str], idempotency_key: str
) -> stripe.PaymentIntent:
    """A PaymentIntent in euros for anything the cluster sells (orders, stand shares)."""
    return await _call(
        client().v1.payment_intents.create,
        {"amount": amount_cents, "currency": CURRENCY, "metadata": metadata},
        {"idempotency_key": idempotency_key},
    )


async def create_payment_intent(
    *, order_token: str, order_id: int, amount_cents: int
) -> stripe.PaymentIntent:
    return await create_intent(
        amount_cents=amount_cents,
        metadata={"order": order_token, "order_id": str(order_id)},
        idempotency_key=f"order-{order_token}-payment",
    )


async def retrieve_payment_intent(payment_intent_id: str) -> stripe.PaymentIntent:
    return await _call(client().v1.payment_intents.retrieve, payment_intent_id)


async def cancel_payment_intent(payment_intent_id: str) -> None:
    """Best effort: an expired order's PaymentIntent can no longer be paid."""
    try:
        await _call(client().v1.payment_intents.cancel, payment_intent_id)
    except PaymentUnavailable:
        pass


async def refund(*, payment_intent_id: str, amount_cents: int, key: str) -> stripe.Refund:
    return await _call(
        client().v1.refunds.create,
        {"payment_intent": payment_intent_id, "amount": amount_cents},
        {"idempotency_key": f"refund-{key}"},
    )


def verify_webhook_signature(payload: bytes, signature: str) -> None:
    """Verify the Stripe-Signature header (raises ValueError or stripe.SignatureVerificationError).
    The payload is read afterwards by ticketing.webhooks, which checks its shape field by field."""
    secret = get_settings().stripe_webhook_secret
    if not secret:
        raise ValueError("STRIPE_WEBHOOK_SECRET is not configured")
    stripe.WebhookSignature.verify_header(payload, signature, secret, stripe.Webhook.DEFAULT_TOLERANCE)


def is_missing_resource(exc: PaymentUnavailable) -> bool:
    """Stripe answered that the object asked for does not exist (HTTP 404), rather than being out of reach."""
    cause = exc.__cause__
    return isinstance(cause, stripe.StripeError) and cause.http_status == 404
