"""Issue 10, what users hit 8: the public event page tells what a visitor decides on (prices incl. VAT
and places left) instead of an internal status; the booking form's button says "Commander"."""

from __future__ import annotations

import re

from tests.web.test_public import make_event
from ticketing.types import add_default_types


def offer_text(html: str) -> str:
    match = re.search(r'<section class="offer".*?</section>', html, re.S)
    assert match, "no prices on the event page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


async def test_event_page_shows_prices_and_places_left_not_a_status(client):
    event = await make_event()  # 30 places
    await add_default_types(event["id"])  # member 0 €, non-member 20 € HT, staff-only invitations

    page = client.get(f"/events/{event['slug']}")
    assert page.status_code == 200
    assert "Statut" not in page.text and "Publié" not in page.text
    text = offer_text(page.text)
    assert "Tarifs et places" in text
    assert "Adhérent" in text and "Gratuit" in text
    assert "Non-adhérent" in text and "24,00 € TTC" in text
    assert "30 places restantes" in text
    assert "Intervenant" not in text  # staff-issued types are not offered to the public

    english = offer_text(client.get(f"/events/{event['slug']}?lang=en").text)
    assert "Prices and places" in english and "30 places left" in english and "Free" in english


async def test_no_offer_without_public_ticket_types(client):
    event = await make_event()
    page = client.get(f"/events/{event['slug']}")
    assert 'class="offer"' not in page.text and "Statut" not in page.text


async def test_the_order_button_says_commander(client):
    event = await make_event()
    await add_default_types(event["id"])
    page = client.get(f"/events/{event['id']}/tickets")
    assert re.search(r'data-testid="order-submit">Commander</button>', page.text)
    assert re.search(
        r'<label class="checkbox"><input type="checkbox" name="request_approval"[^>]*>\s*<span>', page.text
    ), "the approval checkbox and its text share one label"
    english = client.get(f"/events/{event['id']}/tickets?lang=en")
    assert 'data-testid="order-submit">Place order</button>' in english.text
