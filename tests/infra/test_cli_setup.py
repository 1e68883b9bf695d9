"""`make run` readiness: `migrate` on a fresh SQLite file and on PostgreSQL (every app, piccolo_admin's
included), idempotent; `load-demo --if-empty` on the fresh database; the CLI lists its commands."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from piccolo.conf.apps import Finder

from lib.db import engine, is_postgres
from tests.processes import child_env, run_cli


def all_tables() -> set[str]:
    return {t._meta.tablename for t in Finder().get_table_classes()}


def test_migrate_and_demo_on_a_fresh_sqlite_file(tmp_path: Path):
    db = tmp_path / "fresh" / "ledamier.sqlite3"
    env = child_env(
        DATABASE_URL=None,
        REDIS_URL=None,
        RABBITMQ_URL=None,
        SQLITE_PATH=str(db),
        VAR_DIR=str(tmp_path / "var"),
    )
    first = run_cli("migrate", env=env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        applied = {r[0] for r in conn.execute("SELECT app_name FROM migration")}
    missing = all_tables() - tables
    assert not missing, f"tables without a migration: {missing}"
    assert {"piccolo_user", "sessions", "outbox_job"} <= tables  # piccolo_admin's apps and ours
    assert {"core", "accounts", "events", "ticketing", "scheduling", "user", "session_auth"} <= applied

    again = run_cli("migrate", env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "🚀" not in again.stdout  # nothing left to run

    for _ in range(2):  # `make run` loads the demo only when the database is empty
        demo = run_cli("load-demo", "--if-empty", env=env)
        assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]


async def test_migrate_on_the_test_database_is_complete_and_idempotent():
    # tests/conftest.py migrated this database from scratch (PostgreSQL: from an empty schema)
    if is_postgres():
        rows = await engine().run_ddl("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = {r["tablename"] for r in rows}
    else:
        rows = await engine().run_ddl("SELECT name FROM sqlite_master WHERE type='table'")
        tables = {r["name"] for r in rows}
    assert not all_tables() - tables
    result = run_cli("migrate", env=child_env())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "🚀" not in result.stdout


def test_cli_lists_its_commands():
    result = run_cli("--help", env=child_env())
    assert result.returncode == 0, result.stderr
    for command in ("migrate", "load-demo", "create-admin", "serve", "worker"):
        assert command in result.stdout
