"""Background jobs: a durable outbox table in front of dramatiq.

Semantics (what callers can rely on):

- Write: a service calls `enqueue()` (or `lib.mail.queue_email()`) inside the transaction of the
  change that causes the job; use `atomic()` as that transaction. The OutboxJob row commits or rolls
  back with the change. `dedup_key` makes a second enqueue of the same key a no-op (also between
  concurrent transactions: INSERT ... ON CONFLICT DO NOTHING).
- Hand-over: after the outermost `atomic()` commits, its jobs are claimed (pending -> dispatched)
  and sent to the broker. A job enqueued in a transaction `atomic()` did not open stays pending and
  goes out with the next sweep.
- Run: the `run_outbox_job` actor claims the row with one conditional UPDATE (pending/dispatched
  -> running), runs the handler and marks it done. A job handed over twice (dramatiq retry,
  replay after a crash, several processes sweeping at once) runs its handler once. Delivery is
  at least once only if a process dies between the handler's side effect and the `done` mark:
  handlers must be idempotent (emails carry a Message-ID fixed at enqueue time).
- Failure: a handler exception is recorded in `last_error`; the job goes back to `dispatched` and
  dramatiq retries it with exponential backoff (JOB_RETRY_BACKOFF_MS, doubling, jittered) until
  `max_attempts` (JOB_MAX_ATTEMPTS) attempts have run; then it ends `failed`.
- Liveness: while a handler runs, its process renews the row's `dispatched_at` every
  RUNNING_LEASE/4 (the heartbeat). The sweep gives back `running` jobs whose heartbeat is older
  than RUNNING_LEASE (their worker died), `dispatched` jobs older than REDISPATCH_AFTER (the broker
  lost them) and every `pending` job (the process died between commit and hand-over, or the broker
  was down). At start-up with the in-memory broker every `dispatched` job is handed over again
  (that broker died with the previous process; a job still queued in a live process is not run
  twice thanks to the claim).
- Who sweeps: every `EmbeddedWorker` at start-up and every LEASE_CHECK (the job worker process
  `serve` starts in the embedded default, the web process itself when it runs the worker in-process
  (tests, `litestar run`), and each `python -m server.cli worker` process); a web process with
  EMBEDDED_WORKER off sweeps once at start-up. Housekeeping (`@periodic`) runs every
  JOB_SWEEP_SECONDS.
- A killed worker: its broker messages are re-delivered by the broker (see _make_broker); the job it
  was running is given back once its heartbeat is older than RUNNING_LEASE
  (JOB_RUNNING_LEASE_SECONDS, 30 s) by the next sweep.

Brokers: REDIS_URL -> Redis, RABBITMQ_URL -> RabbitMQ, neither -> in-memory StubBroker (the embedded
default): `serve` starts one job worker process beside the web processes and restarts it when it dies
(server/cli.py); the web processes leave their jobs pending in the outbox and that process polls it
(JOB_WORKER_PROCESS, set by `serve`). Without `serve` (tests, `litestar run`) the worker runs in the
web process. Run `python -m server.cli worker` for separate workers.
Queues are namespaced per database (BROKER_NAMESPACE, default derived from DATABASE_URL's
host/port/name or the SQLite file's path), so two deployments or test runs sharing a Redis or
RabbitMQ server never take each other's jobs; set BROKER_NAMESPACE explicitly when processes reach
the same database under different host names.

Handlers are registered with `@job_handler(name)` in a module that every process running jobs imports:
an app's `jobs` module (ticketing/jobs.py, ...). The kernel knows no domain: the wiring lists those modules
(server/apps.py -> piccolo_conf.JOB_MODULES, read here the way Piccolo reads APP_REGISTRY), or calls
`register_handler_modules()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import importlib
import json
import logging
import re
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import anyio
import dramatiq
from dramatiq.brokers.stub import StubBroker

from lib.db import close_loop_pool, engine, start_loop_pool, write_transaction
from lib.settings import get_settings
from lib.tables import OutboxJob

log = logging.getLogger(__name__)

# Modules that register job handlers, imported by every process that runs jobs: the kernel's own, those
# registered by the wiring, and piccolo_conf.JOB_MODULES.
_handler_modules: list[str] = ["lib.mail"]

Handler = Callable[[dict[str, Any]], Awaitable[None]]
_HANDLERS: dict[str, Handler] = {}
_FAST_LANE: set[str] = set()
_pending_ids: ContextVar[list[int] | None] = ContextVar("_pending_ids", default=None)
_not_run: ContextVar[bool] = ContextVar("_not_run", default=False)
_absent_modules: set[str] = set()
_PERIODIC: list[Callable[[], Awaitable[object]]] = []

_settings = get_settings()
MAX_ATTEMPTS = _settings.job_max_attempts
RETRY_MIN_BACKOFF_MS = _settings.job_retry_backoff_ms
RETRY_MAX_BACKOFF_MS = 5 * 60 * 1000  # below REDISPATCH_AFTER, so a retry is not also swept
REDISPATCH_AFTER = timedelta(minutes=10)
# A handed-over job is taken as lost by the broker (a worker killed with its message) once a job of its
# lane written that much later has started: each lane is first in, first out, so it was overtaken.
OVERTAKEN_AFTER = timedelta(seconds=30)
RUNNING_LEASE = timedelta(seconds=_settings.job_running_lease_seconds)
# How often a worker looks for jobs whose worker died (running past RUNNING_LEASE): with the lease,
# a job whose worker was killed mid-run runs again within RUNNING_LEASE + LEASE_CHECK (+ its queue).
LEASE_CHECK = RUNNING_LEASE / 6
# Embedded default under `serve`: how often the job worker process looks for newly committed jobs.
POLL_SECONDS = 0.1


def broker_namespace() -> str:
    """The Redis namespace / RabbitMQ queue name: one per database unless BROKER_NAMESPACE is set."""
    settings = get_settings()
    if settings.broker_namespace:
        raw = settings.broker_namespace
    else:
        if settings.is_postgres:
            url = urlparse(settings.database_url)
            name = url.path.lstrip("/") or "postgres"
            identity = f"postgresql://{url.hostname or ''}:{url.port or 5432}/{name}"
        else:
            path = settings.sqlite_path.resolve()
            name, identity = path.stem, f"sqlite://{path}"
        raw = f"ledamier-{name}-{hashlib.sha256(identity.encode()).hexdigest()[:8]}"
    return re.sub(r"[^A-Za-z0-9_-]", "_", raw)


def job_handler(name: str, *, fast_lane: bool = False) -> Callable[[Handler], Handler]:
    """Register an async handler for outbox jobs of this name. Handlers must be idempotent.

    fast_lane: a cheap job someone is waiting for (a sign-in link): it goes to a queue of its own that
    workers serve first, so it never waits behind a rush of documents to render.
    """

    def decorator(fn: Handler) -> Handler:
        _HANDLERS[name] = fn
        if fast_lane:
            _FAST_LANE.add(name)
        return fn

    return decorator


def register_handler_modules(*modules: str) -> None:
    """Modules to import before running or enqueueing a job (the wiring's list of apps' jobs modules)."""
    for module in modules:
        if module not in _handler_modules:
            _handler_modules.append(module)


def _configured_handler_modules() -> list[str]:
    from piccolo.conf.apps import Finder

    try:
        conf = Finder().get_piccolo_conf_module()
    except ModuleNotFoundError:
        return []
    return list(getattr(conf, "JOB_MODULES", []) if conf is not None else [])


def _load_handlers() -> None:
    register_handler_modules(*_configured_handler_modules())
    for name in _handler_modules:
        if name in _absent_modules:
            continue
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            _absent_modules.add(name)


def _make_broker() -> tuple[dramatiq.Broker, str]:
    settings = get_settings()
    namespace = broker_namespace()
    if settings.broker_kind == "redis":
        import redis
        from dramatiq.brokers.redis import RedisBroker

        client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=5)
        # A killed worker's messages are re-delivered by the broker itself (not by an outbox lease on
        # dispatched rows, which cannot tell a lost message from one queued behind a rush): RabbitMQ
        # requeues a dead connection's unacked messages at once; dramatiq's Redis broker does it when a
        # live worker's fetch runs "maintenance" and finds the dead one's heartbeat older than
        # heartbeat_timeout. By default that is 60 s and a 0.1 % chance per fetch (the issue-16 buyer
        # who waited 10 minutes): 15 s and 10 % (an idle consumer fetches ~10 times a second) bring
        # it within ~16 s. A busy live worker mistaken for dead only causes a second delivery, which
        # the outbox claim in execute() turns into a no-op.
        broker = RedisBroker(
            client=client, namespace=namespace, heartbeat_timeout=15_000, maintenance_chance=100_000
        )  # type: ignore[no-untyped-call]
        return broker, "default"
    if settings.broker_kind == "rabbitmq":
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        # confirm_delivery: send() returns once RabbitMQ has the message, or raises (then the job
        # stays pending for the sweep).
        return RabbitmqBroker(url=settings.rabbitmq_url, confirm_delivery=True), namespace
    return StubBroker(), "default"


_job_thread = threading.local()


def _run_on_thread_loop(job_id: int) -> None:
    """Run a job on this worker thread's own event loop, kept for all its jobs with its small pool
    (lib.db.start_loop_pool): a job's queries reuse open connections instead of each opening one."""
    runner: asyncio.Runner | None = getattr(_job_thread, "runner", None)
    if runner is None:
        runner = _job_thread.runner = asyncio.Runner()
    try:
        runner.run(start_loop_pool())
    except Exception:
        log.exception("no connection pool for this job thread: its queries open their own connections")
    # a fresh context per job: nothing a job sets in a context variable leaks into the next
    runner.run(execute(job_id), context=contextvars.copy_context())


