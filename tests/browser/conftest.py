"""Browser tests: the real server (uvicorn via `python -m server.cli serve`) on a free port, driven by
Playwright in headless Debian chromium (never a downloaded browser).

The server shares the tests' environment (VAR_DIR, SQLITE_PATH, DATABASE_URL, SMTP_URL are set by
tests/conftest.py) and so their database; the demo data is loaded after the per-test truncation.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, TMP, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"]


@dataclass
class LiveServer:
    url: str
    admin_email: str
    admin_password: str


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/events", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def live_server(clean_db, request) -> Iterator[LiveServer]:  # noqa: ARG001 (runs after the truncation)
    """The server; a test module may define a `live_server_env` fixture ({name: value, or None to
    remove it}) to run it with other settings (no Stripe keys, bank details...)."""
    from server import demo

    env = {**os.environ, "PICCOLO_CONF": "piccolo_conf", "PYTHONUNBUFFERED": "1"}
    try:
        changes = request.getfixturevalue("live_server_env")
    except pytest.FixtureLookupError:
        changes = {}
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    loaded = subprocess.run(
        [sys.executable, "-m", "server.cli", "load-demo", "--if-empty"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    assert "Demo staff login: admin@ledamier.fr / " in loaded.stdout, loaded.stdout
    port = free_port()
    log = TMP / f"live-server-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        password = (demo.password_file()).read_text().strip()
        yield LiveServer(url=url, admin_email=demo.DEMO_ADMIN_EMAIL, admin_password=password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def browser_page(tmp_path) -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make system-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            accept_downloads=True, locale="fr-FR", viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def assert_no_horizontal_overflow(page, screenshot: Path | None = None) -> None:
    """At the page's current width: nothing wider than the viewport (no sideways scrolling)."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)
    assert widths[0] <= widths[1], f"horizontal overflow: {widths[0]} px wide for a {widths[1]} px viewport"
