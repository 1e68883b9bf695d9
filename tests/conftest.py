"""Test harness: a real database (SQLite file, or PostgreSQL with TEST_BACKEND=postgres), a real
SMTP server on loopback, the real app through Litestar's test client, and the real job worker.

Environment is set here, before any project module reads settings.

Under pytest-xdist (`-n 2`) each worker process is a harness of its own: its own temporary directory
(var/, the SQLite file), SMTP port, PostgreSQL database (DATABASE_URL's name + `_gw0`, `_gw1`…, created
and emptied at start) and so its own broker namespace (lib.jobs.broker_namespace derives it from the
database). The controller process only distributes tests: it starts nothing. Tests marked `serial`
(fixed resources, process kills, timing) are left to a run without xdist (`make test` runs them apart).
The shared fixtures are plugins registered here (`pytest_plugins`): live server, browser and `statements`
in tests/plugin.py, the Stripe fake in tests/fixtures/stripe.py, child processes in
tests/fixtures/processes.py. A test asks for them by name and imports no conftest; plain helpers are
imported from tests/auth.py, tests/stripe_helpers.py, tests/processes.py.
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
from urllib.parse import urlsplit, urlunsplit

import pytest

pytest_plugins = [
    "tests.plugin",
    "tests.fixtures.stripe",
    "tests.fixtures.processes",
    "tests.cpu_durations",
]

ROOT = Path(__file__).resolve().parent.parent
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"… in a pytest-xdist worker
# On tmpfs when there is one: the SQLite file's commits then skip the disk flush (the same SQLite, the
# same statements; only durability across a power cut, which no test checks, is given up).
_SHM = Path("/dev/shm")
TMP = Path(
    tempfile.mkdtemp(
        prefix=f"ledamier-test-{WORKER + '-' if WORKER else ''}",
        dir=os.environ.get("TEST_TMPDIR") or (_SHM if _SHM.is_dir() and os.access(_SHM, os.W_OK) else None),
    )
)
BACKEND = os.environ.get("TEST_BACKEND", "sqlite")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- real SMTP server on loopback -------------------------------------------------------------
class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.RLock()  # re-entrant: wait_until predicates may call to()
        self.arrived = threading.Condition(self.lock)  # notified on each message: waiters never poll

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)  # type: ignore[arg-type]
            self.arrived.notify_all()
        return "250 OK"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def _to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return self._to(address)

    # 60 s: a live server shared by browser tests may still be sending the demo's e-mails (PDFs)
    # queued before the one awaited; the wait ends on arrival, so only a failure waits it out.
    def wait_for(self, address: str, count: int = 1, timeout: float = 60.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(found := self._to(address)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} message(s) to {address}, got {len(found)}")
                self.arrived.wait(left)
            return found

    def wait_until(self, predicate, timeout: float = 20.0) -> None:
        """Block until predicate(messages) is true (checked on each arrival), or fail after timeout."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while not predicate(list(self.messages)):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"mailbox condition not met within {timeout}s")
                self.arrived.wait(left)


MAILBOX = Mailbox()
SMTP_PORT = free_port()


def _worker_database_url(url: str) -> str:
    """DATABASE_URL for this xdist worker: the same server, the database name + `_gw0`…"""
    if not WORKER:
        return url
    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or "postgres") + "_" + WORKER
    return urlunsplit(parts._replace(path="/" + name))


os.environ.update(
    {
        "VAR_DIR": str(TMP / "var"),
        "SQLITE_PATH": str(TMP / "test.sqlite3"),
        # A connection per query (DB_POOL=1, as in production, saves 13 % of the PostgreSQL pass's CPU but
        # was not yet run through the whole suite: docs/benchmarks.md).
        "DB_POOL": "0",
        "EMBEDDED_WORKER": "1",
        "SMTP_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "BASE_URL": "http://testserver.local",
        "LOGIN_RATE_PER_15MIN": "10",
        # Same argon2id code path, cheapest parameters (as pretix tests with the MD5 hasher).
        "PASSWORD_HASH_PROFILE": "cheapest",
    }
)
if BACKEND != "postgres":
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("RABBITMQ_URL", None)
elif not os.environ.get("DATABASE_URL"):
    raise RuntimeError("TEST_BACKEND=postgres needs DATABASE_URL")
else:
    os.environ["DATABASE_URL"] = _worker_database_url(os.environ["DATABASE_URL"])