def _close_thread_loop() -> None:
    runner: asyncio.Runner | None = getattr(_job_thread, "runner", None)
    if runner is None:
        return
    del _job_thread.runner
    try:
        runner.run(close_loop_pool())
    finally:
        runner.close()


class _JobThreadLoops(dramatiq.Middleware):
    """Closes a worker thread's loop and pool when the thread stops (the worker is stopped)."""

    def before_worker_thread_shutdown(self, broker: dramatiq.Broker, thread: Any) -> None:
        _close_thread_loop()


broker, QUEUE = _make_broker()
broker.add_middleware(_JobThreadLoops())
dramatiq.set_broker(broker)


@dramatiq.actor(
    actor_name="run_outbox_job",
    queue_name=QUEUE,
    priority=10,
    max_retries=MAX_ATTEMPTS + 2,  # the row's max_attempts decides; the margin covers DB hiccups
    min_backoff=RETRY_MIN_BACKOFF_MS,
    max_backoff=RETRY_MAX_BACKOFF_MS,
)
def run_outbox_job(job_id: int) -> None:
    try:
        _run_on_thread_loop(job_id)
    finally:
        _left_memory()


# The fast lane: its own queue, so its messages are not behind the documents' in the broker, and a
# lower priority number, so a worker's prefetched messages give way to it (dramatiq's work queue is
# ordered by actor priority).
@dramatiq.actor(
    actor_name="run_fast_outbox_job",
    queue_name=f"{QUEUE}-fast",
    priority=0,
    max_retries=MAX_ATTEMPTS + 2,
    min_backoff=RETRY_MIN_BACKOFF_MS,
    max_backoff=RETRY_MAX_BACKOFF_MS,
)
def run_fast_outbox_job(job_id: int) -> None:
    try:
        _run_on_thread_loop(job_id)
    finally:
        _left_memory()


