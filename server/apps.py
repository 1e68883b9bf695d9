"""The one list of the project's apps: the kernel's tables and the domains.

Everything that needs "every app" reads it: piccolo_conf.py (tables and migrations), server/core.py (routes),
lib.jobs (job handler modules, through piccolo_conf.JOB_MODULES), `load-demo` (each app's demo.py), and
tests/test_architecture.py checks babel.cfg and pyproject.toml against it (they cannot read Python).

Adding a domain = one line in APPS. What an app provides is found by convention, by the modules it has:
- `<app>/piccolo_app.py`  its tables and migrations (a Piccolo app);
- `<app>/controllers.py`, `<app>/api.py` (JSON) or `<app>/pages.py` (HTML) with ROUTES  its HTTP routes;
- `<app>/jobs.py`  job handlers (`@job_handler`) and periodic housekeeping (`@periodic`);
- `<app>/demo.py` with `async def load() -> str | None`  its demo data (server/demo.py loads the register,
  the events and the speed-meeting first, which the others need, then runs every load() in APPS order);
- `<app>/duplicate.py` with `async def copy_edition(source_event_id, new_event_id, shift)`  its part of a
  new edition copied from the previous one (lib.editions, through piccolo_conf.EDITION_MODULES).
This module imports no app: it only names them (so piccolo_conf can read it in any process).
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

# Order matters: routes are registered and migrations run in this order (a domain after what it references).
APPS: tuple[str, ...] = (
    "accounts",
    "members",  # the register: events, ticketing, dues... reference its tables
    "events",
    "ticketing",
    "scheduling",
    "checkin",
    "personal",  # the personal space (/me): reads ticketing, scheduling and accounts, owns no table
    "web",  # the layout, shared page helpers, static files and catalogues
    "juries",
    "stands",
    "hackathon",
    "projects",
    "commissions",
    "dues",
    "figures",  # the year's figures: reads every domain above, owns no table
)
# Modules of an app that may hold ROUTES: JSON (api), HTML (pages), or both while not yet split.
ROUTE_LEAVES: tuple[str, ...] = ("controllers", "api", "pages")
# The kernel's own tables (job outbox, rate-limit counters: Piccolo app "core") first, third-party last.
KERNEL_PICCOLO_APPS: tuple[str, ...] = ("lib.piccolo_app",)
EXTERNAL_PICCOLO_APPS: tuple[str, ...] = ("piccolo_admin.piccolo_app",)
# Kernel modules that register job handlers themselves.
KERNEL_JOB_MODULES: tuple[str, ...] = ("lib.mail",)


def has_module(name: str) -> bool:
    """Whether a module exists (without importing it; its parent package is imported)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def modules_named(leaf: str) -> list[str]:
    """`<app>.<leaf>` for every app that has it, in APPS order."""
    return [f"{app}.{leaf}" for app in APPS if has_module(f"{app}.{leaf}")]


def piccolo_apps() -> list[str]:
    return [*KERNEL_PICCOLO_APPS, *modules_named("piccolo_app"), *EXTERNAL_PICCOLO_APPS]


def job_modules() -> list[str]:
    return [*KERNEL_JOB_MODULES, *modules_named("jobs")]


def route_modules() -> list[ModuleType]:
    """Every app's controllers, api and pages modules that have ROUTES (imported)."""
    found = []
    names = [f"{app}.{leaf}" for app in APPS for leaf in ROUTE_LEAVES if has_module(f"{app}.{leaf}")]
    for name in names:
        module = importlib.import_module(name)
        if hasattr(module, "ROUTES"):
            found.append(module)
    return found


def edition_modules() -> list[str]:
    """Every app's `duplicate` module: what it copies of an edition into the next one (lib.editions)."""
    return modules_named("duplicate")


def demo_modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in modules_named("demo")]
