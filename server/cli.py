"""Command line: `python -m server.cli COMMAND` (also available as `litestar COMMAND`)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from typing import Any

import click

from lib.settings import ROOT


def _piccolo(*args: str) -> None:
    env = {**os.environ, "PICCOLO_CONF": "piccolo_conf"}
    code = "from piccolo.main import main; main()"
    subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, check=True)


@click.command("migrate")
def migrate() -> None:
    """Apply every committed migration (SQLite or PostgreSQL)."""
    _piccolo("migrations", "forwards", "all")


@click.command("load-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no event yet.")
def load_demo(if_empty: bool) -> None:
    """Load demo data: MIMA 2027, Le Court d'Ici, Clés pour réussir, Culture Experience Days, members."""
    from server.demo import load

    created = asyncio.run(load(if_empty=if_empty))
    click.echo(created)


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", default="admin", type=click.Choice(["admin", "staff", "door"]))
def create_admin(email: str, name: str, password: str, role: str) -> None:
    """Create a staff account (the first admin, typically)."""
    from accounts.services import create_staff_user
    from lib.errors import ValidationFailed

    try:
        user = asyncio.run(create_staff_user(email=email, name=name, password=password, role=role))
    except ValidationFailed as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {user.role} {user.email}")


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
@click.option("--workers", default=1, type=int, help="Web worker processes (no state lives in them).")
@click.option(
    "--access-log/--no-access-log", default=False, help="Log every request (the proxy usually does)."
)
def serve(host: str, port: int, workers: int, access_log: bool) -> None:
    """Serve the web app (with the embedded job worker unless REDIS_URL/RABBITMQ_URL is set)."""
    import uvicorn

    from lib.settings import get_settings

    settings = get_settings()
    supervisor = None
    if settings.embedded_worker and settings.broker_kind == "stub":
        # The embedded default: the jobs' heavy work (PDFs, QR codes, mail) runs in its own process,
        # off the web processes' event loop and CPU; they leave their jobs in the outbox for it.
        os.environ["JOB_WORKER_PROCESS"] = "1"
        get_settings.cache_clear()
        supervisor = JobWorkerSupervisor(processes=settings.job_worker_processes)
        supervisor.start()
    try:
        uvicorn.run(**uvicorn_options(settings, host=host, port=port, workers=workers, access_log=access_log))
    finally:
        if supervisor:
            supervisor.stop()


class JobWorkerSupervisor:
    """Runs `processes` × `server.cli worker --embedded` beside the web processes and starts each again
    whenever it exits (crash, SIGKILL, out of memory): its jobs are in the outbox, and the new process
    resumes them (pending and dispatched ones at once, a job it was running once its lease has expired).
    Each process claims the jobs it runs from the outbox, so they never run one job twice."""

    RESTART_DELAY = 0.5

    def __init__(self, threads: int = 2, processes: int = 1) -> None:
        import threading

        self.threads = threads
        self.processes: list[subprocess.Popen[bytes] | None] = [None] * processes
        self.restarts = 0
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), name=f"job-worker-supervisor-{n}", daemon=True)
            for n in range(processes)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def _run(self, slot: int) -> None:
        while not self._stopping.is_set():
            args = [
                sys.executable,
                "-m",
                "server.cli",
                "worker",
                "--embedded",
                "--threads",
                str(self.threads),
            ]
            # Its own jobs' follow-ups (an order's mail job queues the email job) go straight to its
            # in-memory broker.
            env = {**os.environ, "JOB_WORKER_PROCESS": "0", "JOB_WORKER_PARENT": str(os.getpid())}
            process = self.processes[slot] = subprocess.Popen(args, cwd=ROOT, env=env)
            code = process.wait()
            if self._stopping.is_set():
                return
            self.restarts += 1
            click.echo(f"job worker process exited ({code}); starting it again", err=True)
            self._stopping.wait(self.RESTART_DELAY)

    def stop(self) -> None:
        self._stopping.set()
        running = [p for p in self.processes if p and p.poll() is None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for thread in self._threads:
            thread.join(timeout=5)


def uvicorn_options(settings: Any, *, host: str, port: int, workers: int, access_log: bool) -> dict[str, Any]:
    """How `serve` runs uvicorn: X-Forwarded-For/-Proto are believed only from FORWARDED_ALLOW_IPS."""
    from server.http import CoalescingHttpToolsProtocol

    return {
        "app": "server.app:serve_app",
        "factory": True,
        "http": CoalescingHttpToolsProtocol,  # one write per response (server/http.py)
        "host": host,
        "port": port,
        "workers": workers,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "log_level": "info",
        "access_log": access_log,
    }


@click.command("worker")
@click.option("--threads", default=4, type=int)
@click.option(
    "--embedded",
    is_flag=True,
    hidden=True,
    help="The embedded default's job worker process, started by `serve`: polls the outbox.",
)
def worker(threads: int, embedded: bool) -> None:
    """Run a job worker process (for Redis or RabbitMQ deployments; start as many as needed).

    It runs the jobs the web processes hand to the broker and sweeps the outbox every
    JOB_SWEEP_SECONDS, so jobs whose hand-over failed (broker down) still go out.
    """
    from lib import jobs
    from lib.db import close_pool, start_pool
    from lib.settings import get_settings

    settings = get_settings()
    if embedded and settings.job_worker_nice:
        os.nice(settings.job_worker_nice)
    if settings.broker_kind == "stub" and not embedded:
        click.echo(
            "warning: no REDIS_URL or RABBITMQ_URL: this process only sees jobs through its sweeps; "
            "the web process's embedded worker normally runs them",
            err=True,
        )

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await start_pool()
        w = jobs.EmbeddedWorker(threads=threads, poll_seconds=jobs.POLL_SECONDS if embedded else None)
        if embedded:
            # serve's pid, from serve: if serve died while this process was starting, it is already gone
            parent = int(os.environ.get("JOB_WORKER_PARENT") or os.getppid())

            async def exit_with_parent() -> None:  # `serve` was killed: do not outlive it
                while os.getppid() == parent:  # noqa: ASYNC110 (nothing to wait on but the pid)
                    await asyncio.sleep(1)
                stop.set()

            orphan_watch = asyncio.create_task(exit_with_parent())  # noqa: F841
        try:
            await w.start()
            click.echo(
                f"worker running on {jobs.broker.__class__.__name__} "
                f"(queue {jobs.QUEUE!r}, namespace {jobs.broker_namespace()!r}, {threads} threads, "
                f"sweep every {w.sweep_seconds:g}s)"
            )
            await stop.wait()
        finally:
            await w.stop()
            await close_pool()
        click.echo("worker stopped")

    asyncio.run(main())


def commands() -> list[click.Command]:
    return [migrate, load_demo, create_admin, serve, worker]


@click.group()
def main() -> None:
    """LE DAMIER events."""


for _command in commands():
    main.add_command(_command)

if __name__ == "__main__":
    main()
