"""The app's PostgreSQL pool hands a connection back without asyncpg's reset query (lib.db.keep_session):
one round trip less per query outside a transaction. What that reset would undo does not happen in the
app (tests/test_architecture.py); a transaction left open is still rolled back."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from lib.db import close_pool, engine, start_pool
from lib.settings import get_settings
from lib.tables import OutboxJob

pytestmark = pytest.mark.postgres_only("the asyncpg pool")


@pytest.fixture
async def app_pool(monkeypatch):
    monkeypatch.setenv("DB_POOL", "1")  # as `serve` runs (the suite runs without pools)
    get_settings.cache_clear()
    await start_pool()
    yield engine().pool
    await close_pool()
    monkeypatch.undo()
    get_settings.cache_clear()


async def last_queries_of_the_pool(marker: str) -> list[str]:
    """What each of the pool's backends ran last (pg_stat_activity), seen from another connection."""
    conn = await asyncpg.connect(get_settings().database_url)
    try:
        rows = await conn.fetch(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1",
            marker,
        )
    finally:
        await conn.close()
    return [r["query"] for r in rows]


async def test_a_released_connection_is_not_sent_the_reset_query(app_pool):
    marker = f"probe-{uuid.uuid4().hex[:8]}"
    async with app_pool.acquire() as conn:
        await conn.execute(f"SET application_name = '{marker}'")  # to find this backend
    await OutboxJob.raw(f"SELECT '{marker}' AS probe")
    last = await last_queries_of_the_pool(marker)
    assert last and all("RESET ALL" not in q for q in last), last
    assert any(marker in q and "probe" in q for q in last), last


async def test_a_transaction_left_open_is_rolled_back_on_release(app_pool):
    async with app_pool.acquire() as conn:
        await conn.execute("BEGIN")
        await conn.execute(
            "INSERT INTO outbox_job (actor, payload, status, attempts, max_attempts) VALUES ('x', '{}', 'done', 0, 1)"
        )
    assert await OutboxJob.count().where(OutboxJob.actor == "x") == 0
    async with app_pool.acquire() as conn:
        assert not conn.is_in_transaction()