@contextlib.contextmanager
def not_run() -> Iterator[None]:
    """Jobs enqueued inside are written as `skipped` and never run: the demo's history (orders,
    invoices, calls of fictional people) is data to look at, not emails and PDFs to send."""
    token = _not_run.set(True)
    try:
        yield
    finally:
        _not_run.reset(token)


def initial_status() -> str:
    """The status a new job row is written with (for callers that write the row themselves)."""
    return "skipped" if _not_run.get() else "pending"


async def enqueue(actor: str, payload: dict[str, Any], dedup_key: str | None = None) -> int | None:
    """Write a job row. Call inside the transaction of the change that causes it.

    With a dedup_key, a second enqueue of the same key is ignored (returns None).
    """
    if actor not in _HANDLERS:
        _load_handlers()
    if actor not in _HANDLERS:
        raise ValueError(f"unknown job {actor!r}")
    query = OutboxJob.insert(
        OutboxJob(
            actor=actor,
            payload=payload,
            dedup_key=dedup_key,
            max_attempts=MAX_ATTEMPTS,
            status=initial_status(),
        )
    )
    if dedup_key is not None:
        query = query.on_conflict(target=OutboxJob.dedup_key, action="DO NOTHING")
    rows = await query.returning(OutboxJob.id)
    if not rows:
        return None
    job_id = int(rows[0]["id"])
    enqueued(job_id)
    return job_id


