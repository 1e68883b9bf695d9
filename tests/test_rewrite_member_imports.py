"""tools/rewrite_member_imports.py: the replayable rewrite of events.membership & co -> members.*, and the tree
needs none."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location(
    "rewrite_member_imports", ROOT / "tools" / "rewrite_member_imports.py"
)
assert spec and spec.loader
tool = importlib.util.module_from_spec(spec)
sys.modules["rewrite_member_imports"] = tool
spec.loader.exec_module(tool)

OLD = '''from events import membership, services
from events.membership import membership_standing, normalize_email, today
from events.tables import Event, Organisation, Person
from events.register_csv import import_csv
from events import register_csv
from events.membership_controllers import ROUTES
from web.controllers import staff_members, public

CODE = """
from events.membership import create_person  # in a subprocess
"""


async def f(standing):
    from events.membership import _person_by_email  # lazy

    monkeypatch.setattr("events.membership.today", None)
    org = await membership.create_organisation(name="A")
    await membership.create_person(first_name="B", last_name="C", email="b@c.example", organisation_id=org.id)
    await membership.record_membership_payment(org.id, 2026)
    return standing, membership.REVENUE_BANDS, "see events/membership_controllers.py", "staff/members.html"
'''

NEW = '''from events import services
from members import register
from members import people
from members import standing as member_standing
from members.standing import membership_standing
from lib.tokens import normalize_email
from members.register import today
from events.tables import Event
from members.tables import Organisation, Person
from members.register_csv import import_csv
from members import register_csv
from members.api import ROUTES
from web.controllers import public
from members import pages as staff_members

CODE = """
from members.people import create_person  # in a subprocess
"""


async def f(standing):
    from members.people import person_by_email as _person_by_email  # lazy

    monkeypatch.setattr("members.register.today", None)
    org = await register.create_organisation(name="A")
    await people.create_person(first_name="B", last_name="C", email="b@c.example", organisation_id=org.id)
    await member_standing.record_membership_payment(org.id, 2026)
    return standing, register.REVENUE_BANDS, "see members/api.py", "members/staff_list.html"
'''


def test_rewrite_maps_every_moved_name_to_its_new_module():
    assert tool.rewrite(OLD) == NEW


def test_rewrite_is_idempotent():
    assert tool.rewrite(NEW) == NEW


def test_rewritten_names_exist():
    """Every name the map sends somewhere is defined there (a renamed or forgotten name fails here)."""
    for old, (module, new) in tool.NAME_TO_MODULE.items():
        assert hasattr(importlib.import_module(module), new), f"{old} -> {module}.{new}"


def test_documentation_and_templates_get_names_and_paths():
    text = "`events/membership.py`, events.register_csv, events/services.py, {% include 'staff/organisation.html' %}"
    assert tool.rewrite(text, python=False) == (
        "`members/register.py`, members.register_csv, events/services.py, "
        "{% include 'members/staff_organisation.html' %}"
    )


def test_rewritten_code_imports(tmp_path):
    """The rewrite of a typical caller runs against the real tree."""
    caller = tmp_path / "caller.py"
    caller.write_text(
        tool.rewrite(
            "from events import membership\nfrom events.tables import COLLEGES, Event\n"
            "print(membership.dues_cents('lt20k'), len(COLLEGES), Event._meta.tablename)\n"
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(caller)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["22000", "5", "event"]


def test_the_tree_needs_no_rewrite():
    """After a merge of branches written against the old layout, this fails until the rewrite is replayed:
    .venv/bin/python tools/rewrite_member_imports.py"""
    changed = [
        str(p.relative_to(ROOT))
        for p in tool.project_files(ROOT)
        if tool.rewrite(text := p.read_text(encoding="utf-8"), python=p.suffix == ".py") != text
    ]
    assert not changed, f"run .venv/bin/python tools/rewrite_member_imports.py: {changed}"
