"""iCalendar feeds over HTTP, parsed back with icalendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.auth import login_staff
from tests.conftest import post, send
from tests.events.test_api import add_session, create_mima

PARIS = ZoneInfo("Europe/Paris")


def parse(response) -> Calendar:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "filename=" in response.headers["content-disposition"]
    return Calendar.from_ical(response.content)


def vevents(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_feed_lists_published_and_cancelled_events_not_drafts(client):
    login_staff(client)
    mima = create_mima(client, description="Le marché des professionnels", description_en="The trade market")
    draft = post(
        client,
        "/api/events",
        json={
            "title": "Assemblée générale 2027",
            "kind": "general_assembly",
            "starts_at": "2027-04-10T18:00:00",
            "ends_at": "2027-04-10T20:00:00",
        },
    ).json()
    cles = post(
        client,
        "/api/events",
        json={
            "title": "Les Clés pour réussir : lever des fonds",
            "kind": "cles",
            "starts_at": "2027-05-12T09:00:00",
            "ends_at": "2027-05-12T12:30:00",
        },
    ).json()
    post(client, f"/api/events/{mima['id']}/publish")
    post(client, f"/api/events/{cles['id']}/publish")
    post(client, f"/api/events/{cles['id']}/cancel")
    client.cookies.clear()

    cal = parse(client.get("/calendar/events.ics"))
    assert str(cal["VERSION"]) == "2.0" and "LE DAMIER" in str(cal["PRODID"])
    assert cal["X-WR-CALNAME"]
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Paris"
    events = vevents(cal)
    assert set(events) == {f"{mima['uid']}@ledamier.fr", f"{cles['uid']}@ledamier.fr"}
    assert f"{draft['uid']}@ledamier.fr" not in events
    m = events[f"{mima['uid']}@ledamier.fr"]
    assert str(m["STATUS"]) == "CONFIRMED"
    assert str(m["SUMMARY"]) == "MIMA 2027" and str(m["DESCRIPTION"]) == "Le marché des professionnels"
    assert m["DTSTART"].params["TZID"] == "Europe/Paris"
    assert m["DTSTART"].dt == datetime(2027, 3, 25, 9, 0, tzinfo=PARIS)
    assert m["DTEND"].dt == datetime(2027, 3, 26, 19, 0, tzinfo=PARIS)
    assert m["DTSTAMP"].dt.utcoffset().total_seconds() == 0
    assert "Cébazat" in str(m["LOCATION"])
    assert str(m["URL"]) == "http://testserver.local/events/mima-2027"
    c = events[f"{cles['uid']}@ledamier.fr"]
    assert str(c["STATUS"]) == "CANCELLED"
    assert int(c["SEQUENCE"]) == 2

    english = vevents(parse(client.get("/calendar/events.ics?lang=en")))
    m_en = english[f"{mima['uid']}@ledamier.fr"]
    assert str(m_en["SUMMARY"]) == "MIMA 2027 – Image and Music Market"
    assert str(m_en["DESCRIPTION"]) == "The trade market"
    assert str(english[f"{cles['uid']}@ledamier.fr"]["SUMMARY"]) == "Les Clés pour réussir : lever des fonds"


def test_uid_is_stable_and_sequence_grows_after_an_edit(client):
    login_staff(client)
    mima = create_mima(client)
    post(client, f"/api/events/{mima['id']}/publish")
    uid = f"{mima['uid']}@ledamier.fr"
    first = vevents(parse(client.get("/calendar/events.ics")))[uid]
    again = vevents(parse(client.get("/calendar/events.ics")))[uid]
    assert int(again["SEQUENCE"]) == int(first["SEQUENCE"])
    r = send(client, "PATCH", f"/api/events/{mima['id']}", json={"starts_at": "2027-03-25T10:00:00"})
    assert r.status_code == 200
    edited = vevents(parse(client.get("/calendar/events.ics")))
    assert list(edited) == [uid]
    assert int(edited[uid]["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert edited[uid]["DTSTART"].dt == datetime(2027, 3, 25, 10, 0, tzinfo=PARIS)
    post(client, f"/api/events/{mima['id']}/cancel")
    cancelled = vevents(parse(client.get("/calendar/events.ics")))[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == int(first["SEQUENCE"]) + 2


def test_programme_ics_has_the_event_and_its_sessions(client):
    import anyio

    from tests.events.factories import person

    login_staff(client)
    mima = create_mima(client)
    show = add_session(client, mima).json()
    table = add_session(
        client,
        mima,
        title="Table ronde : diffuser en région",
        title_en="Round table: touring the region",
        kind="round_table",
        starts_at="2027-03-26T10:00:00",
        ends_at="2027-03-26T11:00:00",
    ).json()
    anne = anyio.run(person)
    post(client, f"/api/events/{mima['id']}/sessions/{table['id']}/speakers", json={"person_id": anne.id})
    cancelled = add_session(
        client,
        mima,
        title="Annulé",
        starts_at="2027-03-25T17:00:00",
        ends_at="2027-03-25T18:00:00",
        cancelled=True,
    ).json()

    assert client.get("/events/mima-2027/programme.ics").status_code == 404  # still a draft
    assert client.get("/events/nope/programme.ics").status_code == 404
    post(client, f"/api/events/{mima['id']}/publish")
    client.cookies.clear()
    cal = parse(client.get("/events/mima-2027/programme.ics"))
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = vevents(cal)
    assert set(events) == {f"{x['uid']}@ledamier.fr" for x in (mima, show, table, cancelled)}
    t = events[f"{table['uid']}@ledamier.fr"]
    assert t["DTSTART"].dt == datetime(2027, 3, 26, 10, 0, tzinfo=PARIS)
    assert t["DTSTART"].params["TZID"] == "Europe/Paris"
    assert "Anne Martin (Studio Volcan)" in str(t["DESCRIPTION"])
    assert "Grande salle" in str(t["LOCATION"])
    assert str(events[f"{cancelled['uid']}@ledamier.fr"]["STATUS"]) == "CANCELLED"
    assert "mima-2027.ics" in client.get("/events/mima-2027/programme.ics").headers["content-disposition"]
    en = vevents(parse(client.get("/events/mima-2027/programme.ics", headers={"Accept-Language": "en"})))
    assert str(en[f"{table['uid']}@ledamier.fr"]["SUMMARY"]).startswith("Round table: touring the region")
    assert "With: Anne Martin" in str(en[f"{table['uid']}@ledamier.fr"]["DESCRIPTION"])
    assert "Avec : Anne Martin" in str(t["DESCRIPTION"])
    # Regenerated after an edit of one session: same UIDs, higher SEQUENCE for that session.
    login_staff(client, email="editor@ledamier.test")
    r = send(client, "PATCH", f"/api/events/{mima['id']}/sessions/{show['id']}", json={"title": "Showcase"})
    assert r.status_code == 200, r.text
    after = vevents(parse(client.get("/events/mima-2027/programme.ics")))
    assert set(after) == set(events)
    key = f"{show['uid']}@ledamier.fr"
    assert int(after[key]["SEQUENCE"]) == int(events[key]["SEQUENCE"]) + 1