def enqueued(job_id: int) -> None:
    """A job row written by a caller's own INSERT (batched with its change) is handed over like one
    written by enqueue(): by the enclosing atomic() once it has committed."""
    pending = _pending_ids.get()
    if pending is not None and not _not_run.get():
        pending.append(job_id)


@contextlib.asynccontextmanager
async def atomic() -> AsyncIterator[Any]:
    """A write transaction whose enqueued jobs are dispatched once it has committed.

    Nested in another atomic(), it joins that transaction and the outermost one dispatches.
    """
    if _pending_ids.get() is not None:
        async with write_transaction() as txn:
            yield txn
        return
    inside_foreign_transaction = engine().transaction_exists()
    ids: list[int] = []
    token = _pending_ids.set(ids)
    try:
        async with write_transaction() as txn:
            yield txn
    finally:
        _pending_ids.reset(token)
    if not ids:
        return
    if inside_foreign_transaction:
        # The enclosing transaction has not committed yet: a worker would not see the rows.
        log.warning("atomic() inside an outer transaction: jobs %s go out with the next sweep", ids)
        return
    await committed(ids)


async def committed(ids: list[int]) -> None:
    """Jobs whose rows have just been committed (by atomic(), or by one statement outside any
    transaction) go to the broker; under `serve`'s job worker process the outbox is the queue."""
    if not ids or runs_in_worker_process() or _not_run.get():
        return  # the job worker process polls the outbox (POLL_SECONDS); skipped rows never go
    await dispatch(ids)


def runs_in_worker_process() -> bool:
    """A web process under `serve` in the embedded default: its jobs run in the supervised job worker
    process, which takes them from the outbox itself (no broker between them)."""
    return get_settings().job_worker_process and isinstance(broker, StubBroker)


async def dispatch(ids: list[int]) -> int:
    """Hand jobs to the broker; each row is claimed first so only one process sends it."""
    sent = 0
    for job_id in ids:
        claimed = (
            await OutboxJob.update(
                {OutboxJob.status: "dispatched", OutboxJob.dispatched_at: datetime.now(UTC)}
            )
            .where((OutboxJob.id == job_id) & (OutboxJob.status == "pending"))
            .returning(OutboxJob.actor)
        )
        if claimed and await _send(job_id, claimed[0]["actor"]):
            sent += 1
    return sent


