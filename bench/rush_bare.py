"""The reference for bench/ticket_rush.py (issue 16's hand floor): a bare Litestar + asyncpg endpoint that
inserts one row per POST, without the application's middleware, sessions, validation or capacity rule.
Served by uvicorn like the real app (ticket_rush.py --reference starts it):

    DATABASE_URL=... .venv/bin/python -m uvicorn --app-dir bench rush_bare:create_app --factory --workers 2
"""

from __future__ import annotations

import os

import asyncpg
from litestar import Litestar, post

POOL: list[asyncpg.Pool] = []


async def start() -> None:
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=10)
    async with pool.acquire() as conn, conn.transaction():
        # The workers start at once and CREATE TABLE IF NOT EXISTS is not atomic against a twin (the
        # loser fails on the table's row type): one at a time.
        await conn.execute("SELECT pg_advisory_xact_lock(16016)")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS rush_bare (id serial PRIMARY KEY, email text NOT NULL)"
        )
    POOL.append(pool)


async def stop() -> None:
    if POOL:
        await POOL[0].close()


@post("/api/events/{event_id:int}/orders", status_code=201)
async def order(event_id: int, data: dict) -> dict:
    async with POOL[0].acquire() as conn:
        row_id = await conn.fetchval(
            "INSERT INTO rush_bare (email) VALUES ($1) RETURNING id", str(data["buyer"]["email"])
        )
    return {"id": row_id, "event": event_id}


def create_app() -> Litestar:
    return Litestar([order], on_startup=[start], on_shutdown=[stop])
