"""Outbox job semantics through the real broker and worker: idempotency, dedup, retries with
backoff, final failure, and the sweep of lost hand-overs and dead workers."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest

from lib import jobs
from lib.db import write_transaction
from lib.mail import build_message, deliver, queue_email
from lib.settings import get_settings
from lib.tables import OutboxJob


async def row(job_id: int) -> dict[str, Any]:
    found = await OutboxJob.select().where(OutboxJob.id == job_id).first()
    assert found is not None
    return found


async def pending_email(to: str, subject: str = "Bonjour") -> int:
    """An email job committed but not handed over (as after a crash)."""
    async with write_transaction():
        job_id = await queue_email(to, subject, "Texte")
    assert job_id is not None
    return job_id


async def settle(seconds: float = 0.4) -> None:
    """Leave time for any duplicate execution to show up before counting messages."""
    await asyncio.sleep(seconds)


@pytest.fixture
def handlers():
    """Register test-only job handlers; they are removed afterwards."""
    added: list[str] = []

    def register(name: str, fn) -> None:
        jobs.job_handler(name)(fn)
        added.append(name)

    yield register
    for name in added:
        jobs._HANDLERS.pop(name, None)


@pytest.fixture
def fast_retries(monkeypatch):
    """Small attempt count and backoff (JOB_MAX_ATTEMPTS / JOB_RETRY_BACKOFF_MS in production)."""
    monkeypatch.setattr(jobs, "MAX_ATTEMPTS", 3)
    for runner in (jobs.run_outbox_job, jobs.run_fast_outbox_job):
        monkeypatch.setitem(runner.options, "min_backoff", 50)


async def test_same_job_executed_twice_sends_one_email(mailbox):
    job_id = await pending_email("twice@example.org")
    # two deliveries of the same message at the same moment
    await asyncio.gather(jobs.execute(job_id), jobs.execute(job_id))
    # and again later (a retried message)
    await jobs.execute(job_id)
    await settle()
    assert len(mailbox.to("twice@example.org")) == 1
    job = await row(job_id)
    assert job["status"] == "done" and job["attempts"] == 1


async def test_same_job_dispatched_twice_through_the_broker_sends_one_email(jobs_worker, mailbox):
    job_id = await pending_email("dispatched-twice@example.org")
    assert await jobs.dispatch([job_id]) == 1
    assert await jobs.dispatch([job_id]) == 0  # already claimed: the second hand-over is refused
    # a duplicate message anyway (e.g. the broker redelivers after a lost ack)
    await anyio.to_thread.run_sync(lambda: jobs.run_outbox_job.send(job_id))
    await anyio.to_thread.run_sync(lambda: jobs.run_outbox_job.send(job_id))
    await jobs.wait_idle()
    await settle()
    assert len(mailbox.to("dispatched-twice@example.org")) == 1
    assert (await row(job_id))["attempts"] == 1


async def test_dedup_key_enqueued_twice_makes_one_job(jobs_worker, mailbox):
    async with jobs.atomic():
        first = await queue_email("dedup@example.org", "Rappel", "Texte", dedup_key="reminder:42")
        again = await queue_email("dedup@example.org", "Rappel", "Texte", dedup_key="reminder:42")
    async with jobs.atomic():
        later = await queue_email("dedup@example.org", "Rappel", "Texte", dedup_key="reminder:42")
    assert first is not None and again is None and later is None

    # two concurrent transactions with the same key: one job, and neither transaction fails
    async def concurrent() -> int | None:
        async with jobs.atomic():
            job_id = await queue_email("dedup@example.org", "Relance", "Texte", dedup_key="reminder:43")
            await asyncio.sleep(0.2)
            return job_id

    results = await asyncio.gather(concurrent(), concurrent())
    assert len([r for r in results if r is not None]) == 1
    await jobs.wait_idle()
    await settle()
    assert await OutboxJob.count() == 2
    assert sorted(m["Subject"] for m in mailbox.to("dedup@example.org")) == ["Rappel", "Relance"]


async def test_failing_handler_is_retried_with_backoff_then_succeeds(
    jobs_worker, mailbox, handlers, fast_retries
):
    calls: list[float] = []

    async def flaky(payload: dict[str, Any]) -> None:
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise ConnectionError(f"SMTP unavailable (attempt {len(calls)})")
        await deliver(build_message(payload))

    handlers("infra_flaky", flaky)
    async with jobs.atomic():
        job_id = await jobs.enqueue(
            "infra_flaky", {"to": "flaky@example.org", "subject": "Enfin", "text": "."}
        )
    await jobs.wait_idle()
    [msg] = mailbox.wait_for("flaky@example.org")
    assert msg["Subject"] == "Enfin"
    job = await row(job_id)
    assert job["status"] == "done" and job["attempts"] == 3
    assert job["last_error"] == "ConnectionError: SMTP unavailable (attempt 2)"
    # dramatiq's exponential backoff: after the n-th failure (n = 0, 1, ...) the retry waits
    # min_backoff * 2**n, jittered up to twice that: 50-100 ms, then 100-200 ms (min_backoff 50 ms)
    gaps = [b - a for a, b in zip(calls, calls[1:], strict=False)]
    # (timers are coarse: allow 20 % below the shortest delay; an immediate retry would be ~0 s)
    assert gaps[0] >= 0.04 and gaps[1] >= 0.08, gaps


async def test_handler_that_always_fails_ends_failed_after_max_attempts(
    jobs_worker, mailbox, handlers, fast_retries
):
    calls: list[int] = []

    async def broken(payload: dict[str, Any]) -> None:
        calls.append(1)
        raise RuntimeError("the printer is on fire")

    handlers("infra_broken", broken)
    async with jobs.atomic():
        job_id = await jobs.enqueue("infra_broken", {})
    await jobs.wait_idle()
    job = await row(job_id)
    assert job["status"] == "failed"
    assert job["attempts"] == 3 and job["max_attempts"] == 3
    assert job["last_error"] == "RuntimeError: the printer is on fire"
    assert job["finished_at"] is not None
    # a failed job is never picked up again
    assert await jobs.sweep() == 0
    await jobs.execute(job_id)
    await settle()
    assert len(calls) == 3


async def test_unknown_handler_in_the_worker_process_fails_visibly(jobs_worker, handlers, fast_retries):
    handlers("infra_gone", lambda payload: None)
    async with write_transaction():
        job_id = await jobs.enqueue("infra_gone", {})
    jobs._HANDLERS.pop("infra_gone")  # a worker process that does not import the handler's module
    await jobs.dispatch([job_id])
    await jobs.wait_idle()
    job = await row(job_id)
    assert job["status"] == "failed"
    assert "no handler for job 'infra_gone'" in job["last_error"]


async def test_sweep_redispatches_jobs_dispatched_long_ago(jobs_worker, mailbox):
    job_id = await pending_email("lost@example.org")
    # the row says "dispatched" but the broker lost the message
    now = datetime.now(UTC)
    await OutboxJob.update({OutboxJob.status: "dispatched", OutboxJob.dispatched_at: now}).where(
        OutboxJob.id == job_id
    )
    assert await jobs.sweep() == 0  # recent: it may still be queued
    await settle(0.2)
    assert mailbox.to("lost@example.org") == []
    await OutboxJob.update(
        {OutboxJob.dispatched_at: now - jobs.REDISPATCH_AFTER - timedelta(seconds=1)}
    ).where(OutboxJob.id == job_id)
    assert await jobs.sweep() == 1
    mailbox.wait_for("lost@example.org")
    await jobs.wait_idle()
    await settle()
    assert len(mailbox.to("lost@example.org")) == 1


async def test_sweep_gives_back_running_jobs_of_a_dead_worker_only(jobs_worker, mailbox):
    dead = await pending_email("dead-worker@example.org")
    alive = await pending_email("live-worker@example.org")
    now = datetime.now(UTC)
    # "dead": claimed by a worker whose heartbeat stopped; "alive": heartbeat just renewed
    for job_id, beat in ((dead, now - jobs.RUNNING_LEASE - timedelta(seconds=1)), (alive, now)):
        await OutboxJob.update(
            {
                OutboxJob.status: "running",
                OutboxJob.attempts: 1,
                OutboxJob.started_at: now - timedelta(hours=1),
                OutboxJob.dispatched_at: beat,
            }
        ).where(OutboxJob.id == job_id)
    assert await jobs.sweep() == 1
    mailbox.wait_for("dead-worker@example.org")
    await settle()
    assert (await row(dead))["status"] == "done" and (await row(dead))["attempts"] == 2
    assert (await row(alive))["status"] == "running"
    assert mailbox.to("live-worker@example.org") == []


async def test_a_long_job_renews_its_heartbeat_and_is_not_stolen(jobs_worker, mailbox, handlers, monkeypatch):
    monkeypatch.setattr(jobs, "RUNNING_LEASE", timedelta(seconds=0.8))
    calls: list[int] = []

    async def slow(payload: dict[str, Any]) -> None:
        calls.append(1)
        await asyncio.sleep(2.0)  # 2.5 leases
        await deliver(build_message(payload))

    handlers("infra_slow", slow)
    async with jobs.atomic():
        job_id = await jobs.enqueue("infra_slow", {"to": "slow@example.org", "subject": "Long", "text": "."})
    for _ in range(8):  # sweeps from other processes while it runs
        await asyncio.sleep(0.25)
        await jobs.sweep()
    await jobs.wait_idle()
    await settle()
    assert len(calls) == 1 and len(mailbox.to("slow@example.org")) == 1
    assert (await row(job_id))["attempts"] == 1


async def test_an_email_does_not_wait_behind_a_queue_of_documents(jobs_worker, mailbox, handlers):
    """A sign-in link asked for during a rush of confirmations (PDFs to render) goes out next, not
    after them: send_email is in the fast lane."""
    finished: list[int] = []

    async def render(payload: dict[str, Any]) -> None:
        await asyncio.sleep(0.4)  # a PDF to build
        finished.append(payload["n"])

    handlers("infra_render", render)
    async with jobs.atomic():
        for n in range(8):
            await jobs.enqueue("infra_render", {"n": n})
    async with jobs.atomic():
        await queue_email("waiting@example.org", "Votre lien de connexion", "Le lien")
    await anyio.to_thread.run_sync(lambda: mailbox.wait_for("waiting@example.org"))
    # two worker threads: in the same lane the email would come after all eight (1.6 s of work)
    assert len(finished) <= 4, finished
    await jobs.wait_idle()
    assert sorted(finished) == list(range(8))


async def test_a_job_whose_broker_message_was_lost_goes_once_a_later_one_has_started(jobs_worker, mailbox):
    """A worker killed with a message it had taken (Redis) loses it; the outbox sees the job overtaken
    by a later one of its lane and hands it over again at the next sweep, not 10 minutes later."""
    lost = await pending_email("lost@example.org", "Votre billet")
    long_ago = datetime.now(UTC) - timedelta(minutes=2)
    await OutboxJob.update({OutboxJob.status: "dispatched", OutboxJob.dispatched_at: long_ago}).where(
        OutboxJob.id == lost
    )  # handed over, its message gone with the worker
    await jobs.sweep()
    await settle()
    assert (await row(lost))["status"] == "dispatched"  # nothing later has run: it may still be queued
    async with jobs.atomic():
        await queue_email("later@example.org", "Votre lien", "Le lien")
    mailbox.wait_for("later@example.org")
    await jobs.sweep()
    [msg] = mailbox.wait_for("lost@example.org")
    assert msg["Subject"] == "Votre billet"
    await jobs.wait_idle()
    await settle()
    assert len(mailbox.to("lost@example.org")) == 1


async def test_the_polling_worker_takes_a_few_jobs_ahead_and_an_email_first(mailbox, handlers):
    """The embedded job worker process (serve's) polls the outbox: behind a backlog of confirmations
    it holds only a few of them in memory, and an email written meanwhile is the next one it takes."""
    finished: list[int] = []

    async def render(payload: dict[str, Any]) -> None:
        await asyncio.sleep(0.15)  # a PDF to build
        finished.append(payload["n"])

    handlers("infra_render", render)
    async with write_transaction():  # committed, left in the outbox as serve's web processes leave them
        for n in range(20):
            await jobs.enqueue("infra_render", {"n": n})
    worker = jobs.EmbeddedWorker(sweep_seconds=3600, threads=2, poll_seconds=0.05)
    await worker.start()
    try:
        handed_over = []
        for _ in range(6):
            await asyncio.sleep(0.1)
            handed_over.append(
                await OutboxJob.count().where(OutboxJob.status.is_in(["dispatched", "running"]))
            )
        assert 0 < max(handed_over) <= worker.ahead == 4, handed_over
        async with write_transaction():
            await queue_email("waiting@example.org", "Votre lien de connexion", "Le lien")
        before = len(finished)
        await anyio.to_thread.run_sync(lambda: mailbox.wait_for("waiting@example.org"))
        # the four already taken may finish first; in order of writing it would come after all twenty
        assert len(finished) - before <= worker.ahead, (before, finished)
        await jobs.wait_idle()
        assert sorted(finished) == list(range(20))
    finally:
        await worker.stop()


async def test_nested_atomic_dispatches_after_the_outermost_commit(jobs_worker, mailbox):
    async with jobs.atomic():
        async with jobs.atomic():
            job_id = await queue_email("nested@example.org", "Imbriqué", "Texte")
        await settle(0.3)
        # the inner block has ended but nothing is committed yet: not handed over
        assert (await row(job_id))["status"] == "pending"
    mailbox.wait_for("nested@example.org")


async def test_atomic_inside_a_transaction_it_did_not_open_leaves_jobs_to_the_sweep(
    jobs_worker, mailbox, caplog
):
    async with write_transaction():
        async with jobs.atomic():
            job_id = await queue_email("inner@example.org", "Intérieur", "Texte")
    # the outer transaction committed after atomic() ended: handing over earlier would have let a
    # worker look for a row it cannot see yet
    assert (await row(job_id))["status"] == "pending"
    assert f"jobs [{job_id}] go out with the next sweep" in caplog.text
    assert await jobs.sweep() == 1
    mailbox.wait_for("inner@example.org")


async def test_rolled_back_transaction_sends_nothing(jobs_worker, mailbox):
    with pytest.raises(RuntimeError):
        async with jobs.atomic():
            await queue_email("rollback@example.org", "Jamais", "Texte")
            raise RuntimeError("validation failed after the email was queued")
    await settle()
    assert await OutboxJob.count() == 0
    assert mailbox.to("rollback@example.org") == []


async def test_job_latency_from_commit_to_smtp(jobs_worker, mailbox):
    """Commit -> message accepted by the SMTP server, through the real broker and worker."""
    samples = []
    for i in range(5):
        start = time.monotonic()
        async with jobs.atomic():
            await queue_email(f"latency{i}@example.org", "Latence", "Texte")
        await anyio.to_thread.run_sync(lambda i=i: mailbox.wait_for(f"latency{i}@example.org"))
        samples.append(time.monotonic() - start)
    print(
        f"commit->SMTP latency ({jobs.broker.__class__.__name__}): "
        + ", ".join(f"{s * 1000:.0f} ms" for s in samples)
    )
    assert max(samples) < 5


ALWAYS_FAILING_IN_A_PROCESS = """
import asyncio
from lib import jobs

@jobs.job_handler("infra_env_broken")
async def broken(payload):
    raise RuntimeError("still broken")

async def main():
    worker = jobs.EmbeddedWorker()
    await worker.start()
    async with jobs.atomic():
        await jobs.enqueue("infra_env_broken", {})
    await jobs.wait_idle(30)
    await worker.stop()
    print("OPTIONS", jobs.run_outbox_job.options["min_backoff"], worker.sweep_seconds)

asyncio.run(main())
"""


async def test_attempts_backoff_and_sweep_period_come_from_the_environment():
    from tests.processes import child_env, run_python

    env = child_env(JOB_MAX_ATTEMPTS="2", JOB_RETRY_BACKOFF_MS="10", JOB_SWEEP_SECONDS="7")
    result = run_python(ALWAYS_FAILING_IN_A_PROCESS, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "OPTIONS 10 7.0" in result.stdout
    [job] = await OutboxJob.select()
    assert job["status"] == "failed" and job["attempts"] == 2 and job["max_attempts"] == 2
    assert job["last_error"] == "RuntimeError: still broken"


@pytest.mark.postgres_only("connection pools")
async def test_job_threads_reuse_their_connections_and_close_them_when_stopped(handlers, monkeypatch):
    """Each worker thread keeps one loop and a small pool for all its jobs (a connection per query
    would cost a PostgreSQL connection set-up each); stopping the worker closes them."""
    monkeypatch.setenv("DB_POOL", "1")  # as `serve` runs (the suite runs without pools)
    get_settings.cache_clear()
    backends: list[int] = []

    async def probe(payload: dict[str, Any]) -> None:
        rows = await OutboxJob.raw("SELECT pg_backend_pid() AS pid")
        backends.append(rows[0]["pid"])

    handlers("infra_probe", probe)
    worker = jobs.EmbeddedWorker(sweep_seconds=3600, threads=2)
    await worker.start()
    try:
        async with jobs.atomic():
            for n in range(20):
                await jobs.enqueue("infra_probe", {"n": n})
        await jobs.wait_idle()
    finally:
        await worker.stop()
        monkeypatch.undo()
        get_settings.cache_clear()
    assert len(backends) == 20
    assert len(set(backends)) <= 2 * 3, backends  # two threads, at most three connections each

    deadline = time.monotonic() + 5
    while alive := await OutboxJob.raw(
        "SELECT pid FROM pg_stat_activity WHERE pid = ANY({})", sorted(set(backends))
    ):
        assert time.monotonic() < deadline, f"connections still open after the worker stopped: {alive}"
        await asyncio.sleep(0.05)
