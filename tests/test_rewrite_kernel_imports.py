"""tools/rewrite_kernel_imports.py: the replayable rewrite of server.X -> lib.X, and the tree needs none."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location(
    "rewrite_kernel_imports", ROOT / "tools" / "rewrite_kernel_imports.py"
)
assert spec and spec.loader
tool = importlib.util.module_from_spec(spec)
sys.modules["rewrite_kernel_imports"] = tool
spec.loader.exec_module(tool)

OLD = '''from server.db import engine, write_transaction
from server import i18n, demo as demo_data
from server import (
    csv_export,
    openapi,
)
import server.jobs
from server.app import create_app

CODE = """
from server import jobs  # in a subprocess
"""


def f():
    from server.settings import get_settings  # lazy

    monkeypatch.setattr("server.mail.send", None)
    return server.jobs.enqueue, "see server/jobs.py and server/fonts/", "server.cli", "server/demo.py"
'''

NEW = '''from lib.db import engine, write_transaction
from lib import i18n
from server import demo as demo_data
from lib import csv_export
from server import openapi
import lib.jobs
from server.app import create_app

CODE = """
from lib import jobs  # in a subprocess
"""


def f():
    from lib.settings import get_settings  # lazy

    monkeypatch.setattr("lib.mail.send", None)
    return lib.jobs.enqueue, "see lib/jobs.py and lib/fonts/", "server.cli", "server/demo.py"
'''


def test_rewrite_maps_moved_modules_only():
    assert tool.rewrite(OLD) == NEW


def test_rewrite_is_idempotent():
    assert tool.rewrite(NEW) == NEW


def test_documentation_gets_names_and_paths():
    assert tool.rewrite("`server/settings.py`, server.jobs, server/app.py", python=False) == (
        "`lib/settings.py`, lib.jobs, server/app.py"
    )


def test_the_tree_needs_no_rewrite():
    """After a merge of branches written against the old layout, this fails until the rewrite is replayed:
    .venv/bin/python tools/rewrite_kernel_imports.py"""
    changed = [
        str(p.relative_to(ROOT))
        for p in tool.python_files(ROOT)
        if tool.rewrite(text := p.read_text(encoding="utf-8"), python=p.suffix == ".py") != text
    ]
    assert not changed, f"run .venv/bin/python tools/rewrite_kernel_imports.py: {changed}"
