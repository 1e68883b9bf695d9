"""The reference for bench/checkin.py: a bare Litestar + asyncpg endpoint running the same one-statement
redeem (device auth + ticket + winning insert) without the application's middleware, sessions, i18n or
signature check. Served by uvicorn like the real app:

    DATABASE_URL=... .venv/bin/python -m uvicorn --app-dir bench checkin_bare:create_app --factory --workers 2
"""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from litestar import Litestar, Request, post

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkin.hotpath.statement import FAST_SQL  # noqa: E402

POOL: list[asyncpg.Pool] = []


async def _no_reset(_conn: asyncpg.Connection) -> None:
    return None


async def start() -> None:
    POOL.append(
        await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=16, reset=_no_reset)
    )


async def stop() -> None:
    await POOL[0].close()


@post("/redeem", status_code=200)
async def redeem(request: Request, data: dict) -> dict:
    token = request.headers.get("authorization", "")[7:]
    async with POOL[0].acquire() as conn:
        row = await conn.fetchrow(
            FAST_SQL,
            hashlib.sha256(token.encode()).hexdigest(),
            int(data["ticket_id"]),
            data["scan_id"],
            "",
            None,
            datetime.now(UTC),
        )
    return {"status": "ok" if row["checkin_id"] else "other", "name": row["attendee_name"]}


@post("/update", status_code=200)
async def update(data: dict) -> dict:
    """The issue's reference: the bare conditional UPDATE of one ticket row (as pgbench runs it)."""
    async with POOL[0].acquire() as conn:
        row = await conn.fetchrow(
            "UPDATE ticket SET updated_at = now() WHERE id = $1 AND status = 'valid' RETURNING id",
            int(data["ticket_id"]),
        )
    return {"status": "ok" if row else "other"}


def create_app() -> Litestar:
    return Litestar([redeem, update], on_startup=[start], on_shutdown=[stop])
