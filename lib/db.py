"""Database engine selection and the transaction helpers every service uses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from lib.settings import get_settings

# the slot descriptor Piccolo stores its asyncpg pool in
_POOL_SLOT: Any = PostgresEngine.pool  # type: ignore[misc]


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class LoopBoundPostgresEngine(PostgresEngine):
    """A PostgresEngine whose connection pools are each used only from the event loop that created them.

    An asyncpg pool belongs to one event loop. The web app starts the main pool on its loop; each
    dramatiq worker thread keeps one loop of its own for all its jobs and starts a small pool on it
    (start_loop_pool). A loop with neither (a one-off asyncio.run) gets no pool: Piccolo then opens a
    connection per query instead of corrupting another loop's connections.
    """

    __slots__ = ("_pool_loop", "_loop_pools")

    @property
    def pool(self) -> Any:
        loop = _running_loop()
        pool = _POOL_SLOT.__get__(self, PostgresEngine)
        if pool is not None and loop is getattr(self, "_pool_loop", None):
            return pool
        return self._pools_by_loop().get(loop) if loop is not None else None

    @pool.setter
    def pool(self, value: Any) -> None:
        _POOL_SLOT.__set__(self, value)
        self._pool_loop = _running_loop() if value is not None else None

    def _pools_by_loop(self) -> dict[asyncio.AbstractEventLoop, Any]:
        try:
            return self._loop_pools
        except AttributeError:
            self._loop_pools: dict[asyncio.AbstractEventLoop, Any] = {}
            return self._loop_pools

    async def start_loop_pool(self, max_size: int) -> None:
        if self.pool is not None:
            return
        import asyncpg

        pool = await asyncpg.create_pool(**self.config, min_size=1, max_size=max_size, reset=keep_session)
        self._pools_by_loop()[asyncio.get_running_loop()] = pool

    async def close_loop_pool(self) -> None:
        pool = self._pools_by_loop().pop(asyncio.get_running_loop(), None)
        if pool is not None:
            await pool.close()


async def keep_session(_conn: Any) -> None:
    """The pools' reset on release, instead of asyncpg's reset query (advisory unlock, CLOSE ALL,
    UNLISTEN, RESET ALL: one more round trip and four statements per release, a sixth of the web
    workers' CPU in a ticket rush). asyncpg still rolls back a transaction left open; the app keeps no
    other session state: advisory locks are transaction-scoped, settings are SET LOCAL, nothing listens
    (tests/test_architecture.py holds the code to that)."""


def make_engine() -> Engine[Any]:
    settings = get_settings()
    if settings.is_postgres:
        return LoopBoundPostgresEngine(config={"dsn": settings.database_url}, log_queries=False)
    settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    # timeout: writers wait for the lock instead of failing with "database is locked".
    return SQLiteEngine(path=str(settings.sqlite_path), timeout=30)


def engine() -> Engine[Any]:
    from piccolo.engine import engine_finder

    db = engine_finder()
    assert db is not None, "piccolo_conf.DB is not configured"
    return db


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


_in_write_transaction: ContextVar[bool] = ContextVar("_in_write_transaction", default=False)


def in_write_transaction() -> bool:
    """Whether the current task runs inside write_transaction() (on SQLite: BEGIN IMMEDIATE)."""
    return _in_write_transaction.get()


@asynccontextmanager
async def write_transaction() -> AsyncIterator[Any]:
    """A transaction that takes the write lock up front.

    SQLite: BEGIN IMMEDIATE, so two writers never both read then both write (no lost update,
    no deadlock-upgrade failure). PostgreSQL: an ordinary transaction; use conditional
    UPDATE ... RETURNING, or lib.locking.lock() for read-check-write rules.
    """
    db = engine()
    if _in_write_transaction.get() and db.transaction_exists():
        async with db.transaction() as txn:  # nested: joins the outer one
            yield txn
        return
    token = _in_write_transaction.set(True)
    try:
        if isinstance(db, SQLiteEngine):
            async with db.transaction(transaction_type=TransactionType.immediate) as txn:
                yield txn
        else:
            async with db.transaction() as txn:
                yield txn
    finally:
        _in_write_transaction.reset(token)


async def start_pool() -> None:
    db = engine()
    if isinstance(db, PostgresEngine) and get_settings().db_pool:
        await db.start_connection_pool(min_size=2, max_size=10, reset=keep_session)


async def start_loop_pool() -> None:
    """A small pool for the running loop when it is not the app's: a job thread's, kept for all its jobs.
    Three connections: the handler's queries and the one completion_ready() holds open beside them."""
    db = engine()
    if isinstance(db, LoopBoundPostgresEngine) and get_settings().db_pool:
        await db.start_loop_pool(max_size=3)


async def close_loop_pool() -> None:
    db = engine()
    if isinstance(db, LoopBoundPostgresEngine):
        await db.close_loop_pool()


async def close_pool() -> None:
    db = engine()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        await db.close_connection_pool()


def is_unique_violation(exc: BaseException) -> bool:
    """Whether a write failed on a UNIQUE constraint (SQLite or PostgreSQL): a concurrent writer got there first."""
    import sqlite3

    from asyncpg.exceptions import UniqueViolationError

    if isinstance(exc, UniqueViolationError):
        return True
    return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc).upper()
