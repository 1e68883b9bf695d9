"""Stands: the plan page of a 300-stand hall (server time, gzipped size) and members racing for stands.

    .venv/bin/python bench/stands.py                      # SQLite in a temporary directory
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/stands.py

It migrates a fresh database (WARNING: on PostgreSQL the public schema is dropped and recreated), builds
a published edition whose hall holds 300 stands (15 rows of 20, aisles between rows), and:

1. renders GET /stands/{id} (SVG + list view) 30 times through the real app (Litestar's test client,
   in process): median and p95 server time, bytes and gzipped bytes;
2. races M members (default 200) for S stands (default 20) at once, at most --concurrency (20) in flight through `stands.booking.request_stand`
   (the service the HTTP handler calls: one conditional UPDATE decides); each request has its own
   connection and transaction: holds, conflicts, p50/p99 latency, and that no stand is held twice.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_env() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-stands-"))
    os.environ.setdefault("VAR_DIR", str(tmp / "var"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ.update(
        {"DB_POOL": "0", "EMBEDDED_WORKER": "0", "SMTP_URL": "", "BASE_URL": "http://bench.local"}
    )


async def reset_postgres(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


def migrate() -> None:
    env = {**os.environ, "PICCOLO_CONF": "piccolo_conf"}
    subprocess.run(
        [sys.executable, "-m", "server.cli", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True
    )


async def build_hall(stands: int) -> tuple[int, list[int]]:
    from tests.stands.factories import hall

    h = await hall(stands=0, slug="bench-mima")
    from stands import floorplan
    from stands.tables import FloorPlan

    await FloorPlan.update({FloorPlan.width_cm: 8000, FloorPlan.depth_cm: 8000}).where(
        FloorPlan.event == h["event"].id
    )
    ids = []
    for i in range(stands):
        row, col = divmod(i, 20)
        s = await floorplan.save_stand(
            h["event"].id,
            {
                "number": f"{chr(65 + row)}{col + 1}",
                "category": h["category"]["id"],
                "x_cm": 100 + col * 380,
                "y_cm": 100 + row * 520,
                "width_cm": 300,
                "depth_cm": 300,
            },
        )
        ids.append(s["id"])
    return h["event"].id, ids


def render_page(event_id: int, runs: int) -> dict[str, float]:
    from litestar.testing import TestClient

    from server.app import create_app

    times, size, zipped = [], 0, 0
    with TestClient(app=create_app(), base_url="http://bench.local") as client:
        client.get(f"/stands/{event_id}")  # warm-up
        for _ in range(runs):
            start = time.perf_counter()
            r = client.get(f"/stands/{event_id}")
            times.append((time.perf_counter() - start) * 1000)
            assert r.status_code == 200
            size, zipped = len(r.content), len(gzip.compress(r.content))
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "bytes": size,
        "gzip_bytes": zipped,
    }


async def race(event_id: int, stand_ids: list[int], members: int, concurrency: int) -> dict[str, float]:
    from lib.errors import Conflict
    from stands import booking
    from stands.tables import Booking
    from tests.stands.factories import member

    emails = [(await member(f"Bench Membre {i:03d}"))[1] for i in range(members)]
    latencies: list[float] = []

    gate = asyncio.Semaphore(concurrency)  # like a server's connection pool: at most this many at once

    async def one(i: int) -> str:
        start = time.perf_counter()
        async with gate:
            try:
                await booking.request_stand(event_id, stand_ids[i % len(stand_ids)], email=emails[i], data={})
                outcome = "held"
            except Conflict:
                outcome = "taken"
        latencies.append((time.perf_counter() - start) * 1000)
        return outcome

    start = time.perf_counter()
    results = await asyncio.gather(*[one(i) for i in range(members)])
    wall = time.perf_counter() - start
    held = await Booking.select(Booking.stand).where(Booking.status == "held")
    assert len(held) == len({r["stand"] for r in held}), "a stand was held twice"
    latencies.sort()
    return {
        "holds": results.count("held"),
        "taken": results.count("taken"),
        "double": len(held) - len({r["stand"] for r in held}),
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "wall_s": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stands", type=int, default=300)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--race-stands", type=int, default=20)
    parser.add_argument(
        "--concurrency", type=int, default=20, help="requests in flight at once (connections)"
    )
    args = parser.parse_args()
    setup_env()
    if os.environ.get("DATABASE_URL"):
        asyncio.run(reset_postgres(os.environ["DATABASE_URL"]))
    migrate()
    event_id, ids = asyncio.run(build_hall(args.stands))
    page = render_page(event_id, 30)
    print(
        f"plan page, {args.stands} stands: median {page['median_ms']:.1f} ms, p95 {page['p95_ms']:.1f} ms, "
        f"{page['bytes'] / 1000:.0f} KB, {page['gzip_bytes'] / 1000:.1f} KB gzipped"
    )
    result = asyncio.run(race(event_id, ids[: args.race_stands], args.members, args.concurrency))
    print(
        f"race, {args.members} members for {args.race_stands} stands: {result['holds']} holds, {result['taken']} told taken, "
        f"{result['double']} double bookings, p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, wall {result['wall_s']:.1f} s"
    )
    print(
        f"backend: {'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
