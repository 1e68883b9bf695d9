"""The events JSON API over HTTP: public reads, staff writes, 422 naming the field in the user's language."""

from __future__ import annotations

import pytest

from tests.auth import login_staff
from tests.conftest import post, send

MIMA = {
    "title": "MIMA 2027",
    "title_en": "MIMA 2027 – Image and Music Market",
    "kind": "mima",
    "starts_at": "2027-03-25T09:00:00",
    "ends_at": "2027-03-26T19:00:00",
    "capacity": 300,
    "edition_year": 2027,
}


def create_mima(client, **overrides) -> dict:
    venue = post(
        client, "/api/venues", json={"name": "Le Sémaphore", "postal_code": "63118", "city": "Cébazat"}
    )
    assert venue.status_code == 201, venue.text
    room = post(
        client, "/api/rooms", json={"venue_id": venue.json()["id"], "name": "Grande salle", "capacity": 400}
    )
    assert room.status_code == 201, room.text
    r = post(client, "/api/events", json={**MIMA, "venue_id": venue.json()["id"], **overrides})
    assert r.status_code == 201, r.text
    event = r.json()
    event["room_id"] = room.json()["id"]
    return event


def add_session(client, event: dict, **overrides):
    body = {
        "title": "Showcase Les Volcans",
        "kind": "showcase",
        "room_id": event["room_id"],
        "starts_at": "2027-03-25T14:00:00",
        "ends_at": "2027-03-25T15:00:00",
        **overrides,
    }
    return post(client, f"/api/events/{event['id']}/sessions", json=body)


def snapshot(client, event_id: int) -> tuple:
    event = client.get(f"/api/events/{event_id}").json()
    sessions = client.get(f"/api/events/{event_id}/sessions").json()
    return event, sessions, client.get("/api/events").json()


def test_writes_need_staff_and_drafts_are_hidden(client):
    r = post(client, "/api/events", json=MIMA)
    assert r.status_code == 401
    assert client.get("/api/events").json() == []
    login_staff(client)
    event = create_mima(client)
    assert event["status"] == "draft" and event["slug"] == "mima-2027"
    assert event["starts_at"] == "2027-03-25T09:00:00+01:00"
    assert [e["slug"] for e in client.get("/api/events").json()] == ["mima-2027"]
    client.cookies.clear()
    assert client.get("/api/events").json() == []
    assert client.get(f"/api/events/{event['id']}").status_code == 404
    assert client.get(f"/api/events/{event['id']}/sessions").status_code == 404
    assert send(client, "PATCH", f"/api/events/{event['id']}", json={"title": "X"}).status_code == 401


def test_door_staff_cannot_edit_events(client):
    login_staff(client, role="door")
    assert post(client, "/api/venues", json={"name": "Le Sémaphore"}).status_code == 403


