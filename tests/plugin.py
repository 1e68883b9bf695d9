"""Fixtures shared by every test folder, registered by tests/conftest.py (`pytest_plugins`): a test
module asks for them by name and imports nothing.

- `demo_data`: the demo loaded into the emptied database (restored from a copy of this process's first load).
- `live_server`: the real server (uvicorn via `python -m server.cli serve`) on a free loopback port,
  with the demo loaded after the per-test truncation. One server process per set of settings is
  shared by the tests that use it: it reads the same database as the tests (VAR_DIR, SQLITE_PATH,
  DATABASE_URL, SMTP_URL are set by tests/conftest.py), so each test still sees a fresh database with
  the demo, as if the server had just started. Those tests are run last and in a row, and the servers
  are stopped before any other test (their job worker would sweep that test's outbox). A test module
  may define a `live_server_env` fixture ({name: value, or None to remove it}) to get a server with
  other settings (no Stripe keys, bank details...).
- `statements`: the SQL statements the current task runs from then on, through Piccolo's query log hook
  (every statement an engine runs passes print_query when log_queries is on).
- `browser_page`: a page of headless Debian chromium (never a downloaded browser), in a new browser
  context for each test. Playwright's sync API holds the thread's event loop while it is open, so the
  browser cannot outlive the test (the async fixtures of the next test need that loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"]


@dataclass
class LiveServer:
    url: str
    admin_email: str
    admin_password: str


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/events", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # a process starting up: nothing to wait on but its port
    raise RuntimeError(f"the server did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


class LiveServers:
    """Server processes of this session, one per set of environment changes, started on first use."""

    def __init__(self) -> None:
        self._running: dict[tuple, tuple[str, subprocess.Popen, Path]] = {}

    def url(self, changes: dict[str, str | None]) -> str:
        from tests.conftest import ROOT, TMP, free_port

        key = tuple(sorted(changes.items()))
        if key in self._running:
            url, process, log = self._running[key]
            if process.poll() is None:
                return url
            raise RuntimeError(
                f"the live server exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        # One server at a time: each one's job worker takes any job of the shared database, so a server
        # with other settings (no BANK_IBAN, say) would answer another test's jobs.
        self.stop()
        env = _server_env(changes)
        port = free_port()
        log = TMP / f"live-server-{port}.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        self._running[key] = (url, process, log)
        _wait_until_up(url, process, log)
        return url

    def stop(self) -> None:
        for _url, process, _log in self._running.values():
            process.terminate()
        for _url, process, _log in self._running.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self._running.clear()


def _server_env(changes: dict[str, str | None]) -> dict[str, str]:
    env = {**os.environ, "PICCOLO_CONF": "piccolo_conf", "PYTHONUNBUFFERED": "1"}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


_RUNNING: list[LiveServers] = []


@pytest.fixture(scope="session")
def live_servers() -> Iterator[LiveServers]:
    servers = LiveServers()
    _RUNNING.append(servers)
    yield servers
    servers.stop()
    _RUNNING.remove(servers)


def _uses_live_server(item: pytest.Item | None) -> bool:
    return item is not None and "live_server" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests on a live server run last, one after the other: a running server works on the
    tests' database (its job worker sweeps the outbox), so none may run beside another test."""
    items.sort(key=_uses_live_server)


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:  # noqa: ARG001
    """Stop the servers as soon as the next test does not use them (xdist may interleave)."""
    if not _uses_live_server(nextitem):
        for servers in _RUNNING:
            servers.stop()


def _on_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on a loop of its own in another thread (the test's thread may hold pytest-asyncio's or
    Playwright's loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _load_demo() -> str:
    """The demo loaded by the same code as `server.cli load-demo --if-empty`."""
    from server.demo import load

    return _on_own_loop(load(if_empty=True))


class _DemoSnapshot:
    """The demo loaded once per test process, then copied back into each emptied database (SQLite: one
    INSERT … SELECT per table from a `VACUUM INTO` copy; PostgreSQL: binary COPY of each table, then the
    sequences): 0.1-0.5 s against 8-12 s of CPU (30 s on PostgreSQL) per load. The demo writes nothing
    outside the database but var/'s password file, which stays."""

    def __init__(self) -> None:
        self.summary = ""
        self.sqlite_copy: Path | None = None
        self.pg_tables: dict[str, bytes] | None = None
        self.pg_sequences: list[tuple[str, int]] = []

    def restore_or_load(self) -> str:
        from lib.db import is_postgres
        from lib.settings import get_settings

        settings = get_settings()
        if not is_postgres():
            if self.sqlite_copy is None:
                self.summary = _load_demo()
                self.sqlite_copy = _sqlite_copy(settings.sqlite_path)
            else:
                _sqlite_restore(settings.sqlite_path, self.sqlite_copy)
            return self.summary
        if self.pg_tables is None:
            self.summary = _load_demo()
            self.pg_tables, self.pg_sequences = _on_own_loop(_pg_copy(settings.database_url))
            return self.summary
        try:
            _on_own_loop(_pg_restore(settings.database_url, self.pg_tables, self.pg_sequences))
        except Exception as exc:  # not a superuser (session_replication_role): load it again
            if "permission denied" not in str(exc).lower():
                raise
            return _load_demo()
        return self.summary


def _sqlite_copy(database: Path) -> Path:
    path = database.with_name(database.name + ".demo")
    path.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("VACUUM INTO ?", (str(path),))
    return path


def _sqlite_restore(database: Path, copy: Path) -> None:
    with contextlib.closing(sqlite3.connect(database, timeout=30, isolation_level=None)) as db:
        db.execute("ATTACH DATABASE ? AS snap", (str(copy),))
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM snap.sqlite_master WHERE type = 'table'")
            if name != "migration"
        ]
        db.execute("BEGIN IMMEDIATE")
        db.execute("PRAGMA defer_foreign_keys = ON")
        for name in tables:  # clean_db has emptied them, sqlite_sequence included
            db.execute(f'INSERT INTO main."{name}" SELECT * FROM snap."{name}"')
        db.execute("COMMIT")


