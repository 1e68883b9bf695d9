"""Event catalogue and programme rules, through the real services and database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events import services
from events.tables import Event, Session, SessionPerson
from lib import i18n
from lib.errors import ValidationFailed
from tests.events.factories import mima_2027, person, semaphore

PARIS = ZoneInfo("Europe/Paris")


async def counts() -> tuple[int, int, int]:
    return (await Event.count(), await Session.count(), await SessionPerson.count())


async def test_create_event_generates_slug_uid_and_reads_naive_times_as_paris():
    event = await mima_2027()
    assert event["slug"] == "mima-2027"
    assert len(event["uid"]) == 32 and event["sequence"] == 0
    assert event["status"] == "draft"
    assert event["starts_at"] == datetime(2027, 3, 25, 9, 0, tzinfo=PARIS)
    assert event["starts_at"].astimezone(UTC).hour == 8  # CET = UTC+1
    assert event["venue"]["city"] == "Cébazat"
    again = await services.create_event(
        title="MIMA 2027",
        starts_at=datetime(2027, 5, 1, 10, tzinfo=UTC),
        ends_at=datetime(2027, 5, 1, 12, tzinfo=UTC),
    )
    assert again["slug"] == "mima-2027-2"
    assert again["uid"] != event["uid"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": datetime(2027, 3, 25, 8, 0)}, "ends_at"),
        ({"ends_at": datetime(2027, 3, 25, 9, 0)}, "ends_at"),
        ({"kind": "rave"}, "kind"),
        ({"status": "archived"}, "status"),
        ({"capacity": -1}, "capacity"),
        ({"title": "  "}, "title"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"venue_id": 999999}, "venue_id"),
    ],
)
async def test_bad_event_input_names_the_field_and_writes_nothing(changes, field):
    venue = await semaphore()
    before = await counts()
    with pytest.raises(ValidationFailed) as err:
        await mima_2027(venue=venue, **changes)
    assert field in err.value.errors
    assert await counts() == before


async def test_duplicate_slug_is_refused_on_create_and_update():
    first = await mima_2027()
    other = await mima_2027(title="Les Clés pour réussir", kind="cles")
    with pytest.raises(ValidationFailed) as err:
        await mima_2027(slug="mima-2027")
    assert set(err.value.errors) == {"slug"}
    with pytest.raises(ValidationFailed) as err:
        await services.update_event(other["id"], slug=first["slug"])
    assert "slug" in err.value.errors
    assert (await services.get_event(other["id"]))["slug"] == "les-cles-pour-reussir"
    assert await Event.count() == 2


async def test_messages_are_french_by_default_and_english_on_request():
    token = i18n.current_locale.set("fr")
    try:
        with pytest.raises(ValidationFailed) as err:
            await mima_2027(ends_at=datetime(2027, 3, 24, 9, 0))
        assert err.value.errors["ends_at"] == "La fin doit être postérieure au début."
        i18n.set_locale("en")
        with pytest.raises(ValidationFailed) as err:
            await mima_2027(ends_at=datetime(2027, 3, 24, 9, 0))
        assert err.value.errors["ends_at"] == "The end must be after the start."
    finally:
        i18n.current_locale.reset(token)


async def test_every_change_bumps_sequence_and_updated_at_but_never_the_uid():
    event = await mima_2027()
    updated = await services.update_event(event["id"], title="MIMA 2027 — 13e édition", capacity=350)
    assert updated["sequence"] == 1
    assert updated["uid"] == event["uid"]
    assert updated["updated_at"] >= event["updated_at"]
    assert updated["slug"] == "mima-2027"  # the slug is not regenerated from a new title
    same = await services.update_event(event["id"], capacity=350)
    assert same["sequence"] == 1  # nothing changed, nothing bumped
    moved = await services.update_event(event["id"], starts_at=datetime(2027, 3, 25, 8, 30))
    assert moved["sequence"] == 2
    assert moved["starts_at"].hour == 8 and moved["starts_at"].minute == 30


async def test_publish_unpublish_cancel():
    event = await mima_2027()
    published = await services.publish_event(event["id"])
    assert (published["status"], published["sequence"]) == ("published", 1)
    assert (await services.publish_event(event["id"]))["sequence"] == 1
    draft = await services.unpublish_event(event["id"])
    assert (draft["status"], draft["sequence"]) == ("draft", 2)
    await services.publish_event(event["id"])
    cancelled = await services.cancel_event(event["id"])
    assert (cancelled["status"], cancelled["sequence"]) == ("cancelled", 4)
    assert cancelled["uid"] == event["uid"]
    assert await Event.count() == 1  # the event is kept


async def test_list_events_filters():
    mima = await mima_2027()
    cles = await mima_2027(title="Les Clés pour réussir : lever des fonds", kind="cles", edition_year=None)
    old = await mima_2027(
        title="MIMA 2019",
        starts_at=datetime(2019, 3, 28, 9),
        ends_at=datetime(2019, 3, 29, 18),
        edition_year=2019,
    )
    assert await services.list_events() == []
    for e in (mima, cles, old):
        await services.publish_event(e["id"])
    await services.cancel_event(cles["id"])
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert [e["slug"] for e in await services.list_events(now=now)] == [
        "mima-2019",
        "mima-2027",
        "les-cles-pour-reussir-lever-des-fonds",
    ]
    upcoming = await services.list_events(upcoming_only=True, now=now)
    assert [e["slug"] for e in upcoming] == ["mima-2027", "les-cles-pour-reussir-lever-des-fonds"]
    assert [e["slug"] for e in await services.list_events(kind="cles", include_cancelled=False)] == []
    await services.unpublish_event(old["id"])
    assert "mima-2019" not in [e["slug"] for e in await services.list_events()]
    assert "mima-2019" in [e["slug"] for e in await services.list_events(published_only=False)]
    with pytest.raises(services.NotFound):
        await services.get_event("mima-2019", published_only=True)
    assert (await services.get_event("mima-2019"))["id"] == old["id"]


async def _room(venue_id: int, name: str = "Grande salle") -> dict:
    return await services.create_room(venue_id=venue_id, name=name, capacity=400)


async def test_sessions_rules_and_programme():
    event = await mima_2027()
    hall = await _room(event["venue_id"])
    studio = await _room(event["venue_id"], "Studio")
    showcase = await services.add_session(
        event["id"],
        title="Showcase Les Volcans",
        kind="showcase",
        room_id=hall["id"],
        starts_at=datetime(2027, 3, 25, 14, 0),
        ends_at=datetime(2027, 3, 25, 15, 0),
    )
    assert showcase["room"]["name"] == "Grande salle"
    assert (await services.get_event(event["id"]))["sequence"] == 1
    before = await counts()
    bad = [
        ({"starts_at": datetime(2027, 3, 25, 16), "ends_at": datetime(2027, 3, 25, 15)}, "ends_at"),
        ({"starts_at": datetime(2027, 3, 24, 16), "ends_at": datetime(2027, 3, 25, 10)}, "starts_at"),
        ({"starts_at": datetime(2027, 3, 26, 18), "ends_at": datetime(2027, 3, 26, 20)}, "ends_at"),
        ({"starts_at": datetime(2027, 3, 25, 14, 30), "ends_at": datetime(2027, 3, 25, 15, 30)}, "room_id"),
        ({"starts_at": datetime(2027, 3, 25, 13, 0), "ends_at": datetime(2027, 3, 25, 16, 0)}, "room_id"),
        ({"kind": "concert"}, "kind"),
        ({"room_id": 424242}, "room_id"),
    ]
    for changes, field in bad:
        data = {
            "title": "Table ronde",
            "kind": "round_table",
            "room_id": hall["id"],
            "starts_at": datetime(2027, 3, 25, 16),
            "ends_at": datetime(2027, 3, 25, 17),
            **changes,
        }
        with pytest.raises(ValidationFailed) as err:
            await services.add_session(event["id"], **data)
        assert field in err.value.errors, (changes, err.value.errors)
    assert await counts() == before
    assert (await services.get_event(event["id"]))["sequence"] == 1

    # Back to back in the same room is fine; the same time in another room too.
    round_table = await services.add_session(
        event["id"],
        title="Table ronde : diffuser en région",
        kind="round_table",
        room_id=hall["id"],
        starts_at=datetime(2027, 3, 25, 15, 0),
        ends_at=datetime(2027, 3, 25, 16, 0),
    )
    await services.add_session(
        event["id"],
        title="Speed-meeting",
        kind="speed_meeting",
        room_id=studio["id"],
        starts_at=datetime(2027, 3, 25, 14, 0),
        ends_at=datetime(2027, 3, 25, 17, 0),
    )
    # Moving a session onto another one in the same room is refused; cancelling frees the room.
    with pytest.raises(ValidationFailed) as err:
        await services.update_session(event["id"], round_table["id"], starts_at=datetime(2027, 3, 25, 14, 30))
    assert "room_id" in err.value.errors
    await services.update_session(event["id"], showcase["id"], cancelled=True)
    moved = await services.update_session(
        event["id"], round_table["id"], starts_at=datetime(2027, 3, 25, 14, 30)
    )
    assert moved["sequence"] == 1 and moved["uid"] == round_table["uid"]
    # A cancelled session cannot be reinstated on top of another one.
    with pytest.raises(ValidationFailed):
        await services.update_session(event["id"], showcase["id"], cancelled=False)

    # The event's dates cannot shrink below its programme.
    with pytest.raises(ValidationFailed) as err:
        await services.update_event(event["id"], ends_at=datetime(2027, 3, 25, 15, 0))
    assert "ends_at" in err.value.errors

    anne = await person()
    link = await services.add_speaker(event["id"], round_table["id"], anne.id, "moderator")
    assert link["organisation"] == "Studio Volcan" and link["name"] == "Anne Martin"
    for person_id, role, field in ((anne.id, "singer", "role"), (99999, "speaker", "person_id")):
        with pytest.raises(ValidationFailed) as err:
            await services.add_speaker(event["id"], round_table["id"], person_id, role)
        assert field in err.value.errors
    with pytest.raises(ValidationFailed):
        await services.add_speaker(event["id"], round_table["id"], anne.id, "moderator")

    prog = await services.programme(event["id"])
    assert [s["title"] for s in prog] == [
        "Showcase Les Volcans",
        "Speed-meeting",
        "Table ronde : diffuser en région",
    ]
    assert prog[2]["speakers"] == [
        {
            "id": link["id"],
            "person_id": anne.id,
            "name": "Anne Martin",
            "organisation_id": anne.organisation,
            "organisation": "Studio Volcan",
            "role": "moderator",
        }
    ]
    assert [s["title"] for s in await services.programme(event["id"], include_cancelled=False)][
        0
    ] == "Speed-meeting"
    sequence = (await services.get_event(event["id"]))["sequence"]
    await services.remove_speaker(event["id"], round_table["id"], link["id"])
    await services.delete_session(event["id"], showcase["id"])
    assert (await services.get_event(event["id"]))["sequence"] == sequence + 2
    assert len(await services.programme(event["id"])) == 2


async def test_duplicate_shifts_every_date_and_keeps_times_of_day_across_dst():
    event = await mima_2027(description="MIMA 2027 : la 13e édition")
    hall = await _room(event["venue_id"])
    sessions = [
        ("Accueil MIMA 2027", "networking", datetime(2027, 3, 25, 9, 0), datetime(2027, 3, 25, 10, 0)),
        ("Showcase", "showcase", datetime(2027, 3, 25, 14, 0), datetime(2027, 3, 25, 15, 30)),
        ("Table ronde", "round_table", datetime(2027, 3, 26, 10, 0), datetime(2027, 3, 26, 11, 0)),
    ]
    created = []
    for title, kind, start, end in sessions:
        created.append(
            await services.add_session(
                event["id"], title=title, kind=kind, room_id=hall["id"], starts_at=start, ends_at=end
            )
        )
    anne = await person()
    await services.add_speaker(event["id"], created[2]["id"], anne.id, "speaker")
    await services.publish_event(event["id"])

    copy = await services.duplicate_event(event["id"])
    assert copy["title"] == "MIMA 2028"
    assert copy["title_en"] == "MIMA 2028 – Image and Music Market"
    assert copy["slug"] == "mima-2028"
    assert copy["edition_year"] == 2028
    assert copy["status"] == "draft" and copy["sequence"] == 0
    assert copy["uid"] != event["uid"]
    assert copy["venue_id"] == event["venue_id"] and copy["capacity"] == 300
    assert copy["starts_at"] == datetime(2028, 3, 25, 9, 0, tzinfo=PARIS)
    # 26 March 2028 is after the DST change: same local time, one hour less in UTC.
    assert copy["ends_at"] == datetime(2028, 3, 26, 19, 0, tzinfo=PARIS)
    assert copy["ends_at"].astimezone(UTC).hour == 17
    assert event["ends_at"].astimezone(UTC).hour == 18
    prog = await services.programme(copy["id"])
    assert [
        (s["title"], s["starts_at"].replace(tzinfo=None), s["ends_at"].replace(tzinfo=None)) for s in prog
    ] == [
        ("Accueil MIMA 2028", datetime(2028, 3, 25, 9, 0), datetime(2028, 3, 25, 10, 0)),
        ("Showcase", datetime(2028, 3, 25, 14, 0), datetime(2028, 3, 25, 15, 30)),
        ("Table ronde", datetime(2028, 3, 26, 10, 0), datetime(2028, 3, 26, 11, 0)),
    ]
    assert all(s["room_id"] == hall["id"] for s in prog)
    assert {s["uid"] for s in prog}.isdisjoint({s["uid"] for s in created})
    assert prog[2]["speakers"][0]["name"] == "Anne Martin"
    # The original is untouched.
    original = await services.event_with_programme(event["id"])
    assert original["status"] == "published" and original["title"] == "MIMA 2027"
    assert [s["starts_at"].year for s in original["programme"]] == [2027, 2027, 2027]

    # Duplicating again makes a unique slug; an explicit new start shifts everything by that delta.
    later = await services.duplicate_event(event["id"], new_starts_at=datetime(2028, 4, 6, 9, 0))
    assert later["slug"] == "mima-2028-2"
    assert later["ends_at"] == datetime(2028, 4, 7, 19, 0, tzinfo=PARIS)
    prog = await services.programme(later["id"])
    assert prog[1]["starts_at"] == datetime(2028, 4, 6, 14, 0, tzinfo=PARIS)
    far = await services.duplicate_event(event["id"], new_year=2030)
    assert (far["title"], far["edition_year"]) == ("MIMA 2030", 2030)
    assert far["starts_at"] == datetime(2030, 3, 25, 9, 0, tzinfo=PARIS)
    assert far["starts_at"] - event["starts_at"] == timedelta(days=365 * 3 + 1)


async def test_venue_and_room_crud():
    venue = await semaphore()
    with pytest.raises(ValidationFailed) as err:
        await services.create_venue(name="")
    assert "name" in err.value.errors
    venue = await services.update_venue(venue["id"], city="Cébazat (63)")
    assert venue["city"] == "Cébazat (63)"
    room = await services.create_room(venue_id=venue["id"], name="Salle 1", capacity=50)
    for data, field in (
        ({"venue_id": 404, "name": "X"}, "venue_id"),
        ({"venue_id": venue["id"], "name": "X", "capacity": -5}, "capacity"),
    ):
        with pytest.raises(ValidationFailed) as err:
            await services.create_room(**data)
        assert field in err.value.errors
    assert (await services.update_room(room["id"], name="Salle Jean Moulin"))["name"] == "Salle Jean Moulin"
    assert [r["id"] for r in await services.list_rooms(venue["id"])] == [room["id"]]
    await services.delete_venue(venue["id"])
    assert await services.list_rooms() == []
