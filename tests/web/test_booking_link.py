"""The public event page offers booking only when the public can book."""

from __future__ import annotations

from tests.web.test_public import make_event
from ticketing.types import add_default_types, create_ticket_type


async def test_booking_link_only_with_public_ticket_types(client):
    event = await make_event()
    page = client.get(f"/events/{event['slug']}")
    assert 'data-testid="book-tickets"' not in page.text

    await create_ticket_type(event["id"], {"name": "Intervenant", "price_cents": 0, "staff_only": True})
    page = client.get(f"/events/{event['slug']}")
    assert 'data-testid="book-tickets"' not in page.text  # invitations only

    await add_default_types(event["id"])
    page = client.get(f"/events/{event['slug']}")
    assert f'href="/events/{event["id"]}/tickets" data-testid="book-tickets">Réserver<' in page.text
    booking = client.get(f"/events/{event['id']}/tickets")
    assert booking.status_code == 200 and "Non-adhérent" in booking.text
