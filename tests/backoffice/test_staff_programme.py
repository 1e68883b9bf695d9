"""The programme editor over HTTP: sessions by day, add/edit/delete, overlaps, speakers."""

from __future__ import annotations

import pytest

from events import services
from events.tables import Session, SessionPerson
from members.tables import Organisation, Person
from tests.auth import login_staff
from tests.backoffice.helpers import field_error, input_value, mima, run, text_of, translated
from tests.conftest import post


def session_count(event_id: int) -> int:
    return run(lambda: Session.count().where(Session.event == event_id))


def session_form(room_id: int, **overrides: str) -> dict[str, str]:
    form = {
        "title": "Atelier financement",
        "title_en": "Funding workshop",
        "kind": "workshop",
        "room_id": str(room_id),
        "starts_at": "2027-03-25T14:00",
        "ends_at": "2027-03-25T15:00",
        "description": "",
        "description_en": "",
    }
    form.update(overrides)
    return form


def test_programme_groups_sessions_by_day(client) -> None:
    event = mima(with_programme=True)
    login_staff(client)
    r = client.get(f"/staff/events/{event['id']}/programme")
    assert r.status_code == 200
    text = text_of(r.text)
    # two days, in French, in order, each with its session, room and kind
    assert "jeudi 25 mars 2027" in text and "vendredi 26 mars 2027" in text
    assert (
        text.index("jeudi 25 mars 2027")
        < text.index("Table ronde 2027")
        < text.index("vendredi 26 mars 2027")
    )
    assert text.index("vendredi 26 mars 2027") < text.index("Showcases")
    assert "10:00 – 11:30" in text and "Grande salle" in text


def test_add_session_and_overlap_in_room_is_refused(client) -> None:
    event = mima(with_programme=True)
    room = event["room"]["id"]
    login_staff(client)
    url = f"/staff/events/{event['id']}/sessions"
    r = post(client, url, data=session_form(room), follow_redirects=False)
    assert r.status_code == 303
    assert session_count(event["id"]) == 3
    added = run(lambda: Session.objects().where(Session.title == "Atelier financement").first())
    assert added.kind == "workshop" and added.room == room

    # 10:30-11:00 overlaps the round table (10:00-11:30) in the same room
    r = post(
        client,
        url,
        data=session_form(room, title="Conflit", starts_at="2027-03-25T10:30", ends_at="2027-03-25T11:00"),
    )
    assert r.status_code == 400
    message = field_error(r.text, "room_id")
    assert message and "Table ronde 2027" in message
    assert input_value(r.text, "title") == "Conflit"  # the input is kept
    assert session_count(event["id"]) == 3


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_session_outside_event_dates_is_refused(client, lang: str) -> None:
    event = mima()
    login_staff(client)
    suffix = "?lang=en" if lang == "en" else ""
    r = post(
        client,
        f"/staff/events/{event['id']}/sessions{suffix}",
        data=session_form(event["room"]["id"], starts_at="2027-03-27T10:00", ends_at="2027-03-27T11:00"),
    )
    assert r.status_code == 400
    assert field_error(r.text, "ends_at") or field_error(r.text, "starts_at")
    shown = field_error(r.text, "starts_at") or field_error(r.text, "ends_at")
    assert shown == translated("The session must take place within the event's dates.", lang)
    r = post(
        client,
        f"/staff/events/{event['id']}/sessions{suffix}",
        data=session_form(event["room"]["id"], starts_at="n'importe"),
    )
    assert r.status_code == 400
    assert field_error(r.text, "starts_at") == translated("Enter a valid date and time.", lang)
    assert session_count(event["id"]) == 0


def test_edit_and_delete_a_session(client) -> None:
    event = mima(with_programme=True)
    first, second = event["sessions"]
    login_staff(client)
    edit_url = f"/staff/events/{event['id']}/sessions/{first['id']}/edit"
    page = client.get(edit_url)
    assert page.status_code == 200
    assert input_value(page.text, "starts_at") == "2027-03-25T10:00"
    form = session_form(
        event["room"]["id"],
        title="Table ronde : financer la musique",
        kind="round_table",
        starts_at="2027-03-25T10:00",
        ends_at="2027-03-25T12:00",
    )
    r = post(client, edit_url, data=form, follow_redirects=False)
    assert r.status_code == 303
    saved = run(services.get_session, event["id"], first["id"])
    assert saved["title"] == "Table ronde : financer la musique"
    assert saved["ends_at"].strftime("%H:%M") == "12:00"
    # moving it onto the showcases' slot on day 2 in the same room: refused, nothing changes
    r = post(client, edit_url, data={**form, "starts_at": "2027-03-26T15:00", "ends_at": "2027-03-26T17:00"})
    assert r.status_code == 400 and field_error(r.text, "room_id")
    assert run(services.get_session, event["id"], first["id"])["ends_at"] == saved["ends_at"]

    r = post(client, f"/staff/events/{event['id']}/sessions/{second['id']}/delete", follow_redirects=False)
    assert r.status_code == 303
    assert session_count(event["id"]) == 1


def test_link_and_unlink_a_speaker(client) -> None:
    event = mima(with_programme=True)
    session = event["sessions"][0]

    async def make_person() -> Person:
        org = Organisation(name="Studio Volcan", college=2)
        await org.save()
        person = Person(first_name="Anne", last_name="Martin", email="anne@volcan.test", organisation=org.id)
        await person.save()
        return person

    person = run(make_person)
    login_staff(client)
    page = client.get(f"/staff/events/{event['id']}/programme")
    assert "Anne Martin (Studio Volcan)" in page.text
    url = f"/staff/events/{event['id']}/sessions/{session['id']}/people"
    r = post(client, url, data={"person_id": "", "role": "speaker"})
    assert r.status_code == 400 and field_error(r.text, "person_id")
    r = post(client, url, data={"person_id": str(person.id), "role": "moderator"}, follow_redirects=True)
    assert r.status_code == 200
    assert "Anne Martin" in text_of(r.text)
    links = run(lambda: SessionPerson.select().where(SessionPerson.session == session["id"]))
    assert [(link["person"], link["role"]) for link in links] == [(person.id, "moderator")]
    # the same person twice in the same role: refused by the service
    r = post(client, url, data={"person_id": str(person.id), "role": "moderator"})
    assert r.status_code == 400 and field_error(r.text, "person_id")

    r = post(client, f"{url}/{links[0]['id']}/delete", follow_redirects=False)
    assert r.status_code == 303
    assert run(lambda: SessionPerson.count()) == 0


def test_programme_pages_refused_to_door_role(client) -> None:
    event = mima(with_programme=True)
    login_staff(client, role="door")
    assert client.get(f"/staff/events/{event['id']}/programme").status_code == 403
    r = post(client, f"/staff/events/{event['id']}/sessions", data=session_form(event["room"]["id"]))
    assert r.status_code == 403
    assert session_count(event["id"]) == 2
