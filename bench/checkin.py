"""Benchmark of door check-in (a script, not a timed test).

    .venv/bin/python bench/checkin.py                      # 200,000 tickets, 32 scanners, 20 s
    .venv/bin/python bench/checkin.py --seconds 30 --workers 3 --scanners 32

What it does, on PostgreSQL (the database is reset: use a database of your own):
1. migrates, then writes 200,000 confirmed tickets of one event (4 per order) and a door device;
2. starts the server as for production (`python -m server.cli serve --workers N`, DB_POOL on);
3. 32 concurrent scanners (keep-alive HTTP/1.1 connections over loopback) POST /api/devices/redeem
   with signed QR codes of random tickets for a bounded time: redeems/s, p50/p99 latency, statuses;
4. in the same run, the references: a bare Litestar + asyncpg endpoint (bench/checkin_bare.py) running
   the same statement, and (with --client wrk) the same endpoint running the plain conditional UPDATE
   of one ticket row; pgbench with 32 clients: that plain UPDATE (the raw database limit), and the
   server's own one-statement redeem (auth + ticket + winning insert). For each HTTP run, the CPU
   used per request by the web workers and by PostgreSQL (from /proc);
5. the offline ticket list download of an event with 20,000 tickets (bytes gzip / raw, seconds);
6. Ed25519 signature verifications per second in headless Debian chromium (WebCrypto), as the door
   page does offline.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_seconds  # noqa: E402
from bench.rawhttp import Connection  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# ---- data ---------------------------------------------------------------------------------------


async def reset_and_fill(url: str, tickets: int, list_tickets: int, token: str, list_token: str) -> dict:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()
    env = {**os.environ, "DATABASE_URL": url, "PICCOLO_CONF": "piccolo_conf"}
    subprocess.run(  # noqa: ASYNC221 (setup, before any load)
        [sys.executable, "-m", "server.cli", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    from lib.tokens import hash_token

    conn = await asyncpg.connect(url)
    try:
        ids = {}
        for slug, count, tok in (("bench-door", tickets, token), ("bench-list", list_tickets, list_token)):
            event = await conn.fetchval(
                "INSERT INTO event (slug, kind, title, title_en, description, description_en, starts_at, ends_at, "
                "status, uid, sequence, created_at, updated_at) VALUES ($1, 'mima', $1, '', '', '', now(), "
                "now() + interval '8 hours', 'published', $1, 0, now(), now()) RETURNING id",
                slug,
            )
            ttype = await conn.fetchval(
                "INSERT INTO ticket_type (event, name, name_en, description, description_en, price_cents, vat_rate, "
                "requires_membership, staff_only, capacity, sold, max_per_order, position, active) "
                "VALUES ($1, 'Visiteur', 'Visitor', '', '', 2000, 20, false, false, NULL, 0, 10, 0, true) RETURNING id",
                event,
            )
            orders = (count + 3) // 4
            await conn.execute(
                "INSERT INTO ticketing_order (token, event, buyer_name, buyer_email, buyer_organisation, locale, "
                "status, source, approval_requested, approval_note, total_ht_cents, total_vat_cents, "
                "total_ttc_cents, refunded_cents, created_at) "
                "SELECT $1 || '-' || g, $2, 'Buyer ' || g, 'buyer' || g || '@example.org', 'Org ' || (g % 500), "
                "'fr', 'confirmed', 'public', false, '', 8000, 1600, 9600, 0, now() FROM generate_series(1, $3) g",
                slug,
                event,
                orders,
            )
            first_order = await conn.fetchval("SELECT min(id) FROM ticketing_order WHERE event = $1", event)
            await conn.execute(
                'INSERT INTO ticket (public_id, "order", event, ticket_type, attendee_name, attendee_email, '
                "attendee_organisation, price_ht_cents, vat_cents, status, created_at, updated_at) "
                "SELECT $1 || '-' || g, $2 + (g - 1) / 4, $3, $4, 'Attendee ' || g || ' Martin', "
                "'a' || g || '@example.org', 'Org ' || (g % 500), 2000, 400, "
                "CASE WHEN g % 50 = 0 THEN 'cancelled' ELSE 'valid' END, now(), now() "
                "FROM generate_series(1, $5) g",
                slug,
                first_order,
                event,
                ttype,
                count,
            )
            await conn.execute(
                "INSERT INTO checkin_device (event, name, door, token_hash, created_at) VALUES ($1, 'Bench', 'Hall', $2, now())",
                event,
                hash_token(tok),
            )
            first_ticket = await conn.fetchval("SELECT min(id) FROM ticket WHERE event = $1", event)
            ids[slug] = (event, first_ticket, count)
        # settle the freshly written tables (visibility map, statistics, dirty pages) before measuring,
        # so that autovacuum and the checkpointer do not land in the first measured run
        await conn.execute("VACUUM (ANALYZE)")
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()
    return ids


# ---- a tiny keep-alive HTTP/1.1 client (so that the load generator costs little CPU) ------------


async def scanners(
    port: int,
    token: str,
    codes: list,
    n: int,
    seconds: float,
    path: str = "/api/devices/redeem",
    key: str = "code",
) -> dict:
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    stop = time.perf_counter() + seconds

    async def scanner(i: int) -> None:
        conn = Connection(port, {"Authorization": f"Bearer {token}"})
        rng = random.Random(i)
        while time.perf_counter() < stop:
            body = json.dumps(
                {
                    key: rng.choice(codes),
                    "scan_id": uuid.uuid4().hex,
                    "scanned_at": datetime.now(UTC).isoformat(),  # as the door page sends them
                    "door": "Main",
                }
            ).encode()
            t0 = time.perf_counter()
            status, payload = await conn.post(path, body)
            latencies.append(time.perf_counter() - t0)
            outcome = json.loads(payload).get("status", "?") if status == 200 else f"http {status}"
            statuses[outcome] = statuses.get(outcome, 0) + 1
        conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(scanner(i) for i in range(n)))
    elapsed = time.perf_counter() - t0
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(latencies, 50) * 1000,
        "p99_ms": pct(latencies, 99) * 1000,
        "statuses": statuses,
    }


SERVER: dict[str, int] = {}  # pid of the server being measured (start_server sets it)


def measured(run, *args, **kw) -> dict:
    """Run a load and add where the CPU went: µs per request in the web workers and in PostgreSQL."""
    web = SERVER.get("pid")
    before = cpu_seconds("multiprocessing.spawn", web), cpu_seconds("postgres")
    result = run(*args, **kw)
    after = cpu_seconds("multiprocessing.spawn", web), cpu_seconds("postgres")
    if result.get("requests"):
        result["web_cpu_us_per_request"] = round(1e6 * (after[0] - before[0]) / result["requests"])
        result["db_cpu_us_per_request"] = round(1e6 * (after[1] - before[1]) / result["requests"])
    return result


def load_generator(port: int, token: str, codes: list, n: int, seconds: float, **kw: str) -> dict:
    try:
        import uvloop

        return uvloop.run(scanners(port, token, codes, n, seconds, **kw))
    except ImportError:
        return asyncio.run(scanners(port, token, codes, n, seconds, **kw))


def wrk_load(
    port: int,
    token: str,
    values: list,
    n: int,
    seconds: float,
    path: str = "/api/devices/redeem",
    key: str = "code",
) -> dict:
    """The same load from wrk (C, 2 threads, n connections): a load generator that costs the 2 cores
    far less than Python, so the server gets most of the machine. Needs Debian's wrk."""
    exe = shutil.which("wrk")
    if not exe:
        return {"error": "wrk not found (apt-get install wrk)"}
    quoted = ",".join(json.dumps(v) for v in values)
    script = f"""
local values = {{{quoted}}}
local n = #values
local counter = 0
-- tid is a global on purpose: setup() runs in the main Lua state and thread:set() gives each thread's
-- state its own global; a chunk-level local would shadow it (every thread would then seed the same
-- random sequence and send the other thread's tickets and scan ids again: retries, not new scans)
tid = 0
function setup(thread) tid = tid + 1; thread:set("tid", tid) end
function init(args) math.randomseed(os.time() * 1000 + tid * 7919) end
function request()
  counter = counter + 1
  local v = values[math.random(n)]
  local value = type(v) == "string" and ('"' .. v .. '"') or tostring(v)
  local body = '{{"{key}":' .. value .. ',"scan_id":"w' .. tostring(tid) .. '-' .. counter .. '-' .. math.random(1000000000) .. '","scanned_at":"' .. os.date("!%Y-%m-%dT%H:%M:%SZ") .. '","door":"Main"}}'
  return wrk.format("POST", "{path}", {{["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer {token}"}}, body)
end
"""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    out = subprocess.run(
        [exe, "-t2", f"-c{n}", f"-d{int(seconds)}s", "--latency", "-s", f.name, f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
    )
    os.unlink(f.name)

    def ms(label: str) -> float | None:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out.stdout, re.M)
        if not m:
            return None
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    total = re.search(r"(\d+) requests in", out.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    return {
        "client": "wrk",
        "requests": int(total.group(1)) if total else None,
        "rps": float(rps.group(1)) if rps else None,
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "error": None if rps else out.stdout[-500:] + out.stderr[-500:],
    }


# ---- pgbench ------------------------------------------------------------------------------------


def pgbench(url: str, script: str, clients: int, seconds: int, tickets: tuple[int, int]) -> dict:
    exe = shutil.which("pgbench") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None
    )
    if not exe:
        return {"error": "pgbench not found"}
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    first, count = tickets
    out = subprocess.run(
        [
            str(exe),
            "-n",
            "-M",
            "prepared",
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            "-D",
            f"first={first}",
            "-D",
            f"last={first + count - 1}",
            "-f",
            f.name,
            url,
        ],
        capture_output=True,
        text=True,
    )
    os.unlink(f.name)
    tps = re.search(r"tps = ([\d.]+)", out.stdout)
    lat = re.search(r"latency average = ([\d.]+) ms", out.stdout)
    return {
        "tps": float(tps.group(1)) if tps else None,
        "latency_avg_ms": float(lat.group(1)) if lat else None,
        "error": None if tps else (out.stderr or out.stdout)[-500:],
    }


