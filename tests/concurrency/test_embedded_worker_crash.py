"""The embedded default under `serve`: the job worker (PDF tickets, QR codes, email) is a process of its
own that `serve` supervises. Killed with SIGKILL in the middle of a confirmation, it is started again;
the confirmation it was building goes out exactly once and the next order's email still arrives."""

# ruff: noqa: ASYNC212, ASYNC251 (the test drives real processes with blocking calls on purpose)
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time

import httpx

from lib.tables import OutboxJob
from tests.conftest import free_port
from tests.processes import Child, alive, child_env, children_of, wait_until_serving
from tests.ticketing.factories import make_event, make_type


def job_workers_of(server_pid: int, count: int = 2, timeout: float = 60) -> set[int]:
    """serve's `count` job worker processes (JOB_WORKER_PROCESSES), once they are all up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = {pid for pid in children_of(server_pid) if "worker --embedded" in alive(pid)}
        if len(workers) == count:
            return workers
        time.sleep(0.05)
    raise AssertionError(f"not {count} job worker processes under serve")


def order(http: httpx.Client, event_id: int, type_id: int, email: str) -> dict:
    token = http.cookies.get("csrftoken") or ""
    r = http.post(
        f"/api/events/{event_id}/orders",
        json={
            "buyer": {"name": "Zoé Élise", "email": email},
            "items": [{"ticket_type": type_id, "quantity": 2}],
            "attendees": [{"name": "Zoé Élise"}, {"name": "Jean Dupré"}],
        },
        headers={"x-csrftoken": token},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_killed_job_worker_is_restarted_and_its_job_completes_once(children, mailbox):
    event = await make_event(50)
    free = await make_type(event, "Adhérent", 0, name_en="Member")
    # A short lease so the killed run is given back quickly (the default is 30 s).
    # the embedded default: no broker (CI's PostgreSQL pass sets REDIS_URL for the other tests)
    env = child_env(
        DB_POOL="1",
        JOB_RUNNING_LEASE_SECONDS="3",
        ORDER_RATE_PER_IP_PER_HOUR="1000",
        REDIS_URL=None,
        RABBITMQ_URL=None,
        EMBEDDED_WORKER=None,
        JOB_WORKER_PROCESSES="2",
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = children(
        ["-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env,
        name="serve",
    )
    wait_until_serving(base, server)
    first_workers = job_workers_of(server.proc.pid)
    web = children_of(server.proc.pid) - first_workers  # the web processes (and multiprocessing's helper)
    assert len(web) >= 2
    # Their PDFs and emails give way to the web processes' answers (JOB_WORKER_NICE).
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in first_workers} == {10}
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in web} == {0}

    with httpx.Client(base_url=base, timeout=20) as http:
        http.get("/schema/openapi.json")
        order(http, event.id, free.id, "avant@example.org")
        mailbox.wait_for("avant@example.org")  # the job worker process sends it

        # Kill the job worker while it builds a confirmation (PDF tickets with QR codes).
        order(http, event.id, free.id, "pendant@example.org")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            running = await OutboxJob.select(OutboxJob.id).where(
                (OutboxJob.status == "running") & (OutboxJob.actor == "ticketing.order_email")
            )
            if running:
                break
            await asyncio.sleep(0.005)
        assert running, "the confirmation job never ran"
        killed_job = running[0]["id"]
        for pid in first_workers:  # both: the one running it, and the one that could take it over
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        second_workers = set()
        while time.monotonic() < deadline and (not second_workers or second_workers & first_workers):
            await asyncio.sleep(0.1)
            second_workers = job_workers_of(server.proc.pid)
        assert second_workers and not second_workers & first_workers
        assert server.output().count("job worker process exited") == 2

        # The web processes were not touched and go on answering.
        assert children_of(server.proc.pid) - second_workers == web
        order(http, event.id, free.id, "apres@example.org")
        [after] = mailbox.wait_for("apres@example.org", timeout=20)
        assert after["Subject"]

        # The confirmation that was being built when the worker died goes out once its lease expires.
        [during] = mailbox.wait_for("pendant@example.org", timeout=30)
        await asyncio.sleep(2)  # a second copy would be here by now
    assert len(mailbox.to("pendant@example.org")) == 1
    assert len(mailbox.to("avant@example.org")) == 1
    row = await OutboxJob.select().where(OutboxJob.id == killed_job).first()
    assert row["status"] == "done" and row["attempts"] == 2
    pdfs = [a for a in during.iter_attachments() if a.get_content_type() == "application/pdf"]
    assert pdfs and pdfs[0].get_content()[:5] == b"%PDF-"
    assert server.stop(signal.SIGTERM) == 0
    time.sleep(0.5)
    assert not any(alive(pid) for pid in second_workers)


def test_a_job_worker_whose_serve_died_while_it_started_exits(tmp_path):
    """serve killed while its job worker process is still starting: the worker, adopted by init before
    it could note its parent, still sees that serve is gone (JOB_WORKER_PARENT) and exits instead of
    polling the outbox for ever."""
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that was serve's and is no more
    env = child_env(REDIS_URL=None, RABBITMQ_URL=None, JOB_WORKER_PARENT=str(dead.pid))
    worker = Child(["-m", "server.cli", "worker", "--embedded", "--threads", "1"], env, tmp_path / "w.log")
    try:
        worker.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.stop(signal.SIGKILL)
        raise AssertionError(f"the orphaned job worker kept running:\n{worker.output()[-2000:]}") from None
    assert worker.proc.returncode == 0, worker.output()[-2000:]
    assert "worker stopped" in worker.output()
