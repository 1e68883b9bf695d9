"""Self-registration during the wish phase, through the real app: a person signed in by a one-time
link read from the real SMTP mailbox registers as producer (members in good standing only) or buyer."""

from __future__ import annotations

from datetime import date

import anyio

from members import people, register, standing
from scheduling import services
from scheduling.tables import Participant
from tests.auth import login_attendee
from tests.conftest import post, send
from tests.scheduling.factories import participant, programme

PROFILE = {
    "organisation_name": "Label Puy",
    "role": "Producteur",
    "genres": "rock, jazz",
    "formats": "concert",
    "audiences": "tout public",
    "territory": "Auvergne",
    "offer": "Deux groupes en tournée.",
}


def setup(status: str = "wishes_open") -> dict:
    async def build() -> dict:
        prog = await programme(tables=3, slots=4)
        if status != "wishes_open":
            prog = await services.update_programme(prog.id, status=status)
        buyer = await participant(prog, "Bea Buyer", "buyer", organisation_name="Festival Été")
        paid = await register.create_organisation(name="Label Puy", email="contact@label-puy.example")
        await standing.record_membership_payment(paid.id, date.today().year, date.today())
        await people.create_person(
            first_name="Paul", last_name="Member", email="paul@label-puy.example", organisation_id=paid.id
        )
        unpaid = await register.create_organisation(name="Studio Lapsed", email="contact@lapsed.example")
        await people.create_person(
            first_name="Léo", last_name="Lapsed", email="leo@lapsed.example", organisation_id=unpaid.id
        )
        return {"prog": prog.id, "buyer": buyer}

    return anyio.run(build)


def test_member_registers_as_producer_from_the_landing_page(client, mailbox):
    s = setup()
    prog = s["prog"]
    r = client.get(f"/meetings/{prog}/register", follow_redirects=False)
    assert r.status_code in (302, 303) and r.headers["location"].startswith("/auth/link?next=")
    login_attendee(client, "paul@label-puy.example", mailbox)
    landing = client.get("/meetings")
    assert landing.status_code == 200
    assert f'data-testid="register-{prog}"' in landing.text and "S'inscrire comme producteur" in landing.text
    form = client.get(f"/meetings/{prog}/register")
    assert form.status_code == 200 and 'data-testid="register-form"' in form.text
    # the required profile fields are named, in French
    r = post(client, f"/meetings/{prog}/register", data={"side": "producer", "genres": ""})
    assert r.status_code == 400
    assert 'data-testid="error-genres"' in r.text and 'data-testid="error-territory"' in r.text
    assert "Ce champ est obligatoire" in r.text
    assert anyio.run(Participant.count) == 1
    r = post(
        client, f"/meetings/{prog}/register", data={"side": "producer", **PROFILE}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == f"/meetings/{prog}"
    space = client.get(f"/meetings/{prog}")
    assert "Mes souhaits" in space.text and "Label Puy" in space.text
    row = anyio.run(lambda: Participant.select().where(Participant.side == "producer").first())
    assert row["genres"] == "rock, jazz" and row["territory"] == "Auvergne"
    # the new producer sees the buyers and can wish to meet them
    catalogue = client.get(f"/meetings/{prog}/catalogue")
    assert "Festival Été" in catalogue.text
    # a second registration is refused; the landing page no longer offers it
    r = post(client, f"/meetings/{prog}/register", data={"side": "buyer", **PROFILE})
    assert r.status_code == 400 and "déjà inscrit" in r.text
    assert anyio.run(Participant.count) == 2
    assert f'data-testid="register-{prog}"' not in client.get("/meetings").text
    assert client.get(f"/meetings/{prog}/register", follow_redirects=False).status_code == 303


def test_producer_must_be_member_in_good_standing_buyer_is_free(client, mailbox):
    s = setup()
    prog = s["prog"]
    login_attendee(client, "leo@lapsed.example", mailbox)
    r = post(client, f"/meetings/{prog}/register", data={"side": "producer", **PROFILE})
    assert r.status_code == 400 and 'data-testid="error-side"' in r.text
    assert "adhérents" in r.text
    assert anyio.run(Participant.count) == 1
    r = post(client, f"/meetings/{prog}/register", data={"side": "buyer", **PROFILE}, follow_redirects=False)
    assert r.status_code == 303
    assert anyio.run(lambda: Participant.count().where(Participant.side == "buyer")) == 2


def test_json_registration_for_a_newcomer(client, mailbox):
    s = setup()
    prog = s["prog"]
    r = send(client, "POST", f"/api/meetings/{prog}/register", json={"side": "buyer", **PROFILE})
    assert r.status_code == 401
    login_attendee(client, "new.buyer@mediatheque.example", mailbox)
    r = client.get("/api/meetings/open")
    assert r.status_code == 200 and [p["id"] for p in r.json()] == [prog]
    # an unknown person must give a name; a producer must be a member; unknown side refused
    r = send(client, "POST", f"/api/meetings/{prog}/register", json={"side": "buyer", **PROFILE})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"first_name", "last_name"}
    r = send(
        client,
        "POST",
        f"/api/meetings/{prog}/register",
        json={"side": "producer", "first_name": "N", **PROFILE},
    )
    assert r.status_code == 422 and "side" in r.json()["errors"]
    r = send(client, "POST", f"/api/meetings/{prog}/register", json={"side": "seller", **PROFILE})
    assert r.status_code == 422 and "side" in r.json()["errors"]
    body = {"side": "buyer", "first_name": "Nina", "last_name": "Nouvelle", **PROFILE}
    r = send(client, "POST", f"/api/meetings/{prog}/register", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["side"] == "buyer"
    me = client.get(f"/api/meetings/{prog}/me")
    assert me.status_code == 200 and me.json()["territory"] == "Auvergne"
    r = send(client, "POST", f"/api/meetings/{prog}/register", json=body)
    assert r.status_code == 422 and "__all__" in r.json()["errors"]
    assert anyio.run(Participant.count) == 2


def test_registration_closed_outside_the_wish_phase(client, mailbox):
    s = setup(status="draft")
    prog = s["prog"]
    login_attendee(client, "paul@label-puy.example", mailbox)
    assert client.get("/api/meetings/open").json() == []
    page = client.get(f"/meetings/{prog}/register")
    assert page.status_code == 200 and 'data-testid="registration-closed"' in page.text
    r = send(client, "POST", f"/api/meetings/{prog}/register", json={"side": "producer", **PROFILE})
    assert r.status_code == 422 and "__all__" in r.json()["errors"]
    assert anyio.run(Participant.count) == 1
