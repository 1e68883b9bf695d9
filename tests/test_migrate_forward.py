"""A database created by main on 2026-12-01 (migrated, demo data loaded) migrates forward with today's
migrations, and its data is still readable through the app (issue 11).

The dumps in tests/data were made from that main with:
    SQLite:     python -m server.cli migrate && python -m server.cli load-demo && sqlite3 $SQLITE_PATH .dump
    PostgreSQL: same on an empty database, then pg_dump --no-owner --no-acl
They are history: never regenerate them from a newer tree (add a new dated dump instead).

Each check runs in a subprocess whose settings point at the restored copy (the test process's own
engine is bound to the test database).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from tests.conftest import ROOT, TMP

DATA = Path(__file__).parent / "data"
SQLITE_DUMP = DATA / "main-2026-12-01.sqlite.sql"
POSTGRES_DUMP = DATA / "main-2026-12-01.postgres.sql"

# Runs in the subprocess: every table through the ORM (every column converted), then public pages and
# API through the real app.
READ_BACK = r"""
import asyncio, json
from piccolo.conf.apps import Finder
from litestar.testing import TestClient
from server.app import create_app

async def rows():
    out = {}
    for table in Finder().get_table_classes():
        name = table._meta.tablename
        if name == "migration":
            continue
        out[name] = len(await table.select())
    return out

async def member():
    # One member row read back through the members app: its organisation, people and paid years.
    from datetime import date
    from members import standing
    from members.tables import Organisation, Person
    org = await Organisation.objects().where(Organisation.name == "Label Volcanique").first()
    on = date(2026, 6, 1)
    return {
        "name": org.name if org else None,
        "band": org.revenue_band if org else None,
        "people": await Person.count().where(Person.organisation == org.id) if org else 0,
        "paid_years": [y.year for y in await standing.membership_years(org.id) if y.paid_on] if org else [],
        "standing_2026": (await standing.membership_standing(organisation_id=org.id, on=on)).reason
        if org
        else None,
    }

counts = asyncio.run(rows())
member_row = asyncio.run(member())
with TestClient(app=create_app(), base_url="http://testserver.local") as client:
    events = client.get("/api/events")
    first = events.json()[0]["id"] if events.status_code == 200 and events.json() else None
    pages = {
        "/": client.get("/").status_code,
        "/api/events": events.status_code,
        "/api/events/ID/ticket-types": client.get(f"/api/events/{first}/ticket-types").status_code,
        "/api/events/ID": client.get(f"/api/events/{first}").status_code,
        "/api/events/ID/sessions": client.get(f"/api/events/{first}/sessions").status_code,
    }
    titles = [e.get("title_fr") or e.get("title") for e in events.json()] if events.status_code == 200 else []

from commissions.records import list_records

