"""The check-in hot path's connection pool (checkin.hotpath.pool), against a real PostgreSQL server."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from checkin.hotpath.pool import HotPool

pytestmark = pytest.mark.postgres_only


@pytest.fixture
async def pool():
    p = HotPool(size=3)
    yield p
    await p.close()


async def test_many_users_share_a_few_connections(pool):
    rows = await asyncio.gather(
        *(pool.fetchrow("SELECT $1::int AS n, pg_backend_pid() AS pid", i) for i in range(60))
    )
    assert sorted(r["n"] for r in rows) == list(range(60))
    assert len({r["pid"] for r in rows}) <= 3 and pool.opened <= 3
    assert len(pool.idle) == pool.opened and not pool.waiters


async def test_a_failed_statement_keeps_its_connection(pool):
    pid = (await pool.fetchrow("SELECT pg_backend_pid() AS pid"))["pid"]
    with pytest.raises(asyncpg.DivisionByZeroError):
        await pool.fetchrow("SELECT 1 / 0")
    assert pool.opened == 1 and (await pool.fetchrow("SELECT pg_backend_pid() AS pid"))["pid"] == pid


async def test_a_connection_killed_by_the_server_is_replaced_and_the_statement_sent_again(pool, backend):
    pid = (await pool.fetchrow("SELECT pg_backend_pid() AS pid"))["pid"]
    admin = await asyncpg.connect(pool.dsn)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        await asyncio.sleep(0.2)
    finally:
        await admin.close()
    row = await pool.fetchrow("SELECT pg_backend_pid() AS pid")
    assert row["pid"] != pid and pool.opened == 1


async def test_a_cancelled_statement_discards_its_connection_and_waiters_go_on(pool):
    slow = [asyncio.ensure_future(pool.fetchrow("SELECT pg_sleep(10)")) for _ in range(3)]
    queued = asyncio.ensure_future(pool.fetchrow("SELECT 42 AS n"))  # waits for a connection
    await asyncio.sleep(0.3)
    assert pool.opened == 3 and len(pool.waiters) == 1
    slow[0].cancel()
    assert (await asyncio.wait_for(queued, 5))["n"] == 42  # the freed slot served the waiter
    for task in slow[1:]:
        task.cancel()
    await asyncio.gather(*slow, return_exceptions=True)
    assert pool.opened <= 3
    assert (await pool.fetchrow("SELECT 1 AS n"))["n"] == 1


async def test_session_settings_apply_to_every_connection():
    p = HotPool(size=2, server_settings={"enable_seqscan": "off"})
    try:
        rows = await asyncio.gather(
            *(p.fetchrow("SELECT current_setting('enable_seqscan') AS s, pg_sleep(0.05)") for _ in range(4))
        )
        assert p.opened == 2 and {r["s"] for r in rows} == {"off"}
    finally:
        await p.close()
