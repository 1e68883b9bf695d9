"""Secrets generated into var/ on first use: one value even when many threads and processes race."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lib.settings import ROOT, secret_from_var


def test_concurrent_first_use_agrees_on_one_secret(tmp_path: Path):
    with ThreadPoolExecutor(16) as pool:
        values = set(pool.map(lambda _: secret_from_var(tmp_path, "shared_secret"), range(64)))
    assert len(values) == 1
    assert (tmp_path / "shared_secret").read_text().strip() == values.pop()
    assert stat.S_IMODE(os.stat(tmp_path / "shared_secret").st_mode) == 0o600
    assert not list(tmp_path.glob("*.tmp"))


def test_processes_racing_for_the_ticket_key_share_it(tmp_path: Path):
    code = (
        "from ticketing.signing import sign, verify; print(verify(sign(ticket_id=1, event_id=2)).ticket_id)"
    )
    env = {**os.environ, "VAR_DIR": str(tmp_path), "TICKET_SIGNING_KEY": ""}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs) and outputs == ["1"] * 4
    assert (tmp_path / "ticket_signing_key").read_text().strip().startswith("1:")
