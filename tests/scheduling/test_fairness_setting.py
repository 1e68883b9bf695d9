"""The programme's fairness cost limit (fairness_budget_bp): a staff setting saved and shown through the
JSON API and the staff settings form, bad values refused field by field with nothing changed, empty
meaning strict fairness (NULL); and the scheduler run honouring it end to end."""

from __future__ import annotations

import anyio
import pytest

from scheduling import services
from scheduling.tables import Meeting, MeetingProgramme
from tests.auth import login_staff
from tests.conftest import post, send
from tests.scheduling.factories import participant, programme

FORM = {
    "status": "wishes_open",
    "tables": "4",
    "reserved_tables": "0",
    "meeting_minutes": "20",
    "max_meetings": "8",
    "wish_limit": "10",
    "accessible_tables": "1",
    "commission_rate_percent": "10",
}


def new_programme(**settings) -> int:
    async def build() -> int:
        return (await programme(**settings)).id

    return anyio.run(build)


def stored(prog: int) -> int | None:
    async def read() -> int | None:
        row = await MeetingProgramme.select(MeetingProgramme.fairness_budget_bp).where(
            MeetingProgramme.id == prog
        )
        return row[0]["fairness_budget_bp"]

    return anyio.run(read)


def api(prog: int) -> str:
    return f"/api/meetings/staff/programmes/{prog}"


def test_json_api_saves_shows_refuses_bad_values_and_empty_means_strict(client):
    prog = new_programme()
    login_staff(client)
    assert stored(prog) == 100  # the default: 1 % of the best total
    assert client.get(api(prog)).json()["fairness_budget_bp"] == 100

    r = send(client, "PATCH", api(prog), json={"fairness_budget_bp": 250})
    assert r.status_code == 200, r.text
    assert r.json()["fairness_budget_bp"] == 250
    assert client.get(api(prog)).json()["fairness_budget_bp"] == 250 and stored(prog) == 250

    for bad in (-1, 10001, "abc", 1.5, True, "12abc"):
        r = send(client, "PATCH", api(prog), json={"fairness_budget_bp": bad, "max_meetings": 3})
        assert r.status_code == 422, (bad, r.text)
        errors = r.json()["errors"]
        assert list(errors) == ["fairness_budget_bp"], (bad, errors)
        assert "10000" in errors["fairness_budget_bp"]
        assert stored(prog) == 250
        assert client.get(api(prog)).json()["max_meetings"] == 8  # nothing else changed either

    for edge in (0, "10000", " 40 "):
        r = send(client, "PATCH", api(prog), json={"fairness_budget_bp": edge})
        assert r.status_code == 200, (edge, r.text)
        assert r.json()["fairness_budget_bp"] == int(edge)

    for empty in ("", None, "  "):
        send(client, "PATCH", api(prog), json={"fairness_budget_bp": 40})
        r = send(client, "PATCH", api(prog), json={"fairness_budget_bp": empty})
        assert r.status_code == 200, r.text
        assert r.json()["fairness_budget_bp"] is None and stored(prog) is None

    # a PATCH without the field leaves it alone (here: strict)
    r = send(client, "PATCH", api(prog), json={"max_meetings": 6})
    assert r.status_code == 200 and r.json()["fairness_budget_bp"] is None and stored(prog) is None


def test_json_api_create_with_the_setting(client):
    async def event_id() -> int:
        from tests.events.factories import mima_2027

        return (await mima_2027())["id"]

    login_staff(client)
    eid = anyio.run(event_id)
    r = post(client, "/api/meetings/staff/programmes", json={"event_id": eid, "fairness_budget_bp": 10001})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["fairness_budget_bp"]
    assert anyio.run(lambda: MeetingProgramme.count().where(MeetingProgramme.event == eid)) == 0
    r = post(client, "/api/meetings/staff/programmes", json={"event_id": eid, "fairness_budget_bp": ""})
    assert r.status_code == 201, r.text
    assert r.json()["fairness_budget_bp"] is None and stored(r.json()["id"]) is None


