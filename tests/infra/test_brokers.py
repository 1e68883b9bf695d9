"""Scale mode: Redis or RabbitMQ broker, jobs enqueued by one process and run by separate
`python -m server.cli worker` processes; hand-overs that failed while the broker was down are
re-dispatched by the workers' periodic sweep."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.tables import OutboxJob
from tests.processes import (
    RABBITMQ_URL,
    REDIS_URL,
    child_env,
    closed_port,
    purge_broker,
    reachable,
    run_python,
)

ENQUEUE = """
import asyncio, time
from lib import jobs
from lib.mail import queue_email
from lib.tables import OutboxJob

async def main():
    async with jobs.atomic():
        job_id = await queue_email({to!r}, "Séance de speed-meeting — MIMA 2027", "Votre créneau : 14 h 20.")
    committed = time.time()
    status = await OutboxJob.select(OutboxJob.status).where(OutboxJob.id == job_id).first()
    print("QUEUED", job_id, status["status"], jobs.broker.__class__.__name__, jobs.broker_namespace(), committed)

asyncio.run(main())
"""


def broker_env(kind: str, url: str | None = None, **extra: str) -> dict[str, str]:
    """A process of the scale deployment: no embedded worker, the asyncpg pool on (as in production)."""
    broker = {"REDIS_URL": None, "RABBITMQ_URL": None}
    broker["REDIS_URL" if kind == "redis" else "RABBITMQ_URL"] = url or (
        REDIS_URL if kind == "redis" else RABBITMQ_URL
    )
    return child_env(EMBEDDED_WORKER="0", DB_POOL="1", JOB_SWEEP_SECONDS="0.5", **broker, **extra)


def namespace() -> str:
    from lib.jobs import broker_namespace

    return broker_namespace()


@pytest.fixture(params=["redis", "rabbitmq"])
def broker_kind(request) -> Iterator[str]:
    kind = request.param
    url, port = (REDIS_URL, 6379) if kind == "redis" else (RABBITMQ_URL, 5672)
    if not reachable(url, port):
        pytest.skip(f"{kind} is not reachable at {url}")
    purge_broker(kind)
    yield kind
    purge_broker(kind)


def start_worker(children, kind: str):
    worker = children(
        ["-m", "server.cli", "worker", "--threads", "2"], broker_env(kind), name=f"worker-{kind}"
    )
    worker.wait_for_output("worker running on")
    return worker


def enqueue(kind: str, to: str, url: str | None = None) -> tuple[int, str, float, str]:
    result = run_python(ENQUEUE.format(to=to), broker_env(kind, url))
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("QUEUED"))
    _, job_id, status, broker_class, ns, committed = line.split()
    assert broker_class == ("RedisBroker" if kind == "redis" else "RabbitmqBroker")
    assert ns == namespace()
    return int(job_id), status, float(committed), result.stderr


async def delivered(mailbox, to: str, worker, job_id: int) -> list:
    """The messages to this address, or a failure that shows the worker's log and the job's row."""
    try:
        return mailbox.wait_for(to, timeout=30)
    except AssertionError as exc:
        job = await OutboxJob.select().where(OutboxJob.id == job_id).first()
        raise AssertionError(f"{exc}\njob: {job}\nworker log:\n{worker.output()[-4000:]}") from None


async def finished(job_id: int, timeout: float = 15.0) -> dict:
    """The job's row once the worker has recorded its end: the email leaves before the worker commits
    "done", so right after delivery the row may still say "running"."""
    deadline = time.monotonic() + timeout
    while True:
        job = await OutboxJob.select().where(OutboxJob.id == job_id).first()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        await asyncio.sleep(0.05)


async def test_separate_worker_process_runs_jobs_from_another_process(broker_kind, children, mailbox):
    worker = start_worker(children, broker_kind)
    assert f"namespace {namespace()!r}" in worker.output()
    job_id, status, committed, _ = enqueue(broker_kind, "worker@example.org")
    assert status in ("dispatched", "running", "done")  # handed over (the worker may be on it already)
    [msg] = await delivered(mailbox, "worker@example.org", worker, job_id)
    elapsed = time.time() - committed
    assert msg["Subject"] == "Séance de speed-meeting — MIMA 2027"
    job = await finished(job_id)
    assert job["status"] == "done" and job["attempts"] == 1
    print(f"{broker_kind}: commit in one process -> SMTP from the worker process <= {elapsed * 1000:.0f} ms")

    assert worker.stop() == 0
    assert "worker stopped" in worker.output()


async def test_worker_redispatches_jobs_whose_hand_over_failed_while_the_broker_was_down(
    broker_kind, children, mailbox
):
    worker = start_worker(children, broker_kind)
    down = (
        f"redis://127.0.0.1:{closed_port()}/0"
        if broker_kind == "redis"
        else f"amqp://guest:guest@127.0.0.1:{closed_port()}/?connection_attempts=1&retry_delay=0"
    )
    job_id, status, committed, log = enqueue(broker_kind, "broker-down@example.org", url=down)
    # committed, but the broker refused it: left pending (the worker's sweep may already have it)
    assert f"could not hand job {job_id} to the broker" in log
    assert status in ("pending", "dispatched", "running", "done")
    await delivered(mailbox, "broker-down@example.org", worker, job_id)
    delay = time.time() - committed
    print(f"{broker_kind}: failed hand-over delivered by the worker's sweep {delay:.2f} s after commit")
    job = await finished(job_id)
    assert job["status"] == "done" and job["attempts"] == 1
    assert worker.stop() == 0


def test_namespace_is_one_per_database(tmp_path: Path):
    code = """
from lib.settings import get_settings
from lib import jobs
import os
for env in ({envs}):
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    get_settings.cache_clear()
    print(jobs.broker_namespace())
"""
    envs = [
        {"DATABASE_URL": "postgresql://app:secret@db.internal:5432/ledamier"},
        {"DATABASE_URL": "postgresql://worker:other@db.internal/ledamier"},  # same database
        {"DATABASE_URL": "postgresql://app:secret@db.internal:5432/ledamier_staging"},
        {"SQLITE_PATH": str(tmp_path / "a.sqlite3")},
        {"SQLITE_PATH": str(tmp_path / "b.sqlite3")},
        {"SQLITE_PATH": str(tmp_path / "b.sqlite3"), "BROKER_NAMESPACE": "le damier/prod"},
    ]
    result = run_python(code.format(envs=", ".join(map(repr, envs))), child_env(BROKER_NAMESPACE=""))
    assert result.returncode == 0, result.stderr
    prod, prod_again, staging, a, b, explicit = result.stdout.split()
    assert prod == prod_again and prod.startswith("ledamier-ledamier-")
    assert len({prod, staging, a, b}) == 4
    assert explicit == "le_damier_prod"
