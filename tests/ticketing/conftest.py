"""Ticketing fixtures: a real local Stripe fake (localstripe) on loopback, reset for every test."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

STRIPE_PORT = free_port()
WEBHOOK_SECRET = "whsec_test_" + os.urandom(8).hex()
os.environ.update(
    {
        "STRIPE_API_KEY": "sk_test_localstripe",
        "STRIPE_API_BASE": f"http://127.0.0.1:{STRIPE_PORT}",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
)
from lib.settings import get_settings  # noqa: E402

get_settings.cache_clear()


class StripeFake:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # Idempotent: the modules that import `_stripe_server` each get their own copy of the session
        # fixture, and a second start used to leave the first process running after the session.
        if self.proc is not None and self.proc.poll() is None:
            return
        runner = Path(__file__).with_name("localstripe_runner.py")
        self.proc = subprocess.Popen([sys.executable, str(runner), str(STRIPE_PORT)])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/v1/events", timeout=1)  # noqa: S310 (loopback)
                return
            except urllib.error.HTTPError:
                return  # answering (401 without a key)
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("localstripe did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def flush(self) -> None:
        req = urllib.request.Request(f"{self.base}/_config/data", method="DELETE")
        urllib.request.urlopen(req, timeout=5)  # noqa: S310

    # -- what the customer's browser does through Stripe.js --------------------------------------
    def pay(self, payment_intent_id: str, card: str = "4242424242424242") -> object:
        from ticketing.payments import client

        c = client()
        pm = c.v1.payment_methods.create(
            {"type": "card", "card": {"number": card, "exp_month": 12, "exp_year": 2031, "cvc": "123"}}
        )
        c.v1.payment_intents.update(payment_intent_id, {"payment_method": pm.id})
        return c.v1.payment_intents.confirm(payment_intent_id)

    def events(self, type_: str | None = None) -> list[dict]:
        """Events recorded by the fake, raw JSON as Stripe would post them."""
        req = urllib.request.Request(
            f"{self.base}/v1/events", headers={"Authorization": "Bearer sk_test_localstripe"}
        )
        data = json.loads(urllib.request.urlopen(req, timeout=5).read())["data"]  # noqa: S310
        return [e for e in data if type_ is None or e["type"] == type_]


def sign_webhook(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header, computed as Stripe (and localstripe's sender) do."""
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), b"%d." % ts + payload, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


_FAKE = StripeFake(STRIPE_PORT)


@pytest.fixture(scope="session")
def _stripe_server() -> Iterator[StripeFake]:
    _FAKE.start()
    yield _FAKE
    _FAKE.stop()


@pytest.fixture
def stripe_fake(_stripe_server: StripeFake) -> StripeFake:
    _stripe_server.flush()
    return _stripe_server
