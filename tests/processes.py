"""Helpers for the tests that start real processes (infrastructure and concurrency tests): child
processes with the test environment, broker reachability. Their fixtures (`children`,
`empty_broker_queues`) are in tests/fixtures/processes.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

from tests.conftest import ROOT

# The test harness removes REDIS_URL/RABBITMQ_URL on the SQLite pass; the broker tests still use
# the local servers when they answer (they do on CI and on the dev machine).
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
RABBITMQ_URL = (
    os.environ.get("RABBITMQ_URL")
    or os.environ.get("TEST_RABBITMQ_URL")
    or "amqp://guest:guest@127.0.0.1:5672/"
)


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def closed_port() -> int:
    """A loopback port nothing listens on (a broker that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(**overrides: str | None) -> dict[str, str]:
    """The test process's environment (database, VAR_DIR, SMTP...) for a child process; None unsets."""
    env = {**os.environ, "PICCOLO_CONF": "piccolo_conf", "PYTHONUNBUFFERED": "1"}
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_python(code: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Child:
    """A long-running child process (worker, web server) whose output is kept in a file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"process exited ({self.proc.returncode}):\n{self.output()[-4000:]}")
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not seen in time:\n{self.output()[-4000:]}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"did not stop within {timeout}s:\n{self.output()[-4000:]}") from None
        self._out.close()
        return self.proc.returncode


def purge_broker(kind: str) -> None:
    """Delete this database's queues on the shared Redis or RabbitMQ server (no litter between runs)."""
    from lib.jobs import broker_namespace

    ns = broker_namespace()
    if kind == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{ns}:*"))
        if keys:
            client.delete(*keys)
    else:
        import pika

        connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
        channel = connection.channel()
        for queue in (ns, f"{ns}.DQ", f"{ns}.XQ"):
            channel.queue_delete(queue)
        connection.close()


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        found.update(int(c) for c in children)
    return found


def alive(pid: int) -> str:
    """The command line of a live (not zombie) process, or ''."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError):
        return ""
    return "" if state == "Z" else f"{state} {cmdline}"


def wait_until_serving(base: str, server, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise AssertionError(f"server exited ({server.proc.returncode}):\n{server.output()[-4000:]}")
        try:
            if httpx.get(f"{base}/schema/openapi.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server not up after {timeout}s:\n{server.output()[-4000:]}")
