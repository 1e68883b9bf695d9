"""An unpaid reservation releases its places on the worker's periodic sweep, with no visitor."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from lib.jobs import EmbeddedWorker
from tests.ticketing.factories import cles_event
from tests.ticketing.helpers import order
from ticketing.tables import Order, TicketType


async def test_periodic_sweep_releases_expired_reservations(client, stripe_fake):
    event, _member, public = await cles_event(capacity=10)
    r = order(
        client,
        event.id,
        [{"ticket_type": public.id, "quantity": 2}],
        attendees=[{"name": "A"}, {"name": "B"}],
    )
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == public.id).first())["sold"] == 2
    await Order.update({Order.expires_at: datetime.now(UTC) - timedelta(seconds=1)}).where(
        Order.token == token
    )

    worker = EmbeddedWorker(sweep_seconds=0.2)
    await worker.start()
    try:
        for _ in range(100):
            if (await Order.select(Order.status).where(Order.token == token).first())["status"] == "expired":
                break
            await asyncio.sleep(0.1)
    finally:
        await worker.stop()
    assert (await Order.select(Order.status).where(Order.token == token).first())["status"] == "expired"
    assert (await TicketType.select(TicketType.sold).where(TicketType.id == public.id).first())["sold"] == 0