PGBENCH_UPDATE = """\\set tid random(:first, :last)
UPDATE ticket SET updated_at = now() WHERE id = :tid AND status = 'valid' RETURNING id;
"""

PGBENCH_REDEEM_TEMPLATE = """\\set tid random(:first, :last)
\\set sid random(1, 1000000000000)
{sql};
"""


def redeem_script(token_hash: str) -> str:
    from checkin.hotpath.statement import FAST_SQL

    sql = " ".join(FAST_SQL.split())
    sql = (
        sql.replace("$1", f"'{token_hash}'")
        .replace("$2", ":tid")
        .replace("$3", "'pgb-' || :client_id || '-' || :sid")
        .replace("$4", "''")
        .replace("$5", "NULL::integer")
        .replace("$6", "now()")
    )
    return PGBENCH_REDEEM_TEMPLATE.format(sql=sql)


# ---- the server ---------------------------------------------------------------------------------


def start_server(
    env: dict, workers: int, bare: bool = False, stock_http: bool = False
) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    if bare:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(ROOT / "bench"),
            "checkin_bare:create_app",
        ]
        command += ["--factory", "--port", str(port), "--workers", str(workers), "--no-access-log"]
        probe = f"http://127.0.0.1:{port}/schema/openapi.json"
    else:
        # stock_http: uvicorn's own httptools protocol, to measure what server/http.py gains
        launcher = [str(ROOT / "bench" / "serve_stock_http.py")] if stock_http else ["-m", "server.cli"]
        command = [
            sys.executable,
            *launcher,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
        probe = f"http://127.0.0.1:{port}/api/devices/public-key"
    log = Path(tempfile.mkdtemp(prefix="bench-checkin-")) / "server.log"
    out = open(log, "w")  # noqa: SIM115 (kept open for the server's lifetime)
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 300  # a loaded shared machine: startup can take minutes
    while True:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the server did not answer in 300 s:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                break
        except OSError:
            time.sleep(0.3)
    # every worker up: each logs its startup (the probe may have reached only the first)
    while log.read_text().count("Application startup complete") < workers and time.monotonic() < deadline:
        time.sleep(0.3)
    time.sleep(1)
    SERVER["pid"] = proc.pid
    return proc, port, log


def list_download(port: int, token: str) -> dict:
    import gzip

    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/devices/tickets",
        headers={"authorization": f"Bearer {token}", "accept-encoding": "gzip"},
    )
    results = []
    for _ in range(3):
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as r:
            body = r.read()
            encoding = r.headers.get("content-encoding")
        results.append(time.perf_counter() - t0)
    raw = gzip.decompress(body) if encoding == "gzip" else body
    return {
        "tickets": len(json.loads(raw)["tickets"]),
        "bytes_gzip": len(body),
        "bytes_raw": len(raw),
        "seconds_best": min(results),
        "seconds_median": sorted(results)[1],
    }


