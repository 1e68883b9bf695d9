"""The hackathon pages through the HTTP stack: register on the public page, the personal page, a team
created and joined by its invitation link from another device, the submission, staff's pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import anyio
from litestar.testing import TestClient

from hackathon import challenges
from hackathon.tables import Edition, HackParticipant, Submission, Team
from tests.auth import login_staff
from tests.conftest import post, shared_app
from tests.hackathon.factories import edition

FORM = {"role": "artist", "skills": "son, lumière", "bio": "", "organisation": ""}


def _register(client, ed_id, name, email, **extra):
    return post(
        client,
        f"/hackathon/{ed_id}/register",
        data={**FORM, "name": name, "email": email, **extra},
        follow_redirects=False,
    )


def test_register_create_team_join_by_link_and_submit(client, mailbox):
    ed = anyio.run(lambda: edition(capacity=10))
    anyio.run(
        lambda: challenges.add_challenge(ed.id, {"title": "Public et artistes", "partner_name": "La Coopé"})
    )
    page = client.get(f"/hackathon/{ed.id}")
    assert page.status_code == 200 and "Public et artistes" in page.text and "10 places" in page.text
    bad = _register(client, ed.id, "", "pas-une-adresse")
    assert (
        bad.status_code == 422
        and 'data-testid="error-email"' in bad.text
        and 'data-testid="error-name"' in bad.text
    )
    r = _register(client, ed.id, "Ana", "ana@example.org")
    assert r.status_code == 303 and r.headers["location"].startswith("/hackathon/me/")
    me_path = r.headers["location"].split("?")[0]
    me = client.get(r.headers["location"])
    assert me.status_code == 200 and "Ana" in me.text
    # the personal link comes by email too
    mails = mailbox.wait_for("ana@example.org", count=2)
    assert any(me_path in m.get_body(preferencelist=("plain",)).get_content() for m in mails)
    created = post(client, f"{me_path}/team", data={"name": "Lumen"}, follow_redirects=True)
    assert created.status_code == 200 and "Lumen" in created.text
    invite = anyio.run(lambda: Team.objects().first())
    link = re.search(r'data-testid="invite-link"', created.text) and re.search(
        r'value="https?://[^/"]+(/hackathon/join/([^"]+))"', created.text
    )
    assert link, "the invitation link is on the team's page"
    token = link.group(2)
    with TestClient(app=shared_app(), base_url="http://testserver.local") as phone:
        join = phone.get(link.group(1))
        assert join.status_code == 200 and "Lumen" in join.text and "register-to-join" in join.text
        r2 = _register(phone, ed.id, "Bruno", "bruno@example.org", role="developer", join=token)
        assert r2.status_code == 303
        page2 = phone.get(r2.headers["location"])
        assert "Lumen" in page2.text
    members = anyio.run(lambda: HackParticipant.objects().where(HackParticipant.team == invite.id))
    assert sorted(m.name for m in members) == ["Ana", "Bruno"]
    sub = post(
        client,
        f"{me_path}/submission",
        data={"title": "Lumen", "pitch": "La lumière suit le public.", "prototype_url": "pas un lien"},
    )
    assert sub.status_code == 422 and 'data-testid="error-prototype_url"' in sub.text
    ok = post(
        client,
        f"{me_path}/submission",
        data={
            "title": "Lumen",
            "pitch": "La lumière suit le public.",
            "prototype_url": "https://lumen.example",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    anyio.run(
        lambda: Edition.update({Edition.submission_deadline: datetime.now(UTC) - timedelta(minutes=1)}).where(
            Edition.id == ed.id
        )
    )
    late = post(client, f"{me_path}/submission", data={"title": "Lumen 2", "pitch": "x"})
    assert late.status_code == 422 and 'data-testid="error-deadline"' in late.text
    assert anyio.run(lambda: Submission.objects().first()).title == "Lumen"


def test_personal_link_must_be_valid(client):
    assert client.get("/hackathon/me/nope").status_code == 404
    assert client.get("/hackathon/join/nope").status_code == 404


def test_staff_pages_render_and_formation_applies(client):
    ed = anyio.run(lambda: edition(capacity=20))
    for i in range(12):
        _register(
            client, ed.id, f"P{i}", f"p{i}@example.org", role=("artist", "developer", "designer")[i % 3]
        )
    assert client.get(f"/staff/hackathon/{ed.id}", follow_redirects=False).status_code in (302, 303, 401)
    login_staff(client)
    for path in ("/staff/hackathon/", f"/staff/hackathon/{ed.id}", f"/staff/hackathon/{ed.id}/pitch"):
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:300])
    preview = client.get(f"/staff/hackathon/{ed.id}/formation")
    assert preview.status_code == 200 and preview.text.count('data-testid="preview-team"') == 2
    key = re.search(r'name="key" value="([^"]+)"', preview.text).group(1)
    applied = post(client, f"/staff/hackathon/{ed.id}/formation", data={"key": key}, follow_redirects=False)
    assert applied.status_code == 303
    assert anyio.run(lambda: Team.count().where(Team.edition == ed.id)) == 2
    stale = post(client, f"/staff/hackathon/{ed.id}/formation", data={"key": key})
    assert stale.status_code == 409
    bad = post(client, f"/staff/hackathon/{ed.id}/settings", data={"capacity": "0"})
    assert bad.status_code == 422 and 'data-testid="error-capacity"' in bad.text
