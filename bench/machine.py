"""The machine a benchmark ran on, in one line for docs/benchmarks.md (shared by the bench scripts)."""

from __future__ import annotations

import os
import platform
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
