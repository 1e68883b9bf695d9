"""Worker kills during a rush: N SIGKILLs of the job worker while buyers order free tickets.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<bench db> REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/worker_kills.py [--orders 200] [--kills 20] [--broker redis|rabbitmq]

The scale deployment on this machine: `serve --workers 2` with EMBEDDED_WORKER=0 and the broker, one
`python -m server.cli worker` that this script kills with SIGKILL every --every seconds and starts
again at once (as systemd would), an SMTP sink on loopback that notes when each email arrives. Each
order's confirmation (PDF tickets, QR codes, .ics) is two jobs (build, then send). Reports emails
lost, sent twice, and the worst delay charged to a worker's death (arrival minus the later of the
order and the last kill before the arrival). WARNING: the database's public schema is recreated.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ticket_rush import ROOT, free_port, migrate, reset_schema, seed, wait_http  # noqa: E402


class Sink:
    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str, str]] = []  # (time, To, Message-ID)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.arrivals.append((time.time(), str(msg["To"]), str(msg["Message-ID"])))
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--every", type=float, default=1.5, help="seconds between kills")
    parser.add_argument("--broker", choices=["redis", "rabbitmq"], default="redis")
    parser.add_argument("--deadline", type=float, default=120, help="seconds to wait after the last kill")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at a PostgreSQL database (its public schema is recreated)")
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    tmp = Path(tempfile.mkdtemp(prefix="worker-kills-"))
    broker = {
        "redis": ("REDIS_URL", os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/7"),
        "rabbitmq": ("RABBITMQ_URL", os.environ.get("RABBITMQ_URL") or "amqp://guest:guest@127.0.0.1:5672/"),
    }[args.broker]
    env = {
        **os.environ,
        "VAR_DIR": str(tmp / "var"),
        "DB_POOL": "1",
        "EMBEDDED_WORKER": "0",
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "BASE_URL": "http://127.0.0.1",
        "PYTHONUNBUFFERED": "1",
        "BROKER_NAMESPACE": os.environ.get("BROKER_NAMESPACE") or f"bench-kills-{os.getpid()}",
        "ORDER_RATE_PER_IP_PER_HOUR": str(10**6),
        "HOLD_MAX_PER_IP": str(10**6),
        "HOLD_MAX_SHARE_PERCENT": "100",
        "MAIL_RATE_PER_ADDRESS_PER_HOUR": str(10**6),
    }
    env.pop("REDIS_URL", None)
    env.pop("RABBITMQ_URL", None)
    env[broker[0]] = broker[1]
    procs: list[subprocess.Popen[bytes]] = []
    log = open(tmp / "processes.log", "w")  # noqa: SIM115

    def start_worker() -> subprocess.Popen[bytes]:
        p = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "worker", "--threads", "2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        procs.append(p)
        return p

    ordered: dict[str, float] = {}
    kills: list[float] = []
    try:
        asyncio.run(reset_schema(database_url))
        migrate()
        event_id, type_id = asyncio.run(seed(database_url, args.orders, 0))
        port = free_port()
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                 "--workers", "2"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/schema/openapi.json")
        worker = start_worker()
        time.sleep(3)

        def killer() -> None:
            nonlocal worker
            for _ in range(args.kills):
                time.sleep(args.every)
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                kills.append(time.time())
                worker = start_worker()

        thread = threading.Thread(target=killer)
        thread.start()
        spacing = args.kills * args.every / args.orders  # orders spread over the kills
        with httpx.Client(base_url=base, timeout=60) as http:
            http.get("/schema/openapi.json")
            headers = {"x-csrftoken": http.cookies.get("csrftoken") or ""}
            for i in range(args.orders):
                email = f"buyer{i}@example.org"
                body = {
                    "buyer": {"name": f"Buyer {i}", "email": email},
                    "items": [{"ticket_type": type_id, "quantity": 1}],
                }
                r = http.post(f"/api/events/{event_id}/orders", json=body, headers=headers)
                if r.status_code != 201:
                    print("order refused", r.status_code, r.text[:200])
                    continue
                ordered[email] = time.time()
                time.sleep(spacing)
        thread.join()
        deadline = kills[-1] + args.deadline
        while time.time() < deadline:
            with sink.lock:
                got = {to for _, to, _ in sink.arrivals}
            if len(got) >= len(ordered):
                break
            time.sleep(0.2)
        time.sleep(3)  # a late second copy
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
        controller.stop()

    by_to: dict[str, list[float]] = {}
    for at, to, _mid in sink.arrivals:
        by_to.setdefault(to, []).append(at)
    lost = [e for e in ordered if e not in by_to]
    twice = {e: len(v) for e, v in by_to.items() if len(v) > 1}
    worst = 0.0
    worst_from_order = 0.0
    for email, at_order in ordered.items():
        if email not in by_to:
            continue
        arrived = min(by_to[email])
        start = max([at_order, *[k for k in kills if k < arrived]])
        worst = max(worst, arrived - start)
        worst_from_order = max(worst_from_order, arrived - at_order)
    print(f"broker={args.broker} orders={len(ordered)} kills={len(kills)} every={args.every}s")
    print(
        f"emails lost={len(lost)} twice={len(twice)} worst delay after a death={worst:.1f}s "
        f"worst order->SMTP={worst_from_order:.1f}s"
    )
    if lost:
        print("lost:", lost[:10])
    sys.exit(0 if not lost and worst <= 60 else 1)


if __name__ == "__main__":
    main()
