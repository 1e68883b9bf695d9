"""A job worker killed with SIGKILL while it works, again and again: every email still goes out, within
60 s of the death of the worker that held it, and a second copy only from the SMTP acceptance window.

Real `python -m server.cli worker` processes on Redis and on RabbitMQ. What brings the jobs back is the
broker's own re-delivery of a dead worker's messages (RabbitMQ: at once, the connection died; Redis:
dramatiq's maintenance once the dead worker's heartbeat is 15 s old, see lib.jobs._make_broker) and,
for the job the worker was running, the outbox's running lease (JOB_RUNNING_LEASE_SECONDS, 30 s)."""

from __future__ import annotations

import asyncio
import signal
import time

import pytest

from lib.tables import OutboxJob
from tests.processes import RABBITMQ_URL, REDIS_URL, child_env, purge_broker, reachable

JOBS = 240
KILLS = 8
BOUND_SECONDS = 60

RUSH = """
import asyncio, time
from lib import jobs
from lib.mail import queue_email

async def main():
    # A rush: batches of committed jobs while the worker is being killed.
    for batch in range({batches}):
        async with jobs.atomic():
            for i in range(batch * 20, batch * 20 + 20):
                await queue_email(f"kill-{{i}}@example.org", "Réservation confirmée", f"Billet {{i}}",
                                  attachments=[("billet.txt", "text/plain", ("É" * 20000).encode())])
        print("COMMITTED", batch, time.time(), flush=True)
        await asyncio.sleep(0.25)

asyncio.run(main())
"""


def broker_env(kind: str) -> dict[str, str]:
    broker = {"REDIS_URL": None, "RABBITMQ_URL": None}
    broker["REDIS_URL" if kind == "redis" else "RABBITMQ_URL"] = (
        REDIS_URL if kind == "redis" else RABBITMQ_URL
    )
    return child_env(EMBEDDED_WORKER="0", DB_POOL="1", **broker)


@pytest.fixture(params=["redis", "rabbitmq"])
def broker_kind(request):
    kind = request.param
    url, port = (REDIS_URL, 6379) if kind == "redis" else (RABBITMQ_URL, 5672)
    if not reachable(url, port):
        pytest.skip(f"{kind} is not reachable at {url}")
    purge_broker(kind)
    yield kind
    purge_broker(kind)


def seen_messages(mailbox, first_seen: dict[str, float]) -> None:
    now = time.time()
    with mailbox.lock:
        messages = list(mailbox.messages)
    for msg in messages:
        first_seen.setdefault(msg["Message-ID"], now)


async def test_sigkilled_workers_lose_no_email_and_send_none_twice(broker_kind, children, mailbox):
    env = broker_env(broker_kind)

    def start_worker():
        worker = children(["-m", "server.cli", "worker", "--threads", "2"], env, name=f"worker-{broker_kind}")
        worker.wait_for_output("worker running on")
        return worker

    worker = start_worker()
    batches = JOBS // 20
    rush = children(["-c", RUSH.format(batches=batches)], env, name="rush")
    kills: list[float] = []
    first_seen: dict[str, float] = {}
    for _ in range(KILLS):
        await asyncio.sleep(0.4)
        seen_messages(mailbox, first_seen)
        worker.proc.send_signal(signal.SIGKILL)
        worker.proc.wait()
        kills.append(time.time())
        worker = start_worker()
    assert rush.proc.wait(timeout=120) == 0, rush.output()[-3000:]

    deadline = kills[-1] + BOUND_SECONDS + 5
    while time.time() < deadline:
        seen_messages(mailbox, first_seen)
        if len({str(m["To"]) for m in mailbox.messages}) >= JOBS:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # a late second copy would show up now
    seen_messages(mailbox, first_seen)

    committed = {}
    for line in rush.output().splitlines():
        if line.startswith("COMMITTED"):
            _, batch, at = line.split()
            committed[int(batch)] = float(at)
    by_address: dict[str, list] = {}
    for msg in list(mailbox.messages):
        by_address.setdefault(str(msg["To"]), []).append(msg)
    lost = [i for i in range(JOBS) if f"kill-{i}@example.org" not in by_address]
    twice = {a: len(m) for a, m in by_address.items() if len(m) > 1}
    rows = await OutboxJob.select(
        OutboxJob.id, OutboxJob.status, OutboxJob.attempts, OutboxJob.dispatched_at, OutboxJob.payload
    ).where(OutboxJob.actor == "send_email")
    rows = [{**r, "payload": None} for r in rows]
    log = worker.output()[-3000:]
    twice = {a: len(m) for a, m in by_address.items() if len(m) > 1}
    assert not lost, (
        f"{len(lost)} lost, e.g. {lost[:5]}; rows: {[r for r in rows if r['status'] != 'done'][:5]} now {time.time()} kills {kills} twice {twice}\n{log}"
    )
    # A second copy can only come from the one window no outbox closes (RFC 1047): the SMTP server
    # has the whole message but the killed worker had not yet recorded "done" (one statement on an
    # open connection after the server's "250", lib.mail.send_email_job). Each kill can hit it
    # once per worker thread; both copies carry the same Message-ID (receivers drop the second).
    assert len(twice) <= 2 * KILLS, twice
    for address in twice:
        assert len({m["Message-ID"] for m in by_address[address]}) == 1

    # Delay charged to a worker's death: from the later of the job's commit and the last kill before
    # the email arrived.
    worst = 0.0
    for msg in mailbox.messages:
        i = int(str(msg["To"]).split("-")[1].split("@")[0])
        arrived = first_seen[msg["Message-ID"]]
        start = max([committed[i // 20], *[k for k in kills if k < arrived]])
        worst = max(worst, arrived - start)
    redelivered = sum(1 for r in rows if r["attempts"] > 1)
    print(
        f"{broker_kind}: {JOBS} jobs, {KILLS} SIGKILLs: 0 lost, {len(twice)} twice, {redelivered} run again, "
        f"worst delay after a death {worst:.1f} s"
    )
    assert worst <= BOUND_SECONDS
    # A job killed inside that window has sent its email but is still "running": its lease (30 s)
    # gives it back, the next run finds the message already sent and marks it done.
    deadline = time.time() + 45
    while time.time() < deadline:
        rows = await OutboxJob.select(OutboxJob.id, OutboxJob.status).where(OutboxJob.actor == "send_email")
        if all(r["status"] == "done" for r in rows):
            break
        await asyncio.sleep(0.5)
    assert all(r["status"] == "done" for r in rows), [r for r in rows if r["status"] != "done"]
    assert len(mailbox.messages) == sum(len(m) for m in by_address.values())  # the re-runs sent nothing
