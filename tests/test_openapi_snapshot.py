"""/schema/openapi.json must not change by accident (issue 11: same JSON before and after the restructuring).

The committed copy is tests/data/openapi.json. After an intended API change, regenerate it with
    UPDATE_SNAPSHOTS=1 .venv/bin/pytest -q -p no:cacheprovider tests/test_openapi_snapshot.py
and commit the diff with the change that explains it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "data" / "openapi.json"
REGENERATE = "UPDATE_SNAPSHOTS=1 .venv/bin/pytest -q -p no:cacheprovider tests/test_openapi_snapshot.py"


def _canonical(schema: object) -> str:
    return json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def test_openapi_schema_matches_committed_copy(client):
    r = client.get("/schema/openapi.json")
    assert r.status_code == 200
    served = _canonical(r.json())
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(served, encoding="utf-8")
    committed = SNAPSHOT.read_text(encoding="utf-8")
    if served != committed:
        import difflib

        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(True), served.splitlines(True), "committed", "served", n=2
                )
            )[:80]
        )
        raise AssertionError(
            f"/schema/openapi.json differs from {SNAPSHOT.name} (first lines of the diff below).\n"
            f"If the change is intended, regenerate the copy with:\n    {REGENERATE}\n\n{diff}"
        )