def test_publish_unpublish_cancel_and_public_reads(client):
    login_staff(client)
    event = create_mima(client)
    assert add_session(client, event).status_code == 201
    r = post(client, f"/api/events/{event['id']}/publish")
    assert r.status_code == 200 and r.json()["status"] == "published" and r.json()["sequence"] == 2
    client.cookies.clear()
    public = client.get("/api/events").json()
    assert [e["title"] for e in public] == ["MIMA 2027"]
    assert public[0]["venue"]["city"] == "Cébazat"
    sessions = client.get(f"/api/events/{event['id']}/sessions").json()
    assert [s["room"]["name"] for s in sessions] == ["Grande salle"]
    assert post(client, f"/api/events/{event['id']}/cancel").status_code == 401
    login_staff(client, email="other@ledamier.test")
    r = post(client, f"/api/events/{event['id']}/cancel")
    assert r.json()["status"] == "cancelled" and r.json()["uid"] == event["uid"]
    assert client.get("/api/events?status=cancelled").json()[0]["id"] == event["id"]
    r = post(client, f"/api/events/{event['id']}/unpublish")
    assert r.json()["status"] == "draft"
    client.cookies.clear()
    assert client.get("/api/events").json() == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/events", {"ends_at": "2027-03-24T09:00:00"}, "ends_at"),
        ("/api/events", {"kind": "rave"}, "kind"),
        ("/api/events", {"slug": "mima-2027"}, "slug"),
        ("/api/events", {"capacity": -3}, "capacity"),
        ("sessions", {"starts_at": "2027-03-25T16:00:00", "ends_at": "2027-03-25T15:00:00"}, "ends_at"),
        ("sessions", {"starts_at": "2027-03-27T10:00:00", "ends_at": "2027-03-27T11:00:00"}, "starts_at"),
        ("sessions", {"starts_at": "2027-03-25T14:30:00", "ends_at": "2027-03-25T15:30:00"}, "room_id"),
        ("sessions", {"kind": "concert", "starts_at": "2027-03-25T16:00:00"}, "kind"),
        ("patch", {"ends_at": "2027-03-25T08:00:00"}, "ends_at"),
        ("patch", {"slug": "clés"}, "slug"),
        ("patch_session", {"ends_at": "2027-03-26T23:00:00"}, "ends_at"),
    ],
)
def test_bad_input_is_422_naming_the_field_in_french_then_english_and_changes_nothing(
    client, path, body, field
):
    login_staff(client)
    event = create_mima(client)
    session = add_session(client, event).json()
    before = snapshot(client, event["id"])
    messages = []
    for lang, headers, query in (
        ("fr", {}, ""),
        ("en", {}, "?lang=en"),
        ("en", {"Accept-Language": "en-GB,en;q=0.8"}, ""),
    ):
        if path == "/api/events":
            r = post(client, "/api/events" + query, json={**MIMA, **body}, headers=headers)
        elif path == "sessions":
            full = {
                "title": "Table ronde",
                "room_id": event["room_id"],
                "starts_at": "2027-03-25T14:30:00",
                "ends_at": "2027-03-25T15:30:00",
                **body,
            }
            r = post(client, f"/api/events/{event['id']}/sessions{query}", json=full, headers=headers)
        elif path == "patch":
            r = send(client, "PATCH", f"/api/events/{event['id']}{query}", json=body, headers=headers)
        else:
            url = f"/api/events/{event['id']}/sessions/{session['id']}{query}"
            r = send(client, "PATCH", url, json=body, headers=headers)
        assert r.status_code == 422, r.text
        errors = r.json()["errors"]
        assert field in errors
        assert r.json()["detail"]
        english = any(w in errors[field] for w in ("The ", "Unknown", "This ", "Use ", "must"))
        assert english == (lang == "en"), (lang, errors)
        messages.append(errors[field])
        client.cookies.delete("lang")
    assert messages[0] != messages[1] == messages[2]
    assert snapshot(client, event["id"]) == before


def test_french_and_english_messages_are_the_catalogue_ones(client):
    login_staff(client)
    event = create_mima(client)
    url = f"/api/events/{event['id']}"
    r = send(client, "PATCH", url, json={"ends_at": "2027-03-25T08:00:00"})
    assert r.json()["errors"] == {"ends_at": "La fin doit être postérieure au début."}
    r = send(client, "PATCH", url + "?lang=en", json={"ends_at": "2027-03-25T08:00:00"})
    assert r.json()["errors"] == {"ends_at": "The end must be after the start."}


