"""Unpaid holds are limited (issue 10, security 2 and 8b): per buyer email, per client IP, as a share of the
event's capacity; emails per recipient and orders per source are throttled; "sold out" and the waiting
list see through places that are only held."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from lib.errors import ValidationFailed
from lib.settings import get_settings
from tests.auth import login_attendee
from tests.conftest import post
from tests.ticketing.factories import cles_event
from tests.ticketing.helpers import make_member_org, order
from ticketing import orders
from ticketing.tables import Order, WaitingListEntry


@pytest.fixture
def settings_env(monkeypatch):
    """Change settings through the environment for one test (restored afterwards)."""

    def apply(**env) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, str(value))
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


def buyer(n: int) -> dict:
    return {"name": f"Hoarder {n}", "email": f"hoarder{n}@example.org"}


def attendees(n: int) -> list[dict]:
    return [{"name": f"Guest {i}"} for i in range(n)]


async def test_three_anonymous_orders_no_longer_sell_out_the_event(
    client, stripe_fake, mailbox, settings_env
):
    """The issue's scenario: 30 places, three unpaid orders of 10; a real member still gets a place."""
    settings_env(HOLD_MAX_PER_IP=100)  # as if they came from three connections
    event, member, public = await cles_event(capacity=30)
    await make_member_org("label-auvergne.fr")
    first = order(
        client,
        event.id,
        [{"ticket_type": public.id, "quantity": 10}],
        buyer=buyer(1),
        attendees=attendees(10),
    )
    assert first.status_code == 201 and first.json()["status"] == "pending_payment"
    second = order(
        client,
        event.id,
        [{"ticket_type": public.id, "quantity": 10}],
        buyer=buyer(2),
        attendees=attendees(10),
    )
    assert second.status_code == 429, second.text  # unpaid holds never exceed 50 % of the capacity
    assert "retenues par des commandes pas encore payées" in second.json()["detail"]
    assert await Order.count() == 1
    login_attendee(client, "bruno@label-auvergne.fr", mailbox)
    member_order = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer={"name": "Bruno", "email": "bruno@label-auvergne.fr"},
    )
    assert member_order.status_code == 201 and member_order.json()["status"] == "confirmed"


async def test_unpaid_places_per_email_and_per_ip(client, stripe_fake):
    event, _member, public = await cles_event(capacity=100)
    r = order(
        client,
        event.id,
        [{"ticket_type": public.id, "quantity": 10}],
        buyer=buyer(1),
        attendees=attendees(10),
    )
    assert r.status_code == 201
    again = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}], buyer=buyer(1))
    assert again.status_code == 429 and "buyer.email" in again.json()["errors"]
    # the same connection with another address: the per-IP limit (10 by default)
    other = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}], buyer=buyer(2))
    assert other.status_code == 429 and "items" in other.json()["errors"]
    assert "connexion" in other.json()["errors"]["items"]
    # paying frees the hold: the buyer may order again
    stripe_fake.pay(r.json()["payment_intent"])
    assert post(client, f"/api/orders/{r.json()['token']}/sync").json()["status"] == "confirmed"
    assert (
        order(client, event.id, [{"ticket_type": public.id, "quantity": 1}], buyer=buyer(1)).status_code
        == 201
    )


async def test_sold_out_says_when_places_are_only_held(client, stripe_fake, settings_env):
    settings_env(HOLD_MAX_SHARE_PERCENT=100)
    event, _member, public = await cles_event(capacity=2)
    hoard = order(
        client, event.id, [{"ticket_type": public.id, "quantity": 2}], buyer=buyer(1), attendees=attendees(2)
    )
    assert hoard.status_code == 201
    r = order(
        client,
        event.id,
        [{"ticket_type": public.id, "quantity": 1}],
        buyer=buyer(2),
        headers={"accept-language": "en"},
    )
    assert r.status_code == 409
    detail = r.json()["detail"]
    assert "2 place(s) are held by orders that are not paid or confirmed yet" in detail
    assert "come back at the latest" in detail and "waiting list" in detail
    page = client.get(f"/events/{event.id}/tickets").text
    assert 'data-testid="held-places"' in page and 'id="waiting-form"' in page
    joined = post(
        client,
        f"/api/events/{event.id}/waiting-list",
        json={"name": "Wanda", "email": "wanda@example.org", "ticket_type": public.id},
    )
    assert joined.status_code == 201
    await Order.update({Order.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Order.token == hoard.json()["token"]
    )
    assert await orders.expire_due() == 1
    assert (await WaitingListEntry.objects().first()).status == "offered"


async def test_the_waiting_list_opens_when_holds_keep_the_last_places(client, stripe_fake, settings_env):
    settings_env(HOLD_MAX_PER_IP=100)
    event, _member, public = await cles_event(capacity=4)
    assert (
        order(
            client,
            event.id,
            [{"ticket_type": public.id, "quantity": 2}],
            buyer=buyer(1),
            attendees=attendees(2),
        ).status_code
        == 201
    )
    refused = order(client, event.id, [{"ticket_type": public.id, "quantity": 1}], buyer=buyer(2))
    assert refused.status_code == 429
    joined = post(
        client,
        f"/api/events/{event.id}/waiting-list",
        json={"name": "Wanda", "email": "wanda@example.org", "ticket_type": public.id},
    )
    assert joined.status_code == 201, joined.text


async def test_emails_per_recipient_and_orders_per_source_are_throttled(client, mailbox, settings_env):
    event, member, _public = await cles_event(capacity=100)
    await make_member_org("label-auvergne.fr")
    for n in range(5):
        r = order(
            client,
            event.id,
            [{"ticket_type": member.id, "quantity": 1}],
            buyer=buyer(n),
            attendees=[{"name": "Bruno", "email": "bruno@label-auvergne.fr"}],
        )
        assert r.status_code == 201, r.text
    sixth = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer=buyer(9),
        attendees=[{"name": "Bruno", "email": "bruno@label-auvergne.fr"}],
    )
    assert sixth.status_code == 429 and "bruno@label-auvergne.fr" in sixth.json()["detail"]
    mailbox.wait_for("bruno@label-auvergne.fr", count=5)
    assert await Order.count() == 5
    settings_env(ORDER_RATE_PER_IP_PER_HOUR=5)  # five orders went through from this connection
    r = order(client, event.id, [{"ticket_type": member.id, "quantity": 1}], buyer=buyer(20))
    assert r.status_code == 429 and "connexion" in r.json()["detail"]


async def test_parallel_orders_cannot_all_pass_the_email_limit(jobs_worker):
    event, member, _public = await cles_event(capacity=100)

    async def one(i: int) -> bool:
        try:
            await orders.place_order(
                event_id=event.id,
                buyer={"name": "Same", "email": "same@example.org"},
                items=[{"ticket_type": member.id, "quantity": 4}],
                attendees=attendees(4),
                client_ip=f"10.0.0.{i}",
            )
        except ValidationFailed as exc:
            assert exc.status_code == 429, exc.errors
            return False
        return True

    results = await asyncio.gather(*[one(i) for i in range(5)])
    assert sum(results) == 2  # 8 places of at most 10 per email
