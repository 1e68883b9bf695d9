"""Rewrite references to the member register, which moved from `events/` into the `members/` app (issue 11, B).

Idempotent and independent of what else a tree holds, so it can be re-run on a merged tree whose branches
were written against the old layout:

    .venv/bin/python tools/rewrite_member_imports.py            # rewrite every .py, .html and .md
    .venv/bin/python tools/rewrite_member_imports.py --check    # list what would change, exit 1 if anything

What moved (old -> new):
- events.membership was split by capability: members.register (bands, dues rate, field rules,
  organisations), members.people (people), members.standing (dues paid, good standing); each name goes
  where it now lives (NAME_TO_MODULE; two private helpers became public: _lock_organisation ->
  lock_organisation, _person_by_email -> person_by_email; normalize_email comes from lib.tokens);
- events.register_csv -> members.register_csv; events.membership_controllers -> members.api;
  web.controllers.staff_members -> members.pages;
- events.tables: COLLEGES, Organisation, MembershipYear, Person -> members.tables (the rest stays);
- templates staff/members.html, staff/members_import.html, staff/organisation.html,
  staff/organisation_new.html, staff/_organisation_fields.html -> members/... (TEMPLATES).

How, in every .py: `from events.membership import a, b` and `from events.tables import Event, Person` are
split by where each name lives; `from events import membership` becomes `from members import register,
standing` (the modules the file uses) and each `membership.X` becomes `register.X` / `standing.X`
(`member_register` etc. when the file already uses that word as a name); dotted names in strings
(monkeypatch targets) and paths in comments are rewritten too. Then `ruff check --select I --fix` and
`ruff format` re-sort the touched files' imports, when ruff is installed. It does not move files.
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

REGISTER = (
    "REVENUE_BANDS REVENUE_BAND_LABELS PUBLIC_EMAIL_DOMAINS PERSON_LOCALES EMAIL_RE DOMAIN_RE URL_RE MIN_YEAR "
    "MAX_YEAR today dues_cents dues_table unknown_band_message unknown_college_message email_error "
    "email_domain_of parse_college ORGANISATION_FIELDS PERSON_FIELDS clean_organisation clean_person "
    "year_error paid_on_error lock_organisation organisation_name_taken email_domain_taken get_organisation "
    "create_organisation update_organisation list_organisations"
).split()
PEOPLE = "person_by_email get_person create_person update_person list_people".split()
STANDING = (
    "membership_years membership_years_by_org Payment record_membership_payment OrganisationRef Standing "
    "membership_standing is_member_in_good_standing"
).split()
# name in events.membership -> (new module, new name)
NAME_TO_MODULE: dict[str, tuple[str, str]] = {
    **{n: ("members.register", n) for n in REGISTER},
    **{n: ("members.people", n) for n in PEOPLE},
    **{n: ("members.standing", n) for n in STANDING},
    "_lock_organisation": ("members.register", "lock_organisation"),
    "_person_by_email": ("members.people", "person_by_email"),
    "normalize_email": ("lib.tokens", "normalize_email"),
}
OLD_MEMBERSHIP = "events.membership"
# whole modules renamed
MODULES = {
    "events.membership_controllers": "members.api",
    "events.register_csv": "members.register_csv",
    "web.controllers.staff_members": "members.pages",
}
MOVED_TABLE_NAMES = ("COLLEGES", "Organisation", "MembershipYear", "Person")
PATHS = {
    "events/membership_controllers.py": "members/api.py",
    "events/register_csv.py": "members/register_csv.py",
    "events/membership.py": "members/register.py",
    "web/controllers/staff_members.py": "members/pages.py",
}
TEMPLATES = {
    "staff/members.html": "members/staff_list.html",
    "staff/members_import.html": "members/staff_import.html",
    "staff/organisation.html": "members/staff_organisation.html",
    "staff/organisation_new.html": "members/staff_organisation_new.html",
    "staff/_organisation_fields.html": "members/_organisation_fields.html",
}
SKIP_DIRS = {".venv", ".git", "node_modules", "__pycache__", "var", "build", "dist"}
SKIP_FILES = {Path("tools/rewrite_member_imports.py"), Path("tests/test_rewrite_member_imports.py")}


def _alias_text(name: str, asname: str | None) -> str:
    return name + (f" as {asname}" if asname and asname != name else "")


def _from_lines(indent: str, groups: dict[str, list[str]]) -> list[str]:
    return [f"{indent}from {module} import {', '.join(names)}" for module, names in groups.items()]


def _split_names(module: str, aliases: list[tuple[str, str | None]]) -> dict[str, list[str]]:
    """`from <old module> import names` -> {new module: [names]} (order kept)."""
    groups: dict[str, list[str]] = {}
    for name, asname in aliases:
        if module == OLD_MEMBERSHIP:
            target, new = NAME_TO_MODULE.get(name, ("members.register", name))
            # a renamed private name keeps the caller's spelling through an alias
            text = _alias_text(new, asname or (name if new != name else None))
        elif module == "events.tables":
            target = "members.tables" if name in MOVED_TABLE_NAMES else "events.tables"
            text = _alias_text(name, asname)
        else:
            target, text = MODULES[module], _alias_text(name, asname)
        groups.setdefault(target, []).append(text)
    return groups


def _needs_split(module: str, aliases: list[tuple[str, str | None]]) -> bool:
    if module in (OLD_MEMBERSHIP, *MODULES):
        return True
    return module == "events.tables" and any(n in MOVED_TABLE_NAMES for n, _a in aliases)


def _names_in(tree: ast.AST) -> set[str]:
    """Every name a module binds or reads (variables, arguments, functions, classes, imports)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.partition(".")[0])
    return names


