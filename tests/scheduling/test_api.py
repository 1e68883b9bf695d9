"""Speed-meeting HTTP API through the real app: participants signed in by a one-time link read from
the real SMTP mailbox, staff signed in through the login form; agendas emailed with .ics attachments
that parse, the agenda PDF read back, deals turned into commissions, the edition's figures."""

from __future__ import annotations

import io
from datetime import datetime

import anyio
from icalendar import Calendar
from pypdf import PdfReader

from members.tables import Person
from scheduling import services
from tests.auth import login_attendee, login_staff
from tests.conftest import post, send
from tests.scheduling.factories import participant, programme


def setup(start: datetime | None = None, english_buyer: bool = True) -> dict:
    async def build() -> dict:
        prog = await programme(tables=3, slots=4, start=start)
        p1 = await participant(prog, "Anne Prod", "producer", organisation_name="Studio Volcan")
        p2 = await participant(prog, "Paul Prod", "producer", organisation_name="Label Puy")
        b1 = await participant(prog, "Bea Buyer", "buyer", organisation_name="Festival Été")
        b2 = await participant(prog, "Bob Buyer", "buyer", organisation_name="Médiathèque Jaude")
        if english_buyer:
            await Person.update({Person.locale: "en"}).where(Person.id == b2.person)
        for p in (p1, p2):
            await services.set_wish(p, b1.id, "must")
            await services.set_wish(p, b2.id, "would_like")
        return {"prog": prog.id, "p1": p1, "p2": p2, "b1": b1, "b2": b2}

    return anyio.run(build)


def email(p) -> str:
    return anyio.run(lambda: Person.select(Person.email).where(Person.id == p.person).first())["email"]


def ics_of(msg) -> Calendar:
    parts = [a for a in msg.iter_attachments() if a.get_filename() == "agenda.ics"]
    assert len(parts) == 1
    assert parts[0].get_content_type() == "text/calendar"
    return Calendar.from_ical(parts[0].get_payload(decode=True))


