"""Member prices need proof (issue 10, security 1 and 8): a signed-in member, a one-time link emailed to
each member address, or staff approval; never a free member ticket for an address nobody proved."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from members.tables import Person
from tests.auth import login_attendee
from tests.checkin.helpers import auth, make_device, scan_id
from tests.conftest import post, send
from tests.ticketing.factories import cles_event
from tests.ticketing.helpers import attachment, make_member_org, order, pdf_text, staff_login
from ticketing import orders, signing
from ticketing.tables import Order, Ticket, TicketType, WaitingListEntry

CONFIRM_RE = re.compile(r"https?://[^\s\"'<>]+(/tickets/confirm/[A-Za-z0-9_\-]+)")
EVE = {"name": "Eve Attacker", "email": "eve@gmail.com"}


def confirmation_link(mailbox, address: str, timeout: float = 20.0) -> str:
    """The path of the member confirmation link emailed to this address."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for msg in reversed(mailbox.to(address)):
            match = CONFIRM_RE.search(msg.get_body(("plain",)).get_content())
            if match:
                return match.group(1)
        time.sleep(0.05)
    raise AssertionError(f"no confirmation link emailed to {address}")


def wait_for_subject(mailbox, address: str, part: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mailbox.to(address) if part in m["Subject"]]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no email {part!r} to {address}: {[m['Subject'] for m in mailbox.to(address)]}")


async def _sold(type_id: int) -> int:
    return (await TicketType.select(TicketType.sold).where(TicketType.id == type_id).first())["sold"]


def _redeem(client, token: str, ticket_id: int, event_id: int):
    code = signing.sign(ticket_id=ticket_id, event_id=event_id)
    return client.post("/api/devices/redeem", json={"code": code, "scan_id": scan_id()}, headers=auth(token))


async def test_a_made_up_member_address_gets_no_ticket(client, mailbox):
    """The attack of the issue: buyer eve@gmail.com, attendee made-up@<member domain>."""
    event, member, _public = await cles_event()
    await make_member_org("label-auvergne.fr")
    r = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer=EVE,
        attendees=[{"name": "Made Up", "email": "made-up@label-auvergne.fr"}],
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "awaiting_member" and body["total_ttc_cents"] == 0
    assert body["tickets"][0]["status"] == "pending"
    assert body["member_confirmations"] == [
        {
            "kind": "order",
            "email": "made-up@label-auvergne.fr",
            "ticket": None,
            "confirmed": False,
            "expires_at": body["expires_at"],
        }
    ]
    assert await Order.count().where(Order.status == "confirmed") == 0
    assert await _sold(member.id) == 1  # the place is held meanwhile
    # no PDF, no QR code, and the door refuses the ticket and says why
    assert client.get(f"/api/orders/{body['token']}/tickets.pdf").status_code == 404
    public_id = body["tickets"][0]["id"]
    assert client.get(f"/api/orders/{body['token']}/tickets/{public_id}/qr.png").status_code == 404
    _device, device_token = await make_device(event)
    ticket = await Ticket.objects().where(Ticket.public_id == public_id).first()
    door = _redeem(client, device_token, ticket.id, event.id)
    assert door.status_code == 200 and door.json()["status"] == "unpaid"
    # the link went to the member address only; eve got nothing with a ticket in it
    link = confirmation_link(mailbox, "made-up@label-auvergne.fr")
    assert link.startswith("/tickets/confirm/")
    assert all(
        "tickets.pdf" not in [p.get_filename() for p in m.iter_attachments()]
        for m in mailbox.to(EVE["email"])
    )
    page = client.get(f"/orders/{body['token']}")
    assert 'data-status="awaiting_member"' in page.text
    assert "made-up@label-auvergne.fr" in page.text and 'data-testid="held-until"' in page.text


