"""Project milestones: staff add them on the project page (bad input names the field), mark them done, and the
lead contact gets one reminder before each open milestone, never twice, never for a closed project."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import anyio

from lib.jobs import wait_idle
from members.register import today
from projects import capacity, milestones
from projects.tables import Milestone
from tests.auth import login_staff
from tests.conftest import post
from tests.projects.factories import project


def test_staff_add_a_milestone_and_mark_it_done_on_the_page(client):
    shown = anyio.run(project)
    login_staff(client)
    url = f"/staff/projects/{shown.id}"
    bad = post(client, f"{url}/milestones", data={"title": "", "due_on": "le 3 mars"})
    assert bad.status_code == 422
    text = unescape(bad.text)
    assert "Donnez un titre à l'étape." in text and "Indiquez la date d'échéance (AAAA-MM-JJ)." in text
    assert anyio.run(lambda: Milestone.count().where(Milestone.project == shown.id)) == 0
    due = (today() + timedelta(days=40)).isoformat()
    added = post(client, f"{url}/milestones", data={"title": "Prototype montré", "due_on": due})
    assert added.status_code in (200, 303)
    page = client.get(url)
    [row] = anyio.run(lambda: Milestone.objects().where(Milestone.project == shown.id))
    assert re.search(r"Prototype montré", page.text) and f"milestone-done-{row.id}" in page.text
    assert post(client, f"{url}/milestones/{row.id}/done").status_code in (200, 303)
    again = post(client, f"{url}/milestones/{row.id}/done")
    assert again.status_code == 404 and "déjà faite" in unescape(again.text)  # done once
    assert anyio.run(lambda: Milestone.objects().where(Milestone.id == row.id).first()).done_on == today()


async def test_one_reminder_per_open_milestone_before_its_date(jobs_worker, mailbox):
    lead = await project("Scène augmentée")
    closed = await project("Concert clos", lead_email="clos@beta.example")
    now = today()
    soon = await milestones.add_milestone(
        lead.id, {"title": "Maquette", "due_on": (now + timedelta(days=5)).isoformat()}
    )
    later = await milestones.add_milestone(
        lead.id, {"title": "Bilan", "due_on": (now + timedelta(days=30)).isoformat()}
    )
    done = await milestones.add_milestone(lead.id, {"title": "Convention", "due_on": now.isoformat()})
    await milestones.mark_done(lead.id, done.id)
    await milestones.add_milestone(closed.id, {"title": "Rendu", "due_on": now.isoformat()})
    await capacity.close(closed.id)

    assert await milestones.send_reminders(now) == 1  # "Maquette" only: within 7 days, open, project open
    assert await milestones.send_reminders(now) == 0  # never twice
    await wait_idle()
    [msg] = mailbox.wait_for("camille@alpha.example", count=1)
    assert "Maquette" in msg["Subject"] and (now + timedelta(days=5)).strftime("%d/%m/%Y") in msg["Subject"]
    assert not [m for m in mailbox.messages if m["To"] == "clos@beta.example"]
    # "Bilan" comes within the delay later: its own reminder, once
    assert await milestones.send_reminders(now + timedelta(days=24)) == 1
    assert await milestones.send_reminders(now + timedelta(days=25)) == 0
    assert (await Milestone.objects().where(Milestone.id == soon.id).first()).reminded_on == now
    assert (await Milestone.objects().where(Milestone.id == later.id).first()).reminded_on == now + timedelta(
        days=24
    )
