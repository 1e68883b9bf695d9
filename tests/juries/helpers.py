"""Builders for the juries tests: members in (or out of) good standing, a Court d'Ici event and call, films.
They go through the real services (register, events, juries)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from events import services
from members import people as member_people
from members import register, standing

GENRES = ("documentary", "animation", "music_video", "video_art", "fiction")


async def member(name: str, domain: str, *, paid: bool = True, people: tuple[str, ...] = ()) -> Any:
    org = await register.create_organisation(
        name=name, college=2, email=f"contact@{domain}", email_domain=domain
    )
    if paid:
        await standing.record_membership_payment(org.id, register.today().year, register.today())
    for i, email in enumerate(people):
        await member_people.create_person(
            first_name=f"P{i}", last_name=name, email=email, organisation_id=org.id
        )
    return org


async def court_event() -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=60)
    return await services.create_event(
        title="Le Court d'Ici 2027",
        kind="court_dici",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        edition_year=start.year,
        status="published",
    )


def call_body(event_id: int | None = None, **overrides: Any) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    body: dict[str, Any] = {
        "title": "Le Court d'Ici",
        "title_en": "Le Court d'Ici (short films)",
        "edition_year": now.year + 1,
        "opens_at": (now - timedelta(days=1)).isoformat(),
        "deadline": (now + timedelta(days=20)).isoformat(),
        "eligibility": "members",
        "max_entries_per_organisation": 2,
        "max_runtime_seconds": 20 * 60,
        "min_year": now.year - 2,
        "hidden_fields": ["producer", "directors", "coproducers"],
        "jurors_per_entry": 2,
    }
    if event_id is not None:
        body["event_id"] = event_id
    body.update(overrides)
    return body


def film(title: str, genre: str = "animation", runtime: str = "12:30", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": title,
        "directors": f"Director of {title}",
        "genre": genre,
        "runtime": runtime,
        "year": datetime.now(UTC).year,
        "language": "français",
        "subtitles": "English",
        "synopsis_fr": f"Synopsis de {title}.",
        "synopsis_en": f"Synopsis of {title}.",
        "screener_url": "https://vimeo.example/123",
        "screener_password": "secret",
        "rights_cleared": True,
    }
    body.update(overrides)
    return body


def sign_in_staff(client, email: str = "staff@ledamier.test") -> None:
    """Sign a staff member in through the login form, creating the account the first time."""
    import anyio

    from accounts.tables import StaffUser
    from tests.auth import DEFAULT_PASSWORD, make_staff
    from tests.conftest import post

    if not anyio.run(lambda: StaffUser.exists().where(StaffUser.email == email)):
        anyio.run(lambda: make_staff(email=email))
    client.cookies.clear()
    r = post(
        client, "/auth/login", data={"email": email, "password": DEFAULT_PASSWORD}, follow_redirects=False
    )
    assert r.status_code in (302, 303), r.text[:300]


def sign_in(client, email: str, mailbox) -> None:
    """Sign a person in through the real emailed link. The test client is one address standing for many
    people (submitters, jurors): its per-address link counter is reset first; the per-email one stays."""
    import anyio

    from lib.tables import RateLimitHit
    from tests.auth import login_attendee

    anyio.run(lambda: RateLimitHit.delete().where(RateLimitHit.key.like("link:ip:%")))
    client.cookies.clear()
    login_attendee(client, email, mailbox)
