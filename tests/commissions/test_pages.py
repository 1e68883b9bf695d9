"""The staff commissions page: record business brought and a collective market through its forms (errors
named in French, nothing recorded), confirm with a raised rate and its reason, invoice, payment, cancel with a
credit note, the filters, the totals and the CSV in both dialects; English on request."""

from __future__ import annotations

from commissions import records
from commissions.tables import Commission
from members.tables import Organisation
from tests.conftest import post
from tests.ticketing.helpers import staff_login

YEAR = records.today().year


async def _orgs() -> list[Organisation]:
    made = []
    for name, domain in (("Label Auvergne", "label-auvergne.fr"), ("Studio Volcan", "studio-volcan.fr")):
        org = Organisation(name=name, email_domain=domain, email=f"contact@{domain}", college=1)
        await org.save()
        made.append(org)
    return made


async def test_staff_record_confirm_invoice_pay_and_cancel_on_the_page(client, mailbox):
    a, b = await _orgs()
    assert client.get("/staff/commissions", follow_redirects=False).status_code in (302, 303, 401)
    await staff_login(client)
    page = client.get("/staff/commissions")
    assert page.status_code == 200 and "Aucune commission pour ces filtres." in page.text
    assert "10 % du montant remporté par défaut" in page.text

    # Business brought: an amount that is not one, then a rate of 12 % without a reason.
    form = {"organisation": str(a.id), "buyer": "Festival Europavox", "amount": "beaucoup"}
    r = post(client, "/staff/commissions/business", data=form)
    assert r.status_code == 422 and "Saisissez le montant remporté en euros (HT)." in r.text
    r = post(client, "/staff/commissions/business", data={**form, "amount": "6 400", "rate_percent": "12"})
    assert r.status_code == 422 and "Indiquez pourquoi le taux de cette commission diffère" in r.text
    assert 'value="Festival Europavox"' in r.text  # what was typed is kept
    assert await Commission.count() == 0
    r = post(
        client,
        "/staff/commissions/business",
        data={**form, "amount": "6 400", "rate_percent": "12", "rate_reason": "Dossier monté par le cluster"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Commission enregistrée." in r.text and "768,00" in r.text

    # A collective market: the second line's member missing is named on its line.
    market = {"title": "Habillage sonore", "buyer": "Métropole", "share-organisation-0": str(a.id)}
    market["share-amount-0"] = "10 000"
    r = post(client, "/staff/commissions/markets", data={**market, "share-amount-2": "5 000"})
    assert r.status_code == 422 and "Choisissez une structure adhérente." in r.text
    assert 'data-testid="error-market-shares[2].organisation"' in r.text
    r = post(
        client,
        "/staff/commissions/markets",
        data={**market, "share-organisation-2": str(b.id), "share-amount-2": "5 000"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Marché collectif enregistré" in r.text
    assert await Commission.count() == 3

    rows = {r.organisation + r.source: r for r in await records.list_records()}
    market_b = rows["Studio Volcanmarket"]
    r = post(client, f"/staff/commissions/{market_b.id}/confirm", data={"rate_percent": "15"})
    assert r.status_code == 422 and f'data-testid="error-{market_b.id}-rate_reason"' in r.text
    r = post(
        client,
        f"/staff/commissions/{market_b.id}/confirm",
        data={"rate_percent": "15", "rate_reason": "Coordination lourde"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Commission confirmée." in r.text
    r = post(client, f"/staff/commissions/{market_b.id}/invoice", follow_redirects=True)
    assert r.status_code == 200 and f"F{YEAR}-00001" in r.text and "Facturée" in r.text
    mailbox.wait_for("contact@studio-volcan.fr")
    r = post(
        client,
        f"/staff/commissions/{market_b.id}/cancel",
        data={"reason": "Lot retiré"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and f"AV{YEAR}-00001" in r.text and "Commission annulée." in r.text

    business = rows["Label Auvergnebusiness"]
    post(
        client,
        f"/staff/commissions/{business.id}/confirm",
        data={"rate_percent": "12", "rate_reason": "Dossier"},
    )
    post(client, f"/staff/commissions/{business.id}/invoice")
    r = post(client, f"/staff/commissions/{business.id}/paid", follow_redirects=True)
    assert r.status_code == 200 and "Paiement enregistré." in r.text

    # Filters and totals: Label Auvergne's business, paid; the cancelled market share counts nowhere.
    r = client.get(f"/staff/commissions?year={YEAR}&organisation={a.id}&source=business")
    assert r.status_code == 200 and "Dossier" in r.text and "Habillage sonore" not in r.text.split("<h2>")[2]
    r = client.get("/staff/commissions?year=abc&source=gift")
    assert r.status_code == 422 and "Origine inconnue" in r.text

    csv = client.get(f"/staff/commissions/export.csv?year={YEAR}")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    header, *lines = text.strip().split("\r\n")
    assert header.startswith("N°;Date de l’affaire;Adhérent;Origine")
    assert len(lines) == 3 and any(
        "Affaire apportée" in ln and "768,00" in ln and "6400,00" in ln for ln in lines
    )
    plain = client.get(f"/staff/commissions/export.csv?year={YEAR}&format=plain").content.decode()
    assert (
        plain.startswith("id,won_on,organisation,source") and ",business," in plain and ",cancelled," in plain
    )

    english = client.get("/staff/commissions", headers={"accept-language": "en"})
    assert english.status_code == 200 and "Record the market" in english.text
