"""A job survives a real crash: the process dies after the commit, before (or right after) the hand-over
to the broker; the restart path (the app's lifespan: EmbeddedWorker start-up sweep) delivers it once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lib.jobs import wait_idle
from lib.tables import OutboxJob, RateLimitHit
from tests.processes import child_env, run_python

CRASH_AFTER_COMMIT = """
import asyncio, os
from lib import jobs
from lib.db import write_transaction
from lib.mail import queue_email
from lib.tables import RateLimitHit

async def main():
    if {via_atomic!r}:
        # die exactly where atomic() hands the committed jobs to the broker
        jobs.dispatch = lambda ids: os._exit(3)
        async with jobs.atomic():
            await RateLimitHit.insert(RateLimitHit(key="crash-test"))
            await queue_email("crash@example.org", "Réservation confirmée — MIMA 2027", "Bonjour Zoé,",
                              attachments=[("billet.txt", "text/plain", "Élise".encode())])
    else:
        async with write_transaction():
            await RateLimitHit.insert(RateLimitHit(key="crash-test"))
            await queue_email("crash@example.org", "Réservation confirmée — MIMA 2027", "Bonjour Zoé,",
                              attachments=[("billet.txt", "text/plain", "Élise".encode())])
        os._exit(3)  # committed; nothing handed over yet

asyncio.run(main())
"""

DIE_AFTER_DISPATCH = """
import asyncio, os
from lib import jobs
from lib.mail import queue_email

async def main():
    async with jobs.atomic():
        await queue_email("handed-over@example.org", "Après la remise", "Texte")
    # handed to this process's broker (in-memory by default); no worker ran it
    os._exit(4)

asyncio.run(main())
"""

DIE_WHILE_RUNNING = """
import asyncio, os
from lib import jobs

@jobs.job_handler("infra_probe")
async def die(payload):
    os._exit(5)  # the worker dies in the middle of the job

asyncio.run(jobs.execute({job_id}))
"""


def restart_app() -> Any:
    """The restart path: a new app process's lifespan (EmbeddedWorker start-up sweep)."""
    from litestar.testing import TestClient

    from server.app import create_app

    return TestClient(app=create_app(), base_url="http://testserver.local")


async def only_job() -> dict[str, Any]:
    rows = await OutboxJob.select()
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize("via_atomic", [True, False], ids=["atomic-dies-at-dispatch", "dies-after-commit"])
async def test_job_committed_then_crash_is_delivered_once_after_restart(mailbox, via_atomic):
    result = run_python(CRASH_AFTER_COMMIT.format(via_atomic=via_atomic), child_env())
    assert result.returncode == 3, result.stderr
    # the change and its job committed together; nothing was sent
    assert await RateLimitHit.count().where(RateLimitHit.key == "crash-test") == 1
    job = await only_job()
    assert job["status"] == "pending" and job["attempts"] == 0
    await asyncio.sleep(0.3)
    assert mailbox.to("crash@example.org") == []

    with restart_app() as client:
        assert client.get("/schema/openapi.json").status_code == 200
        [msg] = mailbox.wait_for("crash@example.org")
        await wait_idle(10)
    assert msg["Subject"] == "Réservation confirmée — MIMA 2027"
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "billet.txt" and att.get_content() == "Élise"
    job = await only_job()
    assert job["status"] == "done" and job["attempts"] == 1

    # a second restart (and its sweep) does not send it again
    with restart_app():
        pass
    await asyncio.sleep(0.3)
    assert len(mailbox.to("crash@example.org")) == 1


async def test_job_lost_with_its_broker_is_replayed_at_start_up(mailbox, backend):
    result = run_python(DIE_AFTER_DISPATCH, child_env())
    assert result.returncode == 4, result.stderr
    job = await only_job()
    assert job["status"] == "dispatched"  # the row says "handed over"; the broker holding it is gone
    with restart_app():
        [msg] = mailbox.wait_for("handed-over@example.org")
    assert msg["Subject"] == "Après la remise"
    job = await only_job()
    assert job["status"] == "done" and job["attempts"] == 1


@pytest.fixture
def probe_handler():
    """The test process's handler for the job the child dies in: it sends a real email."""
    from lib.jobs import _HANDLERS, job_handler
    from lib.mail import build_message, deliver

    @job_handler("infra_probe")
    async def probe(payload: dict[str, Any]) -> None:
        await deliver(build_message(payload))

    yield
    _HANDLERS.pop("infra_probe", None)


async def test_job_of_a_worker_that_died_mid_run_is_replayed_once_its_lease_expires(
    mailbox, probe_handler, monkeypatch
):
    from lib import jobs
    from lib.db import write_transaction

    async with write_transaction():
        job_id = await jobs.enqueue(
            "infra_probe", {"to": "mid-run@example.org", "subject": "Relance", "text": "Deuxième essai"}
        )
    result = run_python(DIE_WHILE_RUNNING.format(job_id=job_id), child_env())
    assert result.returncode == 5, result.stderr
    job = await only_job()
    assert job["status"] == "running" and job["attempts"] == 1

    # Just after the crash its heartbeat is fresh: a process starting now cannot tell it from a job
    # running in a live sibling process, so it leaves it alone (no double run).
    with restart_app():
        await asyncio.sleep(0.3)
        assert (await only_job())["status"] == "running"
    assert mailbox.to("mid-run@example.org") == []

    # Once the heartbeat is older than the lease, the next start-up sweep replays it.
    monkeypatch.setattr(jobs, "RUNNING_LEASE", timedelta(seconds=1))
    await asyncio.sleep(1.1)
    with restart_app():
        [msg] = mailbox.wait_for("mid-run@example.org")
    assert msg["Subject"] == "Relance"
    job = await only_job()
    assert job["status"] == "done" and job["attempts"] == 2
    assert job["finished_at"] > job["started_at"] > datetime.now(UTC) - timedelta(minutes=1)
