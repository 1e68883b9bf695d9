"""Stripe helpers for tests: the webhook secret the test harness configures and the signature Stripe
puts on a webhook. Imported normally; the fake Stripe server itself is the `stripe_fake` fixture
(tests/fixtures/stripe.py)."""

from __future__ import annotations

import hashlib
import hmac
import os
import time

WEBHOOK_SECRET = "whsec_test_" + os.urandom(8).hex()


def sign_webhook(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header, computed as Stripe (and localstripe's sender) do."""
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), b"%d." % ts + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"
