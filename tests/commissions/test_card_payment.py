"""A commission invoice paid by card through the real stack (Stripe at the local fake, localstripe): from the
member's page and through the API, one PaymentIntent per invoice for its TTC, recorded paid by card exactly
once whether the return page's sync or the signed webhook comes first; another organisation's person gets
404; paid, cancelled or not-yet-invoiced commissions are refused; without Stripe keys the page and the
invoice say to pay by transfer."""

from __future__ import annotations

import json
import re

import pytest

from commissions import billing, records
from commissions.tables import Commission
from members.tables import Organisation, Person
from tests.auth import login_attendee
from tests.conftest import post
from tests.stripe_helpers import sign_webhook
from tests.ticketing.helpers import pdf_text, staff_login
from ticketing import payments


@pytest.fixture
def publishable_key(monkeypatch):
    from lib.settings import get_settings

    monkeypatch.setenv("STRIPE_PUBLISHABLE_KEY", "pk_test_commissions")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def _member(name: str, domain: str) -> tuple[Organisation, str]:
    org = Organisation(
        name=name, email_domain=domain, email=f"contact@{domain}", revenue_band="20k-60k", college=1
    )
    await org.save()
    email = f"compta@{domain}"
    await Person(first_name="Anne", last_name="Compta", email=email, organisation=org.id).save()
    return org, email


async def _invoiced(org: Organisation, amount: int = 100000) -> int:
    """A commission of 10 % on `amount` cents won, invoiced: 100,00 € HT, 120,00 € TTC by default."""
    rec = await records.record_business({"organisation": org.id, "buyer": "Festival", "amount": amount})
    await records.confirm(rec.id)
    return (await billing.invoice(rec.id)).id


async def _row(commission_id: int) -> Commission:
    return await records.get_row(commission_id)


def _webhook(client, event: dict):
    payload = json.dumps(event).encode()
    return client.post(
        "/api/webhooks/stripe",
        content=payload,
        headers={"stripe-signature": sign_webhook(payload), "content-type": "application/json"},
    )


async def test_member_pays_its_invoice_by_card_from_its_page(
    client,
    stripe_fake,
    mailbox,
    publishable_key,
):
    org, email = await _member("Carte Prod", "carte-prod.fr")
    commission_id = await _invoiced(org)
    login_attendee(client, email, mailbox)
    page = client.get("/commissions")
    assert page.status_code == 200 and "Carte Prod" in page.text
    assert f'data-testid="pay-card-{commission_id}"' in page.text and "Payer 120,00" in page.text

    r = post(client, f"/commissions/{commission_id}/pay")
    assert r.status_code == 200 and 'id="payment-form"' in r.text, r.text
    assert re.search(r'data-secret="[^"]+"', r.text) and 'data-key="pk_test_commissions"' in r.text
    assert f"/commissions?paid={commission_id}" in r.text
    assert "js.stripe.com" in r.headers["content-security-policy"]
    intent_id = (await _row(commission_id)).payment_intent_id
    assert intent_id
    # a second click resumes the same PaymentIntent, for the invoice's TTC
    assert post(client, f"/commissions/{commission_id}/pay").status_code == 200
    assert (await _row(commission_id)).payment_intent_id == intent_id
    intent = await payments.retrieve_payment_intent(intent_id)
    assert (intent.amount, intent.currency) == (12000, "eur")

    waiting = client.get(f"/commissions?paid={commission_id}")
    assert "pas encore confirmé" in waiting.text
    assert (await _row(commission_id)).status == "invoiced"
    stripe_fake.pay(intent_id)
    done = client.get(f"/commissions?paid={commission_id}")
    assert "votre facture de commission est payée" in done.text
    assert f'data-testid="pay-card-{commission_id}"' not in done.text
    row = await _row(commission_id)
    assert (row.status, row.payment_method) == ("paid", "card") and row.paid_at is not None

    # the webhook arriving after the return page changes nothing: paid once
    [event] = stripe_fake.events("payment_intent.succeeded")
    assert event["data"]["object"]["metadata"] == {"commission": str(commission_id)}
    assert _webhook(client, event).json()["outcome"] == "already_paid"
    assert (await _row(commission_id)).paid_at == row.paid_at
    # paid: paying again is refused, no new PaymentIntent
    again = post(client, f"/commissions/{commission_id}/pay")
    assert again.status_code == 409 and "déjà payée" in again.text
    assert (await _row(commission_id)).payment_intent_id == intent_id
    pdf = client.get(f"/api/commissions/{commission_id}/invoice.pdf")
    assert "Payée le" in pdf_text(pdf.content)