def test_staff_form_saves_shows_refuses_and_empty_means_strict(client):
    """The page speaks in percent ("at most 1 % of the total may be given up for fairness"); the
    programme stores basis points, as the API gives them."""
    prog = new_programme()
    login_staff(client)
    page = client.get(f"/staff/meetings/{prog}")
    assert page.status_code == 200
    assert 'name="fairness_budget_percent"' in page.text and "basis points" not in page.text
    assert (
        'id="s-fairness_budget_percent" name="fairness_budget_percent" inputmode="decimal" value="1"'
        in page.text
    )
    assert "Au plus 1 % du total peut être cédé pour l&#39;équité." in page.text
    assert "points de base" not in page.text

    r = post(client, f"/staff/meetings/{prog}/settings", data={**FORM, "fairness_budget_percent": "0,5"})
    assert r.status_code in (200, 303), r.text
    assert stored(prog) == 50
    page = client.get(f"/staff/meetings/{prog}")
    assert 'name="fairness_budget_percent" inputmode="decimal" value="0,5"' in page.text
    assert "Au plus 0,5 % du total peut être cédé pour l&#39;équité." in page.text
    r = post(client, f"/staff/meetings/{prog}/settings", data={**FORM, "fairness_budget_percent": "3"})
    assert stored(prog) == 300

    for bad in ("-1", "101", "abc", "1,234"):
        r = post(
            client,
            f"/staff/meetings/{prog}/settings",
            data={**FORM, "max_meetings": "3", "fairness_budget_percent": bad},
        )
        assert r.status_code == 400, bad
        assert 'data-testid="error-fairness_budget_percent"' in r.text
        assert "pourcentage entre 0 et 100" in r.text
        assert f'value="{bad}"' in r.text  # the staff member's input is shown back
        assert stored(prog) == 300
        assert anyio.run(services.get_programme, prog).max_meetings == 8

    r = post(client, f"/staff/meetings/{prog}/settings", data={**FORM, "fairness_budget_percent": ""})
    assert r.status_code in (200, 303), r.text
    assert stored(prog) is None
    page = client.get(f"/staff/meetings/{prog}")
    assert (
        'name="fairness_budget_percent" inputmode="decimal" value=""' in page.text and "None" not in page.text
    )


def contested(budget_bp: int | None) -> dict:
    """b1 can meet once; p1 must meet b1 and also wants b2 (who wants p1 back); b1 is p2's only wish,
    'if possible'. The best total gives b1 to p1; strict fairness gives b1 to p2 (else p2 has nothing)."""

    async def build() -> dict:
        prog = await programme(tables=2, slots=3, fairness_budget_bp=budget_bp)
        p1 = await participant(prog, "Anne Prod", "producer")
        p2 = await participant(prog, "Paul Prod", "producer")
        b1 = await participant(prog, "Bea Buyer", "buyer", max_meetings=1)
        b2 = await participant(prog, "Bob Buyer", "buyer")
        await services.set_wish(p1, b1.id, "must")
        await services.set_wish(p1, b2.id, "would_like")
        await services.set_wish(b2, p1.id, "would_like")
        await services.set_wish(p2, b1.id, "if_possible")
        return {"prog": prog.id, "p1": p1.id, "p2": p2.id, "b1": b1.id, "b2": b2.id}

    return anyio.run(build)


def pairs(prog: int) -> set[tuple[int, int]]:
    rows = anyio.run(lambda: Meeting.select(Meeting.producer, Meeting.buyer).where(Meeting.programme == prog))
    return {(r["producer"], r["buyer"]) for r in rows}


@pytest.mark.parametrize(
    ("budget_bp", "b1_goes_to"),
    [(None, "p2"), (0, "p1")],
    ids=["strict-fairness", "budget-0"],
)
def test_run_honours_the_programme_fairness_budget(client, budget_bp, b1_goes_to):
    s = contested(budget_bp)
    assert stored(s["prog"]) == budget_bp
    login_staff(client)
    r = post(client, f"{api(s['prog'])}/run")
    assert r.status_code == 200, r.text
    other = "p2" if b1_goes_to == "p1" else "p1"
    got = pairs(s["prog"])
    assert (s[b1_goes_to], s["b1"]) in got and (s[other], s["b1"]) not in got
    assert (s["p1"], s["b2"]) in got
    if budget_bp is None:
        assert r.json()["min_share"] > 0  # nobody with wishes is left with nothing
    else:
        assert r.json()["min_share"] == 0  # p2 pays for the best total