def chromium_verify(port: int, codes: list[str], public_key: str) -> dict:
    from playwright.sync_api import sync_playwright

    js = """async ([codes, key]) => {
      const dec = (t) => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - t.length % 4) % 4)), c => c.charCodeAt(0));
      const pk = await crypto.subtle.importKey('raw', dec(key), {name: 'Ed25519'}, false, ['verify']);
      const parsed = codes.map(c => { const raw = dec(c.slice(3)); return [raw.slice(0, 11), raw.slice(11)]; });
      let t0 = performance.now(), ok = 0;
      for (const [head, sig] of parsed) { if (await crypto.subtle.verify({name: 'Ed25519'}, pk, sig, head)) ok++; }
      const sequential = performance.now() - t0;
      t0 = performance.now();
      const all = await Promise.all(parsed.map(([head, sig]) => crypto.subtle.verify({name: 'Ed25519'}, pk, sig, head)));
      const parallel = performance.now() - t0;
      return {ok, n: codes.length, sequential_ms: sequential, parallel_ms: parallel, ok2: all.filter(Boolean).length};
    }"""
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/api/devices/public-key")  # a secure context (loopback)
        result = page.evaluate(js, [codes, public_key])
        browser.close()
    result["verify_per_s_sequential"] = result["n"] / (result["sequential_ms"] / 1000)
    result["verify_per_s_parallel"] = result["n"] / (result["parallel_ms"] / 1000)
    return result