def test_malformed_json_and_wrong_types_are_400_naming_the_field(client):
    login_staff(client)
    r = post(client, "/api/events", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    r = post(client, "/api/events", json={**MIMA, "capacity": "lots"})
    assert r.status_code == 400 and "capacity" in r.text
    r = post(client, "/api/events", json={**MIMA, "starts_at": "next tuesday"})
    assert r.status_code == 400 and "starts_at" in r.text
    assert client.get("/api/events").json() == []


def test_update_bumps_sequence_keeps_uid(client):
    login_staff(client)
    event = create_mima(client)
    r = send(client, "PATCH", f"/api/events/{event['id']}", json={"capacity": 320, "venue_id": None})
    assert r.status_code == 200, r.text
    updated = r.json()
    assert (updated["capacity"], updated["venue"], updated["sequence"]) == (320, None, 1)
    assert updated["uid"] == event["uid"]


def test_sessions_and_speakers_over_http(client):
    import anyio

    from tests.events.factories import person

    login_staff(client)
    event = create_mima(client)
    session = add_session(client, event).json()
    anne = anyio.run(person)
    url = f"/api/events/{event['id']}/sessions/{session['id']}/speakers"
    r = post(client, url, json={"person_id": anne.id, "role": "performer"})
    assert r.status_code == 201, r.text
    assert r.json()["organisation"] == "Studio Volcan"
    r = post(client, url, json={"person_id": anne.id, "role": "juggler"})
    assert r.status_code == 422 and "role" in r.json()["errors"]
    sessions = client.get(f"/api/events/{event['id']}/sessions").json()
    assert sessions[0]["speakers"][0]["name"] == "Anne Martin"
    link = sessions[0]["speakers"][0]["id"]
    assert send(client, "DELETE", f"{url}/{link}").status_code == 204
    r = send(
        client, "PATCH", f"/api/events/{event['id']}/sessions/{session['id']}", json={"title": "Showcase"}
    )
    assert r.json()["sequence"] == 3  # speaker added, speaker removed, title changed
    assert send(client, "DELETE", f"/api/events/{event['id']}/sessions/{session['id']}").status_code == 204
    assert client.get(f"/api/events/{event['id']}/sessions").json() == []


def test_duplicate_over_http(client):
    login_staff(client)
    event = create_mima(client)
    add_session(client, event, starts_at="2027-03-26T10:00:00", ends_at="2027-03-26T11:30:00")
    r = post(client, f"/api/events/{event['id']}/duplicate", json={})
    assert r.status_code == 201, r.text
    copy = r.json()
    assert (copy["title"], copy["slug"], copy["status"], copy["edition_year"]) == (
        "MIMA 2028",
        "mima-2028",
        "draft",
        2028,
    )
    assert copy["starts_at"] == "2028-03-25T09:00:00+01:00"
    assert copy["ends_at"] == "2028-03-26T19:00:00+02:00"  # after the DST change, same time of day
    [session] = client.get(f"/api/events/{copy['id']}/sessions").json()
    assert (session["starts_at"], session["ends_at"]) == (
        "2028-03-26T10:00:00+02:00",
        "2028-03-26T11:30:00+02:00",
    )
    r = post(client, f"/api/events/{event['id']}/duplicate", json={"new_year": 2031})
    assert r.json()["title"] == "MIMA 2031"
    r = post(client, f"/api/events/{event['id']}/duplicate", json={"new_year": 1800})
    assert r.status_code == 422 and "new_year" in r.json()["errors"]


def test_openapi_lists_the_operations(client):
    schema = client.get("/schema/openapi.json").json()
    operations = {op.get("operationId") for path in schema["paths"].values() for op in path.values()}
    expected = {
        "listEvents",
        "getEvent",
        "createEvent",
        "updateEvent",
        "publishEvent",
        "unpublishEvent",
        "cancelEvent",
        "duplicateEvent",
        "listSessions",
        "getSession",
        "createSession",
        "updateSession",
        "deleteSession",
        "addSessionSpeaker",
        "removeSessionSpeaker",
        "listVenues",
        "createVenue",
        "updateVenue",
        "deleteVenue",
        "listRooms",
        "createRoom",
        "updateRoom",
        "deleteRoom",
        "eventsCalendar",
        "programmeCalendar",
    }
    assert expected <= operations
    components = schema["components"]["schemas"]
    assert {"EventIn", "EventOut", "SessionOut", "SpeakerOut"} <= set(components)
    assert "starts_at" in components["EventIn"]["properties"]
