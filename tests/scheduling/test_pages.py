"""Speed-meeting pages through the real app (French first): participant space, catalogue and wishes,
staff settings, run, grid with conflicts highlighted, participants, deals."""

from __future__ import annotations

import uuid

import anyio

from scheduling import services
from scheduling.tables import Meeting
from tests.auth import login_attendee, login_staff
from tests.conftest import post
from tests.scheduling.test_api import email, setup


def test_participant_pages_catalogue_wishes_and_agenda(client, mailbox):
    s = setup()
    prog = s["prog"]
    anyio.run(lambda: services.update_profile(s["b1"].id, genres="Jazz", territory="Auvergne"))
    r = client.get(f"/meetings/{prog}", follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"].startswith("/auth/link?next=/meetings/")
    login_attendee(client, email(s["p1"]), mailbox)
    page = client.get(f"/meetings/{prog}")
    assert page.status_code == 200 and "Mes souhaits" in page.text and "Festival Été" in page.text
    page = client.get(f"/meetings/{prog}/catalogue?genre=jazz")
    assert "Festival Été" in page.text and "Médiathèque Jaude" not in page.text
    assert "Ajouter à mes souhaits" in page.text
    r = post(client, f"/meetings/{prog}/wishes", data={"target_id": str(s["b1"].id), "priority": "never"})
    assert r.status_code == 400 and 'data-testid="error-priority"' in r.text
    r = post(
        client, f"/meetings/{prog}/declines", data={"target_id": str(s["b2"].id)}, follow_redirects=False
    )
    assert r.status_code == 303
    page = client.get(f"/meetings/{prog}/catalogue")
    assert f'data-testid="declined-{s["b2"].id}"' in page.text
    r = post(
        client,
        f"/meetings/{prog}/unavailable",
        data={"starts_at": "2027-03-25T15:00", "ends_at": "2027-03-25T14:00"},
    )
    assert r.status_code == 400 and 'data-testid="error-ends_at"' in r.text
    r = post(client, f"/meetings/{prog}/profile", data={"territory": "Puy-de-Dôme", "genres": "Rock, Pop"})
    assert r.status_code in (200, 303)
    assert "Puy-de-Dôme" in client.get(f"/meetings/{prog}").text
    assert "Aucun rendez-vous" in client.get(f"/meetings/{prog}/agenda").text
    # English
    assert "My wishes" in client.get(f"/meetings/{prog}?lang=en").text


def test_staff_pages_run_grid_conflicts_participants_and_deals(client, mailbox):
    s = setup()
    prog = s["prog"]
    login_staff(client)
    assert "Rendez-vous d'affaires" in client.get("/staff/meetings").text
    page = client.get(f"/staff/meetings/{prog}")
    assert page.status_code == 200 and "Lancer la planification" in page.text
    r = post(
        client,
        f"/staff/meetings/{prog}/settings",
        data={
            "status": "wishes_open",
            "tables": "3",
            "reserved_tables": "5",
            "meeting_minutes": "20",
            "max_meetings": "8",
            "wish_limit": "10",
            "accessible_tables": "1",
            "commission_rate_percent": "10",
        },
    )
    assert r.status_code == 400 and 'data-testid="error-reserved_tables"' in r.text
    r = post(client, f"/staff/meetings/{prog}/run")
    assert r.status_code == 200 and "4 rendez-vous" in r.text
    r = post(
        client, f"/staff/meetings/{prog}/participants", data={"email": "new@example.org", "side": "buyer"}
    )
    assert r.status_code == 400 and 'data-testid="error-first_name"' in r.text
    r = post(
        client,
        f"/staff/meetings/{prog}/participants",
        data={
            "email": "new@example.org",
            "side": "buyer",
            "first_name": "Nina",
            "last_name": "Neuve",
            "organisation_name": "Théâtre Neuf",
        },
    )
    assert r.status_code in (200, 303)
    assert "Théâtre Neuf" in client.get(f"/staff/meetings/{prog}/participants").text
    grid = client.get(f"/staff/meetings/{prog}/grid")
    assert (
        grid.status_code == 200
        and "Conflits : 0" in grid.text
        and "conflict" not in grid.text.split("<tbody>")[1]
    )

    # a meeting written over another one's table: the grid shows the conflict
    async def clash() -> int:
        first = await Meeting.objects().where(Meeting.programme == prog).first()
        dup = Meeting(
            programme=prog,
            producer=first.producer,
            buyer=first.buyer,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            table_number=first.table_number,
            uid=uuid.uuid4().hex,
        )
        await dup.save()
        return dup.id

    dup_id = anyio.run(clash)
    grid = client.get(f"/staff/meetings/{prog}/grid")
    assert 'class="conflict"' in grid.text and f'data-testid="problem-{dup_id}"' in grid.text
    assert "déjà prise" in grid.text
    sheets = client.get(f"/staff/meetings/{prog}/table-sheets.pdf")
    assert sheets.status_code == 200 and sheets.content.startswith(b"%PDF")
    deals = client.get(f"/staff/meetings/{prog}/deals")
    assert deals.status_code == 200 and "Aucun accord" in deals.text
