"""Stands: the plan page of a 300-stand hall (server time, gzipped size) and members racing for stands
through HTTP, each beside a reference measured in the same run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/stands.py \
        [--stands 300] [--members 200] [--race-stands 20] [--workers 2]
    .venv/bin/python bench/stands.py --in-process         # SQLite, no server: the page and the service race

It migrates a fresh database (WARNING: on PostgreSQL the public schema is dropped and recreated), builds
a published edition whose hall holds 300 stands (15 rows of 20, aisles between rows), M member
organisations in good standing (default 200) each with a one-time sign-in link, and:

1. renders GET /stands/{id} (SVG + list view) 30 times in process (Litestar's test client, no network):
   median and p95 server time, bytes and gzipped bytes; beside it, the reference: the sign-in form page
   (GET /auth/link: the same layout, middleware and session, no data), same client, same runs;
2. starts the real server (`python -m server.cli serve --workers W`, embedded job worker), signs every
   member in through HTTP (POST /auth/link/<token>: a session cookie each), fetches the plan page
   through HTTP (latency and the gzipped bytes on the wire), then fires all members at once at
   POST /api/stands/{e}/stands/{s}/request for S stands (default 20): statuses, p50/p99 latency, and
   from the database that no stand is held twice and every stand is held once;
3. the race reference: the same members (no session) against bench/stands_bare.py (bare Litestar +
   asyncpg running only the deciding conditional UPDATE), the stands freed first, same workers.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_by_role  # noqa: E402


def setup_env() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-stands-"))
    os.environ.setdefault("VAR_DIR", str(tmp / "var"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    # DB_POOL=1: with PostgreSQL, a pool, as `serve` has (without it each statement opens a connection)
    os.environ.update(
        {"DB_POOL": "1", "EMBEDDED_WORKER": "0", "SMTP_URL": "", "BASE_URL": "http://bench.local"}
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


def render_reference(runs: int) -> dict[str, float]:
    """The same in-process client on the sign-in form page: the layout, middleware and session, no data."""
    from litestar.testing import TestClient

    from server.app import create_app

    times = []
    with TestClient(app=create_app(), base_url="http://bench.local") as client:
        client.get("/auth/link")
        for _ in range(runs):
            start = time.perf_counter()
            r = client.get("/auth/link")
            times.append((time.perf_counter() - start) * 1000)
            assert r.status_code == 200
    times.sort()
    return {"median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1]}


async def make_members(members: int) -> list[str]:
    """Member organisations in good standing and, for each, a one-time sign-in link's token."""
    from accounts.services import request_login_link
    from tests.stands.factories import member

    tokens = []
    for i in range(members):
        _org, email = await member(f"Bench Membre {i:03d}")
        tokens.append((await request_login_link(email, "/stands/bookings", "fr")).token)
    return tokens


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


async def plan_over_http(base: str, event_id: int, runs: int) -> dict[str, float]:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=60, headers={"accept-encoding": "gzip"}) as client:
        await client.get(f"/stands/{event_id}")
        times, wire = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            r = await client.get(f"/stands/{event_id}")
            times.append((time.perf_counter() - start) * 1000)
            assert r.status_code == 200
            wire = r.num_bytes_downloaded
    return {"median_ms": pct(times, 50), "p95_ms": pct(times, 95), "wire_bytes": wire}


async def sign_in_all(base: str, tokens: list[str]) -> list[object]:
    """One HTTP client (cookie jar) per member, signed in through the one-time link form."""
    import httpx

    clients = []
    gate = asyncio.Semaphore(20)

    async def one(token: str) -> object:
        client = httpx.AsyncClient(base_url=base, timeout=120)
        async with gate:
            page = await client.get(f"/auth/link/{token}")
            assert page.status_code == 200, page.text[:300]
            r = await client.post(
                f"/auth/link/{token}", headers={"x-csrftoken": client.cookies.get("csrftoken") or ""}
            )
            assert r.status_code in (200, 303), (r.status_code, r.text[:300])
        return client

    clients = await asyncio.gather(*[one(t) for t in tokens])
    return list(clients)


def session_headers(client: Any) -> dict[str, str]:
    """A signed-in member's cookies (session, CSRF) and CSRF header, taken from its httpx client."""
    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    return {"Cookie": cookies, "x-csrftoken": client.cookies.get("csrftoken") or ""}