def test_run_publish_emails_each_agenda_with_ics_then_only_changes(client, mailbox):
    s = setup()
    prog = s["prog"]
    login_staff(client)
    r = post(client, f"/api/meetings/staff/programmes/{prog}/run")
    assert r.status_code == 200, r.text
    assert r.json()["meetings"] == 4 and r.json()["unmet"] == []
    r = post(client, f"/api/meetings/staff/programmes/{prog}/publish")
    assert r.status_code == 200 and r.json() == {"emails": 4}
    for key in ("p1", "p2", "b1", "b2"):
        [msg] = mailbox.wait_for(email(s[key]))
        cal = ics_of(msg)
        events = cal.walk("VEVENT")
        assert len(events) == 2
        for ev in events:
            assert ev["DTSTART"].dt.tzinfo is not None and str(ev["DTSTART"].params["TZID"]) == "Europe/Paris"
            assert "Table" in str(ev["LOCATION"])
        if key == "b2":
            assert msg["Subject"].startswith("Your speed-meeting agenda")
            assert {str(e["SUMMARY"]).split(" – ")[0] for e in events} == {
                "Meeting with Studio Volcan",
                "Meeting with Label Puy",
            }
        else:
            assert msg["Subject"].startswith("Votre agenda de rendez-vous d'affaires")
    # publishing again without change sends nothing
    assert post(client, f"/api/meetings/staff/programmes/{prog}/publish").json() == {"emails": 0}

    # staff move one meeting to a free slot/table: only its two participants get a new email
    grid = client.get(f"/api/meetings/staff/programmes/{prog}/grid").json()
    assert grid["conflicts"] == 0
    used = {(row["starts_at"], int(t)) for row in grid["rows"] for t in row["cells"]}
    first_row = next(row for row in grid["rows"] if row["cells"])
    table, [cell] = next(iter(first_row["cells"].items()))
    busy_people = {c["producer"] for row in grid["rows"] for t, cs in row["cells"].items() for c in cs}
    assert busy_people
    target = None
    for row in grid["rows"]:
        names = {c[k] for cs in row["cells"].values() for c in cs for k in ("producer", "buyer")}
        if cell["producer"] in names or cell["buyer"] in names:
            continue
        target = row["starts_at"]
        break
    assert target is not None
    free_table = next(t for t in grid["tables"] if (target, t) not in used)
    # a clash is refused with the field named
    r = post(
        client,
        f"/api/meetings/staff/meetings/{cell['id']}/move",
        json={"starts_at": first_row["starts_at"], "table_number": 99},
    )
    assert r.status_code == 422 and "table_number" in r.json()["errors"]
    r = post(
        client,
        f"/api/meetings/staff/meetings/{cell['id']}/move",
        json={"starts_at": target, "table_number": free_table},
    )
    assert r.status_code == 200, r.text
    mailbox.clear()
    assert post(client, f"/api/meetings/staff/programmes/{prog}/publish").json() == {"emails": 2}
    changed = {str(m["To"]).lower() for m in mailbox.wait_for("@example.org", count=2)}
    assert len(changed) == 2
    msg = mailbox.messages[0]
    assert "changed" in msg["Subject"] or "modifié" in msg["Subject"]
    moved = [e for e in ics_of(msg).walk("VEVENT") if int(e["SEQUENCE"]) == 1]
    assert len(moved) == 1

    # the producer signs in and reads their agenda: JSON, .ics and PDF
    login_attendee(client, email(s["p1"]), mailbox)
    agenda = client.get(f"/api/meetings/{prog}/me/agenda").json()
    assert {m["with"]["organisation"] for m in agenda} == {"Festival Été", "Médiathèque Jaude"}
    r = client.get(f"/api/meetings/{prog}/me/agenda.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) == 2
    r = client.get(f"/api/meetings/{prog}/me/agenda.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "Festival Été" in text and "Médiathèque Jaude" in text
    assert "Anne Prod" in text and "Table" in text
    # staff table sheets: one page per table in use
    login_staff(client, email="other@ledamier.test")
    r = client.get(f"/api/meetings/staff/programmes/{prog}/table-sheets.pdf")
    pages = PdfReader(io.BytesIO(r.content)).pages
    tables_used = {m["table"] for m in agenda}
    assert len(pages) >= len(tables_used)
    assert "Studio Volcan" in "\n".join(p.extract_text() for p in pages)


def test_participant_api_wishes_and_access(client, mailbox):
    s = setup()
    prog = s["prog"]
    r = client.get(f"/api/meetings/{prog}/me/catalogue")
    assert r.status_code == 401
    anyio.run(lambda: services.update_programme(prog, wish_limit=2))
    login_attendee(client, email(s["p1"]), mailbox)
    catalogue = client.get(f"/api/meetings/{prog}/me/catalogue").json()
    assert {c["organisation"] for c in catalogue} == {"Festival Été", "Médiathèque Jaude"}
    assert all("email" not in c for c in catalogue)

    async def third_buyer():
        prog_row = await services.get_programme(prog)
        return await participant(prog_row, "Zoe Buyer", "buyer")

    b3 = anyio.run(third_buyer)
    r = send(client, "PUT", f"/api/meetings/{prog}/me/wishes/{b3.id}", json={"priority": "if_possible"})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["target_id"]
    assert "2" in r.json()["errors"]["target_id"]
    r = send(client, "PUT", f"/api/meetings/{prog}/me/wishes/{s['b1'].id}", json={"priority": "sometimes"})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["priority"]
    r = send(client, "PUT", f"/api/meetings/{prog}/me/wishes/{s['p2'].id}", json={"priority": "must"})
    assert r.status_code == 422 and list(r.json()["errors"]) == ["target_id"]
    r = send(client, "PUT", f"/api/meetings/{prog}/me/declines/{s['b2'].id}")
    assert r.status_code == 200
    r = send(client, "PUT", f"/api/meetings/{prog}/me/wishes/{b3.id}", json={"priority": "if_possible"})
    assert r.status_code == 200
    me = client.get(f"/api/meetings/{prog}/me").json()
    assert me["declines"] == [s["b2"].id]
    assert sorted(w["target_id"] for w in me["wishes"]) == sorted([s["b1"].id, b3.id])
    r = post(
        client,
        f"/api/meetings/{prog}/me/unavailable",
        json={"starts_at": "2027-03-25T15:00:00+01:00", "ends_at": "2027-03-25T14:00:00+01:00"},
    )
    assert r.status_code == 422 and "ends_at" in r.json()["errors"]
    r = send(
        client,
        "PATCH",
        f"/api/meetings/{prog}/me/profile",
        json={"genres": "Jazz, Rock", "territory": "Auvergne"},
    )
    assert r.status_code == 200 and r.json()["genres"] == ["Jazz", "Rock"]
    # someone not registered gets 404
    login_attendee(client, "stranger@example.org", mailbox)
    assert client.get(f"/api/meetings/{prog}/me").status_code == 404


def test_reports_deal_commission_confirmed_and_figures(client, mailbox):
    s = setup(start=datetime(2025, 3, 20, 14, 0), english_buyer=False)
    prog = s["prog"]
    login_staff(client)
    assert post(client, f"/api/meetings/staff/programmes/{prog}/run").status_code == 200
    assert post(client, f"/api/meetings/staff/programmes/{prog}/publish").json() == {"emails": 4}
    for key in ("p1", "p2", "b1", "b2"):  # the agendas are out before the sign-in links are asked for
        mailbox.wait_for(email(s[key]))
    login_attendee(client, email(s["p1"]), mailbox)
    agenda = client.get(f"/api/meetings/{prog}/me/agenda").json()
    with_b1 = next(m for m in agenda if m["with"]["id"] == s["b1"].id)
    with_b2 = next(m for m in agenda if m["with"]["id"] == s["b2"].id)
    url = f"/api/meetings/{prog}/me/meetings/{with_b1['id']}/report"
    r = post(client, url, json={"took_place": True, "deal": True, "deal_nature": "Concert date"})
    assert r.status_code == 422 and "amount" in r.json()["errors"]
    r = post(
        client,
        url,
        json={"took_place": True, "deal": True, "deal_nature": "Concert date", "amount": "1 500,00"},
    )
    assert r.status_code == 200 and r.json()["amount_cents"] == 150000
    # the buyer of the other meeting says it did not happen: a no-show
    login_attendee(client, email(s["b2"]), mailbox)
    agenda_b2 = client.get(f"/api/meetings/{prog}/me/agenda").json()
    other = next(m for m in agenda_b2 if m["with"]["id"] == s["p1"].id)
    assert other["id"] == with_b2["id"]
    r = post(client, f"/api/meetings/{prog}/me/meetings/{other['id']}/report", json={"took_place": False})
    assert r.status_code == 200
    # someone else's meeting: 404
    r = post(client, f"/api/meetings/{prog}/me/meetings/{with_b1['id']}/report", json={"took_place": True})
    assert r.status_code == 404

    login_staff(client, email="boss@ledamier.test")
    [commission] = client.get(f"/api/meetings/staff/programmes/{prog}/commissions").json()
    assert commission["amount_cents"] == 150000 and commission["rate_bp"] == 1000
    assert commission["commission_cents"] == 15000 and commission["status"] == "expected"
    assert commission["organisation_name"] is None or commission["producer"] == "Studio Volcan"
    figures = client.get(f"/api/meetings/staff/programmes/{prog}/figures").json()
    assert figures == {
        "meetings": 4,
        "held": 1,
        "no_shows": 1,
        "unreported": 2,
        "deals": 1,
        "deal_amount_cents": 150000,
        "commission_proposed_cents": 15000,
        "commission_confirmed_cents": 0,
    }
    # A raised rate needs its reason (commissions.records): refused without, accepted with.
    r = post(client, f"/api/meetings/staff/commissions/{commission['id']}/confirm", json={"rate_bp": 1200})
    assert r.status_code == 422 and "rate_reason" in r.json()["errors"]
    r = post(
        client,
        f"/api/meetings/staff/commissions/{commission['id']}/confirm",
        json={"rate_bp": 1200, "rate_reason": "Deal négocié par le cluster"},
    )
    assert (
        r.status_code == 200 and r.json()["status"] == "confirmed" and r.json()["commission_cents"] == 18000
    )
    figures = client.get(f"/api/meetings/staff/programmes/{prog}/figures").json()
    assert figures["commission_confirmed_cents"] == 18000 and figures["commission_proposed_cents"] == 0
