"""Who may import whom (docs/architecture.md), checked on the source of every module with ast.

- lib/ (the kernel) imports no domain and nothing from server/ (the wiring);
- a domain (accounts, events, ... every app of server/apps.py) imports lib/, other domains, never server/;
- no module imports a private name (`_x`) of another module;
- no import cycle between modules (function-level imports count: they hide a cycle, they do not remove it).

The ALLOWED_* lists below are empty: an exception would need an entry there with its reason, and an entry
that is no longer needed fails the test too, so the lists only shrink.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from server.apps import APPS

ROOT = Path(__file__).resolve().parent.parent
KERNEL = "lib"
WIRING = "server"
# Top-level code that is not part of the running system.
OUTSIDE = {"tests", "bench", "tools", "docs", "var", "build", "dist"}

# ---- exceptions (none today) -----------------------------------------------------------------------------
# (importer, imported module): a domain still importing the wiring.
ALLOWED_DOMAIN_TO_SERVER: set[tuple[str, str]] = set()
# (importer, imported module, name): private names used across modules.
ALLOWED_PRIVATE_IMPORTS: set[tuple[str, str, str]] = set()
# Import cycles (strongly connected groups of modules) that exist today; a group may shrink, not grow.
ALLOWED_CYCLES: list[frozenset[str]] = []


@dataclass(frozen=True)
class Import:
    importer: str
    module: str  # the module imported (a submodule when `from pkg import submodule`)
    names: tuple[str, ...]  # names taken from it (empty for `import x`)
    lineno: int
    top_level: bool  # False inside a function (a lazy import)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in OUTSIDE or rel.parts[0].startswith(".") or len(rel.parts) == 1:
            continue
        if "piccolo_migrations" in rel.parts or "__pycache__" in rel.parts:
            continue
        found[module_name(path)] = path
    return found


MODULES = project_modules()
PACKAGES = {name.split(".")[0] for name in MODULES}


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    is_package = MODULES[importer].name == "__init__.py"
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def is_private(name: str) -> bool:
    """`_x` is private; `_` alone is gettext's conventional name, `__x__` is Python's."""
    return name.startswith("_") and name.strip("_") != "" and not name.endswith("__")


def imports_of(name: str) -> list[Import]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    found = []
    # Names bound to project modules (`from ticketing import orders`, `import lib.jobs as jobs`), so that
    # `orders._email` counts as taking the private name _email from ticketing.orders.
    module_aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    found.append(Import(name, alias.name, (), node.lineno, id(node) in top))
                    if alias.asname:
                        module_aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(name, node)
            if module.split(".")[0] not in PACKAGES:
                continue
            plain = []
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                if sub in MODULES:  # `from pkg import submodule`
                    found.append(Import(name, sub, (), node.lineno, id(node) in top))
                    module_aliases[alias.asname or alias.name] = sub
                else:
                    plain.append(alias.name)
            if plain:
                found.append(Import(name, module, tuple(plain), node.lineno, id(node) in top))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
            and is_private(node.attr)
        ):
            found.append(Import(name, module_aliases[node.value.id], (node.attr,), node.lineno, False))
    return found


ALL_IMPORTS = [imp for name in sorted(MODULES) for imp in imports_of(name)]


def top(module: str) -> str:
    return module.split(".")[0]


def test_the_scan_sees_the_project():
    assert {"lib.db", "lib.jobs", "server.apps", "events.services"} <= MODULES.keys()
    assert any(i.importer == "server.core" and i.module == "lib.settings" for i in ALL_IMPORTS)


def test_the_kernel_imports_no_domain_and_no_wiring():
    bad = [
        f"{i.importer}:{i.lineno} imports {i.module}"
        for i in ALL_IMPORTS
        if top(i.importer) == KERNEL and top(i.module) != KERNEL
    ]
    assert not bad, (
        "lib/ must not import domains or server/ (pass what it needs in, or register it):\n" + "\n".join(bad)
    )


def test_domains_do_not_import_the_wiring():
    found = {
        (i.importer, i.module): f"{i.importer}:{i.lineno} imports {i.module}"
        for i in ALL_IMPORTS
        if top(i.importer) not in (KERNEL, WIRING) and top(i.module) == WIRING
    }
    new = [line for pair, line in found.items() if pair not in ALLOWED_DOMAIN_TO_SERVER]
    assert not new, "a domain imports server/ (move what it needs into lib/):\n" + "\n".join(new)
    stale = ALLOWED_DOMAIN_TO_SERVER - found.keys()
    assert not stale, f"fixed: remove from ALLOWED_DOMAIN_TO_SERVER: {sorted(stale)}"


def test_no_private_names_across_modules():
    found: dict[tuple[str, str, str], str] = {}
    for i in ALL_IMPORTS:
        for n in i.names:
            if is_private(n) and i.module != i.importer:
                found[(i.importer, i.module, n)] = f"{i.importer}:{i.lineno} imports {n} from {i.module}"
    new = [line for entry, line in sorted(found.items()) if entry not in ALLOWED_PRIVATE_IMPORTS]
    assert not new, (
        "private names imported from another module (make them public or move them):\n" + "\n".join(new)
    )
    stale = ALLOWED_PRIVATE_IMPORTS - found.keys()
    assert not stale, f"fixed: remove from ALLOWED_PRIVATE_IMPORTS: {sorted(stale)}"


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for i in ALL_IMPORTS:
        target = i.module
        while target and target not in MODULES:  # `from pkg.mod import name` of a module we know
            target = target.rpartition(".")[0]
        if target and target != i.importer:
            graph[i.importer].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[frozenset[str]] = []
    counter = 0
    for start in sorted(MODULES):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(frozenset(group))
    return groups


def test_cycle_finder_finds_a_cycle():
    graph = {"lib.a": {"lib.b"}, "lib.b": {"lib.a"}}
    global MODULES
    saved = MODULES
    MODULES = {"lib.a": Path("a"), "lib.b": Path("b")}
    try:
        assert cycles(graph) == [frozenset({"lib.a", "lib.b"})]
    finally:
        MODULES = saved


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)

    def path_of(group: frozenset[str]) -> str:
        return " ; ".join(f"{m} -> {', '.join(sorted(graph[m] & group))}" for m in sorted(group))

    new = [g for g in found if not any(g <= allowed for allowed in ALLOWED_CYCLES)]
    assert not new, "import cycles (break them: move the shared part down, or pass it in):\n" + "\n".join(
        path_of(g) for g in new
    )
    stale = [sorted(a) for a in ALLOWED_CYCLES if not any(g & a for g in found)]
    assert not stale, f"fixed: remove from ALLOWED_CYCLES: {stale}"


# ---- the registry against the files that cannot read it ----------------------------------------------------
def test_every_piccolo_app_is_registered():
    on_disk = {p.parent.name for p in ROOT.glob("*/piccolo_app.py")}
    assert on_disk <= {*APPS, KERNEL}, (
        f"add these to server/apps.py APPS: {sorted(on_disk - {*APPS, KERNEL})}"
    )


def test_babel_cfg_and_pyproject_cover_every_app():
    cfg = configparser.RawConfigParser()
    cfg.read(ROOT / "babel.cfg")
    python_sections = {s for s in cfg.sections() if s.startswith("python:")}
    with open(ROOT / "pyproject.toml", "rb") as f:
        include = tomllib.load(f)["tool"]["setuptools"]["packages"]["find"]["include"]
    for app in (KERNEL, WIRING, *APPS):
        assert f"python: **/{app}/**.py" in python_sections, f"babel.cfg: add [python: **/{app}/**.py]"
        assert f"{app}*" in include, f'pyproject.toml [tool.setuptools.packages.find] include: add "{app}*"'


# ---- pooled connections carry no session state (lib.db.keep_session skips asyncpg's reset query) ----------
# SQL keywords in upper case, as the code writes them (a docstring saying "Set the ..." is no statement).
SESSION_STATE_SQL = re.compile(
    r"^\s*(SET|RESET)\s+(?!LOCAL\b)\w|\bLISTEN\s|\bpg_(try_)?advisory_lock(_shared)?\s*\(|\bWITH\s+HOLD\b"
    r"|\bset_config\s*\([^)]*\bfalse\s*\)",
    re.MULTILINE,
)


def session_state_statements(source: str) -> list[str]:
    """The string literals of a module that would leave state on a pooled connection."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SESSION_STATE_SQL.search(node.value)
    ]


def test_the_session_state_scan_finds_what_it_looks_for():
    found = session_state_statements(
        'A = "SET statement_timeout = 5"\nB = f"SELECT pg_advisory_lock({x})"\nC = "LISTEN jobs"\n'
        'OK = "SET LOCAL lock_timeout = 1"\nOK2 = "UPDATE t SET a = 1"\nOK3 = "pg_advisory_xact_lock(1)"\n'
    )
    assert sorted(found) == ["LISTEN jobs", "SELECT pg_advisory_lock(", "SET statement_timeout = 5"]


def test_no_statement_leaves_state_on_a_pooled_connection():
    found = {
        name: hits
        for name, path in MODULES.items()
        if (hits := session_state_statements(path.read_text("utf-8")))
    }
    assert not found, f"session state on pooled connections (see lib.db.keep_session): {found}"
