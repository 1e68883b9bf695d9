"""Demo data for `make run` (`python -m server.cli load-demo --if-empty`): the wiring of each app's demo.

Every app keeps its demo data in its own `<app>/demo.py`, through its services, so the demo obeys the same
rules as the back office. Names, companies and people are fictional; their email addresses use the
reserved `.example` top-level domain so no real mailbox ever receives anything. This module holds what is
nobody's: the demo staff account, the order of loading, and the summary printed by `load-demo`.

The demo staff login is admin@ledamier.fr; its password is generated on first run into
var/demo_admin_password (mode 0600, never committed) and printed with the summary.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from events.demo import PARIS, at
from lib import jobs
from lib.settings import get_settings

# PARIS and at() moved to events.demo with the events; re-exported for callers that build demo dates here.
__all__ = [
    "DEMO_ADMIN_EMAIL",
    "DEMO_ADMIN_NAME",
    "PARIS",
    "PASSWORD_FILE",
    "at",
    "demo_password",
    "ensure_demo_admin",
    "load",
    "password_file",
]

DEMO_ADMIN_EMAIL = "admin@ledamier.fr"
DEMO_ADMIN_NAME = "Administrateur démo"
PASSWORD_FILE = "demo_admin_password"


# ---- staff login ----------------------------------------------------------------------------------
def password_file() -> Path:
    return get_settings().var_dir / PASSWORD_FILE


def demo_password() -> str:
    """The demo admin password from var/, generated (mode 0600) on first use."""
    path = password_file()
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(12)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


async def ensure_demo_admin(create: bool = True) -> str:
    """Create admin@ledamier.fr when missing (if `create`); return the login line to print."""
    from accounts.services import create_staff_user
    from accounts.tables import StaffUser

    if await StaffUser.exists().where(StaffUser.email == DEMO_ADMIN_EMAIL):
        if password_file().exists():
            return f"Demo staff login: {DEMO_ADMIN_EMAIL} / {demo_password()} (saved in {password_file()})"
        return f"Demo staff login: {DEMO_ADMIN_EMAIL} (account created earlier; password not in var/)"
    if not create:
        return "No demo staff account (create one with `python -m server.cli create-admin`)."
    password = demo_password()
    await create_staff_user(email=DEMO_ADMIN_EMAIL, name=DEMO_ADMIN_NAME, password=password, role="admin")
    return f"Demo staff login: {DEMO_ADMIN_EMAIL} / {password} (saved in {password_file()})"


async def load(if_empty: bool = True) -> str:
    """Load the demo (only into an event-less database with if_empty); return a summary to print."""
    from events import demo as events_demo
    from events.tables import Event
    from members import demo as members_demo
    from members.tables import Organisation
    from scheduling import demo as scheduling_demo
    from server import apps

    if if_empty and await Event.count() > 0:
        # A database with real events never gets the demo account added behind its back.
        login = await ensure_demo_admin(create=False)
        return f"Demo data not loaded: the database already holds events.\n{login}"
    # The register, the events and MIMA's speed-meeting first, in this order: the speakers and profiles are
    # the register's people, and every other app's demo finds its event by slug. Their load() in the
    # registry pass below then finds everything there and returns None. The emails and documents of that
    # history are recorded as skipped: nobody is waiting for them, and rendering them would keep a fresh
    # server's job worker busy for minutes.
    with jobs.not_run():
        register = await members_demo.load_register()
        catalogue = await events_demo.load_catalogue(register.people)
        speed_meeting = await scheduling_demo.load_speed_meeting(register.people)
        app_lines = [line for module in apps.demo_modules() if (line := await module.load())]
    login = await ensure_demo_admin()
    lines = [
        f"Demo data loaded: {len(catalogue.events)} events, {await Organisation.count()} member organisations, "
        f"{len(register.people)} people, {len(catalogue.venues)} venues.",
        *(f"  - {title}" for title in catalogue.events),
        *([speed_meeting] if speed_meeting else []),
        *app_lines,
        login,
    ]
    return "\n".join(lines)
