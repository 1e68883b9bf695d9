"""Staff event pages over HTTP: access by role, create/edit forms, status changes, duplication."""

from __future__ import annotations

import pytest

from events import services
from events.tables import Event, Session
from tests.auth import login_staff
from tests.backoffice.helpers import field_error, input_value, mima, run, text_of, translated
from tests.conftest import post
from ticketing.types import ensure_default_types

PAGES = ["/staff", "/staff/events", "/staff/events/new"]


def event_pages(event_id: int) -> list[str]:
    return [
        f"/staff/events/{event_id}/edit",
        f"/staff/events/{event_id}/programme",
        f"/staff/events/{event_id}/duplicate",
    ]


def count_events() -> int:
    return run(Event.count)


def test_pages_render_for_staff(client) -> None:
    event = mima(with_programme=True)
    login_staff(client)
    for url in [*PAGES, *event_pages(event["id"])]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        assert "MIMA 2027" in r.text or url in ("/staff/events/new",), url
    # the dashboard lists the upcoming event with its status
    r = client.get("/staff")
    assert f'data-testid="event-row-{event["id"]}"' in r.text
    assert "badge status-published" in r.text
    assert "Événements à venir" in text_of(r.text)


def test_anonymous_is_refused_or_sent_to_sign_in(client) -> None:
    event = mima()
    for url in [*PAGES, *event_pages(event["id"])]:
        r = client.get(url, follow_redirects=False)
        assert r.status_code in (401, 303), (url, r.status_code)
        if r.status_code == 303:
            assert r.headers["location"].startswith("/auth/login")
        r = client.get(url, headers={"accept": "text/html"}, follow_redirects=False)
        assert r.status_code in (401, 302, 303), url
    r = post(client, f"/staff/events/{event['id']}/publish", follow_redirects=False)
    assert r.status_code in (401, 303)


def test_door_role_is_forbidden(client) -> None:
    event = mima()
    login_staff(client, role="door")
    for url in [*PAGES, *event_pages(event["id"])]:
        assert client.get(url).status_code == 403, url
    r = post(client, f"/staff/events/{event['id']}/cancel")
    assert r.status_code == 403
    assert run(services.get_event, event["id"])["status"] == "published"


def test_admin_can_use_the_back_office(client) -> None:
    login_staff(client, role="admin")
    assert client.get("/staff/events").status_code == 200


def test_create_event_through_the_form(client) -> None:
    venue = run(services.create_venue, name="Epicentre Factory", city="Clermont-Ferrand")
    login_staff(client)
    form = {
        "title": "Les Clés pour réussir : lever des fonds",
        "title_en": "Keys to success: raising funds",
        "description": "Atelier",
        "description_en": "Workshop",
        "kind": "cles",
        "venue_id": str(venue["id"]),
        "starts_at": "2027-06-10T09:30",
        "ends_at": "2027-06-10T12:30",
        "capacity": "30",
        "edition_year": "2027",
    }
    r = post(client, "/staff/events/new", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:1000]
    location = r.headers["location"]
    event = run(lambda: Event.objects().first())
    assert location == f"/staff/events/{event.id}/edit?done=saved"
    assert event.status == "draft" and event.kind == "cles" and event.capacity == 30
    assert event.venue == venue["id"]
    # Europe/Paris wall time 09:30 in June = 07:30 UTC
    stored = run(services.get_event, event.id)
    assert stored["starts_at"].strftime("%Y-%m-%d %H:%M") == "2027-06-10 09:30"
    assert stored["starts_at"].utcoffset().total_seconds() == 7200
    page = client.get(location)
    assert page.status_code == 200
    assert input_value(page.text, "starts_at") == "2027-06-10T09:30"
    assert "enregistré" in text_of(page.text)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_bad_event_input_shows_field_error_and_saves_nothing(client, lang: str) -> None:
    login_staff(client)
    suffix = "?lang=en" if lang == "en" else ""
    form = {
        "title": "Petit-déjeuner des membres",
        "kind": "breakfast",
        "starts_at": "2027-02-01T10:00",
        "ends_at": "2027-02-01T08:00",
        "capacity": "40",
        "edition_year": "2027",
    }
    r = post(client, "/staff/events/new" + suffix, data=form)
    assert r.status_code == 400
    expected = translated("The end must be after the start.", lang)
    assert field_error(r.text, "ends_at") == expected
    # the user's input is kept
    assert input_value(r.text, "title") == "Petit-déjeuner des membres"
    assert input_value(r.text, "ends_at") == "2027-02-01T08:00"
    assert count_events() == 0

    # a value that is not a number, then a missing title: each named next to its field
    r = post(client, "/staff/events/new" + suffix, data={**form, "capacity": "beaucoup"})
    assert r.status_code == 400
    assert field_error(r.text, "capacity") == translated("Enter a whole number.", lang)
    r = post(client, "/staff/events/new" + suffix, data={**form, "title": "", "ends_at": "2027-02-01T12:00"})
    assert r.status_code == 400
    assert field_error(r.text, "title") == translated("This field is required.", lang)
    assert count_events() == 0