async def http_race(
    port: int, members: list[dict[str, str]], event_id: int, stand_ids: list[int]
) -> dict[str, object]:
    """Every member (its headers) opens a connection and asks for a stand at the same moment, through
    bench/rawhttp.py (httpx's client cost the machine more than the server: docs/benchmarks.md)."""
    from bench.rawhttp import Connection

    gate = asyncio.Event()
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def one(i: int) -> None:
        conn = Connection(port, members[i])
        await gate.wait()
        start = time.perf_counter()
        status, _body = await conn.post(
            f"/api/stands/{event_id}/stands/{stand_ids[i % len(stand_ids)]}/request", b"{}"
        )
        latencies.append((time.perf_counter() - start) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    tasks = [asyncio.create_task(one(i)) for i in range(len(members))]
    await asyncio.sleep(0.5)
    start = time.perf_counter()
    gate.set()
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - start
    return {
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": pct(latencies, 50),
        "p99_ms": pct(latencies, 99),
        "max_ms": max(latencies),
        "wall_s": wall,
    }


async def jobs_drained(timeout: float = 300) -> float:
    """Wait until the job worker has sent the sign-in emails (the race starts on an idle server, as
    it would minutes after the members signed in); return the seconds waited."""
    from lib.tables import OutboxJob

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if not await OutboxJob.count().where(OutboxJob.status.is_in(["pending", "dispatched", "running"])):
            break
        await asyncio.sleep(0.5)
    return time.perf_counter() - start


async def held_stands(event_id: int) -> tuple[int, int]:
    """(held bookings, distinct stands among them) from the database."""
    from stands.tables import Booking

    held = await Booking.select(Booking.stand).where((Booking.event == event_id) & (Booking.status == "held"))
    return len(held), len({r["stand"] for r in held})


def per_request(before: dict[str, float], after: dict[str, float], requests: int) -> str:
    return ", ".join(f"{role} {1000 * (after[role] - before[role]) / requests:.2f} ms" for role in after)


def start_process(cmd: list[str], env: dict[str, str], log: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # type: ignore[arg-type]


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stands", type=int, default=300)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--race-stands", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--in-process", action="store_true", help="no server: the service race (SQLite ok)")
    parser.add_argument(
        "--concurrency", type=int, default=20, help="--in-process: requests in flight at once (connections)"
    )
    args = parser.parse_args()
    setup_env()
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url:
        asyncio.run(reset_postgres(database_url))
    elif not args.in_process:
        sys.exit("the HTTP race needs DATABASE_URL (PostgreSQL); --in-process runs on SQLite")
    migrate()
    event_id, ids = asyncio.run(build_hall(args.stands))
    race_ids = ids[: args.race_stands]
    page = render_page(event_id, args.runs)
    ref = render_reference(args.runs)
    print(
        f"plan page, {args.stands} stands, in process: median {page['median_ms']:.1f} ms, p95 {page['p95_ms']:.1f} ms, "
        f"{page['bytes'] / 1000:.0f} KB, {page['gzip_bytes'] / 1000:.1f} KB gzipped; reference (sign-in form "
        f"page): median {ref['median_ms']:.1f} ms, p95 {ref['p95_ms']:.1f} ms"
    )
    load = os.getloadavg()[0]
    if args.in_process:
        result = asyncio.run(race(event_id, race_ids, args.members, args.concurrency))
        print(
            f"service race, {args.members} members for {args.race_stands} stands: {result['holds']} holds, "
            f"{result['taken']} told taken, {result['double']} double bookings, p50 {result['p50_ms']:.0f} ms, "
            f"p99 {result['p99_ms']:.0f} ms, wall {result['wall_s']:.1f} s"
        )
        print(f"backend: {'PostgreSQL' if database_url else 'SQLite'}; load average {load:.2f}")
        return

    tokens = asyncio.run(make_members(args.members))
    tmp = Path(os.environ["VAR_DIR"]).parent
    env = {
        **os.environ,
        "DB_POOL": "1",
        "EMBEDDED_WORKER": "1",
        "PYTHONUNBUFFERED": "1",
        "LOGIN_RATE_PER_15MIN": str(10**6),
    }
    env.pop("REDIS_URL", None)
    env.pop("RABBITMQ_URL", None)
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_process(
        [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(args.workers)],
        env,
        log,
    )  # fmt: skip
    try:
        wait_http(f"{base}/schema/openapi.json")
        over_http = asyncio.run(plan_over_http(base, event_id, args.runs))

        async def signed_in_race() -> tuple[dict[str, object], tuple[int, int]]:
            clients = await sign_in_all(base, tokens)
            members = [session_headers(c) for c in clients]
            for c in clients:
                await c.aclose()  # type: ignore[attr-defined]
            drained = await jobs_drained()
            print(f"sign-in emails sent before the race: {drained:.1f} s of waiting")
            before = cpu_by_role(server.pid)
            outcome = await http_race(port, members, event_id, race_ids)
            outcome["cpu"] = per_request(before, cpu_by_role(server.pid), len(members))
            return outcome, await held_stands(event_id)

        result, (held, distinct) = asyncio.run(signed_in_race())
    finally:
        stop_process(server)

    async def free_race_stands() -> None:
        from stands.tables import Stand

        await Stand.update({Stand.status: "free"}).where(Stand.id.is_in(race_ids))

    asyncio.run(free_race_stands())
    ref_port = free_port()
    bare = start_process(
        [sys.executable, "-m", "uvicorn", "--app-dir", "bench", "stands_bare:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(ref_port), "--workers", str(args.workers),
         "--log-level", "warning"],
        env,
        log,
    )  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{ref_port}/alive")

        before = cpu_by_role(bare.pid)
        reference = asyncio.run(http_race(ref_port, [{} for _ in tokens], event_id, race_ids))
        reference["cpu"] = per_request(before, cpu_by_role(bare.pid), len(tokens))
    finally:
        stop_process(bare)

    print(
        f"plan page through HTTP: median {over_http['median_ms']:.1f} ms, p95 {over_http['p95_ms']:.1f} ms, "
        f"{over_http['wire_bytes'] / 1000:.1f} KB on the wire (gzip)"
    )
    print(
        f"HTTP race, {args.members} signed-in members for {args.race_stands} stands, {args.workers} workers: "
        f"statuses {result['statuses']}, p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, "
        f"max {result['max_ms']:.0f} ms, wall {result['wall_s']:.2f} s; held {held}, distinct stands {distinct}; "
        f"CPU per request: {result['cpu']}"
    )
    print(
        f"reference (bare Litestar + asyncpg conditional UPDATE): statuses {reference['statuses']}, "
        f"p50 {reference['p50_ms']:.0f} ms, p99 {reference['p99_ms']:.0f} ms, wall {reference['wall_s']:.2f} s; "
        f"CPU per request: {reference['cpu']}"
    )
    good = held == distinct == len(race_ids) and result["statuses"] == {
        201: len(race_ids),
        409: args.members - len(race_ids),
    }
    print(f"backend: PostgreSQL; load average {load:.2f} -> {os.getloadavg()[0]:.2f}")
    print("0 double bookings, every stand held once: " + ("OK" if good else "FAILED"))
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
