"""Background jobs: a durable outbox table in front of dramatiq.

A service writes an OutboxJob row in the same transaction as the change that causes it
(`enqueue`). After the commit the job id is handed to the broker (`atomic` does this for you).
A dramatiq actor claims the row with one conditional UPDATE, runs the registered handler and
marks it done, so a job handed over twice (a retry, a replay after a crash, two web workers
sweeping at once) runs its handler once. Jobs whose hand-over was lost (the process died between
commit and dispatch, or the in-memory broker died with it) are re-dispatched at start-up and by a
periodic sweep.

Brokers: REDIS_URL -> Redis, RABBITMQ_URL -> RabbitMQ, neither -> in-memory StubBroker with an
in-process worker (the embedded default). Run `python -m server.cli worker` for separate workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import dramatiq
from dramatiq.brokers.stub import StubBroker

from server.db import write_transaction
from server.settings import get_settings
from server.tables import OutboxJob

log = logging.getLogger(__name__)

# Modules that register job handlers; imported by every process that runs jobs.
HANDLER_MODULES: list[str] = ["server.mail"]

Handler = Callable[[dict[str, Any]], Awaitable[None]]
_HANDLERS: dict[str, Handler] = {}
_pending_ids: ContextVar[list[int] | None] = ContextVar("_pending_ids", default=None)

QUEUE = "default"
STALE_RUNNING = timedelta(minutes=15)
REDISPATCH_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 5


def job_handler(name: str) -> Callable[[Handler], Handler]:
    """Register an async handler for outbox jobs of this name. Handlers must be idempotent."""

    def decorator(fn: Handler) -> Handler:
        _HANDLERS[name] = fn
        return fn

    return decorator


def _load_handlers() -> None:
    for module in HANDLER_MODULES:
        importlib.import_module(module)


def _make_broker() -> dramatiq.Broker:
    settings = get_settings()
    if settings.broker_kind == "redis":
        from dramatiq.brokers.redis import RedisBroker

        namespace = f"ledamier-{settings.var_dir.name}" if settings.var_dir.name != "var" else "ledamier"
        return RedisBroker(url=settings.redis_url, namespace=namespace)
    if settings.broker_kind == "rabbitmq":
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=settings.rabbitmq_url)
    return StubBroker()


broker = _make_broker()
dramatiq.set_broker(broker)


@dramatiq.actor(
    actor_name="run_outbox_job", queue_name=QUEUE, max_retries=3, min_backoff=500, max_backoff=5000
)
def run_outbox_job(job_id: int) -> None:
    asyncio.run(execute(job_id))


async def enqueue(actor: str, payload: dict[str, Any], dedup_key: str | None = None) -> int | None:
    """Write a job row. Call inside the transaction of the change that causes it.

    With a dedup_key, a second enqueue of the same key is ignored (returns None).
    """
    if actor not in _HANDLERS:
        _load_handlers()
    if actor not in _HANDLERS:
        raise ValueError(f"unknown job {actor!r}")
    if dedup_key is not None:
        exists = await OutboxJob.exists().where(OutboxJob.dedup_key == dedup_key)
        if exists:
            return None
    rows = await OutboxJob.insert(
        OutboxJob(actor=actor, payload=payload, dedup_key=dedup_key, max_attempts=MAX_ATTEMPTS)
    ).returning(OutboxJob.id)
    job_id = rows[0]["id"]
    pending = _pending_ids.get()
    if pending is not None:
        pending.append(job_id)
    return job_id


@contextlib.asynccontextmanager
async def atomic() -> AsyncIterator[Any]:
    """A write transaction whose enqueued jobs are dispatched once it has committed."""
    ids: list[int] = []
    token = _pending_ids.set(ids)
    try:
        async with write_transaction() as txn:
            yield txn
    finally:
        _pending_ids.reset(token)
    if ids:
        await dispatch(ids)


async def dispatch(ids: list[int]) -> int:
    """Hand jobs to the broker; each row is claimed first so only one process sends it."""
    now = datetime.now(UTC)
    sent = 0
    for job_id in ids:
        claimed = (
            await OutboxJob.update({OutboxJob.status: "dispatched", OutboxJob.dispatched_at: now})
            .where((OutboxJob.id == job_id) & (OutboxJob.status == "pending"))
            .returning(OutboxJob.id)
        )
        if claimed:
            await _send(job_id)
            sent += 1
    return sent


async def _send(job_id: int) -> None:
    try:
        await anyio.to_thread.run_sync(lambda: run_outbox_job.send(job_id))
    except Exception:  # broker down: leave it for the sweep
        log.exception("could not hand job %s to the broker", job_id)
        await OutboxJob.update({OutboxJob.status: "pending"}).where(OutboxJob.id == job_id)


async def sweep(*, lost_in_memory: bool = False) -> int:
    """Re-dispatch jobs whose hand-over was lost. Returns how many were sent.

    lost_in_memory: the broker is in-process memory that died with the previous process,
    so everything not finished is handed over again (start-up of the embedded mode).
    """
    now = datetime.now(UTC)
    # A worker that died mid-job leaves it running: give it back after STALE_RUNNING.
    await OutboxJob.update({OutboxJob.status: "pending"}).where(
        (OutboxJob.status == "running") & (OutboxJob.started_at < now - STALE_RUNNING)
    )
    if lost_in_memory:
        await OutboxJob.update({OutboxJob.status: "pending"}).where(
            OutboxJob.status.is_in(["dispatched", "running"])
        )
    else:
        await OutboxJob.update({OutboxJob.status: "pending"}).where(
            (OutboxJob.status == "dispatched") & (OutboxJob.dispatched_at < now - REDISPATCH_AFTER)
        )
    rows = await OutboxJob.select(OutboxJob.id).where(OutboxJob.status == "pending").order_by(OutboxJob.id)
    return await dispatch([r["id"] for r in rows])


async def execute(job_id: int) -> None:
    """Run one job (called by the dramatiq actor). Idempotent: a finished job is never run again."""
    _load_handlers()
    now = datetime.now(UTC)
    claimed = (
        await OutboxJob.update(
            {
                OutboxJob.status: "running",
                OutboxJob.started_at: now,
                OutboxJob.attempts: OutboxJob.attempts + 1,
            }
        )
        .where((OutboxJob.id == job_id) & OutboxJob.status.is_in(["pending", "dispatched"]))
        .returning(OutboxJob.actor, OutboxJob.payload, OutboxJob.attempts, OutboxJob.max_attempts)
    )
    if not claimed:
        return  # already done, running elsewhere, or failed for good
    row = claimed[0]
    handler = _HANDLERS[row["actor"]]
    payload = row["payload"]
    if isinstance(payload, str):
        import json

        payload = json.loads(payload)
    try:
        await handler(payload)
    except Exception as exc:
        final = row["attempts"] >= row["max_attempts"]
        await OutboxJob.update(
            {
                OutboxJob.status: "failed" if final else "dispatched",
                OutboxJob.last_error: f"{type(exc).__name__}: {exc}"[:2000],
                OutboxJob.dispatched_at: datetime.now(UTC),
            }
        ).where(OutboxJob.id == job_id)
        if final:
            log.error("job %s (%s) failed for good: %s", job_id, row["actor"], exc)
            return
        raise  # dramatiq retries with backoff; the sweep picks it up if retries run out
    await OutboxJob.update({OutboxJob.status: "done", OutboxJob.finished_at: datetime.now(UTC)}).where(
        OutboxJob.id == job_id
    )


class EmbeddedWorker:
    """An in-process dramatiq worker plus a periodic sweep, for the single-process default."""

    def __init__(self, sweep_seconds: float = 30.0, threads: int = 2) -> None:
        self.sweep_seconds = sweep_seconds
        self.threads = threads
        self.worker: dramatiq.Worker | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        _load_handlers()
        self.worker = dramatiq.Worker(broker, worker_threads=self.threads, worker_timeout=100)
        self.worker.start()
        await sweep(lost_in_memory=isinstance(broker, StubBroker))
        self._task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_seconds)
            try:
                await sweep()
            except Exception:
                log.exception("outbox sweep failed")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.worker:
            await anyio.to_thread.run_sync(self.worker.stop)


async def wait_idle(timeout: float = 20.0) -> None:
    """Wait until no job is pending, dispatched or running (tests and CLI)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        busy = await OutboxJob.count().where(OutboxJob.status.is_in(["pending", "dispatched", "running"]))
        if not busy:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"{busy} job(s) still unfinished")
        await asyncio.sleep(0.05)


def new_dedup_key(prefix: str) -> str:
    return f"{prefix}:{uuid.uuid4().hex}"
