"""Public pages through the real app: languages, programme, Paris times, drafts, cancelled events, 404s."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from events import services
from members.tables import Organisation, Person

PARIS = ZoneInfo("Europe/Paris")


async def make_event(**overrides: Any) -> dict[str, Any]:
    venue = await services.create_venue(
        name="Epicentre Factory",
        address="5 rue Saint-Dominique",
        postal_code="63000",
        city="Clermont-Ferrand",
    )
    data: dict[str, Any] = {
        "title": "Les Clés pour réussir : lever des fonds",
        "title_en": "Keys to success: raising funds",
        "description": "Une matinée d'outils concrets.",
        "description_en": "A morning of ready-to-use tools.",
        "kind": "cles",
        "status": "published",
        "venue_id": venue["id"],
        # 2 July 2031: summer time in Paris (UTC+2)
        "starts_at": datetime(2031, 7, 2, 9, 0, tzinfo=PARIS),
        "ends_at": datetime(2031, 7, 2, 12, 30, tzinfo=PARIS),
        "capacity": 30,
        "edition_year": 2031,
    }
    data.update(overrides)
    return await services.create_event(**data)


async def add_workshop(event: dict[str, Any]) -> dict[str, Any]:
    room = await services.create_room(venue_id=event["venue"]["id"], name="Salle de réunion", capacity=40)
    session = await services.add_session(
        event["id"],
        title="Financement participatif",
        title_en="Crowdfunding",
        kind="workshop",
        room_id=room["id"],
        starts_at=datetime(2031, 7, 2, 9, 45, tzinfo=PARIS),
        ends_at=datetime(2031, 7, 2, 11, 15, tzinfo=PARIS),
    )
    org = Organisation(name="Comm'Arverne", college=3)
    await org.save()
    person = Person(
        first_name="Sarah", last_name="Lambert", email="sarah@commarverne.example", organisation=org.id
    )
    await person.save()
    await services.add_speaker(event["id"], session["id"], person.id, "speaker")
    return session


async def test_home_and_list_are_french_by_default(client):
    await make_event()
    r = client.get("/")
    assert r.status_code == 200
    assert '<html lang="fr">' in r.text
    assert "Prochain événement" in r.text
    assert "Les Clés pour réussir : lever des fonds" in r.text
    r = client.get("/events")
    assert "Événements à venir" in r.text
    assert "Type d&#39;événement" in r.text or "Type d'événement" in r.text


async def test_english_by_query_cookie_and_accept_language(client):
    await make_event()
    r = client.get("/events?lang=en")
    assert '<html lang="en">' in r.text
    assert "Upcoming events" in r.text
    assert "Keys to success: raising funds" in r.text
    assert "lang=en" in r.headers.get("set-cookie", "")
    # the cookie is remembered by the client: the next page is English without ?lang=
    r = client.get("/")
    assert "Next event" in r.text and "Prochain événement" not in r.text
    client.cookies.delete("lang")
    r = client.get("/events", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Upcoming events" in r.text
    r = client.get("/events", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "Événements à venir" in r.text


async def test_language_switch_keeps_the_current_page(client):
    event = await make_event()
    r = client.get(f"/events/{event['slug']}")
    assert f'href="/events/{event["slug"]}?lang=en"' in r.text
    r = client.get("/events?kind=cles")
    assert 'href="/events?kind=cles&amp;lang=en"' in r.text
    r = client.get("/events?kind=cles&lang=en")
    assert 'href="/events?kind=cles&amp;lang=fr"' in r.text


async def test_event_page_shows_programme_speakers_and_paris_times(client):
    event = await make_event()
    await add_workshop(event)
    r = client.get(f"/events/{event['slug']}")
    assert r.status_code == 200
    text = r.text
    assert "Programme" in text and "Atelier" in text
    assert "Financement participatif" in text
    assert "Sarah Lambert" in text and "Comm&#39;Arverne" in text
    assert "Salle de réunion" in text
    assert "5 rue Saint-Dominique" in text and "63000 Clermont-Ferrand" in text
    assert "mercredi 2 juillet 2031" in text
    # 09:45 in Paris is 07:45 UTC: the page shows Paris time
    assert "09:45" in text and "11:15" in text and "07:45" not in text
    assert "30 places" in text
    assert f'href="/events/{event["slug"]}/programme.ics"' in text
    assert "/calendar/events.ics" in text
    r = client.get(f"/events/{event['slug']}?lang=en")
    assert "Crowdfunding" in r.text and "Workshop" in r.text and "Wednesday, July 2, 2031" in r.text
    assert "9:45" in r.text and "7:45" not in r.text
    assert "A morning of ready-to-use tools." in r.text


async def test_winter_time_is_paris_time_too(client):
    event = await make_event(
        starts_at=datetime(2031, 1, 15, 18, 0, tzinfo=PARIS),
        ends_at=datetime(2031, 1, 15, 20, 0, tzinfo=PARIS),
    )
    r = client.get(f"/events/{event['slug']}")
    assert "18:00" in r.text and "20:00" in r.text and "17:00" not in r.text


async def test_drafts_are_not_found_for_the_public(client):
    draft = await make_event(status="draft", title="Petit-déjeuner secret")
    r = client.get(f"/events/{draft['slug']}")
    assert r.status_code == 404
    assert "Page introuvable" in r.text and "Petit-déjeuner secret" not in r.text
    assert "Petit-déjeuner secret" not in client.get("/events").text
    assert "Petit-déjeuner secret" not in client.get("/").text
    r = client.get(f"/events/{draft['slug']}?lang=en")
    assert r.status_code == 404 and "Page not found" in r.text


async def test_cancelled_event_shows_a_banner(client):
    event = await make_event()
    await services.cancel_event(event["id"])
    r = client.get(f"/events/{event['slug']}")
    assert r.status_code == 200
    assert "Cet événement est annulé." in r.text and 'role="alert"' in r.text
    assert "Annulé" in client.get("/events").text
    r = client.get(f"/events/{event['slug']}?lang=en")
    assert "This event is cancelled." in r.text


async def test_filter_by_kind_and_past_events(client):
    await make_event()
    await make_event(
        title="MIMA 2031",
        title_en="MIMA 2031",
        kind="mima",
        starts_at=datetime(2031, 10, 14, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2031, 10, 15, 18, 0, tzinfo=PARIS),
    )
    await make_event(
        title="Apéro-projet 2020",
        kind="apero_projet",
        starts_at=datetime(2020, 9, 17, 18, 0, tzinfo=PARIS),
        ends_at=datetime(2020, 9, 17, 20, 0, tzinfo=PARIS),
    )
    r = client.get("/events?kind=mima")
    assert "MIMA 2031" in r.text and "lever des fonds" not in r.text
    r = client.get("/events")
    assert "MIMA 2031" in r.text and "lever des fonds" in r.text and "Apéro-projet 2020" not in r.text
    r = client.get("/events?past=true")
    assert "Événements passés" in r.text and "Apéro-projet 2020" in r.text and "MIMA 2031" not in r.text
    # an unknown kind is ignored rather than an error
    assert client.get("/events?kind=nonsense").status_code == 200


def test_not_found_pages_are_html_for_browsers_and_json_for_the_api(client):
    r = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Page introuvable" in r.text
    r = client.get("/no/such/page?lang=en", headers={"Accept": "text/html"})
    assert "Page not found" in r.text
    r = client.get("/no/such/page", headers={"Accept": "text/html", "Cookie": "lang=en"})
    assert "Page not found" in r.text
    r = client.get("/api/no/such/thing")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
    assert r.json()["status_code"] == 404


def test_server_errors_render_a_friendly_page():
    """A handler that crashes gives the 500 page in the visitor's language (JSON for /api)."""
    from litestar import get
    from litestar.testing import TestClient

    from server.app import create_app

    @get("/boom-page", include_in_schema=False)
    async def boom_page() -> str:
        raise RuntimeError("kaboom")

    @get("/api/boom", include_in_schema=False)
    async def boom_api() -> dict[str, str]:
        raise RuntimeError("kaboom")

    app = create_app()
    app.register(boom_page)
    app.register(boom_api)
    with TestClient(app=app, base_url="http://testserver.local") as c:
        r = c.get("/boom-page", headers={"Accept": "text/html"})
        assert r.status_code == 500 and "Une erreur est survenue" in r.text and "kaboom" not in r.text
        r = c.get("/boom-page?lang=en", headers={"Accept": "text/html"})
        assert "Something went wrong" in r.text
        r = c.get("/api/boom")
        assert r.status_code == 500 and r.headers["content-type"].startswith("application/json")