async def _pg_copy(url: str) -> tuple[dict[str, bytes], list[tuple[str, int]]]:
    import io

    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        tables: dict[str, bytes] = {}
        for row in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration'"
        ):
            buffer = io.BytesIO()
            status = await conn.copy_from_table(row["tablename"], output=buffer, format="binary")
            if status != "COPY 0":
                tables[row["tablename"]] = buffer.getvalue()
        sequences = [
            (r["name"], r["last_value"])
            for r in await conn.fetch(
                "SELECT quote_ident(sequencename) AS name, last_value FROM pg_sequences "
                "WHERE schemaname = 'public' AND last_value IS NOT NULL"
            )
        ]
    finally:
        await conn.close()
    return tables, sequences


async def _pg_restore(url: str, tables: dict[str, bytes], sequences: list[tuple[str, int]]) -> None:
    import io

    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            # foreign keys unchecked while the tables fill in any order (superuser, as clean_db's DELETE)
            await conn.execute("SET LOCAL session_replication_role = replica")
            for name, data in tables.items():
                await conn.copy_to_table(name, source=io.BytesIO(data), format="binary")
            for name, value in sequences:
                await conn.execute("SELECT setval($1::regclass, $2, true)", name, value)
    finally:
        await conn.close()


_DEMO = _DemoSnapshot()


@pytest.fixture
def demo_data(clean_db) -> str:  # noqa: ARG001 (runs after the truncation)
    """The demo in the freshly emptied database; returns load-demo's summary."""
    return _DEMO.restore_or_load()


def _server_jobs_finished(timeout: float = 90.0) -> None:
    """Wait until the shared server's job worker has finished this test's jobs. The next test empties
    the database and its new rows reuse the same ids: a job still running would mark another test's
    job of its id done (a buyer's e-mail never sent)."""
    from lib.jobs import wait_idle
    from lib.tables import OutboxJob

    try:
        _on_own_loop(wait_idle(timeout=timeout))
    except TimeoutError:
        busy = _on_own_loop(
            OutboxJob.select(OutboxJob.id, OutboxJob.actor, OutboxJob.status)
            .where(OutboxJob.status.is_in(["pending", "dispatched", "running"]))
            .run()
        )
        warnings.warn(f"the live server's jobs were not finished after {timeout:g} s: {busy}", stacklevel=1)


@pytest.fixture
def live_server(demo_data, live_servers, request) -> Iterator[LiveServer]:
    """The server, and the demo loaded into the freshly emptied database."""
    from server import demo

    try:
        changes = request.getfixturevalue("live_server_env")
    except pytest.FixtureLookupError:
        changes = {}
    summary = demo_data
    assert "Demo staff login: admin@ledamier.fr / " in summary, summary
    url = live_servers.url(changes)
    password = demo.password_file().read_text().strip()
    yield LiveServer(url=url, admin_email=demo.DEMO_ADMIN_EMAIL, admin_password=password)
    _server_jobs_finished()


@pytest.fixture
def browser_page(tmp_path) -> Iterator:  # noqa: ARG001 (tmp_path: per-test download folder)
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make system-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            accept_downloads=True, locale="fr-FR", viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def assert_no_horizontal_overflow(page, screenshot: Path | None = None) -> None:
    """At the page's current width: nothing wider than the viewport (no sideways scrolling)."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)
    assert widths[0] <= widths[1], f"horizontal overflow: {widths[0]} px wide for a {widths[1]} px viewport"


_counting: ContextVar[list[str] | None] = ContextVar("_counting", default=None)


@pytest.fixture
def statements(monkeypatch) -> Iterator[list[str]]:
    from lib.db import engine

    db = engine()

    def record(self, query_id: int, query: str) -> None:
        seen = _counting.get()
        if seen is not None:
            seen.append(query)

    monkeypatch.setattr(db, "log_queries", True)
    monkeypatch.setattr(type(db), "print_query", record)
    seen: list[str] = []
    token = _counting.set(seen)
    yield seen
    _counting.reset(token)