async def test_the_emailed_link_confirms_and_the_ticket_goes_to_the_member_only(client, mailbox):
    event, member, _public = await cles_event()
    await make_member_org("label-auvergne.fr")
    body = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        attendees=[{"name": "Bruno Member", "email": "bruno@label-auvergne.fr"}],
        locale="en",
    ).json()
    assert body["status"] == "awaiting_member"
    path = confirmation_link(mailbox, "bruno@label-auvergne.fr")
    msg = mailbox.to("bruno@label-auvergne.fr")[0]
    assert "Confirm your member price for Keys to success" in msg["Subject"]
    assert "alice@example.org" in msg.get_body(("plain",)).get_content()  # who booked, no free text
    # the GET shows a button and uses nothing up (mail scanners prefetch links)
    page = client.get(path)
    assert page.status_code == 200 and "bruno@label-auvergne.fr" in page.text
    assert (await Order.objects().first()).status == "awaiting_member"
    done = post(client, path)
    assert done.status_code == 200 and 'data-testid="member-confirmed"' in done.text
    confirmed = client.get(f"/api/orders/{body['token']}").json()
    assert confirmed["status"] == "confirmed" and confirmed["tickets"][0]["status"] == "valid"
    assert confirmed["member_confirmations"][0]["confirmed"] is True
    # the ticket PDF goes to the confirmed address, not to the buyer who typed it
    ticket_mail = wait_for_subject(mailbox, "bruno@label-auvergne.fr", "Your ticket for")
    assert "Bruno Member" in pdf_text(attachment(ticket_mail, "ticket.pdf"))
    buyer_mail = wait_for_subject(mailbox, "alice@example.org", "Your tickets for")
    assert [p.get_filename() for p in buyer_mail.iter_attachments()] == ["event.ics"]
    assert "bruno@label-auvergne.fr" in buyer_mail.get_body(("plain",)).get_content()
    assert client.get(f"/api/orders/{body['token']}/tickets.pdf").status_code == 404
    assert confirmed["tickets"][0]["sent_to_attendee"] is True
    # one use only
    again = post(client, path)
    assert again.status_code == 400 and "déjà été utilisé" in again.text
    assert post(client, "/api/member-confirmations/not-a-token").status_code == 400


async def test_every_member_address_must_confirm(client, mailbox):
    event, member, _public = await cles_event()
    await make_member_org("label-auvergne.fr")
    await make_member_org("studio-volcans.fr")
    body = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 2}],
        attendees=[
            {"name": "Bruno", "email": "bruno@label-auvergne.fr"},
            {"name": "Marc", "email": "marc@studio-volcans.fr"},
        ],
    ).json()
    first = post(
        client,
        "/api/member-confirmations/"
        + confirmation_link(mailbox, "bruno@label-auvergne.fr").rsplit("/", 1)[1],
    )
    assert first.status_code == 200 and first.json() == {
        "kind": "order",
        "email": "bruno@label-auvergne.fr",
        "order_status": "awaiting_member",
        "waiting_for": 1,
    }
    assert client.get(f"/api/orders/{body['token']}").json()["status"] == "awaiting_member"
    second = post(client, confirmation_link(mailbox, "marc@studio-volcans.fr"))
    assert second.status_code == 200
    assert client.get(f"/api/orders/{body['token']}").json()["status"] == "confirmed"