def _module_alias(names: set[str], module: str) -> str:
    """The local name for members.<module>: the module's own name unless the file uses that name already."""
    short = module.rpartition(".")[2]
    return f"member_{short}" if short in names else short


def _rewrite_from_events(source: str) -> str:
    """`from events import membership, register_csv, services` -> members modules, and `membership.X` uses."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    nodes = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom)
        and n.level == 0
        and (
            (n.module == "events" and any(a.name in ("membership", "register_csv") for a in n.names))
            or (n.module == "web.controllers" and any(a.name == "staff_members" for a in n.names))
        )
    ]
    if not nodes:
        return source
    lines = source.splitlines(keepends=True)
    local_membership = [
        a.asname or a.name for n in nodes for a in n.names if n.module == "events" and a.name == "membership"
    ]
    # which new modules `membership.X` needs, and their local names
    used: dict[str, str] = {}
    names = _names_in(tree)
    for local in local_membership:
        for name in re.findall(rf"(?<![\w.]){re.escape(local)}\.(\w+)", source):
            module = NAME_TO_MODULE.get(name, ("members.register", name))[0]
            used.setdefault(module, "")
    for module in used:
        used[module] = _module_alias(names, module)
    edits: list[tuple[int, int, str]] = []
    for node in nodes:
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        head = lines[first]
        indent = head[: len(head) - len(head.lstrip())]
        out: list[str] = []
        stayed = []
        for alias in node.names:
            if node.module == "events" and alias.name == "membership":
                continue
            if node.module == "events" and alias.name == "register_csv":
                out.append(f"{indent}from members import {_alias_text('register_csv', alias.asname)}")
            elif node.module == "web.controllers" and alias.name == "staff_members":
                out.append(f"{indent}from members import pages as {alias.asname or 'staff_members'}")
            else:
                stayed.append(_alias_text(alias.name, alias.asname))
        if any(a.name == "membership" for a in node.names) and node.module == "events":
            for module, local in used.items():
                short = module.rpartition(".")[2]
                parent = module.rpartition(".")[0]
                out.append(f"{indent}from {parent} import {_alias_text(short, local)}")
        if stayed:
            out.insert(0, f"{indent}from {node.module} import {', '.join(stayed)}")
        edits.append((first, last, "\n".join(out) + "\n" if out else ""))
    for first, last, text in sorted(edits, reverse=True):
        lines[first : last + 1] = [text]
    source = "".join(lines)
    for local in local_membership:

        def attribute(match: re.Match[str]) -> str:
            module, new = NAME_TO_MODULE.get(match.group(1), ("members.register", match.group(1)))
            return f"{used[module]}.{new}"

        source = re.sub(rf"(?<![\w.]){re.escape(local)}\.(\w+)", attribute, source)
    return source


def _rewrite_from_modules(source: str) -> str:
    """`from events.membership import a, b` (and the other moved modules, and events.tables) split by name."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module):
            continue
        aliases = [(a.name, a.asname) for a in node.names]
        if not _needs_split(node.module, aliases):
            continue
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        head = lines[first]
        indent = head[: len(head) - len(head.lstrip())]
        tail = lines[last][node.end_col_offset :].rstrip("\n") if node.end_col_offset is not None else ""
        comment = tail if tail.strip().startswith("#") else ""
        out = _from_lines(indent, _split_names(node.module, aliases))
        out[0] += comment
        edits.append((first, last, "\n".join(out) + "\n"))
    for first, last, text in sorted(edits, reverse=True):
        lines[first : last + 1] = [text]
    return "".join(lines)


