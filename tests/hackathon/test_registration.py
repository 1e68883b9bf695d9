"""Registration: capacity, waiting list in order, tickets through ticketing, emails FR/EN, withdrawal."""

from __future__ import annotations

import pytest

from hackathon import registration
from hackathon.tables import Edition, HackParticipant
from lib.errors import ValidationFailed
from tests.hackathon.factories import edition, register
from tests.stands.factories import member
from ticketing.tables import Ticket, TicketType


async def test_accepted_until_capacity_then_waiting_in_order(mailbox, jobs_worker):
    ed = await edition(capacity=2)
    results = [await register(ed, i) for i in range(4)]
    assert [r.waiting_position for r in results] == [None, None, 1, 2]
    assert (await Edition.objects().where(Edition.id == ed.id).first()).accepted == 2
    tickets = await Ticket.select(
        Ticket.attendee_email, Ticket.status, Ticket.ticket_type.name.as_alias("type")
    )
    assert sorted(t["attendee_email"] for t in tickets) == ["p000@example.org", "p001@example.org"]
    assert {t["type"] for t in tickets} == {registration.TICKET_TYPE_NAME}
    ttype = await TicketType.objects().where(TicketType.name == registration.TICKET_TYPE_NAME).first()
    assert ttype.staff_only  # nobody buys it on the public sales page
    confirmed = mailbox.wait_for("p000@example.org", count=2)  # the confirmation and the ticket
    assert any("confirm" in m["subject"].lower() for m in confirmed)
    waiting = mailbox.wait_for("p003@example.org")
    assert "liste d'attente" in waiting[0]["subject"]
    assert "numéro 2" in waiting[0].get_body(preferencelist=("plain",)).get_content()


async def test_english_confirmation(mailbox, jobs_worker):
    ed = await edition(capacity=1)
    await register(ed, 1, locale="en")
    msgs = mailbox.wait_for("p001@example.org", count=2)
    assert any(
        m["subject"].startswith("Your place at Culture Experience Days 2027 is confirmed") for m in msgs
    )


async def test_withdrawal_frees_the_place_for_the_first_waiting(mailbox, jobs_worker):
    ed = await edition(capacity=1)
    first = await register(ed, 0)
    second = await register(ed, 1)
    await register(ed, 2)
    promoted = await registration.withdraw(first.participant)
    assert promoted is not None and promoted.id == second.participant.id
    rows = {p.email: p.status for p in await HackParticipant.objects()}
    assert rows == {
        "p000@example.org": "withdrawn",
        "p001@example.org": "accepted",
        "p002@example.org": "waiting",
    }
    old = await Ticket.objects().where(Ticket.attendee_email == "p000@example.org").first()
    assert old.status == "cancelled"
    new = await Ticket.objects().where(Ticket.attendee_email == "p001@example.org").first()
    assert new.status == "valid"
    assert (await Edition.objects().where(Edition.id == ed.id).first()).accepted == 1
    msgs = mailbox.wait_for("p001@example.org", count=3)
    assert any("est à vous" in m["subject"] for m in msgs)


async def test_a_waiting_participant_withdrawing_promotes_nobody():
    ed = await edition(capacity=1)
    await register(ed, 0)
    waiting = await register(ed, 1)
    assert await registration.withdraw(waiting.participant) is None
    assert (await Edition.objects().where(Edition.id == ed.id).first()).accepted == 1


async def test_organisation_matched_against_the_member_register():
    org, address = await member("Studio Lumen")
    ed = await edition()
    by_name = await register(ed, 1, organisation="studio lumen")
    by_email = await register(ed, 2, email=address)
    outsider = await register(ed, 3, organisation="Inconnue SARL")
    assert by_name.participant.organisation == org.id
    assert by_email.participant.organisation == org.id
    assert outsider.participant.organisation is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "email": "a@b.org", "role": "artist"}, "name"),
        ({"name": "A", "email": "pas-une-adresse", "role": "artist"}, "email"),
        ({"name": "A", "email": "a@b.org", "role": "astronaut"}, "role"),
        ({"name": "A", "email": "a@b.org", "role": "artist", "skills": [1, 2]}, "skills"),
        ({"name": "A", "email": "a@b.org", "role": "artist", "hack": 1}, "hack"),
    ],
)
async def test_bad_input_names_the_field(data, field):
    ed = await edition()
    with pytest.raises(ValidationFailed) as caught:
        await registration.register(ed.id, data)
    assert field in caught.value.errors
    assert await HackParticipant.count() == 0


async def test_twice_the_same_email_is_refused():
    ed = await edition()
    await register(ed, 1)
    with pytest.raises(ValidationFailed) as caught:
        await register(ed, 1)
    assert "email" in caught.value.errors
