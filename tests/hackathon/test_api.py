"""The hackathon JSON API: public registration, the personal view, staff's formation."""

from __future__ import annotations

import anyio

from tests.auth import login_staff
from tests.conftest import post
from tests.hackathon.factories import edition


def test_register_by_api_then_staff_preview_and_apply(client):
    ed = anyio.run(lambda: edition(capacity=9))
    info = client.get(f"/api/hackathon/{ed.id}")
    assert info.status_code == 200 and info.json()["capacity"] == 9
    bad = post(
        client, f"/api/hackathon/{ed.id}/participants", json={"name": "A", "email": "a@b.org", "role": "x"}
    )
    assert bad.status_code in (400, 422) and "role" in bad.text
    tokens = []
    for i in range(10):
        r = post(
            client,
            f"/api/hackathon/{ed.id}/participants",
            json={"name": f"P{i}", "email": f"p{i}@example.org", "role": ("artist", "developer")[i % 2]},
        )
        assert r.status_code == 201, r.text
        tokens.append(r.json())
    assert tokens[-1]["waiting_position"] == 1
    me = client.get(f"/api/hackathon/me/{tokens[0]['personal_token']}")
    assert me.status_code == 200 and me.json()["status"] == "accepted"
    assert client.get(f"/api/hackathon/staff/{ed.id}/formation").status_code in (401, 403)
    login_staff(client)
    preview = client.get(f"/api/hackathon/staff/{ed.id}/formation").json()
    assert preview["unassigned"] == 9 and len(preview["teams"]) == 2
    applied = post(client, f"/api/hackathon/staff/{ed.id}/formation", json={"key": preview["key"]})
    assert applied.status_code == 200 and len(applied.json()["created_team_ids"]) == 2
    assert (
        post(client, f"/api/hackathon/staff/{ed.id}/formation", json={"key": preview["key"]}).status_code
        == 409
    )
