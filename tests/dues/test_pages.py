"""The staff dues page: call the year's dues, see each invoice with its status, record a transfer, remind."""

from __future__ import annotations

import pytest

from dues.tables import DuesCall
from members import register, standing
from members.tables import Organisation
from tests.auth import login_attendee
from tests.conftest import post
from tests.ticketing.helpers import staff_login

YEAR = register.today().year


async def test_staff_call_list_and_mark_paid_on_the_page(client, mailbox):
    org = Organisation(name="Label Auvergne", revenue_band="gt250k", email="compta@label-auvergne.fr")
    await org.save()
    await Organisation(name="Sans Contact", revenue_band="lt20k").save()
    assert client.get("/staff/dues", follow_redirects=False).status_code in (302, 303, 401)
    await staff_login(client)
    page = client.get("/staff/dues")
    assert page.status_code == 200 and "n’ont pas encore été appelées" in page.text
    r = post(client, f"/staff/dues/{YEAR}/call", follow_redirects=True)
    assert r.status_code == 200 and "Label Auvergne" in r.text and "420,00" in r.text
    assert "Aucun e-mail de contact" in r.text  # an organisation without contact is shown to staff
    assert r.text.count(f"F{YEAR}-") == 2 and "Impayée" in r.text
    mailbox.wait_for("compta@label-auvergne.fr")

    call = await DuesCall.objects().where(DuesCall.organisation == org.id).first()
    r = post(client, f"/staff/dues/calls/{call.id}/paid", follow_redirects=True)
    assert r.status_code == 200 and "Paiement enregistré" in r.text
    assert await standing.is_member_in_good_standing(organisation_id=org.id)
    r = post(client, f"/staff/dues/{YEAR}/reminders", follow_redirects=True)
    assert r.status_code == 200 and "Relances envoyées" in r.text
    assert client.get("/staff/dues?year=1800").status_code == 422

    other = await DuesCall.objects().where(DuesCall.organisation != org.id).first()
    r = post(client, f"/staff/dues/calls/{other.id}/cancel", data={"reason": ""})
    assert r.status_code == 422 and "Indiquez pourquoi la cotisation est annulée." in r.text
    r = post(client, f"/staff/dues/calls/{other.id}/cancel", data={"reason": "Erreur"}, follow_redirects=True)
    assert r.status_code == 200 and "Annulée (avoir)" in r.text and f"AV{YEAR}-00001" in r.text


async def test_a_member_sees_only_its_organisations_dues(client, mailbox):
    from dues import calls

    await Organisation(
        name="Label Auvergne", email_domain="label-auvergne.fr", email="c@label-auvergne.fr"
    ).save()
    await Organisation(
        name="Studio Volcan", email_domain="studio-volcan.fr", email="c@studio-volcan.fr"
    ).save()
    await calls.call_year(YEAR)
    assert client.get("/dues", follow_redirects=False).status_code == 303
    login_attendee(client, "bruno@label-auvergne.fr", mailbox)
    page = client.get("/dues")
    assert page.status_code == 200
    assert "Label Auvergne" in page.text and "Studio Volcan" not in page.text
    assert "Impayée" in page.text and "264,00" in page.text  # 220 € HT + 20 % TVA
    other = await DuesCall.objects().where(DuesCall.email == "c@studio-volcan.fr").first()
    assert post(client, f"/dues/calls/{other.id}/pay").status_code == 404
    assert client.get(f"/dues?paid={other.id}").status_code == 404


@pytest.fixture
def publishable_key(monkeypatch):
    from lib.settings import get_settings

    monkeypatch.setenv("STRIPE_PUBLISHABLE_KEY", "pk_test_dues")
    get_settings.cache_clear()
    yield


async def test_a_member_pays_by_card_from_its_page(client, stripe_fake, mailbox, publishable_key):
    import re

    from dues import calls

    org = Organisation(name="Carte Prod", email_domain="carte-prod.fr", email="c@carte-prod.fr")
    await org.save()
    await calls.call_year(YEAR)
    call = (await calls.list_year(YEAR))[0]
    login_attendee(client, "anne@carte-prod.fr", mailbox)
    page = client.get("/dues")
    assert f'data-testid="pay-card-{call.id}"' in page.text and "Payer 264,00" in page.text
    r = post(client, f"/dues/calls/{call.id}/pay")
    assert r.status_code == 200 and 'id="payment-form"' in r.text
    assert re.search(r'data-secret="[^"]+"', r.text)
    waiting = client.get(f"/dues?paid={call.id}")
    assert "pas encore confirmé" in waiting.text
    stripe_fake.pay((await calls.get_call(call.id)).payment_intent_id)
    done = client.get(f"/dues?paid={call.id}")
    assert "votre cotisation est payée" in done.text and "Payée" in done.text
    assert await standing.is_member_in_good_standing(organisation_id=org.id)
