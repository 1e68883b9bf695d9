"""Rewrite references to the kernel modules that moved from `server/` to `lib/` (issue 11, step A).

Idempotent and independent of what else a tree holds, so it can be re-run on a merged tree whose branches
were written against the old layout:

    .venv/bin/python tools/rewrite_kernel_imports.py            # rewrite every tracked and untracked .py
    .venv/bin/python tools/rewrite_kernel_imports.py --check    # list what would change, exit 1 if anything

What it rewrites, in every .py (and names and paths only in every .md) under the repository (not .venv):
- dotted names `server.X` (imports, `import server.X`, strings such as "server.mail" or monkeypatch targets,
  attribute access) -> `lib.X`, for X in KERNEL;
- `from server import a, b` -> `from lib import a` / `from server import b`, split by what moved;
- paths in comments and docstrings `server/X.py`, `server/fonts` -> `lib/...`.
Then `ruff check --select I --fix` and `ruff format` re-sort the touched files' imports (lib sorts before
server), when ruff is installed.

It does not move files: the move is done once with `git mv`; a branch that adds a new file under server/
that belongs in the kernel must move it by hand and add its name to KERNEL.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Modules (and folders) that moved from server/ to lib/.
KERNEL = (
    "csv_export",
    "db",
    "errors",
    "fonts",
    "i18n",
    "jobs",
    "mail",
    "pdf",
    "piccolo_app",
    "piccolo_migrations",
    "security",
    "settings",
    "tables",
    "templating",
    "validation",
)
SKIP_DIRS = {".venv", ".git", "node_modules", "__pycache__", "var", "build", "dist"}
# This script and its test name the old paths on purpose.
SKIP_FILES = {Path("tools/rewrite_kernel_imports.py"), Path("tests/test_rewrite_kernel_imports.py")}

_NAMES = "|".join(sorted(KERNEL, key=len, reverse=True))
DOTTED = re.compile(rf"(?<![\w.])server\.({_NAMES})(?!\w)")
SLASHED = re.compile(rf"(?<![\w./])server/({_NAMES})(?=\.py\b|/|\b)")


def _render(indent: str, module: str, aliases: list[ast.alias]) -> str:
    names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in aliases)
    return f"{indent}from {module} import {names}"


def _split_from_server(source: str) -> str:
    """`from server import a, b` -> one import from lib (moved names) and one from server (the rest)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module == "server" and node.level == 0):
            continue
        moved = [a for a in node.names if a.name in KERNEL]
        if not moved:
            continue
        stayed = [a for a in node.names if a.name not in KERNEL]
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        head = lines[first]
        indent = head[: len(head) - len(head.lstrip())]
        tail = lines[last][node.end_col_offset :].rstrip("\n") if node.end_col_offset is not None else ""
        comment = tail if tail.strip().startswith("#") else ""

        out = [_render(indent, "lib", moved) + comment]
        if stayed:
            out.append(_render(indent, "server", stayed))
        edits.append((first, last, "\n".join(out) + "\n"))
    for first, last, text in sorted(edits, reverse=True):
        lines[first : last + 1] = [text]
    return "".join(lines)


# The same inside strings (code run in a subprocess), one line at a time: `from server import a, b as c`.
FROM_SERVER_LINE = re.compile(r"^([ \t]*)from server import ([\w, ]+?)([ \t]*(?:#.*)?)$", re.M)


def _split_line(match: re.Match[str]) -> str:
    indent, names, tail = match.groups()
    aliases = []
    for part in names.split(","):
        name, _, asname = part.strip().partition(" as ")
        aliases.append(ast.alias(name=name.strip(), asname=asname.strip() or None))
    moved = [a for a in aliases if a.name in KERNEL]
    if not moved:
        return match.group(0)
    stayed = [a for a in aliases if a.name not in KERNEL]
    out = [_render(indent, "lib", moved) + tail]
    if stayed:
        out.append(_render(indent, "server", stayed))
    return "\n".join(out)


def rewrite(source: str, *, python: bool = True) -> str:
    if not python:  # documentation: names and paths only
        return SLASHED.sub(r"lib/\1", DOTTED.sub(r"lib.\1", source))
    source = _split_from_server(source)
    source = FROM_SERVER_LINE.sub(_split_line, source)
    source = DOTTED.sub(r"lib.\1", source)
    return SLASHED.sub(r"lib/\1", source)


def python_files(root: Path) -> list[Path]:
    found = []
    for path in [*root.rglob("*.py"), *root.rglob("*.md")]:
        rel = path.relative_to(root)
        if SKIP_DIRS.intersection(rel.parts) or rel in SKIP_FILES:
            continue
        found.append(path)
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list the files that would change")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    changed: list[Path] = []
    for path in python_files(args.root):
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, python=path.suffix == ".py")
        if new != text:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(path.relative_to(args.root))
    if args.check:
        return 1 if changed else 0
    # the ruff beside this Python (the project's venv), else the repository's venv, else PATH
    candidates = [Path(sys.executable).parent / "ruff", args.root / ".venv" / "bin" / "ruff"]
    ruff = next((str(c) for c in candidates if c.exists()), shutil.which("ruff") or "")
    files = [str(p) for p in changed if p.suffix == ".py"]
    if files and ruff:
        subprocess.run(
            [ruff, "check", "--select", "I", "--fix", "--quiet", *files], cwd=args.root, check=False
        )
        subprocess.run([ruff, "format", "--quiet", *files], cwd=args.root, check=False)
    print(f"{len(changed)} file(s) rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