async def _send(job_id: int, actor: str) -> bool:
    if actor not in _HANDLERS:
        _load_handlers()
    runner = run_fast_outbox_job if actor in _FAST_LANE else run_outbox_job
    try:
        await anyio.to_thread.run_sync(lambda: runner.send(job_id))
        if isinstance(broker, StubBroker):
            global _in_memory
            with _in_memory_lock:
                _in_memory += 1
    except Exception:  # broker down: leave it for the sweep
        log.exception("could not hand job %s to the broker", job_id)
        await OutboxJob.update({OutboxJob.status: "pending"}).where(
            (OutboxJob.id == job_id) & (OutboxJob.status == "dispatched")
        )
        return False
    return True


async def sweep(*, lost_in_memory: bool = False, ahead: int | None = None) -> int:
    """Re-dispatch jobs whose hand-over was lost. Returns how many were sent.

    lost_in_memory: the broker is in-process memory that died with the previous process,
    so every dispatched job is handed over again (start-up of the embedded mode).
    ahead: see dispatch_pending.
    """
    now = datetime.now(UTC)
    # A worker that died mid-job stops renewing its heartbeat: give the job back.
    await OutboxJob.update({OutboxJob.status: "pending"}).where(
        (OutboxJob.status == "running")
        & ((OutboxJob.dispatched_at < now - RUNNING_LEASE) | OutboxJob.dispatched_at.is_null())
    )
    if lost_in_memory:
        await OutboxJob.update({OutboxJob.status: "pending"}).where(OutboxJob.status == "dispatched")
    else:
        await _give_back_overtaken()
        await OutboxJob.update({OutboxJob.status: "pending"}).where(
            (OutboxJob.status == "dispatched") & (OutboxJob.dispatched_at < now - REDISPATCH_AFTER)
        )
    return await dispatch_pending(ahead=ahead)


def _lanes() -> tuple[Any, ...]:
    """Where-clauses of the fast lane and the other jobs (one lane of all when no job is fast)."""
    _load_handlers()
    fast = sorted(_FAST_LANE)
    return (OutboxJob.actor.is_in(fast), OutboxJob.actor.not_in(fast)) if fast else (None,)


async def _give_back_overtaken() -> None:
    """Handed-over jobs whose broker message was lost, found without waiting REDISPATCH_AFTER: a later
    job of the same lane has started. A job waiting for a retry's backoff (last_error set) is not one;
    a false alarm (a message requeued behind later ones) only sends a second message, which finds
    the job running or done and does nothing."""
    for lane in _lanes():
        started = OutboxJob.started_at.is_not_null()
        newest = (
            await OutboxJob.select(OutboxJob.created_at)
            .where(started if lane is None else started & lane)
            .order_by(OutboxJob.id, ascending=False)
            .first()
        )
        if newest is None:
            continue
        before = newest["created_at"] - OVERTAKEN_AFTER
        lost = (
            (OutboxJob.status == "dispatched")
            & (OutboxJob.last_error == "")
            & (OutboxJob.dispatched_at < before)
        )
        await OutboxJob.update({OutboxJob.status: "pending"}).where(lost if lane is None else lost & lane)


# Jobs this process handed to its in-memory broker and has not run yet (the broker is in this process).
_in_memory = 0
_in_memory_lock = threading.Lock()


def _left_memory() -> None:
    global _in_memory
    with _in_memory_lock:
        _in_memory = max(0, _in_memory - 1)


def _in_flight_here() -> int | None:
    """The jobs this process handed to its in-memory broker and has not finished; None when the broker
    is not in this process."""
    if not isinstance(broker, StubBroker):
        return None
    return _in_memory