def stock_protocol_run(env: dict, args: argparse.Namespace, token: str, codes: list) -> dict:
    """The full stack once more, the same way, on uvicorn's stock httptools protocol."""
    proc, stock_port, _log = start_server(env, args.workers, stock_http=True)
    try:
        load_generator(stock_port, token, codes[:2000], args.scanners, 3)
        run = wrk_load if args.client == "wrk" else load_generator
        return measured(run, stock_port, token, codes, args.scanners, args.seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/h_checkin"),
    )
    ap.add_argument("--tickets", type=int, default=200_000)
    ap.add_argument("--list-tickets", type=int, default=20_000)
    ap.add_argument("--scanners", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--codes", type=int, default=50_000, help="distinct signed codes the scanners draw from")
    ap.add_argument("--skip-chromium", action="store_true")
    ap.add_argument(
        "--compare-http",
        action="store_true",
        help="also measure the full stack with uvicorn's own httptools protocol (without server/http.py)",
    )
    ap.add_argument(
        "--client",
        choices=("python", "wrk"),
        default="python",
        help="load generator: the asyncio client, or Debian's wrk (lighter on the 2 cores)",
    )
    args = ap.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="bench-checkin-var-"))
    seed = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DB_POOL": "1",
        "VAR_DIR": str(var_dir),
        "TICKET_SIGNING_KEY": f"1:{seed}",
        "PICCOLO_CONF": "piccolo_conf",
    }
    env.pop("REDIS_URL", None)
    env.pop("RABBITMQ_URL", None)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "VAR_DIR", "TICKET_SIGNING_KEY")})
    from lib.tokens import hash_token
    from ticketing import signing

    token, list_token = "ldd_bench_" + uuid.uuid4().hex, "ldd_list_" + uuid.uuid4().hex
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpus; load {os.getloadavg()}")
    t0 = time.perf_counter()
    ids = asyncio.run(reset_and_fill(args.database_url, args.tickets, args.list_tickets, token, list_token))
    event, first, count = ids["bench-door"]
    print(f"data: {count} tickets + {args.list_tickets} (list event) in {time.perf_counter() - t0:.1f}s")
    rng = random.Random(1)
    chosen = rng.sample(range(first, first + count), min(args.codes, count))
    codes = [signing.sign(tid, event) for tid in chosen]

    proc, port, log = start_server(env, args.workers)
    report: dict = {"workers": args.workers, "scanners": args.scanners, "tickets": count}
    try:
        load_generator(port, token, codes[:2000], args.scanners, 3)  # warm-up (pools, caches)
        if args.client == "wrk":
            report["http"] = measured(wrk_load, port, token, codes, args.scanners, args.seconds)
        else:
            report["http"] = measured(load_generator, port, token, codes, args.scanners, args.seconds)
        print("full stack:", json.dumps(report["http"]))
        report["list"] = list_download(port, list_token)
        print("offline list:", json.dumps(report["list"]))
        if not args.skip_chromium:
            report["chromium"] = chromium_verify(port, codes[:2000], signing.public_key_info()["public_key"])
            print("chromium:", json.dumps(report["chromium"]))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if args.compare_http:  # what server/http.py gains: the same run on uvicorn's own protocol
        report["http_stock_protocol"] = stock_protocol_run(env, args, token, codes)
        print("full stack, uvicorn's own protocol:", json.dumps(report["http_stock_protocol"]))
    # The bare Litestar + asyncpg reference, same statement, same workers, same scanners.
    proc, port, log = start_server(env, args.workers, bare=True)
    try:
        load_generator(port, token, chosen[:2000], args.scanners, 3, path="/redeem", key="ticket_id")
        if args.client == "wrk":
            report["bare"] = measured(
                wrk_load, port, token, chosen, args.scanners, args.seconds, path="/redeem", key="ticket_id"
            )
        else:
            report["bare"] = measured(
                load_generator,
                port,
                token,
                chosen,
                args.scanners,
                args.seconds,
                path="/redeem",
                key="ticket_id",
            )
        print("bare litestar+asyncpg:", json.dumps(report["bare"]))
        if args.client == "wrk":
            report["bare_update"] = measured(
                wrk_load, port, token, chosen, args.scanners, args.seconds, path="/update", key="ticket_id"
            )
            print("bare litestar+asyncpg, plain UPDATE:", json.dumps(report["bare_update"]))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # The full stack once more, after the references: the first run follows the data load, and this
    # machine's speed drifts; the two full-stack runs bracket the references.
    proc, port, log = start_server(env, args.workers)
    try:
        load_generator(port, token, codes[:2000], args.scanners, 3)
        run = wrk_load if args.client == "wrk" else load_generator
        report["http_again"] = measured(run, port, token, codes, args.scanners, args.seconds)
        print("full stack, again:", json.dumps(report["http_again"]))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    pg_seconds = max(5, int(args.seconds // 2))
    report["pgbench_update"] = pgbench(
        args.database_url, PGBENCH_UPDATE, args.scanners, pg_seconds, (first, count)
    )
    print("pgbench bare UPDATE:", json.dumps(report["pgbench_update"]))
    report["pgbench_redeem"] = pgbench(
        args.database_url, redeem_script(hash_token(token)), args.scanners, pg_seconds, (first, count)
    )
    print("pgbench redeem statement:", json.dumps(report["pgbench_redeem"]))
    print(f"load after: {os.getloadavg()}")
    print(json.dumps(report))
    shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
