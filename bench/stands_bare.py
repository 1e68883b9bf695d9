"""The reference for bench/stands.py's race: a bare Litestar + asyncpg endpoint running only the one
conditional UPDATE that decides a stand (free -> held), without the application's middleware, sessions,
CSRF, i18n, validation, booking rows or email. Served by uvicorn like the real app:

    DATABASE_URL=... .venv/bin/python -m uvicorn --app-dir bench stands_bare:create_app --factory --workers 2
"""

from __future__ import annotations

import os

import asyncpg
from litestar import Litestar, Response, get, post

POOL: list[asyncpg.Pool] = []


async def start() -> None:
    POOL.append(await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=10))


async def stop() -> None:
    await POOL[0].close()


@post("/api/stands/{event_id:int}/stands/{stand_id:int}/request", status_code=201)
async def request_stand(event_id: int, stand_id: int) -> Response[dict]:
    async with POOL[0].acquire() as conn:
        row = await conn.fetchval(
            "UPDATE stand SET status = 'held' WHERE id = $1 AND status = 'free' RETURNING id", stand_id
        )
    return Response({"stand": stand_id}, status_code=201 if row else 409)


@get("/alive")
async def alive() -> dict:
    return {"ok": True}


def create_app() -> Litestar:
    return Litestar([request_stand, alive], on_startup=[start], on_shutdown=[stop])