def _start_smtp() -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(MAILBOX, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()


def _reset_postgres(url: str) -> None:
    """An empty public schema in the database at url (created first when it does not exist)."""
    import asyncpg

    async def reset() -> None:
        try:
            conn = await asyncpg.connect(url)
        except asyncpg.InvalidCatalogNameError:
            # a worker's database: created from the one DATABASE_URL names (which must exist)
            parts = urlsplit(url)
            base = urlunsplit(parts._replace(path="/" + parts.path.lstrip("/").rsplit("_", 1)[0]))
            admin = await asyncpg.connect(base)
            try:
                await admin.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')
            except asyncpg.DuplicateDatabaseError:
                pass
            finally:
                await admin.close()
            conn = await asyncpg.connect(url)
        try:
            await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
            # Commits do not wait for the WAL flush in this test database (new sessions; the server's
            # own crash safety is untouched, and no test crashes PostgreSQL itself).
            name = urlsplit(url).path.lstrip("/")
            await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
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


def _is_xdist_controller(config: pytest.Config) -> bool:
    return not WORKER and bool(getattr(config.option, "numprocesses", None)) and config.option.dist != "no"


def pytest_configure(config: pytest.Config) -> None:
    if _is_xdist_controller(config):
        return  # the workers each set up their own harness
    _start_smtp()


@pytest.fixture(scope="session", autouse=True)
def _database() -> None:
    """An empty, migrated database for this process, made once before its first test (a run that
    selects no test makes none)."""
    if BACKEND == "postgres":
        _reset_postgres(os.environ["DATABASE_URL"])
    _migrate()


def _backend_skip(marker: pytest.Mark, needs: str) -> pytest.MarkDecorator:
    """The skip for a test of the other backend, with the marker's reason when it gives one
    (`@pytest.mark.postgres_only("advisory locks")`)."""
    why = f": {marker.args[0]}" if marker.args else ""
    return pytest.mark.skip(reason=f"{needs}{why}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_serial = pytest.mark.skip(reason="serial: runs without xdist (make test runs it apart)")
    for item in items:
        if BACKEND != "postgres" and (marker := item.get_closest_marker("postgres_only")):
            item.add_marker(_backend_skip(marker, "PostgreSQL only (TEST_BACKEND=postgres)"))
        if BACKEND == "postgres" and (marker := item.get_closest_marker("sqlite_only")):
            item.add_marker(_backend_skip(marker, "SQLite only"))
        if WORKER and item.get_closest_marker("serial"):
            item.add_marker(skip_serial)


def pytest_sessionfinish(session, exitstatus):  # noqa: ARG001
    shutil.rmtree(TMP, ignore_errors=True)


# ---- per-test clean database --------------------------------------------------------------------
def _all_tables() -> list[str]:
    from piccolo.conf.apps import Finder

    names = [t._meta.tablename for t in Finder().get_table_classes()]
    return [n for n in names if n != "migration"]


# PostgreSQL: DELETE of every row then each table's sequences back to 1, in one statement. Same end
# state as TRUNCATE … RESTART IDENTITY CASCADE, which makes new files for every table and index (38
# tables: 0.4-1.3 s under load, against 0.01-0.05 s for these few rows). Foreign-key triggers are off
# for the statement (session_replication_role, superuser only: else TRUNCATE), so the order is free.
_PG_DELETE = True


def _pg_delete_all(tables: list[str]) -> str:
    names = "ARRAY[" + ", ".join("'" + t.replace("'", "''") + "'" for t in tables) + "]::text[]"
    return f"""
DO $$
DECLARE t text; s regclass;
BEGIN
  PERFORM set_config('session_replication_role', 'replica', true);
  FOREACH t IN ARRAY {names} LOOP
    IF to_regclass(quote_ident(t)) IS NOT NULL THEN EXECUTE format('DELETE FROM %I', t); END IF;
  END LOOP;
  FOR s IN
    SELECT seq.oid::regclass FROM pg_class seq
    JOIN pg_depend d ON d.objid = seq.oid AND d.deptype IN ('a', 'i')
    JOIN pg_class tab ON tab.oid = d.refobjid
    WHERE seq.relkind = 'S' AND tab.relname = ANY({names})
  LOOP
    PERFORM setval(s, 1, false);
  END LOOP;
END $$"""


async def _truncate() -> None:
    from lib.db import engine, is_postgres

    db = engine()
    tables = _all_tables()
    if is_postgres():
        global _PG_DELETE
        if _PG_DELETE:
            try:
                await db.run_ddl(_pg_delete_all(tables))
                return
            except Exception as exc:  # not a superuser: no session_replication_role
                if "permission denied" not in str(exc).lower():
                    raise
                _PG_DELETE = False
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
async def clean_db(_database) -> AsyncIterator[None]:  # noqa: ARG001 (after the migration)
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
_APPS: dict = {}


def shared_app():
    """The app for the current settings, built once per settings: building it (about 1,300 route
    handlers and their signature models) costs about a second, more than most tests. Its state is the
    route table and caches derived from it; everything a test changes is in the database, which
    clean_db empties. A test that changes settings (get_settings.cache_clear()) gets an app of its own."""
    from lib.settings import get_settings
    from server.app import create_app

    key = get_settings()
    app = _APPS.get(key)
    if app is None:
        if len(_APPS) >= 8:
            _APPS.clear()
        app = _APPS[key] = create_app()
    return app


@pytest.fixture
def client() -> Iterator:
    """Litestar's test client on the real app; a fresh client (cookies, lifespan: pool, job worker)
    for each test."""
    from litestar.testing import TestClient

    with TestClient(app=shared_app(), base_url="http://testserver.local") as c:
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