async def test_api_card_payment_webhook_first_then_sync_pays_once(client, stripe_fake, mailbox):
    org, email = await _member("Webhook Prod", "webhook-prod.fr")
    commission_id = await _invoiced(org, amount=250000)  # 250,00 € HT, 300,00 € TTC
    login_attendee(client, email, mailbox)
    start = f"/api/commissions/{commission_id}/card-payment"
    r = post(client, start)
    assert r.status_code == 200 and r.json()["client_secret"], r.text
    assert post(client, start).json()["client_secret"] == r.json()["client_secret"]  # one PaymentIntent
    assert post(client, f"{start}/sync").json() == {"paid": False}
    intent_id = (await _row(commission_id)).payment_intent_id
    stripe_fake.pay(intent_id)

    [event] = stripe_fake.events("payment_intent.succeeded")
    assert event["data"]["object"]["amount"] == 30000
    first = _webhook(client, event)
    assert first.status_code == 200 and first.json()["outcome"] == "paid"
    row = await _row(commission_id)
    assert (row.status, row.payment_method) == ("paid", "card") and row.paid_at is not None
    assert _webhook(client, event).json()["outcome"] == "duplicate"  # replayed
    assert _webhook(client, {**event, "id": event["id"] + "x"}).json()["outcome"] == "already_paid"
    assert post(client, f"{start}/sync").json() == {"paid": True}
    assert (await _row(commission_id)).paid_at == row.paid_at
    mine = client.get("/api/commissions/me").json()
    assert [(m["id"], m["status"], m["payment_method"]) for m in mine] == [(commission_id, "paid", "card")]
    assert post(client, start).status_code == 409  # paid: nothing more to start


async def test_another_organisations_person_gets_404(
    client,
    stripe_fake,
    mailbox,
    publishable_key,
):
    ours, _email = await _member("Alpha Prod", "alpha-prod.fr")
    _theirs, other_email = await _member("Beta Prod", "beta-prod.fr")
    commission_id = await _invoiced(ours)
    assert post(client, f"/api/commissions/{commission_id}/card-payment").status_code == 401
    login_attendee(client, other_email, mailbox)
    assert post(client, f"/api/commissions/{commission_id}/card-payment").status_code == 404
    assert post(client, f"/api/commissions/{commission_id}/card-payment/sync").status_code == 404
    assert post(client, f"/commissions/{commission_id}/pay").status_code == 404
    assert client.get(f"/commissions?paid={commission_id}").status_code == 404
    assert post(client, "/api/commissions/999999/card-payment").status_code == 404
    assert f"my-commission-{commission_id}" not in client.get("/commissions").text
    assert (await _row(commission_id)).payment_intent_id == ""


async def test_paid_cancelled_or_not_invoiced_is_refused(client, stripe_fake, mailbox):
    org, email = await _member("Refus Prod", "refus-prod.fr")
    paid = await _invoiced(org)
    await billing.mark_paid(paid, "transfer")
    cancelled = await _invoiced(org)
    await billing.start_card_payment(cancelled)  # started, then cancelled by staff
    started = (await _row(cancelled)).payment_intent_id
    await billing.cancel(cancelled, "Erreur de saisie")
    pending = await records.record_business({"organisation": org.id, "buyer": "Festival", "amount": 50000})
    await records.confirm(pending.id)

    login_attendee(client, email, mailbox)
    for commission_id, words in (
        (paid, "déjà payée"),
        (cancelled, "annulée"),
        (pending.id, "pas encore facturée"),
    ):
        r = post(client, f"/api/commissions/{commission_id}/card-payment")
        assert r.status_code == 409 and words in r.json()["detail"], r.text
        assert post(client, f"/api/commissions/{commission_id}/card-payment/sync").json()["paid"] is (
            commission_id == paid
        )
    row = await _row(paid)
    assert (row.status, row.payment_method, row.payment_intent_id) == ("paid", "transfer", "")
    assert (await _row(cancelled)).status == "cancelled"
    # the cancelled invoice's PaymentIntent can no longer be paid at Stripe
    assert (await payments.retrieve_payment_intent(started)).status == "canceled"

    # staff may start the payment of an invoiced commission too, signed in as someone of no organisation
    open_one = await _invoiced(org)
    client.cookies.clear()
    login_attendee(client, "someone@elsewhere.test", mailbox)
    assert post(client, f"/api/commissions/{open_one}/card-payment").status_code == 404
    await staff_login(client)
    r = post(client, f"/api/commissions/{open_one}/card-payment")
    assert r.status_code == 200 and r.json()["client_secret"], r.text


async def test_without_stripe_keys_the_page_and_invoice_say_transfer(client, mailbox, monkeypatch):
    from lib.settings import get_settings

    org, email = await _member("Virement Prod", "virement-prod.fr")
    commission_id = await _invoiced(org)
    login_attendee(client, email, mailbox)
    monkeypatch.setenv("STRIPE_API_KEY", "sk_test_localstripe")
    get_settings.cache_clear()
    on = pdf_text(client.get(f"/api/commissions/{commission_id}/invoice.pdf").content)
    assert "Payable par carte sur" in on and "/commissions" in on

    monkeypatch.setenv("STRIPE_API_KEY", "")
    get_settings.cache_clear()
    try:
        page = client.get("/commissions")
        assert page.status_code == 200
        assert "paiement en ligne par carte n'est pas disponible" in page.text
        assert f'data-testid="pay-card-{commission_id}"' not in page.text
        assert "Payez par virement" in page.text
        r = post(client, f"/commissions/{commission_id}/pay", follow_redirects=False)
        assert r.status_code == 303
        off = pdf_text(client.get(f"/api/commissions/{commission_id}/invoice.pdf").content)
        assert "Payable par virement sous 30 jours" in off and "carte" not in off
    finally:
        get_settings.cache_clear()