async def dispatch_pending(*, ahead: int | None = None) -> int:
    """Hand pending jobs to the broker, the fast lane's first, then the oldest first (the sweep's last
    step; the embedded job worker process's poll).

    ahead: the broker is this process's memory (an embedded job worker process): keep at most that
    many jobs handed to it and not finished. The rest wait in the outbox, in order, so a poll costs the
    same behind a backlog of thousands of confirmations, and an email written during it goes next.
    Several such processes each count their own, so each keeps its threads busy."""
    room: int | None = None
    if ahead is not None:
        in_flight = _in_flight_here()
        if in_flight is None:
            in_flight = await OutboxJob.count().where(
                (OutboxJob.status == "running")
                | ((OutboxJob.status == "dispatched") & (OutboxJob.attempts == 0))
            )
        room = ahead - in_flight  # a job waiting for its retry's backoff holds no place
        if room <= 0:
            return 0
    ids: list[int] = []
    for lane in _lanes():
        where = OutboxJob.status == "pending"
        query = OutboxJob.select(OutboxJob.id).where(where if lane is None else where & lane)
        query = query.order_by(OutboxJob.id)
        if room is not None:
            if len(ids) >= room:
                break
            query = query.limit(room - len(ids))
        ids += [r["id"] for r in await query]
    return await dispatch(ids) if ids else 0


async def _heartbeat(job_id: int) -> None:
    interval = RUNNING_LEASE.total_seconds() / 4
    while True:
        await asyncio.sleep(interval)
        try:
            await OutboxJob.update({OutboxJob.dispatched_at: datetime.now(UTC)}).where(
                (OutboxJob.id == job_id) & (OutboxJob.status == "running")
            )
        except Exception:
            log.exception("heartbeat of job %s failed", job_id)


async def execute(job_id: int) -> None:
    """Run one job (called by the dramatiq actor). Idempotent: a finished job is never run again."""
    _load_handlers()
    now = datetime.now(UTC)
    claimed = (
        await OutboxJob.update(
            {
                OutboxJob.status: "running",
                OutboxJob.started_at: now,
                OutboxJob.dispatched_at: now,  # heartbeat while running
                OutboxJob.attempts: OutboxJob.attempts + 1,
            }
        )
        .where((OutboxJob.id == job_id) & OutboxJob.status.is_in(["pending", "dispatched"]))
        .returning(OutboxJob.actor, OutboxJob.payload, OutboxJob.attempts, OutboxJob.max_attempts)
    )
    if not claimed:
        return  # already done, running elsewhere, or failed for good
    row = claimed[0]
    payload = row["payload"]
    if isinstance(payload, str):
        payload = json.loads(payload)
    heartbeat = asyncio.create_task(_heartbeat(job_id))
    token = _current_job.set(_RunningJob(job_id))
    try:
        handler = _HANDLERS.get(row["actor"])
        if handler is None:
            raise LookupError(f"no handler for job {row['actor']!r} in this process (see server/apps.py)")
        await handler(payload)
    except Exception as exc:
        done_already = _current_job.get()
        if done_already is not None and done_already.completed:
            # Its side effect happened (complete_current): a failure after it (QUIT) is not retried.
            log.warning("job %s failed after it was complete: %s", job_id, exc)
            return
        final = row["attempts"] >= row["max_attempts"]
        await OutboxJob.update(
            {
                OutboxJob.status: "failed" if final else "dispatched",
                OutboxJob.last_error: f"{type(exc).__name__}: {exc}"[:2000],
                OutboxJob.dispatched_at: datetime.now(UTC),
                OutboxJob.finished_at: datetime.now(UTC) if final else None,
            }
        ).where(OutboxJob.id == job_id)
        if final:
            log.error(
                "job %s (%s) failed for good after %s attempts: %s",
                job_id,
                row["actor"],
                row["attempts"],
                exc,
            )
            return
        raise  # dramatiq retries with backoff; the sweep picks it up if retries run out
    finally:
        running = _current_job.get()
        _current_job.reset(token)
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
    if running is None or not running.completed:
        await _mark_done(job_id)


async def _mark_done(job_id: int) -> None:
    await OutboxJob.update({OutboxJob.status: "done", OutboxJob.finished_at: datetime.now(UTC)}).where(
        OutboxJob.id == job_id
    )


class _RunningJob:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.completed = False


_current_job: ContextVar[_RunningJob | None] = ContextVar("_current_job", default=None)