async def test_a_signed_in_member_gets_tickets_for_itself_and_its_colleagues_at_once(client, mailbox):
    event, member, _public = await cles_event()
    org = await make_member_org("label-auvergne.fr")
    await Person(first_name="Zoé", last_name="Collègue", email="zoe@gmail.com", organisation=org.id).save()
    await make_member_org("studio-volcans.fr")
    login_attendee(client, "bruno@label-auvergne.fr", mailbox)
    r = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 2}],
        buyer={"name": "Bruno Member", "email": "bruno@label-auvergne.fr"},
        attendees=[
            {"name": "Bruno Member", "email": "bruno@label-auvergne.fr"},
            {"name": "Zoé Collègue", "email": "zoe@gmail.com"},  # a person of the same organisation
        ],
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "confirmed" and r.json()["member_confirmations"] == []
    ticket_mail = wait_for_subject(mailbox, "zoe@gmail.com", "Votre billet pour")
    assert "Zoé Collègue" in pdf_text(attachment(ticket_mail, "ticket.pdf"))
    own = wait_for_subject(mailbox, "bruno@label-auvergne.fr", "Vos billets pour")
    assert "Bruno Member" in pdf_text(attachment(own, "tickets.pdf"))
    # somebody of another member organisation still has to confirm
    r = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer={"name": "Bruno Member", "email": "bruno@label-auvergne.fr"},
        attendees=[{"name": "Marc", "email": "marc@studio-volcans.fr"}],
    )
    assert r.json()["status"] == "awaiting_member"
    confirmation_link(mailbox, "marc@studio-volcans.fr")


async def test_a_signed_in_non_member_gets_nothing_at_once(client, mailbox):
    event, member, _public = await cles_event()
    await make_member_org("label-auvergne.fr", paid=False)
    login_attendee(client, "bruno@label-auvergne.fr", mailbox)  # dues not paid
    r = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer={"name": "B", "email": "bruno@label-auvergne.fr"},
    )
    assert r.status_code == 201 and r.json()["status"] == "awaiting_member"


async def test_the_answer_is_the_same_whatever_the_register_holds(client, mailbox):
    """Security 8a: a member, a member with unpaid dues, an unknown address: same status, same fields."""
    event, member, _public = await cles_event()
    await make_member_org("label-auvergne.fr")
    await make_member_org("unpaid-label.fr", paid=False)
    answers = []
    for address in ("bruno@label-auvergne.fr", "joe@unpaid-label.fr", "nobody@example.org"):
        r = order(
            client,
            event.id,
            [{"ticket_type": member.id, "quantity": 1}],
            buyer={"name": "Buyer", "email": f"buyer.{address}"},
            attendees=[{"name": "Someone", "email": address}],
        )
        assert r.status_code == 201, r.text
        body = r.json()
        answers.append((body["status"], sorted(body), [c["confirmed"] for c in body["member_confirmations"]]))
        page = client.get(f"/orders/{body['token']}").text
        assert "Si une adresse appartient à un adhérent à jour de cotisation" in page
    assert answers[0] == answers[1] == answers[2]
    # only the mailbox owner learns why: a link for the member, an explanation for the others
    confirmation_link(mailbox, "bruno@label-auvergne.fr")
    for address in ("joe@unpaid-label.fr", "nobody@example.org"):
        msg = mailbox.wait_for(address)[0]
        assert "n'est pas reconnue" in msg["Subject"]
        assert not CONFIRM_RE.search(msg.get_body(("plain",)).get_content())


