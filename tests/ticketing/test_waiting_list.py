"""Waiting list: only when sold out; freed places are offered in order with a time-limited link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import post
from tests.ticketing.factories import cles_event
from tests.ticketing.helpers import order
from ticketing.tables import Order, WaitingListEntry


async def test_waiting_list_offers_freed_places_in_order(client, stripe_fake, mailbox):
    event, _member, public = await cles_event(capacity=1)
    first = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}]).json()
    assert first["status"] == "pending_payment"

    url = f"/api/events/{event.id}/waiting-list"
    r = post(client, url, json={"name": "Waiting One", "email": "w1@example.org", "ticket_type": public.id})
    assert r.status_code == 201
    r = post(client, url, json={"name": "Waiting Two", "email": "w2@example.org", "ticket_type": public.id})
    assert r.status_code == 201
    bad = post(client, url, json={"name": "", "email": "nope", "ticket_type": public.id, "quantity": -2})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"name", "email", "quantity"}

    # the unpaid reservation expires: its place goes to the first person waiting, held for them
    await Order.update({Order.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Order.token == first["token"]
    )
    types = client.get(f"/api/events/{event.id}/ticket-types").json()
    assert types[1]["places_left"] == 0  # held for the waiting list, not for the public
    entries = await WaitingListEntry.objects().order_by(WaitingListEntry.id)
    assert [e.status for e in entries] == ["offered", "waiting"]
    msg = mailbox.wait_for("w1@example.org")[0]
    link = msg.get_body(("plain",)).get_content()
    assert f"waiting={entries[0].offer_token}" in link

    # somebody else cannot take the held place; the offer link can
    assert order(client, event.id, [{"ticket_type": public.id, "quantity": 1}]).status_code == 409
    r = order(
        client,
        event.id,
        [{"ticket_type": public.id, "quantity": 1}],
        buyer={"name": "Waiting One", "email": "w1@example.org"},
        waiting_token=entries[0].offer_token,
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "pending_payment"
    again = order(
        client, event.id, [{"ticket_type": public.id, "quantity": 1}], waiting_token=entries[0].offer_token
    )
    assert again.status_code == 422 and "waiting_token" in again.json()["errors"]


async def test_waiting_list_refused_while_places_remain(client):
    event, _member, public = await cles_event(capacity=10)
    r = post(
        client,
        f"/api/events/{event.id}/waiting-list",
        json={"name": "A", "email": "a@example.org", "ticket_type": public.id},
    )
    assert r.status_code == 422 and "ticket_type" in r.json()["errors"]


async def test_unused_offer_expires_and_passes_to_the_next(client, stripe_fake, mailbox):
    event, _member, public = await cles_event(capacity=1)
    first = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}]).json()
    for n in (1, 2):
        post(
            client,
            f"/api/events/{event.id}/waiting-list",
            json={"name": f"W{n}", "email": f"w{n}@example.org", "ticket_type": public.id},
        )
    await Order.update({Order.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Order.token == first["token"]
    )
    client.get(f"/api/events/{event.id}/ticket-types")
    await WaitingListEntry.update(
        {WaitingListEntry.offer_expires_at: datetime.now(UTC) - timedelta(seconds=1)}
    ).where(WaitingListEntry.status == "offered")
    client.get(f"/api/events/{event.id}/ticket-types")
    entries = await WaitingListEntry.objects().order_by(WaitingListEntry.id)
    assert [e.status for e in entries] == ["expired", "offered"]
    mailbox.wait_for("w2@example.org")
