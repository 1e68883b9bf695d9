"""A lean PostgreSQL connection pool for the check-in hot path (one autocommitted statement per use).

asyncpg's Pool costs about 100 µs of CPU per acquire/release pair (context objects, a queue, and an
asyncio.shield task on every release), more than the client side of the redeem statement itself
(~80 µs measured on this machine). The hot path needs none of that: its connections only ever run
one statement outside any transaction and hold no session state, so this pool hands out idle
connections from a list, queues waiters in FIFO order, and throws a connection away whenever a use
ends in an error that may have left it in an unknown state (connection errors, cancellation).
One pool per process and event loop (a worker process has one loop; tests create several).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

import asyncpg

# The connection was gone (server restart, idle timeout, network): worth one more try on another one.
_DEAD = (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, ConnectionError)


class HotPool:
    def __init__(self, size: int | None = None, server_settings: dict[str, str] | None = None) -> None:
        self.fixed_size = size  # None: the CHECKIN_DB_CONNECTIONS setting, read when the pool binds
        self.size = size or 0
        self.server_settings = server_settings or {}  # session settings of every connection
        self.loop: asyncio.AbstractEventLoop | None = None
        self.dsn: str | None = None
        self.idle: list[asyncpg.Connection] = []
        self.waiters: deque[asyncio.Future] = deque()
        self.opened = 0

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            # a new event loop (tests): the old connections belong to the old one
            for conn in self.idle:
                try:
                    conn.terminate()
                except Exception:  # its loop is gone: so is the socket
                    pass
            self.loop, self.idle, self.waiters, self.opened = loop, [], deque(), 0
            from lib.settings import get_settings

            settings = get_settings()
            self.dsn = settings.database_url
            self.size = self.fixed_size or settings.checkin_db_connections

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        """Run one statement on an idle connection (autocommit) and return its first row.

        A connection found dead (server restart, idle timeout) is replaced and the statement is sent
        once more: callers' statements must be safe to repeat (the redeem is, by its scan id)."""
        if self.loop is not asyncio.get_running_loop():
            self._bind()
        try:
            return await self._fetchrow(sql, args)
        except _DEAD:
            return await self._fetchrow(sql, args)

    async def _fetchrow(self, sql: str, args: tuple[Any, ...]) -> asyncpg.Record | None:
        conn = self.idle.pop() if self.idle else await self._acquire()
        try:
            row = await conn.fetchrow(sql, *args)
        except _DEAD:
            self._discard(conn)
            raise
        except asyncpg.PostgresError:  # the statement failed, the session did not: keep the connection
            self._release(conn)
            raise
        except BaseException:  # cancelled mid-statement, or worse: state unknown, discard it
            self._discard(conn)
            raise
        self._release(conn)
        return row

    async def _acquire(self) -> asyncpg.Connection:
        if self.opened < self.size:
            self.opened += 1
            try:
                return await asyncpg.connect(self.dsn, server_settings=self.server_settings)
            except BaseException:
                self.opened -= 1
                self._wake_one()
                raise
        waiter = self.loop.create_future()
        self.waiters.append(waiter)
        try:
            conn = await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # handed over just as we were cancelled: pass it on
            raise
        if conn is None:  # a slot was freed by a discarded connection: open a new one
            return await self._acquire()
        return conn

    def _release(self, conn: asyncpg.Connection) -> None:
        if conn.is_closed():  # closed by the server meanwhile
            self.opened -= 1
            self._wake_one()
            return
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        self.idle.append(conn)

    def _discard(self, conn: asyncpg.Connection) -> None:
        conn.terminate()
        self.opened -= 1
        self._wake_one()

    def _wake_one(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the waiter opens a connection in the freed slot
                return

    async def close(self) -> None:
        """Close the connections (at shutdown). From another loop, or once that loop is gone, the
        connections are terminated instead (their sockets belong to that loop)."""
        idle, self.idle = self.idle, []
        same_loop = self.loop is not None and self.loop is asyncio.get_running_loop()
        for conn in idle:
            if same_loop:
                await conn.close()
            elif not self.loop.is_closed():
                conn.terminate()
            # else: its event loop is gone with its sockets (a finished test client)
        self.opened = max(0, self.opened - len(idle))
        self.loop = None
