"""Stripe through the official SDK (StripeClient, v1 services): PaymentIntents, refunds, webhooks.

Amounts are TTC in cents. Every call that creates something carries an idempotency key derived
from the order, so a retried request never charges or refunds twice. The SDK's blocking client
runs in a worker thread (it is independent of the event loop of the request).
STRIPE_API_BASE points the SDK at another server (the local fake in tests).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import anyio
import stripe

from lib.settings import get_settings

CURRENCY = "eur"

log = logging.getLogger(__name__)


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


@dataclass(frozen=True, slots=True)
class CardPayment:
    """Where the card payment of one invoice stands at Stripe: a client secret for the Payment Element,
    or `succeeded` when the PaymentIntent already started for it has been paid (the caller records it)."""

    payment_intent_id: str
    client_secret: str
    succeeded: bool


def intent_pays(intent: Any, amount_cents: int) -> bool:
    """The PaymentIntent succeeded for exactly this amount in euros (a wrong amount pays nothing)."""
    if getattr(intent, "status", "") != "succeeded":
        return False
    if intent.amount != amount_cents or intent.currency != CURRENCY:
        log.error(
            "PaymentIntent %s paid %s %s, %s cents expected",
            intent.id,
            intent.amount,
            intent.currency,
            amount_cents,
        )
        return False
    return True


async def start_or_resume_card_payment(
    *, purpose: str, ref: int, amount_cents: int, current_intent_id: str | None
) -> CardPayment:
    """The one way to pay an invoice (a stand share, dues) by card: resume the PaymentIntent already
    started for it (a second click never creates a second one), or create one with metadata
    {purpose: ref}, by which the webhook finds what it pays (see `pays_for`). The caller stores
    `payment_intent_id` and, when `succeeded`, records the payment."""
    if current_intent_id:
        existing = await retrieve_payment_intent(current_intent_id)
        if intent_pays(existing, amount_cents):
            return CardPayment(payment_intent_id=existing.id, client_secret="", succeeded=True)
        if existing.status != "canceled" and existing.amount == amount_cents:
            return CardPayment(
                payment_intent_id=existing.id, client_secret=str(existing.client_secret), succeeded=False
            )
        if existing.status != "canceled":  # the amount changed: the old one must never be paid
            await cancel_payment_intent(existing.id)
    intent = await create_intent(
        amount_cents=amount_cents,
        metadata={purpose: str(ref)},
        idempotency_key=f"{purpose.replace('_', '-')}-{ref}-payment-{current_intent_id or 'first'}",
    )
    return CardPayment(payment_intent_id=intent.id, client_secret=str(intent.client_secret), succeeded=False)


async def card_payment_succeeded(payment_intent_id: str | None, amount_cents: int) -> bool:
    """Ask Stripe whether the invoice's PaymentIntent succeeded for its amount (on the payer's return)."""
    if not payment_intent_id:
        return False
    return intent_pays(await retrieve_payment_intent(payment_intent_id), amount_cents)


# What a PaymentIntent pays, by the metadata key its domain gave it: {"stand_share": handler, ...}.
PaymentHandler = Callable[[int, Any], Awaitable[str]]
_PAID_BY_PURPOSE: dict[str, PaymentHandler] = {}


def pays_for(purpose: str) -> Callable[[PaymentHandler], PaymentHandler]:
    """Register the handler a verified payment_intent.* webhook calls for a PaymentIntent whose metadata
    carries `purpose` (the id of what it pays, then the PaymentIntent). Handlers act on the intent's
    current state, are idempotent and return a short outcome for the webhook's answer. They live in the
    module that starts the payment, which every web process imports through its routes."""

    def decorator(handler: PaymentHandler) -> PaymentHandler:
        _PAID_BY_PURPOSE[purpose] = handler
        return handler

    return decorator


def payment_target(intent: Any) -> tuple[PaymentHandler, int] | None:
    """The registered handler and id a PaymentIntent pays for, from its metadata (None: not ours, or an order)."""
    raw_metadata = getattr(intent, "metadata", None) or {}
    metadata = raw_metadata.to_dict() if hasattr(raw_metadata, "to_dict") else dict(raw_metadata)
    for purpose, handler in _PAID_BY_PURPOSE.items():
        raw = metadata.get(purpose, "")
        if isinstance(raw, str) and raw.isdigit():
            return handler, int(raw)
    return None


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