async def test_unconfirmed_member_orders_expire_and_the_waiting_list_gets_the_place(client, mailbox):
    event, member, _public = await cles_event(capacity=1)
    await make_member_org("label-auvergne.fr")
    body = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer=EVE,
        attendees=[{"name": "Made Up", "email": "made-up@label-auvergne.fr"}],
    ).json()
    link = confirmation_link(mailbox, "made-up@label-auvergne.fr")
    r = post(
        client,
        f"/api/events/{event.id}/waiting-list",
        json={"name": "Wanda", "email": "wanda@example.org", "ticket_type": member.id},
    )
    assert r.status_code == 201, r.text
    await Order.update({Order.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Order.token == body["token"]
    )
    from ticketing.tables import MemberConfirmation

    await MemberConfirmation.update(
        {MemberConfirmation.expires_at: datetime.now(UTC) - timedelta(minutes=1)}, force=True
    )
    assert await orders.expire_due() == 1
    assert (await Order.objects().first()).status == "expired"
    entry = await WaitingListEntry.objects().first()
    assert entry.status == "offered"  # the released place went to the waiting list
    mailbox.wait_for("wanda@example.org")
    late = post(client, link)
    assert late.status_code == 400 and "expiré" in late.text
    page = client.get(f"/orders/{body['token']}").text
    assert 'data-testid="book-again"' in page and f"/events/{event.id}/tickets" in page


async def test_changing_a_member_ticket_to_another_address_needs_its_confirmation(client, mailbox):
    event, member, _public = await cles_event()
    await make_member_org("label-auvergne.fr")
    await make_member_org("studio-volcans.fr")
    login_attendee(client, "bruno@label-auvergne.fr", mailbox)
    body = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer={"name": "Bruno", "email": "bruno@label-auvergne.fr"},
    ).json()
    assert body["status"] == "confirmed"
    client.cookies.clear()  # somebody else who has the order link
    public_id = body["tickets"][0]["id"]
    r = send(
        client,
        "PATCH",
        f"/api/orders/{body['token']}/tickets/{public_id}",
        json={"name": "Marc Volcans", "email": "marc@studio-volcans.fr"},
    )
    assert r.status_code == 200, r.text
    ticket = r.json()["tickets"][0]
    assert ticket["attendee_email"] == "bruno@label-auvergne.fr" and ticket["attendee_name"] == "Bruno"
    assert r.json()["member_confirmations"][0]["kind"] == "transfer"
    # a made-up address of a member domain never gets the ticket: nobody can confirm it
    r = send(
        client,
        "PATCH",
        f"/api/orders/{body['token']}/tickets/{public_id}",
        json={"name": "Made Up", "email": "made-up@label-auvergne.fr"},
    )
    assert r.status_code == 200 and r.json()["tickets"][0]["attendee_email"] == "bruno@label-auvergne.fr"
    post_link = confirmation_link(mailbox, "made-up@label-auvergne.fr")
    # the first request was replaced by the second: its link is dead
    marc_link = confirmation_link(mailbox, "marc@studio-volcans.fr")
    assert post(client, marc_link).status_code == 400
    assert post(client, post_link).status_code == 200  # the owner of that mailbox confirms
    moved = await Ticket.objects().where(Ticket.public_id == public_id).first()
    assert (moved.attendee_email, moved.attendee_name) == ("made-up@label-auvergne.fr", "Made Up")
    mail = wait_for_subject(mailbox, "made-up@label-auvergne.fr", "Votre billet pour")
    assert "Made Up" in pdf_text(attachment(mail, "ticket.pdf"))


async def test_an_unconfirmed_member_order_cannot_change_its_address(client, mailbox):
    event, member, _public = await cles_event()
    await make_member_org("label-auvergne.fr")
    body = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer=EVE,
        attendees=[{"name": "X", "email": "x@label-auvergne.fr"}],
    ).json()
    assert body["status"] == "awaiting_member"
    r = send(
        client,
        "PATCH",
        f"/api/orders/{body['token']}/tickets/{body['tickets'][0]['id']}",
        json={"name": "Eve", "email": "eve@gmail.com"},
    )
    assert r.status_code == 422 and "email" in r.json()["errors"]


async def test_staff_approval_stays_the_third_way(client, mailbox):
    event, member, _public = await cles_event()
    r = order(client, event.id, [{"ticket_type": member.id, "quantity": 1}], request_approval=True)
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "reserved" and body["approval_requested"] is True
    assert body["tickets"][0]["status"] == "pending" and body["expires_at"] is None
    await staff_login(client)
    r = send(client, "POST", f"/api/staff/ticketing/orders/{body['token']}/approve")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    # staff may also approve an order that waits for its members
    other = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer={"name": "Bob", "email": "bob@example.org"},
    ).json()
    assert other["status"] == "awaiting_member"
    r = send(client, "POST", f"/api/staff/ticketing/orders/{other['token']}/approve")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
