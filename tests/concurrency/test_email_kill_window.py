"""The one moment where a killed worker used to send an email twice: the SMTP server has read the final
"." of the message, and the worker dies before it hears the "250" and records the job done.

A real `python -m server.cli worker` process sends to an SMTP server (aiosmtpd, here) that SIGKILLs that
very worker on reading the ".", before it answers. The replayed job (running lease) finds the message's
sent mark (lib.mail) and does not send it again: one copy per email, every job done."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from lib.tables import OutboxJob
from tests.conftest import free_port
from tests.processes import REDIS_URL, child_env, purge_broker, reachable, run_python

EMAILS = 3

QUEUE = """
import asyncio
from lib import jobs
from lib.mail import queue_email

async def main():
    async with jobs.atomic():
        for i in range({n}):
            await queue_email(f"window-{{i}}@example.org", "Vos billets", f"Billet {{i}}",
                              attachments=[("billet.txt", "text/plain", ("É" * 50000).encode())])

asyncio.run(main())
"""


class KillingServer:
    """Takes each message, and SIGKILLs the worker on the first copy of each, before answering."""

    def __init__(self) -> None:
        self.messages: list = []
        self.worker_pid: int | None = None
        self.kills = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            first = all(m["Message-ID"] != msg["Message-ID"] for m in self.messages)
            self.messages.append(msg)
            pid = self.worker_pid
        if first and pid:
            os.kill(pid, signal.SIGKILL)  # the server has the message; the worker never hears "250"
            with self.lock:
                self.kills += 1
                self.worker_pid = None
            await asyncio.sleep(0.2)
        return "250 OK"


@pytest.fixture
def redis_broker():
    if not reachable(REDIS_URL, 6379):
        pytest.skip(f"redis is not reachable at {REDIS_URL}")
    purge_broker("redis")
    yield
    purge_broker("redis")


async def test_a_worker_killed_as_the_server_takes_the_email_does_not_send_it_twice(
    redis_broker, children, tmp_path
):
    sink = KillingServer()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = child_env(
            EMBEDDED_WORKER="0",
            REDIS_URL=REDIS_URL,
            RABBITMQ_URL=None,
            SMTP_URL=f"smtp://127.0.0.1:{port}",
            JOB_RUNNING_LEASE_SECONDS="3",
        )
        done = run_python(QUEUE.format(n=EMAILS), env)
        assert done.returncode == 0, done.stderr[-3000:]
        deadline = time.monotonic() + 300
        worker = None
        while time.monotonic() < deadline:
            if worker is None or worker.proc.poll() is not None:
                worker = children(["-m", "server.cli", "worker", "--threads", "1"], env, name="worker")
                with sink.lock:
                    sink.worker_pid = worker.proc.pid
                try:
                    worker.wait_for_output("worker running on")
                except AssertionError:
                    if worker.proc.poll() is None:
                        raise  # (killed already, by the server, is fine: it was sending)
            rows = await OutboxJob.select(OutboxJob.status).where(OutboxJob.actor == "send_email")
            if rows and all(r["status"] == "done" for r in rows):
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # a late second copy would show up now
    finally:
        controller.stop()

    rows = await OutboxJob.select(OutboxJob.status, OutboxJob.attempts).where(OutboxJob.actor == "send_email")
    assert [r["status"] for r in rows] == ["done"] * EMAILS
    assert sink.kills == EMAILS  # every email's first delivery killed its worker at the worst moment
    assert all(r["attempts"] >= 2 for r in rows)  # ... and was replayed
    ids = [m["Message-ID"] for m in sink.messages]
    assert len(ids) == EMAILS and len(set(ids)) == EMAILS, f"{len(ids)} copies of {len(set(ids))} emails"
    assert sorted(str(m["To"]) for m in sink.messages) == [f"window-{i}@example.org" for i in range(EMAILS)]
