"""The staff dues page: call the year's dues, see each invoice with its status, record a transfer, remind."""

from __future__ import annotations

from dues.tables import DuesCall
from events import membership
from events.tables import Organisation
from tests.auth import login_attendee
from tests.conftest import post
from tests.ticketing.helpers import staff_login

YEAR = membership.today().year


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
    assert await membership.is_member_in_good_standing(organisation_id=org.id)
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
