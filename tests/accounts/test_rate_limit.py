"""Rate limits on sign-in and link requests: HTTP 429, counted in the database so every web worker
shares them."""

from __future__ import annotations

import anyio
from litestar.testing import TestClient

from lib.tables import RateLimitHit
from tests.auth import DEFAULT_PASSWORD, make_staff
from tests.conftest import post

LIMIT = 10  # LOGIN_RATE_PER_15MIN set by tests/conftest.py


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def _worker():
    """A second, independent app instance: another web worker process would share only the database."""
    from server.app import create_app

    return TestClient(app=create_app(), base_url="http://testserver.local")


def test_login_limit_is_shared_by_workers_and_answers_429(client):
    run(make_staff, role="staff")
    bad = {"email": "staff@ledamier.test", "password": "wrong password"}
    with _worker() as other:
        for i in range(LIMIT):
            c = client if i % 2 == 0 else other  # attempts spread over two workers
            assert post(c, "/auth/login", data=bad).status_code == 400
        hits = run(RateLimitHit.select(RateLimitHit.key).run)
        assert sum(1 for h in hits if h["key"] == "login:email:staff@ledamier.test") == LIMIT
        r = post(other, "/auth/login", data=bad)
        assert r.status_code == 429
        assert "Trop de tentatives de connexion." in r.text
    # even the right password is refused while the limit holds
    good = post(
        client, "/auth/login", data={**bad, "password": DEFAULT_PASSWORD}, headers={"accept-language": "en"}
    )
    assert good.status_code == 429
    assert "Too many sign-in attempts. Please wait 15 minutes and try again." in good.text
    api = post(client, "/api/auth/login", json={"email": "staff@ledamier.test", "password": DEFAULT_PASSWORD})
    assert api.status_code == 429
    assert api.json()["detail"].startswith("Trop de tentatives")
    assert api.headers["retry-after"] == good.headers["retry-after"] == "900"


def test_login_limit_per_ip_covers_many_emails(client):
    for i in range(LIMIT):
        r = post(client, "/auth/login", data={"email": f"guess{i}@ledamier.test", "password": "x" * 12})
        assert r.status_code == 400
    r = post(client, "/auth/login", data={"email": "another@ledamier.test", "password": "x" * 12})
    assert r.status_code == 429


def test_link_requests_are_limited(client, mailbox):
    for _ in range(LIMIT):
        assert post(client, "/auth/link", data={"email": "flood@example.org"}).status_code == 200
    r = post(client, "/auth/link", data={"email": "flood@example.org"}, headers={"accept-language": "en"})
    assert r.status_code == 429
    assert "Too many sign-in link requests." in r.text
    api = post(client, "/api/auth/link", json={"email": "flood@example.org"})
    assert api.status_code == 429
    assert "Trop de demandes de lien de connexion." in api.json()["detail"]
    assert len(mailbox.wait_for("flood@example.org", count=LIMIT)) == LIMIT


async def test_hit_rate_limit_window_and_pruning():
    from datetime import UTC, datetime, timedelta

    from accounts.services import hit_rate_limit

    assert [await hit_rate_limit("k", 3, 60) for _ in range(4)] == [False, False, False, True]
    assert await RateLimitHit.count().where(RateLimitHit.key == "k") == 3
    assert await hit_rate_limit("other", 3, 60) is False  # keys are independent
    # hits older than the window no longer count and are pruned
    old = datetime.now(UTC) - timedelta(seconds=120)
    await RateLimitHit.update({RateLimitHit.at: old}).where(RateLimitHit.key == "k")
    assert await hit_rate_limit("k", 3, 60) is False
    assert await RateLimitHit.count().where(RateLimitHit.key == "k") == 1
    # a key never seen again is pruned once a day old, by anyone's next attempt
    await RateLimitHit.update({RateLimitHit.at: datetime.now(UTC) - timedelta(days=2)}).where(
        RateLimitHit.key == "other"
    )
    await hit_rate_limit("k", 3, 60)
    assert await RateLimitHit.count().where(RateLimitHit.key == "other") == 0


async def test_hit_rate_limit_under_concurrency():
    import asyncio

    from accounts.services import hit_rate_limit

    results = await asyncio.gather(*(hit_rate_limit("burst", 5, 60) for _ in range(12)))
    assert results.count(False) == 5
    assert await RateLimitHit.count().where(RateLimitHit.key == "burst") == 5
