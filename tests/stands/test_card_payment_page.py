"""A stand share paid by card from the exhibitor's page (Stripe Payment Element at the local Stripe fake),
and the one Stripe webhook marking a stand share or dues paid, exactly once, from a signed
payment_intent.succeeded (replays and second events harmless, bad signatures change nothing)."""

from __future__ import annotations

import json
import re

import pytest

from stands.tables import BookingShare
from tests.auth import login_attendee
from tests.conftest import post
from tests.stands.factories import hall, member
from tests.stripe_helpers import sign_webhook


@pytest.fixture
def publishable_key(monkeypatch):
    from lib.settings import get_settings

    monkeypatch.setenv("STRIPE_PUBLISHABLE_KEY", "pk_test_stands")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def _assigned_share(name: str = "Carte Bleue Prod") -> tuple[int, str]:
    from stands import booking

    h = await hall()
    org, email = await member(name)
    done = await booking.assign(
        h["event"].id, h["stands"][0], {"organisation": org.id}, staff_email="s@x.test"
    )
    return done.shares[0]["id"], email


async def _share(share_id: int) -> dict:
    return await BookingShare.select().where(BookingShare.id == share_id).first()


def _webhook(client, event: dict, signature: str | None = None):
    payload = json.dumps(event).encode()
    return client.post(
        "/api/webhooks/stripe",
        content=payload,
        headers={"stripe-signature": signature or sign_webhook(payload), "content-type": "application/json"},
    )


async def test_exhibitor_pays_its_share_from_the_bookings_page(client, stripe_fake, mailbox, publishable_key):
    share_id, email = await _assigned_share()
    login_attendee(client, email, mailbox)
    page = client.get("/stands/bookings")
    assert f'data-testid="pay-card-{share_id}"' in page.text
    r = post(client, f"/stands/shares/{share_id}/pay")
    assert r.status_code == 200 and 'id="payment-form"' in r.text
    assert re.search(r'data-secret="[^"]+"', r.text) and 'data-key="pk_test_stands"' in r.text
    assert f"/stands/bookings?paid={share_id}" in r.text
    assert "js.stripe.com" in r.headers["content-security-policy"]
    first_intent = (await _share(share_id))["payment_intent_id"]
    # a second click resumes the same PaymentIntent
    assert post(client, f"/stands/shares/{share_id}/pay").status_code == 200
    assert (await _share(share_id))["payment_intent_id"] == first_intent

    waiting = client.get(f"/stands/bookings?paid={share_id}")
    assert "pas encore confirmé" in waiting.text
    stripe_fake.pay(first_intent)
    done = client.get(f"/stands/bookings?paid={share_id}")
    assert "votre facture de stand est payée" in done.text
    assert f'data-testid="pay-card-{share_id}"' not in done.text
    row = await _share(share_id)
    assert row["paid_at"] is not None and row["payment_method"] == "card"
    # paid: the pay form sends back to the list, no new PaymentIntent
    assert post(client, f"/stands/shares/{share_id}/pay").status_code in (200, 303)
    assert (await _share(share_id))["payment_intent_id"] == first_intent


async def test_someone_else_cannot_open_the_payment_page(client, stripe_fake, mailbox, publishable_key):
    share_id, _email = await _assigned_share("Alpha")
    _other, other_email = await member("Beta")
    login_attendee(client, other_email, mailbox)
    assert post(client, f"/stands/shares/{share_id}/pay").status_code == 404
    assert client.get(f"/stands/bookings?paid={share_id}").status_code == 404
    assert (await _share(share_id))["payment_intent_id"] in (None, "")


async def test_signed_webhook_marks_the_share_paid_exactly_once(client, stripe_fake, mailbox):
    from stands import billing

    share_id, _email = await _assigned_share()
    await billing.start_card_payment(share_id)
    intent = (await _share(share_id))["payment_intent_id"]
    stripe_fake.pay(intent)
    [event] = stripe_fake.events("payment_intent.succeeded")
    assert event["data"]["object"]["metadata"] == {"stand_share": str(share_id)}

    assert _webhook(client, event, signature="t=1,v1=deadbeef").status_code == 400
    assert (
        _webhook(client, event, signature=sign_webhook(json.dumps(event).encode(), "whsec_other")).status_code
        == 400
    )
    assert (await _share(share_id))["paid_at"] is None

    r = _webhook(client, event)
    assert r.status_code == 200 and r.json()["outcome"] == "paid"
    paid_at = (await _share(share_id))["paid_at"]
    assert paid_at is not None and (await _share(share_id))["payment_method"] == "card"
    assert _webhook(client, event).json()["outcome"] == "duplicate"  # replayed
    # another event about the same PaymentIntent (Stripe sends several): recognised, nothing changes
    again = {**event, "id": event["id"] + "x"}
    assert _webhook(client, again).json()["outcome"] == "already_paid"
    assert (await _share(share_id))["paid_at"] == paid_at


async def test_webhook_for_an_unpaid_intent_pays_nothing(client, stripe_fake, mailbox):
    from stands import billing

    share_id, _email = await _assigned_share()
    await billing.start_card_payment(share_id)
    intent = (await _share(share_id))["payment_intent_id"]
    # a signed event whose PaymentIntent is not paid at Stripe (the handler asks Stripe, not the payload)
    event = {
        "id": "evt_forged_success",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": intent, "object": "payment_intent", "status": "succeeded"}},
    }
    r = _webhook(client, event)
    assert r.status_code == 200 and r.json()["outcome"] == "not_paid"
    assert (await _share(share_id))["paid_at"] is None


async def test_signed_webhook_marks_dues_paid_once(client, stripe_fake, mailbox):
    from datetime import UTC, datetime

    from dues import calls
    from members import standing
    from members.tables import Organisation
    from ticketing.invoices import paris_year

    year = paris_year(datetime.now(UTC))
    org = Organisation(name="Webhook Prod", email_domain="webhook-prod.fr", email="w@webhook-prod.fr")
    await org.save()
    await calls.call_year(year)
    call = (await calls.list_year(year))[0]
    await calls.start_card_payment(call.id)
    intent = (await calls.get_call(call.id)).payment_intent_id
    stripe_fake.pay(intent)
    [event] = stripe_fake.events("payment_intent.succeeded")
    assert _webhook(client, event).json()["outcome"] == "paid"
    assert (await calls.get_call(call.id)).payment_method == "card"
    assert await standing.is_member_in_good_standing(organisation_id=org.id)
    assert _webhook(client, event).json()["outcome"] == "duplicate"
    assert _webhook(client, {**event, "id": event["id"] + "2"}).json()["outcome"] == "already_paid"
