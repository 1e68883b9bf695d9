"""Test harness: a real database (SQLite file, or PostgreSQL with TEST_BACKEND=postgres), a real
SMTP server on loopback, the real app through Litestar's test client, and the real job worker.

Environment is set here, before any project module reads settings.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="ledamier-test-"))
BACKEND = os.environ.get("TEST_BACKEND", "sqlite")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- real SMTP server on loopback -------------------------------------------------------------
class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def wait_for(self, address: str, count: int = 1, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} message(s) to {address}, got {len(self.to(address))}")


MAILBOX = Mailbox()
SMTP_PORT = free_port()

os.environ.update(
    {
        "VAR_DIR": str(TMP / "var"),
        "SQLITE_PATH": str(TMP / "test.sqlite3"),
        "DB_POOL": "0",
        "EMBEDDED_WORKER": "1",
        "SMTP_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "BASE_URL": "http://testserver.local",
        "LOGIN_RATE_PER_15MIN": "10",
    }
)
if BACKEND != "postgres":
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("RABBITMQ_URL", None)
elif not os.environ.get("DATABASE_URL"):
    raise RuntimeError("TEST_BACKEND=postgres needs DATABASE_URL")


def _start_smtp() -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(MAILBOX, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()


_start_smtp()


def _reset_postgres(url: str) -> None:
    import asyncpg

    async def reset() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
        finally:
            await conn.close()

    asyncio.run(reset())


def _migrate() -> None:
    env = {**os.environ, "PICCOLO_CONF": "piccolo_conf"}
    subprocess.run(
        [sys.executable, "-m", "server.cli", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


if BACKEND == "postgres":
    _reset_postgres(os.environ["DATABASE_URL"])
_migrate()


def pytest_sessionfinish(session, exitstatus):  # noqa: ARG001
    shutil.rmtree(TMP, ignore_errors=True)


# ---- per-test clean database --------------------------------------------------------------------
def _all_tables() -> list[str]:
    from piccolo.conf.apps import Finder

    names = [t._meta.tablename for t in Finder().get_table_classes()]
    return [n for n in names if n != "migration"]


async def _truncate() -> None:
    from lib.db import engine, is_postgres

    db = engine()
    tables = _all_tables()
    if is_postgres():
        await db.run_ddl("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    else:
        existing = {r["name"] for r in await db.run_ddl("SELECT name FROM sqlite_master WHERE type='table'")}
        async with db.transaction():
            # ON DELETE RESTRICT references (invoices, tickets): check once at commit, when all is empty
            await db.run_ddl("PRAGMA defer_foreign_keys = ON")
            for t in tables:
                if t in existing:
                    await db.run_ddl(f'DELETE FROM "{t}"')
            if "sqlite_sequence" in existing:
                await db.run_ddl("DELETE FROM sqlite_sequence")


@pytest.fixture(autouse=True)
async def clean_db() -> AsyncIterator[None]:
    await _truncate()
    MAILBOX.clear()
    yield


@pytest.fixture
def mailbox() -> Mailbox:
    return MAILBOX


@pytest.fixture
def backend() -> str:
    return BACKEND


# ---- the app ----------------------------------------------------------------------------------
@pytest.fixture
def client() -> Iterator:
    from litestar.testing import TestClient

    from server.app import create_app

    with TestClient(app=create_app(), base_url="http://testserver.local") as c:
        yield c


@pytest.fixture
async def jobs_worker() -> AsyncIterator[None]:
    """The real job worker for tests that call services directly (the client starts its own)."""
    from lib.jobs import EmbeddedWorker

    worker = EmbeddedWorker(sweep_seconds=3600)
    await worker.start()
    yield
    await worker.stop()


def csrf_token(client) -> str:
    """The CSRF cookie value (GET a page first if none is set yet)."""
    token = client.cookies.get("csrftoken")
    if not token:
        client.get("/schema/openapi.json")
        token = client.cookies.get("csrftoken")
    assert token, "no csrftoken cookie"
    return token


def post(client, url: str, **kwargs):
    """POST with the CSRF header, as the site's own forms and scripts do."""
    headers = {"x-csrftoken": csrf_token(client), **kwargs.pop("headers", {})}
    return client.post(url, headers=headers, **kwargs)


def send(client, method: str, url: str, **kwargs):
    headers = {"x-csrftoken": csrf_token(client), **kwargs.pop("headers", {})}
    return client.request(method, url, headers=headers, **kwargs)