@contextlib.asynccontextmanager
async def completion_ready() -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """complete_current() with its database connection opened beforehand, so that marking the job
    done is a single autocommitted statement (PostgreSQL: one round trip on an open connection)."""
    running = _current_job.get()
    if running is None or not get_settings().is_postgres:
        yield complete_current
        return
    import asyncpg

    pool = getattr(engine(), "pool", None)  # the job thread's (lib.db.start_loop_pool), if it has one
    conn = await pool.acquire() if pool is not None else await asyncpg.connect(get_settings().database_url)

    async def complete() -> None:
        if running.completed:
            return
        await conn.execute(
            "UPDATE outbox_job SET status = 'done', finished_at = now() WHERE id = $1", running.job_id
        )
        running.completed = True

    try:
        yield complete
    finally:
        if pool is not None:
            await pool.release(conn)
        else:
            await conn.close()


async def complete_current() -> None:
    """Mark the job being run done now, before its handler returns: for a handler whose side effect
    is complete at a precise moment (the SMTP server took the email), so that a worker killed after
    it no longer replays the job. Outside a job it does nothing."""
    running = _current_job.get()
    if running is None or running.completed:
        return
    await _mark_done(running.job_id)
    running.completed = True


class EmbeddedWorker:
    """A dramatiq worker in this process plus the periodic sweep (embedded mode and `worker`).

    Every LEASE_CHECK (or sweep_seconds if shorter) it sweeps the outbox (jobs of dead workers, lost
    hand-overs); every sweep_seconds it also runs the periodic housekeeping. poll_seconds: also hand
    over newly committed jobs that often (the embedded job worker process under `serve`, whose web
    processes leave their jobs pending in the outbox).
    """

    def __init__(
        self, sweep_seconds: float | None = None, threads: int = 2, poll_seconds: float | None = None
    ) -> None:
        self.sweep_seconds = sweep_seconds if sweep_seconds is not None else get_settings().job_sweep_seconds
        self.poll_seconds = poll_seconds
        self.threads = threads
        # Polling, the broker is this process's memory: a few jobs ahead of each thread, no more.
        self.ahead = 2 * threads if poll_seconds else None
        self.worker: dramatiq.Worker | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        _load_handlers()
        self.worker = dramatiq.Worker(broker, worker_threads=self.threads, worker_timeout=100)
        self.worker.start()
        if isinstance(broker, StubBroker):  # the sweep below hands every dispatched job over anew
            global _in_memory
            with _in_memory_lock:
                _in_memory = 0
        await sweep(lost_in_memory=isinstance(broker, StubBroker), ahead=self.ahead)
        self._task = asyncio.create_task(self._loop())

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        lease_check = min(self.sweep_seconds, LEASE_CHECK.total_seconds())
        tick = min(lease_check, self.poll_seconds or lease_check)
        next_sweep = loop.time() + lease_check
        next_periodic = loop.time() + self.sweep_seconds
        while True:
            await asyncio.sleep(tick)
            now = loop.time()
            try:
                if now >= next_sweep:
                    next_sweep = now + lease_check
                    await sweep(ahead=self.ahead)
                elif self.poll_seconds:
                    await dispatch_pending(ahead=self.ahead)
            except Exception:
                log.exception("outbox sweep failed")
            if now >= next_periodic:
                next_periodic = now + self.sweep_seconds
                await run_periodic()

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.worker:
            await anyio.to_thread.run_sync(self.worker.stop)


def periodic(fn: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[object]]:
    """Register housekeeping (e.g. releasing expired reservations) run after every periodic sweep by
    the embedded worker and by `worker` processes. It must be idempotent and safe to run from several
    processes at once. Register it in an app's `jobs` module so every worker process finds it."""
    _PERIODIC.append(fn)
    return fn


async def run_periodic() -> None:
    _load_handlers()
    for fn in list(_PERIODIC):
        try:
            await fn()
        except Exception:
            log.exception("periodic task %s failed", getattr(fn, "__name__", fn))


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
