"""The waiting room of a sale opening, through the real stack: admission in order of arrival, a buyer
who skipped the queue refused, and without a room (or after it) orders exactly as before."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from tests.conftest import post, send
from tests.ticketing.factories import make_event, make_type
from tests.ticketing.helpers import order, staff_login
from ticketing import waiting_room
from ticketing.tables import SaleQueue, SaleQueuePass

ORDER_KEYS = {
    "token",
    "event",
    "status",
    "approval_requested",
    "buyer",
    "total_ht_cents",
    "total_vat_cents",
    "total_ttc_cents",
    "refunded_cents",
    "expires_at",
    "payment_intent",
    "client_secret",
    "invoice",
    "credit_note",
    "member_confirmations",
    "payment_reference",
    "payment_method",
    "online_payment",
    "tickets",
}


async def _room(event_id: int, *, opens_in: float = 0.0, rate: int = 1000, window: int = 60, **kw) -> None:
    opens = datetime.now(UTC) + timedelta(seconds=opens_in)
    await waiting_room.configure(
        event_id,
        {"opens_at": opens.isoformat(), "admit_per_second": rate, "window_minutes": window, **kw},
    )


def _join(client, event_id: int) -> dict:
    """A new arrival (a browser without the room's cookie) takes a place."""
    client.cookies.clear()
    r = post(client, f"/api/events/{event_id}/queue")
    assert r.status_code == 201, r.text
    return r.json()


def _buy(client, event_id: int, type_id: int, n: int, queue_token: str | None = None):
    client.cookies.clear()
    extra = {"queue_token": queue_token} if queue_token else {}
    return order(
        client,
        event_id,
        [{"ticket_type": type_id, "quantity": 1}],
        buyer={"name": f"Buyer {n}", "email": f"buyer{n}@example.org"},
        **extra,
    )


async def test_without_a_room_orders_are_unchanged(client):
    event = await make_event(10)
    free = await make_type(event, "Invité", 0)
    r = _buy(client, event.id, free.id, 1)
    assert r.status_code == 201, r.text
    assert set(r.json()) == ORDER_KEYS  # not one key more or less
    assert not any(name.startswith("queue_") for name in client.cookies)
    # the buy page is the form, the queue page sends to it
    assert client.get(f"/events/{event.id}/tickets").status_code == 200
    r = client.get(f"/events/{event.id}/queue", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/events/{event.id}/tickets"
    assert post(client, f"/api/events/{event.id}/queue").status_code == 404


async def test_a_room_that_is_over_changes_nothing(client):
    event = await make_event(10)
    free = await make_type(event, "Invité", 0)
    await _room(event.id, opens_in=-3600, window=30)  # opened an hour ago, 30 minutes of queue
    r = _buy(client, event.id, free.id, 1)
    assert r.status_code == 201 and set(r.json()) == ORDER_KEYS
    assert await SaleQueuePass.count() == 0
    assert client.get(f"/events/{event.id}/tickets", follow_redirects=False).status_code == 200


async def test_a_buyer_who_skipped_the_queue_is_refused(client):
    event = await make_event(10)
    free = await make_type(event, "Invité", 0)
    await _room(event.id)
    r = _buy(client, event.id, free.id, 1)
    assert r.status_code == 403, r.text
    assert f"/events/{event.id}/queue" in r.json()["errors"]["queue_token"]
    client.cookies.clear()
    r = send(
        client,
        "POST",
        f"/api/events/{event.id}/orders?lang=fr",
        json={
            "buyer": {"name": "Léa", "email": "lea@example.org"},
            "items": [{"ticket_type": free.id, "quantity": 1}],
        },
    )
    assert r.status_code == 403 and "file d'attente" in r.json()["detail"]
    # a forged pass, another event's pass
    place = _join(client, event.id)
    forged = place["token"][:-2] + ("AA" if not place["token"].endswith("AA") else "BB")
    assert _buy(client, event.id, free.id, 2, forged).status_code == 403
    other = await make_event(10)
    await _room(other.id)
    other_pass = _join(client, other.id)["token"]
    assert _buy(client, event.id, free.id, 3, other_pass).status_code == 403
    # nothing was sold to any of them
    assert await SaleQueuePass.count() == 0
    # the real pass works, once
    assert _buy(client, event.id, free.id, 4, place["token"]).status_code == 201
    again = _buy(client, event.id, free.id, 5, place["token"])
    assert (
        again.status_code == 403 and "déjà servi" in again.json()["errors"]["queue_token"]
    )  # (lang=fr above)


async def test_buyers_are_let_in_in_order_of_arrival(client):
    event = await make_event(10)
    free = await make_type(event, "Invité", 0)
    await _room(event.id, opens_in=8, rate=1)  # one admission a second, from the opening on
    started = time.monotonic()
    places = [_join(client, event.id) for _ in range(6)]
    assert time.monotonic() - started < 8, "the arrivals must all come before the opening"
    assert [p["position"] for p in places] == [1, 2, 3, 4, 5, 6]
    assert all(not p["admitted"] for p in places)  # before the opening nobody is in
    assert [p["ahead"] for p in places] == [0, 1, 2, 3, 4, 5]
    # the first in line cannot order before the opening: told it is not their turn yet
    early = _buy(client, event.id, free.id, 0, places[0]["token"])
    assert early.status_code == 409 and "pas encore votre tour : 1 personne est" in early.json()["detail"]

    admitted_order: list[int] = []
    deadline = started + 8 + 5 + 20  # the opening, then 5 s of admissions (and a loaded machine)
    while len(admitted_order) < 6 and time.monotonic() < deadline:
        client.cookies.clear()
        states = [
            client.get(f"/api/events/{event.id}/queue", params={"token": p["token"]}).json() for p in places
        ]
        now_in = [s["position"] for s in states if s["admitted"]]
        assert now_in == list(range(1, len(now_in) + 1))  # always a prefix of the arrivals
        for position in now_in:
            if position not in admitted_order:
                admitted_order.append(position)
                r = _buy(client, event.id, free.id, position, places[position - 1]["token"])
                assert r.status_code == 201, r.text
        if now_in == [1]:  # the last in line (5 s later) is refused meanwhile, with their place kept
            r = _buy(client, event.id, free.id, 99, places[-1]["token"])
            assert r.status_code == 409
        await asyncio.sleep(0.05)
    assert admitted_order == [1, 2, 3, 4, 5, 6]
    room = await SaleQueue.objects().where(SaleQueue.event == event.id).first()
    assert room.issued == 6


async def test_an_order_refused_for_its_input_gives_the_pass_back(client):
    event = await make_event(10)
    free = await make_type(event, "Invité", 0)
    await _room(event.id)
    token = _join(client, event.id)["token"]
    client.cookies.clear()
    bad = order(
        client,
        event.id,
        [{"ticket_type": free.id, "quantity": 1}],
        buyer={"name": "", "email": "nope"},
        queue_token=token,
    )
    assert bad.status_code == 422 and "buyer.email" in bad.json()["errors"]
    assert _buy(client, event.id, free.id, 1, token).status_code == 201


async def test_the_pages_queue_then_let_in(client):
    event = await make_event(10)
    free = await make_type(event, "Invité", 0)
    await _room(event.id, opens_in=8.0, rate=10, pass_minutes=5)
    opening = time.monotonic() + 8.0
    r = client.get(f"/events/{event.id}/tickets", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/events/{event.id}/queue"
    page = client.get(f"/events/{event.id}/queue?lang=en")
    assert page.status_code == 200 and 'data-testid="queue-position">1<' in page.text
    assert "<progress" in page.text and f"queue_{event.id}" in client.cookies
    # reloading keeps the place (and writes nothing)
    again = client.get(f"/events/{event.id}/queue?lang=fr")
    assert 'data-testid="queue-position">1<' in again.text and "File d'attente" in again.text
    assert (await SaleQueue.objects().where(SaleQueue.event == event.id).first()).issued == 1
    await asyncio.sleep(max(0.0, opening - time.monotonic()) + 0.3)
    form = client.get(f"/events/{event.id}/tickets", follow_redirects=False)
    assert form.status_code == 200 and 'id="order-form"' in form.text
    # the order form's request carries the pass in the cookie
    r = order(client, event.id, [{"ticket_type": free.id, "quantity": 1}])
    assert r.status_code == 201, r.text


async def test_staff_set_the_room_and_bad_values_are_named(client):
    event = await make_event(10)
    await staff_login(client)
    url = f"/api/staff/ticketing/events/{event.id}/waiting-room"
    r = send(client, "PUT", url, json={"opens_at": "tomorrow", "admit_per_second": 0})
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"opens_at", "admit_per_second"}
    r = send(client, "PUT", url, json={"opens_at": "2030-03-14T10:00", "admit_per_second": 50})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (
        body["admit_per_second"] == 50
        and body["active"] is True
        and body["opens_at"].startswith("2030-03-14T09:00")
    )
    assert client.get(url).json()["issued"] == 0
    client.cookies.clear()
    assert client.get(url).status_code in (401, 403)


async def test_staff_set_the_room_on_the_sales_page(client):
    event = await make_event(10)
    await staff_login(client)
    page = client.get(f"/staff/events/{event.id}/sales")
    assert page.status_code == 200 and 'data-testid="waiting-room-form"' in page.text
    bad = post(
        client,
        f"/staff/tickets/events/{event.id}/waiting-room",
        data={"opens_at": "", "admit_per_second": "5"},
        follow_redirects=True,
    )
    assert "Indiquez quand la vente ouvre" in bad.text
    assert await waiting_room.room_of(event.id) is None
    r = post(
        client,
        f"/staff/tickets/events/{event.id}/waiting-room",
        data={"opens_at": "2030-03-14T10:00", "admit_per_second": "5", "enabled": "1"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "attente enregistrée" in r.text
    room = await waiting_room.room_of(event.id)
    assert room.admit_per_second == 5 and room.enabled
    assert room.opens_at == datetime(2030, 3, 14, 9, 0, tzinfo=UTC)  # 10:00 Paris time
    assert 'value="2030-03-14T10:00"' in r.text