# The same inside strings (code run in a subprocess), one line at a time.
FROM_LINE = re.compile(
    r"^([ \t]*)from (events\.membership|events\.register_csv|events\.membership_controllers|events\.tables)"
    r" import ([\w, ]+?)([ \t]*(?:#.*)?)$",
    re.M,
)


def _split_line(match: re.Match[str]) -> str:
    indent, module, names, tail = match.groups()
    aliases: list[tuple[str, str | None]] = []
    for part in names.split(","):
        name, _, asname = part.strip().partition(" as ")
        aliases.append((name.strip(), asname.strip() or None))
    if not _needs_split(module, aliases):
        return match.group(0)
    out = _from_lines(indent, _split_names(module, aliases))
    out[0] += tail
    return "\n".join(out)


DOTTED_NAME = re.compile(r"(?<![\w.])events\.membership\.(\w+)")
DOTTED_MODULE = re.compile(
    r"(?<![\w.])(events\.membership_controllers|events\.register_csv|web\.controllers\.staff_members)(?!\w)"
)
DOTTED_TABLE = re.compile(rf"(?<![\w.])events\.tables\.({'|'.join(MOVED_TABLE_NAMES)})(?!\w)")
PATH = re.compile(r"(?<![\w./])(" + "|".join(re.escape(p) for p in PATHS) + r")")
TEMPLATE = re.compile(r"(?<![\w./])(" + "|".join(re.escape(t) for t in TEMPLATES) + r")")


def _dotted(source: str) -> str:
    def name(match: re.Match[str]) -> str:
        module, new = NAME_TO_MODULE.get(match.group(1), ("members.register", match.group(1)))
        return f"{module}.{new}"

    source = DOTTED_NAME.sub(name, source)
    source = DOTTED_MODULE.sub(lambda m: MODULES[m.group(1)], source)
    source = DOTTED_TABLE.sub(r"members.tables.\1", source)
    source = PATH.sub(lambda m: PATHS[m.group(1)], source)
    source = TEMPLATE.sub(lambda m: TEMPLATES[m.group(1)], source)
    # what is left of the old module's name (prose): the register
    return re.sub(r"(?<![\w.])events\.membership(?![\w.])", "members.register", source)


def rewrite(source: str, *, python: bool = True) -> str:
    if not python:  # documentation and templates: names and paths only
        return _dotted(source)
    source = _rewrite_from_events(source)
    source = _rewrite_from_modules(source)
    source = FROM_LINE.sub(_split_line, source)
    return _dotted(source)


def project_files(root: Path) -> list[Path]:
    found = []
    for path in [*root.rglob("*.py"), *root.rglob("*.md"), *root.rglob("*.html")]:
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
    for path in project_files(args.root):
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
