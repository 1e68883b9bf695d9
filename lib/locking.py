"""Named locks held until the end of the current write transaction (in the manner of pretix's
base/services/locking.py).

    async with write_transaction():
        await lock("event", event_id)            # or lock_keys("holds:12", "event:12")
        ... read, check the rule, write ...

- Keys are names ("event:12", "rate:login:ip"), not rows: a lock can guard a row that does not exist yet
  (a slug being chosen, a counter being created).
- A lock is only ever taken inside a transaction and released by its commit or rollback: `lock()` outside
  one raises, so nobody holds a lock across an await that outlives the change.
- PostgreSQL: transaction-scoped advisory locks, taken in one sorted order (two writers needing the same
  keys never deadlock), waiting at most `timeout` seconds (then LockTimeout, a 409: try again).
- SQLite: a single writer. `write_transaction()` starts with BEGIN IMMEDIATE, which already holds the
  database's write lock until commit, so a named lock is that lock; taking one inside a deferred
  transaction is refused (two deferred readers would both pass the check, then one fails to write).
"""

from __future__ import annotations

from lib.db import engine, in_write_transaction, is_postgres
from lib.errors import Conflict

DEFAULT_TIMEOUT = 10.0  # seconds; a request waiting longer than this is better told to retry


class LockTimeout(Conflict):
    """Another writer held the lock for longer than the timeout."""


def key(*parts: object) -> str:
    """A lock key from its parts: key("event", 12) == "event:12"."""
    return ":".join(str(p) for p in parts)


async def lock(*parts: object, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Lock one named key made of parts (see `key`) until the end of the current transaction."""
    await lock_keys(key(*parts), timeout=timeout)


async def lock_keys(*keys: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Lock several named keys, in one sorted order, until the end of the current transaction."""
    db = engine()
    if not db.transaction_exists():
        raise RuntimeError("lock() outside a transaction: call it inside write_transaction() or atomic()")
    if not is_postgres():
        if not in_write_transaction():
            raise RuntimeError(
                "lock() on SQLite needs write_transaction() (BEGIN IMMEDIATE), not a deferred one"
            )
        return  # BEGIN IMMEDIATE already made this transaction the only writer
    from asyncpg.exceptions import LockNotAvailableError

    previous = await db.run_ddl("SELECT current_setting('lock_timeout') AS value")
    await db.run_ddl(f"SET LOCAL lock_timeout = '{int(timeout * 1000)}ms'")
    try:
        for name in sorted(set(keys)):
            await _advisory(name)
    except LockNotAvailableError as exc:  # the transaction is aborted: it rolls back with the error
        raise LockTimeout(f"busy: {', '.join(sorted(set(keys)))}") from exc
    # Row locks later in the transaction keep the server's own setting.
    value = str(previous[0]["value"]).replace("'", "") if previous else "0"
    await db.run_ddl(f"SET LOCAL lock_timeout = '{value}'")


async def _advisory(name: str) -> None:
    from lib.tables import OutboxJob  # any table: .raw() runs on the current transaction's connection

    await OutboxJob.raw("SELECT pg_advisory_xact_lock(hashtextextended({}, 0))", name)
