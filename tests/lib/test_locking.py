"""lib.locking: named locks only inside a write transaction; on PostgreSQL they serialise writers and
time out; on SQLite BEGIN IMMEDIATE is the lock."""

import asyncio

import pytest

from lib.db import engine, write_transaction
from lib.locking import LockTimeout, key, lock, lock_keys


def test_key_is_made_of_its_parts():
    assert key("event", 12) == "event:12"


async def test_lock_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="outside a transaction"):
        await lock("event", 1)


@pytest.mark.sqlite_only("PostgreSQL locks in any transaction")
async def test_lock_in_a_deferred_sqlite_transaction_is_refused():
    async with engine().transaction():
        with pytest.raises(RuntimeError, match="write_transaction"):
            await lock("event", 1)


async def test_lock_inside_write_transaction():
    async with write_transaction():
        await lock_keys("b", "a", "a")  # duplicates and order do not matter
        await lock("event", 1)  # the same transaction may take more keys


@pytest.mark.postgres_only("advisory locks; SQLite has one writer, BEGIN IMMEDIATE waits for the file lock")
async def test_a_held_lock_makes_the_second_writer_wait_then_time_out():
    held = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with write_transaction():
            await lock("test", "busy")
            held.set()
            await release.wait()

    task = asyncio.create_task(holder())
    await held.wait()
    try:
        with pytest.raises(LockTimeout):
            async with write_transaction():
                await lock("test", "busy", timeout=0.2)
        async with write_transaction():  # another key is free
            await lock("test", "other", timeout=0.2)
    finally:
        release.set()
        await task
    async with write_transaction():  # released at commit
        await lock("test", "busy", timeout=0.2)
