"""Speed-meeting mass actions and what publication freezes, through the real pages, API and services:
publishing (and re-running after it) asks for confirmation on a page that works without JavaScript;
wishes and declines cannot change once the agendas are published; participants see the wish
deadline; the fairness setting speaks in percent; English pages have English titles."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import anyio
import pytest

from lib.errors import ValidationFailed
from scheduling import agenda, planning, services
from scheduling.tables import Meeting, MeetingProgramme, ScheduleRun, Wish
from tests.auth import login_attendee, login_staff
from tests.backoffice.helpers import field_error, text_of
from tests.conftest import post, send
from tests.scheduling.test_api import email, setup

PARIS = ZoneInfo("Europe/Paris")


def count(query) -> int:
    return anyio.run(lambda: query)


def published(prog: int) -> bool:
    row = anyio.run(
        lambda: MeetingProgramme.select(MeetingProgramme.status).where(MeetingProgramme.id == prog).first()
    )
    return row["status"] == "published"


def test_publishing_asks_for_confirmation_first(client, mailbox):
    s = setup()
    prog = s["prog"]
    anyio.run(planning.run, prog)
    login_staff(client)
    page = client.get(f"/staff/meetings/{prog}")
    # the programme page links to the confirmation; it has no form that publishes at once
    assert f'href="/staff/meetings/{prog}/publish"' in page.text
    assert f'action="/staff/meetings/{prog}/publish"' not in page.text

    confirm = client.get(f"/staff/meetings/{prog}/publish")
    assert confirm.status_code == 200
    text = text_of(confirm.text)
    assert "4 participants vont recevoir leur agenda par e-mail maintenant." in text
    assert "4 rendez-vous seront publiés." in text
    form = confirm.text.split('data-testid="confirm-form"')[1]
    assert re.search(r'<input type="checkbox" name="confirm" value="yes" required', form)
    assert "<script" not in confirm.text.split("<main")[1] and "onsubmit" not in confirm.text

    # a POST without the ticked box (an old button, a script, a double click) publishes nothing
    r = post(client, f"/staff/meetings/{prog}/publish")
    assert r.status_code == 200 and 'data-testid="confirm-publish"' in r.text
    r = post(client, f"/staff/meetings/{prog}/publish", data={"confirm_step": "1"})
    assert r.status_code == 400 and field_error(r.text, "confirm") == "Cochez la case pour confirmer."
    assert not published(prog) and mailbox.messages == []
    assert count(Meeting.count().where((Meeting.programme == prog) & Meeting.published.eq(True))) == 0

    r = post(client, f"/staff/meetings/{prog}/publish", data={"confirm_step": "1", "confirm": "yes"})
    assert r.status_code == 200 and "4 agendas envoyés" in text_of(r.text)
    assert published(prog)
    for key in ("p1", "p2", "b1", "b2"):
        mailbox.wait_for(email(s[key]))

    # publishing again: only the agendas that changed (none) would be emailed, and it says so
    confirm = client.get(f"/staff/meetings/{prog}/publish")
    assert "0 participant va recevoir son agenda" in text_of(confirm.text)
    assert "seulement ceux dont l'agenda a changé" in text_of(confirm.text)


def test_running_again_after_publication_asks_first(client):
    s = setup()
    prog = s["prog"]
    anyio.run(planning.run, prog)
    anyio.run(agenda.publish, prog)
    runs = count(ScheduleRun.count().where(ScheduleRun.programme == prog))
    login_staff(client)
    page = client.get(f"/staff/meetings/{prog}")
    assert f'href="/staff/meetings/{prog}/run"' in page.text
    assert f'action="/staff/meetings/{prog}/run"' not in page.text

    r = post(client, f"/staff/meetings/{prog}/run")
    assert r.status_code == 200 and 'data-testid="confirm-run"' in r.text
    assert "inscriptions tardives" in text_of(r.text)
    assert count(ScheduleRun.count().where(ScheduleRun.programme == prog)) == runs
    r = post(client, f"/staff/meetings/{prog}/run", data={"confirm_step": "1"})
    assert r.status_code == 400 and field_error(r.text, "confirm")
    r = post(client, f"/staff/meetings/{prog}/run", data={"confirm_step": "1", "confirm": "yes"})
    assert r.status_code == 200
    assert count(ScheduleRun.count().where(ScheduleRun.programme == prog)) == runs + 1


def test_before_publication_a_run_needs_no_confirmation(client):
    s = setup()
    login_staff(client)
    r = post(client, f"/staff/meetings/{s['prog']}/run")
    assert r.status_code == 200 and "4 rendez-vous" in text_of(r.text)


def test_publication_freezes_wishes_and_declines(client, mailbox):
    s = setup()
    prog, p1, b1, b2 = s["prog"], s["p1"], s["b1"], s["b2"]
    anyio.run(planning.run, prog)
    anyio.run(agenda.publish, prog)
    wishes = count(Wish.count().where(Wish.source == p1.id))

    # the services refuse, whoever calls them
    for action in (
        lambda: services.remove_wish(p1, b1.id),
        lambda: services.set_wish(p1, b2.id, "must"),
        lambda: services.decline(p1, b2.id),
        lambda: services.undecline(p1, b2.id),
    ):
        with pytest.raises(ValidationFailed) as caught:
            anyio.run(action)
        assert "Les agendas sont publiés" in caught.value.errors["__all__"]

    # the participant's page offers no removal, says why, and a forged POST changes nothing
    login_attendee(client, email(p1), mailbox)
    page = client.get(f"/meetings/{prog}")
    assert 'data-testid="wishes-frozen"' in page.text
    assert f'data-testid="remove-wish-{b1.id}"' not in page.text
    r = post(client, f"/meetings/{prog}/wishes/{b1.id}/remove")
    assert r.status_code == 400
    assert "Les agendas sont publiés" in text_of(r.text)
    r = post(client, f"/meetings/{prog}/wishes", data={"target_id": str(b2.id), "priority": "must"})
    assert r.status_code == 400
    # and the JSON API too
    r = send(client, "DELETE", f"/api/meetings/{prog}/me/wishes/{b1.id}")
    assert r.status_code == 422 and "publiés" in r.json()["errors"]["__all__"]
    r = send(client, "PUT", f"/api/meetings/{prog}/me/declines/{b2.id}")
    assert r.status_code == 422
    assert count(Wish.count().where(Wish.source == p1.id)) == wishes

    # staff may still set a late registration's wishes (fitted into the gaps)
    late = anyio.run(
        lambda: services.add_participant(
            prog, email="late@example.org", side="producer", first_name="Léa", last_name="Tard"
        )
    )
    anyio.run(lambda: services.set_wish(late, b2.id, "must", staff=True))


def test_participants_see_the_wish_deadline(client, mailbox):
    s = setup()
    prog, p1 = s["prog"], s["p1"]
    closes = datetime(2027, 3, 20, 18, 0, tzinfo=PARIS)
    anyio.run(lambda: services.update_programme(prog, wishes_close_at=closes))
    login_attendee(client, email(p1), mailbox)
    page = client.get(f"/meetings/{prog}")
    assert "Les souhaits se ferment le samedi 20 mars 2027, 18:00." in text_of(page.text)
    catalogue = client.get(f"/meetings/{prog}/catalogue")
    assert "Les souhaits se ferment le samedi 20 mars 2027, 18:00." in text_of(catalogue.text)
    english = client.get(f"/meetings/{prog}?lang=en")
    assert "Wishes close on Saturday, March 20, 2027, 6:00" in text_of(english.text).replace("\u202f", " ")
    mine = client.get("/meetings?lang=fr")
    assert "souhaits jusqu'au 20/03/2027 18:00" in text_of(mine.text)


def test_english_pages_have_english_titles(client, mailbox):
    s = setup()
    prog, p1 = s["prog"], s["p1"]
    login_staff(client)
    staff_page = client.get(f"/staff/meetings/{prog}?lang=en")
    assert "<h1>Speed-meeting – MIMA 2027 – Image and Music Market</h1>" in staff_page.text
    assert "MIMA 2027 – Image and Music Market" in client.get("/staff/meetings?lang=en").text
    french = client.get(f"/staff/meetings/{prog}?lang=fr")
    assert "Image and Music Market" not in french.text
    login_attendee(client, email(p1), mailbox)
    page = client.get(f"/meetings/{prog}?lang=en")
    assert "<title>Speed-meeting · MIMA 2027 – Image and Music Market" in page.text
    assert "MIMA 2027 – Image and Music Market" in client.get("/meetings?lang=en").text
