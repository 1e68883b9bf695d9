"""`python -m server.cli serve --workers 2` on the test database: pages, /schema, the .ics feed,
sessions and CSRF across the two worker processes, emails sent by the served app's job worker,
clean shutdown. Also the embedded default (in-process worker) and the scale mode (Redis broker,
EMBEDDED_WORKER=0, a separate worker process)."""

from __future__ import annotations

import signal
import time

import httpx
import pytest

from tests.conftest import free_port
from tests.processes import (
    REDIS_URL,
    alive,
    child_env,
    children_of,
    purge_broker,
    reachable,
    run_cli,
    run_python,
    wait_until_serving,
)

PASSWORD = "correct horse battery staple"


@pytest.fixture(params=["embedded", "redis-workers"])
def mode(request) -> str:
    if request.param == "redis-workers":
        if not reachable(REDIS_URL, 6379):
            pytest.skip(f"redis is not reachable at {REDIS_URL}")
        purge_broker("redis")
        request.addfinalizer(lambda: purge_broker("redis"))
    return request.param


def test_served_app_with_two_workers(mode, children, mailbox):
    if mode == "embedded":
        # the test run's database and broker; embedded job worker in each web process; the asyncpg
        # pool on as in production (the job threads must not use the web loop's pool)
        env = child_env(DB_POOL="1")
    else:
        env = child_env(
            REDIS_URL=REDIS_URL, RABBITMQ_URL=None, EMBEDDED_WORKER="0", DB_POOL="1", JOB_SWEEP_SECONDS="1"
        )
        worker = children(["-m", "server.cli", "worker", "--threads", "2"], env, name="worker")
        worker.wait_for_output("worker running on RedisBroker")
    created = run_cli(
        "create-admin",
        "--email",
        "chef@ledamier.test",
        "--name",
        "Chef de projet",
        "--password",
        PASSWORD,
        env=env,
    )
    assert created.returncode == 0, created.stderr[-3000:]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = children(
        ["-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env,
        name="serve",
    )
    wait_until_serving(base, server)
    # every request on a new connection, so they spread over both worker processes
    with httpx.Client(base_url=base, limits=httpx.Limits(max_keepalive_connections=0), timeout=20) as http:
        schema = http.get("/schema/openapi.json")
        assert schema.status_code == 200
        assert schema.json()["info"]["title"] == "LE DAMIER events API"
        token = http.cookies.get("csrftoken")
        assert token, "no CSRF cookie on the first response"

        home = http.get("/")
        assert home.status_code == 200 and "text/html" in home.headers["content-type"]
        if "/calendar/events.ics" in schema.json()["paths"]:
            feed = http.get("/calendar/events.ics")
            assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
            assert feed.text.startswith("BEGIN:VCALENDAR")

        # the CSRF cookie from one response is accepted by whichever worker serves the next requests
        login = http.post(
            "/api/auth/login",
            json={"email": "chef@ledamier.test", "password": PASSWORD},
            headers={"x-csrftoken": token},
        )
        assert login.status_code == 200, login.text
        for _ in range(12):  # the session (a database row) is known to both processes
            me = http.get("/api/auth/me")
            assert me.status_code == 200, me.text
            assert me.json()["staff"]["email"] == "chef@ledamier.test"
        # signing in issued a CSRF token tied to the new session; the visitor's one no longer works
        assert http.cookies.get("csrftoken") != token
        stale = http.post("/api/auth/link", json={"email": "x@example.org"}, headers={"x-csrftoken": token})
        assert stale.status_code == 403
        token = http.cookies.get("csrftoken")
        # CSRF is enforced: no header, no write
        assert http.post("/api/auth/logout").status_code == 403
        for _ in range(3):
            link = http.post(
                "/api/auth/link", json={"email": "visiteur@example.org"}, headers={"x-csrftoken": token}
            )
            assert link.status_code == 202, link.text
    # the served app's jobs reach the SMTP server (embedded worker, or the separate worker process)
    mailbox.wait_for("visiteur@example.org", count=3)

    workers = children_of(server.proc.pid)
    assert len(workers) >= 2, workers
    assert server.stop(signal.SIGTERM) == 0
    log = server.output()
    assert log.count("Finished server process") == 2, log[-3000:]
    time.sleep(0.5)
    left = {pid: alive(pid) for pid in workers}
    assert not [pid for pid, info in left.items() if info], left
    if mode == "redis-workers":
        assert worker.stop() == 0 and "worker stopped" in worker.output()


def test_served_app_freezes_its_startup_objects():
    """`serve` runs server.app:serve_app: once started, the objects loaded at startup are frozen out
    of the garbage collector (a full collection walked ~180,000 of them: 150-180 ms stalls under
    load); create_app, which tests use, leaves the collector alone."""
    code = """
import gc
from litestar.testing import TestClient
from server import app as server_app
for factory in (server_app.create_app, server_app.serve_app):
    with TestClient(factory()) as client:
        assert client.get("/schema/openapi.json").status_code == 200
        print(factory.__name__, gc.get_freeze_count())
"""
    result = run_python(code, child_env(REDIS_URL=None, RABBITMQ_URL=None, EMBEDDED_WORKER="0"))
    assert result.returncode == 0, result.stderr[-3000:]
    counts = dict(line.split() for line in result.stdout.split("\n") if line.strip())
    assert int(counts["create_app"]) == 0
    assert int(counts["serve_app"]) > 50_000
