"""The exhibitor catalogue links each exhibitor to its showcase (a performing session of the same edition)
or its speed-meeting producer profile, found by organisation id; a link typed by its people wins."""

from __future__ import annotations

import uuid
from datetime import timedelta

from events.tables import Session, SessionPerson
from members.tables import Person
from scheduling.tables import MeetingProgramme, Participant
from stands import booking, exhibitors
from stands.tables import ExhibitorProfile
from tests.stands.factories import hall, member


async def _exhibit(h, index: int, name: str):
    org, email = await member(name)
    done = await booking.assign(
        h["event"].id, h["stands"][index], {"organisation": org.id}, staff_email="s@x.test"
    )
    return org, done.shares[0]["id"]


async def _session(event, kind: str, org_id: int, *, cancelled: bool = False) -> Session:
    session = Session(
        event=event.id,
        kind=kind,
        title=f"{kind} {org_id}",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(minutes=30),
        uid=uuid.uuid4().hex,
        cancelled=cancelled,
    )
    await session.save()
    person = await Person.objects().where(Person.organisation == org_id).first()
    await SessionPerson(session=session.id, person=person.id, role="performer").save()
    return session


async def test_links_found_by_organisation_and_manual_override_wins():
    h = await hall(stands=5)
    event = h["event"]
    shows, _s = await _exhibit(h, 0, "Showcase Prod")
    meets, _m = await _exhibit(h, 1, "Meeting Prod")
    typed, typed_share = await _exhibit(h, 2, "Typed Prod")
    nothing, _n = await _exhibit(h, 3, "Nothing Prod")
    cancelled, _c = await _exhibit(h, 4, "Cancelled Prod")

    showcase = await _session(event, "showcase", shows.id)
    await _session(event, "talk", nothing.id)  # a round table is not a showcase
    await _session(event, "screening", cancelled.id, cancelled=True)  # cancelled: no link
    await _session(event, "showcase", typed.id)

    programme = MeetingProgramme(event=event.id, status="wishes_open")
    await programme.save()
    for org in (meets, shows):
        person = await Person.objects().where(Person.organisation == org.id).first()
        await Participant(programme=programme.id, person=person.id, side="producer").save()
    buyer_person = await Person.objects().where(Person.organisation == nothing.id).first()
    await Participant(programme=programme.id, person=buyer_person.id, side="buyer").save()  # buyers: no link
    meets_participant = await Participant.objects().where(Participant.side == "producer").first()

    profile = await ExhibitorProfile.objects().where(ExhibitorProfile.share == typed_share).first()
    await exhibitors.update_profile(
        profile.id, {"showcase_url": "https://typed.example/live"}, email="", by_staff=True
    )

    links = {e.name: (e.link_kind, e.showcase_url) for e in await exhibitors.catalogue(event.id)}
    assert links["Showcase Prod"] == ("showcase", f"/events/{event.slug}#session-{showcase.id}")
    assert links["Meeting Prod"] == (
        "meetings",
        f"/meetings/{programme.id}/catalogue#p-{meets_participant.id}",
    )
    assert links["Typed Prod"] == ("manual", "https://typed.example/live")
    assert links["Nothing Prod"] == ("", "")
    assert links["Cancelled Prod"] == ("", "")


async def test_a_draft_programme_or_another_edition_gives_no_link(client):
    h = await hall(stands=2)
    other = await hall(stands=1)
    org, _share = await _exhibit(h, 0, "Elsewhere Prod")
    await _session(other["event"], "showcase", org.id)  # another edition's showcase
    programme = MeetingProgramme(event=h["event"].id, status="draft")
    await programme.save()
    person = await Person.objects().where(Person.organisation == org.id).first()
    await Participant(programme=programme.id, person=person.id, side="producer").save()
    [entry] = await exhibitors.catalogue(h["event"].id)
    assert (entry.link_kind, entry.showcase_url) == ("", "")

    showcase = await _session(h["event"], "showcase", org.id)
    page = client.get(f"/stands/{h['event'].id}/exhibitors")
    assert f'href="/events/{h["event"].slug}#session-{showcase.id}"' in page.text
    assert "Son showcase" in page.text
