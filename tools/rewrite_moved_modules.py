"""Rewrite references to modules moved in issue 11 step B (pages and APIs into their domains, engines and
hot paths into packages), for branches written against the old layout. Idempotent:

    .venv/bin/python tools/rewrite_moved_modules.py            # rewrite every .py under the repository
    .venv/bin/python tools/rewrite_moved_modules.py --check    # list what would change, exit 1 if anything

Dotted module names (imports, strings, monkeypatch targets) are rewritten; names that moved to another
module of the same package (e.g. `order_json` from `ticketing.api` to `ticketing.order_views`) are not:
ruff's undefined-name check finds them after the run.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOVES = {
    "ticketing.controllers": "ticketing.api",
    "web.controllers.ticketing": "ticketing.pages",
    "events.controllers": "events.api",
    "web.controllers.public": "events.pages.public",
    "web.controllers.staff_events": "events.pages.staff",
    "scheduling.controllers": "scheduling.api",
    "web.controllers.scheduling": "scheduling.pages",
    "web.controllers.personal": "personal.pages",
    "scheduling.core": "scheduling.engine.prepared",
    "scheduling.model": "scheduling.engine.model",
    "scheduling.pairs": "scheduling.engine.pairs",
    "scheduling.solver": "scheduling.engine.solver",
    "scheduling.greedy": "scheduling.engine.greedy",
    "checkin.fastlane": "checkin.hotpath.lane",
    "checkin.hotpool": "checkin.hotpath.pool",
}
# `from scheduling import model` and the like: the submodule now lives in a subpackage.
FROM_PACKAGE = {"scheduling": ("scheduling.engine", {"model", "pairs", "solver", "greedy"})}
SKIP_DIRS = {".venv", ".git", "node_modules", "__pycache__", "var", "build", "dist"}
SELF = Path("tools/rewrite_moved_modules.py")

DOTTED = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(k) for k in sorted(MOVES, key=len, reverse=True)) + r")(?![\w])"
)


def _split_from_import(m: re.Match[str], package: str, target: str, moved: set[str]) -> str:
    names = [n.strip() for n in m.group(2).split(",")]
    here = [n for n in names if n.split(" as ")[0] not in moved]
    there = [n for n in names if n.split(" as ")[0] in moved]
    if not there:
        return m.group(0)
    lines = [f"{m.group(1)}from {target} import {', '.join(there)}"]
    if here:
        lines.insert(0, f"{m.group(1)}from {package} import {', '.join(here)}")
    return "\n".join(lines)


def rewrite(text: str) -> str:
    text = DOTTED.sub(lambda m: MOVES[m.group(1)], text)
    for package, (target, moved) in FROM_PACKAGE.items():
        pattern = rf"^( *)from {re.escape(package)} import ([^\n(]+)$"
        text = re.sub(
            pattern,
            lambda m, p=package, t=target, mv=moved: _split_from_import(m, p, t, mv),
            text,
            flags=re.M,
        )
    return text


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    changed = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel == SELF or any(part in SKIP_DIRS for part in rel.parts):
            continue
        old = path.read_text()
        new = rewrite(old)
        if new != old:
            changed.append(str(rel))
            if not args.check:
                path.write_text(new)
    print("\n".join(changed))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