def test_edit_event_and_bad_edit_changes_nothing(client) -> None:
    event = mima(with_programme=True)
    login_staff(client)
    page = client.get(f"/staff/events/{event['id']}/edit")
    assert input_value(page.text, "starts_at") == "2027-03-25T09:00"
    form = {
        "title": "MIMA 2027 — 14e édition",
        "title_en": "MIMA 2027",
        "description": "Nouveau texte",
        "description_en": "",
        "kind": "mima",
        "venue_id": str(event["venue_id"]),
        "starts_at": "2027-03-25T08:30",
        "ends_at": "2027-03-26T19:00",
        "capacity": "350",
        "edition_year": "2027",
    }
    r = post(client, f"/staff/events/{event['id']}/edit", data=form, follow_redirects=False)
    assert r.status_code == 303
    saved = run(services.get_event, event["id"])
    assert saved["title"] == "MIMA 2027 — 14e édition" and saved["capacity"] == 350
    assert saved["sequence"] > event["sequence"]

    # moving the end before the sessions is refused by the service: message next to the field
    r = post(client, f"/staff/events/{event['id']}/edit", data={**form, "ends_at": "2027-03-25T18:00"})
    assert r.status_code == 400
    assert field_error(r.text, "ends_at") == translated(
        "Some sessions of the programme would fall outside these dates.", "fr"
    )
    assert input_value(r.text, "ends_at") == "2027-03-25T18:00"
    assert run(services.get_event, event["id"])["ends_at"] == saved["ends_at"]


def test_publish_unpublish_cancel_buttons(client) -> None:
    event = mima()
    run(services.unpublish_event, event["id"])
    run(ensure_default_types, event["id"])  # on sale: publishing asks nothing (see test_sales_pages)
    login_staff(client)
    page = client.get(f"/staff/events/{event['id']}/edit")
    assert 'data-testid="publish-event"' in page.text
    r = post(client, f"/staff/events/{event['id']}/publish", follow_redirects=True)
    assert r.status_code == 200
    assert run(services.get_event, event["id"])["status"] == "published"
    assert 'data-testid="unpublish-event"' in r.text
    post(client, f"/staff/events/{event['id']}/unpublish")
    assert run(services.get_event, event["id"])["status"] == "draft"
    r = post(client, f"/staff/events/{event['id']}/cancel", follow_redirects=True)
    assert run(services.get_event, event["id"])["status"] == "cancelled"
    assert "annulé" in text_of(r.text).lower()


def test_list_filters_by_status_and_kind(client) -> None:
    event = mima()
    run(
        services.create_event,
        title="Assemblée générale 2027",
        kind="general_assembly",
        starts_at=__import__("datetime").datetime(2027, 4, 15, 18, 0),
        ends_at=__import__("datetime").datetime(2027, 4, 15, 20, 0),
    )
    login_staff(client)
    r = client.get("/staff/events")
    assert "MIMA 2027" in r.text and "Assemblée générale 2027" in r.text
    r = client.get("/staff/events?status=draft")
    assert "MIMA 2027" not in r.text and "Assemblée générale 2027" in r.text
    r = client.get("/staff/events?kind=mima")
    assert f'data-testid="event-row-{event["id"]}"' in r.text and "Assemblée générale 2027" not in r.text


def test_duplicate_creates_next_edition(client) -> None:
    event = mima(with_programme=True)
    login_staff(client)
    page = client.get(f"/staff/events/{event['id']}/edit")
    assert 'data-testid="duplicate-event"' in page.text
    form_page = client.get(f"/staff/events/{event['id']}/duplicate")
    assert input_value(form_page.text, "new_starts_at") == "2028-03-25"
    r = post(
        client,
        f"/staff/events/{event['id']}/duplicate",
        data={"new_starts_at": "2028-03-23"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    copy = run(lambda: Event.objects().where(Event.id != event["id"]).first())
    assert r.headers["location"] == f"/staff/events/{copy.id}/edit?done=duplicated"
    assert copy.title == "MIMA 2028" and copy.status == "draft" and copy.edition_year == 2028
    new = run(services.get_event, copy.id)
    assert new["starts_at"].strftime("%Y-%m-%d %H:%M") == "2028-03-23 09:00"
    assert run(lambda: Session.count().where(Session.event == copy.id)) == 2
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "MIMA 2028" in page.text
    # the original is untouched
    assert run(services.get_event, event["id"])["status"] == "published"


def test_duplicate_with_bad_date_shows_error(client) -> None:
    event = mima()
    login_staff(client)
    r = post(client, f"/staff/events/{event['id']}/duplicate", data={"new_starts_at": "pas une date"})
    assert r.status_code == 400
    assert field_error(r.text, "new_starts_at")
    r = post(client, f"/staff/events/{event['id']}/duplicate", data={"new_starts_at": "2027-03-25"})
    assert r.status_code == 400
    assert field_error(r.text, "new_starts_at")
    assert count_events() == 1


def test_unknown_event_is_404(client) -> None:
    login_staff(client)
    assert client.get("/staff/events/999/edit").status_code == 404