carried = [
    [r.id, r.source, r.status, r.amount_cents, r.rate_bp, r.rate_reason != "", r.commission_cents, r.buyer,
     r.organisation_id, r.meeting_id, r.won_on.isoformat()]
    for r in asyncio.run(list_records())
]
print("RESULT " + json.dumps({"counts": counts, "pages": pages, "titles": titles, "carried": carried, "member": member_row}))
"""


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args[:4]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _migrate_and_read(env: dict[str, str]) -> dict:
    env = {**env, "PICCOLO_CONF": "piccolo_conf", "EMBEDDED_WORKER": "0"}
    _run([sys.executable, "-m", "server.cli", "migrate"], env)
    out = _run([sys.executable, "-c", READ_BACK], env)
    [line] = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
    return json.loads(line.removeprefix("RESULT "))


# Tables whose rows moved to another app's table (issue 15: the speed-meeting commissions).
MOVED = {"meeting_commission": "commission"}

# Two speed-meeting deals recorded before the commissions app (the dump has none): one proposed, one
# confirmed at a raised rate. They must come out as commission records of source "deal".
DEALS_BEFORE = [
    "INSERT INTO meeting (id, programme, producer, buyer, starts_at, ends_at, table_number, pinned, published, "
    "uid, sequence, created_at) VALUES (900, 1, 1, {buyer}, '2027-10-14 12:00:00+00:00', "
    "'2027-10-14 12:20:00+00:00', 1, FALSE, TRUE, 'carry-900', 0, '2026-12-01 16:00:00+00:00')",
    "INSERT INTO meeting (id, programme, producer, buyer, starts_at, ends_at, table_number, pinned, published, "
    "uid, sequence, created_at) VALUES (901, 1, 2, {buyer}, '2027-10-14 12:20:00+00:00', "
    "'2027-10-14 12:40:00+00:00', 1, FALSE, TRUE, 'carry-901', 0, '2026-12-01 16:00:00+00:00')",
    "INSERT INTO meeting_commission (id, programme, meeting, organisation, deal_nature, amount_cents, rate_bp, "
    "commission_cents, status, confirmed_at, created_at) VALUES (3, 1, 900, 1, 'Deux concerts', 250000, 1000, "
    "25000, 'proposed', NULL, '2026-12-01 16:05:00+00:00')",
    "INSERT INTO meeting_commission (id, programme, meeting, organisation, deal_nature, amount_cents, rate_bp, "
    "commission_cents, status, confirmed_at, created_at) VALUES (7, 1, 901, 2, 'Une tournée', 400000, 1200, "
    "48000, 'confirmed', '2026-12-01 17:00:00+00:00', '2026-12-01 16:10:00+00:00')",
]
BUYER_SQL = "SELECT min(id) FROM meeting_participant WHERE side = 'buyer'"


def _deals_sql(buyer: int) -> list[str]:
    return [sql.format(buyer=buyer) for sql in DEALS_BEFORE]


def _check_carried(result: dict, buyer_name: str) -> None:
    assert result["carried"] == [
        [7, "deal", "confirmed", 400000, 1200, True, 48000, buyer_name, 2, 901, "2026-12-01"],
        [3, "deal", "expected", 250000, 1000, False, 25000, buyer_name, 1, 900, "2026-12-01"],
    ], result["carried"]


def _check(result: dict, before: dict[str, int]) -> None:
    assert all(code == 200 for code in result["pages"].values()), result["pages"]
    assert any("MIMA 2027" in (t or "") for t in result["titles"]), result["titles"]
    # the register now lives in the members app: the same organisation, its people and paid years
    member = result["member"]
    assert member["name"] == "Label Volcanique" and member["band"] == "lt20k", member
    assert member["people"] >= 1 and 2026 in member["paid_years"], member
    assert member["standing_2026"] == "paid", member
    for table, count in before.items():
        if table in MOVED:
            assert table not in result["counts"], f"{table} should have moved to {MOVED[table]}"
            table = MOVED[table]
        assert result["counts"].get(table) == count, (
            f"{table}: {count} rows before, {result['counts'].get(table)} after"
        )


def test_sqlite_database_from_main_migrates_forward():
    path = TMP / "forward" / "main.sqlite3"
    shutil.rmtree(path.parent, ignore_errors=True)
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.executescript(SQLITE_DUMP.read_text(encoding="utf-8"))
        buyer = conn.execute(BUYER_SQL).fetchone()[0]
        buyer_name = conn.execute("SELECT organisation_name FROM meeting_participant WHERE id = ?", (buyer,))
        buyer_name = buyer_name.fetchone()[0]
        for sql in _deals_sql(buyer):
            conn.execute(sql)
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        before = {
            n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
            for n in names
            if n not in ("migration", "sqlite_sequence")
        }
    assert before["event"] >= 4 and before["organisation"] > 0
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "RABBITMQ_URL")}
    env.update(SQLITE_PATH=str(path), VAR_DIR=str(path.parent / "var"))
    result = _migrate_and_read(env)
    _check(result, before)
    _check_carried(result, buyer_name)


@pytest.mark.postgres_only("restores a PostgreSQL dump of main")
@pytest.mark.skipif(shutil.which("psql") is None, reason="needs the psql client to restore the dump")
def test_postgres_database_from_main_migrates_forward():
    # A database of its own beside the test database (<name>_forward), dropped afterwards.
    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/") + "_forward"
    target = urlunparse(url._replace(path="/" + name))
    admin = os.environ["DATABASE_URL"]
    _run(["psql", "-q", admin, "-c", f'DROP DATABASE IF EXISTS "{name}"'], dict(os.environ))
    _run(["psql", "-q", admin, "-c", f'CREATE DATABASE "{name}"'], dict(os.environ))
    try:
        _run(["psql", "-q", "-v", "ON_ERROR_STOP=1", target, "-f", str(POSTGRES_DUMP)], dict(os.environ))
        buyer = int(_run(["psql", "-At", target, "-c", BUYER_SQL], dict(os.environ)).strip())
        buyer_name = _run(
            [
                "psql",
                "-At",
                target,
                "-c",
                f"SELECT organisation_name FROM meeting_participant WHERE id = {buyer}",
            ],
            dict(os.environ),
        ).strip()
        for sql in _deals_sql(buyer):
            _run(["psql", "-q", "-v", "ON_ERROR_STOP=1", target, "-c", sql], dict(os.environ))
        tables = re.findall(r"^CREATE TABLE public\.(\w+) ", POSTGRES_DUMP.read_text(encoding="utf-8"), re.M)
        counts_sql = " UNION ALL ".join(
            f"SELECT '{t}', count(*) FROM public.\"{t}\"" for t in tables if t != "migration"
        )
        raw = _run(["psql", "-At", "-F", "\t", target, "-c", counts_sql], dict(os.environ))
        before = {t: int(c) for t, c in (ln.split("\t") for ln in raw.splitlines() if ln)}
        assert before["event"] >= 4
        env = {**os.environ, "DATABASE_URL": target, "VAR_DIR": str(TMP / "forward-pg" / "var")}
        env.pop("REDIS_URL", None)
        env.pop("RABBITMQ_URL", None)
        result = _migrate_and_read(env)
        _check(result, before)
        _check_carried(result, buyer_name)
    finally:
        subprocess.run(
            ["psql", "-q", admin, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False
        )
