"""The machine a benchmark ran on, in one line for docs/benchmarks.md, and the CPU its processes used
(shared by the bench scripts)."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def describe() -> str:
    try:
        highs = version("highspy")
    except PackageNotFoundError:
        highs = "?"
    load = os.getloadavg()
    return (
        f"nproc={os.cpu_count()}; cpu={cpu_model()}; python {platform.python_version()}; HiGHS (highspy) {highs}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def descendants(root: int) -> list[str]:
    """root and every process below it (the server and its uvicorn workers)."""
    children: dict[str, list[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(fields[1], []).append(stat.parent.name)
    found, todo = [], [str(root)]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def process_cpu(pid: int | str) -> float:
    """User + system CPU seconds used so far by one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pattern: str, root: int | None = None) -> float:
    """CPU seconds used so far by the processes whose command line matches (or, with root, by that
    process and its descendants: on a shared machine other runs spawn workers too)."""
    if root is not None:
        pids = descendants(root)
    else:
        pids = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    return sum(process_cpu(pid) for pid in pids)


def cpu_by_role(root: int) -> dict[str, float]:
    """CPU seconds so far of a `serve` tree by role (its web workers, its embedded job worker) and of
    every PostgreSQL process on the machine."""
    roles = {"web workers": 0.0, "job worker": 0.0}
    for pid in descendants(root):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"--embedded" in command:
            roles["job worker"] += process_cpu(pid)
        elif b"multiprocessing" in command:
            roles["web workers"] += process_cpu(pid)
    roles["postgres"] = cpu_seconds("postgres")
    return roles
