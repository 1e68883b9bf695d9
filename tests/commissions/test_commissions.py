"""Commissions through the real stack: each source (business brought, a collective market for several members,
a speed-meeting deal), the default 10 % and a raised rate with its reason, invoice / credit note / payment on
each, invoices emailed and read back with pypdf, a member's person downloading its own invoice while another
organisation's gets 404, reminders once per delay step, and the totals per member, source and year."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from commissions import billing, records, totals
from commissions.tables import Commission
from lib.errors import ValidationFailed
from lib.jobs import wait_idle
from lib.settings import get_settings
from members.tables import Organisation, Person
from tests.auth import login_attendee
from tests.conftest import post
from tests.ticketing.helpers import attachment, pdf_text, staff_login
from ticketing.tables import CreditNote, Invoice

YEAR = records.today().year


async def _org(name: str, domain: str) -> Organisation:
    org = Organisation(
        name=name, email_domain=domain, email=f"contact@{domain}", revenue_band="20k-60k", college=1
    )
    await org.save()
    return org


async def test_business_brought_at_the_default_rate_invoiced_emailed_and_paid(client, mailbox):
    org = await _org("Studio Volcan", "studio-volcan.fr")
    await staff_login(client)
    r = post(
        client,
        "/api/staff/commissions/business",
        json={
            "organisation": org.id,
            "buyer": "Festival Europavox",
            "description": "Captation",
            "amount": "6 400,00",
        },
    )
    assert r.status_code == 201, r.text
    rec = r.json()
    assert (rec["source"], rec["status"], rec["amount_cents"], rec["rate_bp"], rec["commission_cents"]) == (
        "business",
        "expected",
        640000,
        1000,
        64000,
    )
    assert rec["rate_reason"] == "" and rec["year"] == YEAR

    # Not confirmed: no invoice yet.
    assert post(client, f"/api/staff/commissions/{rec['id']}/invoice").status_code == 409
    assert post(client, f"/api/staff/commissions/{rec['id']}/confirm").json()["status"] == "confirmed"
    r = post(client, f"/api/staff/commissions/{rec['id']}/invoice")
    assert r.status_code == 200, r.text
    invoiced = r.json()
    assert invoiced["status"] == "invoiced" and invoiced["invoice_number"] == f"F{YEAR}-00001"
    # Twice changes nothing: one invoice, gapless numbering.
    assert (
        post(client, f"/api/staff/commissions/{rec['id']}/invoice").json()["invoice_number"]
        == f"F{YEAR}-00001"
    )
    assert await Invoice.count() == 1
    written = await Invoice.objects().first()
    assert (written.total_ht_cents, written.total_vat_cents, written.total_ttc_cents) == (64000, 12800, 76800)

    msg = mailbox.wait_for("contact@studio-volcan.fr")[0]
    assert f"F{YEAR}-00001" in msg["Subject"]
    text = pdf_text(attachment(msg, f"F{YEAR}-00001.pdf"))
    assert "Studio Volcan" in text and "Festival Europavox" in text
    assert "640,00" in text and "768,00" in text and "128,00" in text  # amount won, TTC, TVA

    r = post(client, f"/api/staff/commissions/{rec['id']}/paid", json={"method": "cash"})
    assert r.status_code == 422 and "method" in r.json()["errors"]
    paid = post(client, f"/api/staff/commissions/{rec['id']}/paid", json={"method": "transfer"})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    pdf = client.get(f"/api/staff/commissions/{rec['id']}/invoice.pdf")
    assert pdf.status_code == 200 and f"Payée le {records.today():%d/%m/%Y}" in pdf_text(pdf.content)
    # Paid: it can no longer be cancelled.
    r = post(client, f"/api/staff/commissions/{rec['id']}/cancel", json={"reason": "erreur"})
    assert r.status_code == 409

    result = client.get(f"/api/staff/commissions/totals?year={YEAR}").json()
    assert result["by_source"]["business"] == {
        "count": 1,
        "expected_cents": 64000,
        "invoiced_cents": 64000,
        "paid_cents": 64000,
    }


async def test_collective_market_one_record_per_member_raised_rate_needs_a_reason(client, mailbox):
    a = await _org("Label Auvergne", "label-auvergne.fr")
    b = await _org("Studio Volcan", "studio-volcan.fr")
    c = await _org("Son Dôme", "son-dome.fr")
    await staff_login(client)
    body = {
        "title": "Habillage sonore du patrimoine",
        "buyer": "Clermont Auvergne Métropole",
        "reference": "MAPA-017",
        "shares": [
            {"organisation": a.id, "amount": 1800000},
            {"organisation": b.id, "amount": "9 500"},
            {"organisation": c.id, "amount": 420000},
        ],
        "rate_percent": "15",
    }
    r = post(client, "/api/staff/commissions/markets", json=body)
    assert r.status_code == 422 and "rate_reason" in r.json()["errors"]
    assert await Commission.count() == 0
    r = post(
        client, "/api/staff/commissions/markets", json={**body, "rate_reason": "Coordination du groupement"}
    )
    assert r.status_code == 201, r.text
    made = r.json()["records"]
    assert [(m["organisation"], m["amount_cents"], m["commission_cents"], m["rate_bp"]) for m in made] == [
        ("Label Auvergne", 1800000, 270000, 1500),
        ("Studio Volcan", 950000, 142500, 1500),
        ("Son Dôme", 420000, 63000, 1500),
    ]
    assert {m["source"] for m in made} == {"market"} and {m["buyer"] for m in made} == {
        "Clermont Auvergne Métropole"
    }
    assert {m["rate_reason"] for m in made} == {"Coordination du groupement"}

    # One invoiced then paid, one invoiced then cancelled (credit note), one cancelled before invoicing.
    for m in made[:2]:
        post(client, f"/api/staff/commissions/{m['id']}/confirm")
        assert post(client, f"/api/staff/commissions/{m['id']}/invoice").status_code == 200
    assert post(client, f"/api/staff/commissions/{made[0]['id']}/paid").json()["status"] == "paid"
    r = post(client, f"/api/staff/commissions/{made[1]['id']}/cancel", json={"reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = post(
        client, f"/api/staff/commissions/{made[1]['id']}/cancel", json={"reason": "Lot retiré par l'acheteur"}
    )
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert r.json()["credit_note_number"] == f"AV{YEAR}-00001"
    assert post(client, f"/api/staff/commissions/{made[1]['id']}/paid").status_code == 409
    r = post(client, f"/api/staff/commissions/{made[2]['id']}/cancel", json={"reason": "Part abandonnée"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["credit_note_number"] == ""
    assert await CreditNote.count() == 1 and await Invoice.count() == 2

    notes = mailbox.wait_for("contact@studio-volcan.fr", count=2)
    credit = next(m for m in notes if f"AV{YEAR}-00001" in m["Subject"])
    text = pdf_text(attachment(credit, f"AV{YEAR}-00001.pdf"))
    assert f"AV{YEAR}-00001" in text and "Studio Volcan" in text and "1 710,00" in text.replace("\u202f", " ")
    pdf = client.get(f"/api/staff/commissions/{made[1]['id']}/credit-note.pdf")
    assert pdf.status_code == 200 and "Habillage sonore du patrimoine" in pdf_text(pdf.content)

    result = client.get(f"/api/staff/commissions/totals?year={YEAR}&source=market").json()
    rows = {(r["organisation"], r["source"]): r for r in result["rows"]}
    assert set(rows) == {("Label Auvergne", "market")}  # cancelled records count nowhere
    assert result["overall"] == {
        "count": 1,
        "expected_cents": 270000,
        "invoiced_cents": 270000,
        "paid_cents": 270000,
    }


async def test_a_speed_meeting_deal_becomes_a_record_invoiced_paid_and_listed_for_its_member(client, mailbox):
    from scheduling import deals, services
    from scheduling.tables import Meeting
    from tests.scheduling.factories import participant, programme

    org = await _org("Studio Volcan", "studio-volcan.fr")
    prog = await programme(tables=2, slots=2, start=datetime(2025, 3, 20, 14, 0))
    producer = await participant(prog, "Anne Prod", "producer", organisation_name="Studio Volcan")
    buyer = await participant(prog, "Bea Buyer", "buyer", organisation_name="Festival Été")
    await Person.update({Person.organisation: org.id}).where(Person.id == producer.person)
    await services.set_wish(producer, buyer.id, "must")
    await staff_login(client)
    assert post(client, f"/api/meetings/staff/programmes/{prog.id}/run").status_code == 200
    assert post(client, f"/api/meetings/staff/programmes/{prog.id}/publish").status_code == 200
    [meeting] = await Meeting.objects().where(Meeting.programme == prog.id)
    await deals.report(meeting.id, producer, True, True, "Deux dates de concert", "2 000")
    [rec] = await records.list_records(source="deal")
    assert (rec.organisation, rec.buyer, rec.amount_cents, rec.commission_cents, rec.status) == (
        "Studio Volcan",
        "Festival Été",
        200000,
        20000,
        "expected",
    )
    # A second report while expected updates it; confirmed, it no longer follows the report.
    await deals.report(meeting.id, producer, True, True, "Trois dates de concert", "3 000")
    assert (await records.get_record(rec.id)).commission_cents == 30000
    r = post(client, f"/api/staff/commissions/{rec.id}/confirm", json={"rate_bp": 1200})
    assert r.status_code == 422 and "rate_reason" in r.json()["errors"]
    r = post(
        client,
        f"/api/staff/commissions/{rec.id}/confirm",
        json={"rate_bp": 1200, "rate_reason": "Tournée montée par le cluster"},
    )
    assert r.status_code == 200 and r.json()["commission_cents"] == 36000
    await deals.report(meeting.id, producer, True, True, "Quatre dates", "4 000")
    assert (await records.get_record(rec.id)).amount_cents == 300000

    assert post(client, f"/api/staff/commissions/{rec.id}/invoice").json()["status"] == "invoiced"
    msg = mailbox.wait_for("contact@studio-volcan.fr")[0]
    number = (await records.get_record(rec.id)).invoice_number
    text = pdf_text(attachment(msg, f"{number}.pdf"))
    assert (
        "speed-meeting" in text.lower() and "Festival Été" in text and "Tournée montée par le cluster" in text
    )
    assert "432,00" in text  # 360 € HT + 20 % TVA
    post(client, f"/api/staff/commissions/{rec.id}/paid")

    mine = await records.commissions_of(org.id)
    assert [(m.id, m.source, m.status) for m in mine] == [(rec.id, "deal", "paid")]
    figures = client.get(f"/api/meetings/staff/programmes/{prog.id}/figures").json()
    assert figures["commission_confirmed_cents"] == 36000 and figures["commission_proposed_cents"] == 0

    # A deal invoiced then cancelled: a credit note, and the edition's figures no longer count it.
    other = await _org("Label Auvergne", "label-auvergne.fr")
    result = await records.record_business(
        {"organisation": other.id, "buyer": "Coopérative de Mai", "amount": 100000}
    )
    await records.confirm(result.id)
    await billing.invoice(result.id)
    cancelled = await billing.cancel(result.id, "Concert annulé")
    assert cancelled.status == "cancelled" and cancelled.credit_note_number


async def test_a_member_downloads_its_own_invoice_another_organisation_gets_404(client, mailbox):
    ours = await _org("Label Auvergne", "label-auvergne.fr")
    theirs = await _org("Studio Volcan", "studio-volcan.fr")
    await Person(
        first_name="Bruno", last_name="B", email="bruno@label-auvergne.fr", organisation=ours.id
    ).save()
    made = []
    for org in (ours, theirs):
        rec = await records.record_business({"organisation": org.id, "buyer": "Festival", "amount": 100000})
        await records.confirm(rec.id)
        made.append(await billing.invoice(rec.id))
    await billing.cancel(made[1].id, "Erreur de saisie")
    assert client.get(f"/api/commissions/{made[0].id}/invoice.pdf").status_code == 401
    login_attendee(client, "bruno@label-auvergne.fr", mailbox)
    r = client.get(f"/api/commissions/{made[0].id}/invoice.pdf")
    assert r.status_code == 200 and "Label Auvergne" in pdf_text(r.content)
    assert client.get(f"/api/commissions/{made[1].id}/invoice.pdf").status_code == 404
    assert client.get(f"/api/commissions/{made[1].id}/credit-note.pdf").status_code == 404
    assert client.get("/api/commissions/999999/invoice.pdf").status_code == 404
    assert [m["id"] for m in client.get("/api/commissions/me").json()] == [made[0].id]
    # Staff endpoints stay staff-only.
    assert client.get("/api/staff/commissions/").status_code in (401, 403)


async def test_reminders_one_per_delay_step_never_twice(jobs_worker, mailbox):
    org = await _org("Label Auvergne", "label-auvergne.fr")
    paid_org = await _org("Studio Volcan", "studio-volcan.fr")
    ids = []
    for o in (org, paid_org):
        rec = await records.record_business({"organisation": o.id, "buyer": "Festival", "amount": 50000})
        await records.confirm(rec.id)
        ids.append((await billing.invoice(rec.id)).id)
    await billing.mark_paid(ids[1])
    await wait_idle()
    assert get_settings().commission_reminder_days == (30, 60)
    start = (await Commission.objects().where(Commission.id == ids[0]).first()).invoiced_at

    def reminders_to(address: str) -> int:
        return sum(1 for m in mailbox.messages if m["To"] == address and "Rappel" in m["Subject"])

    assert (await billing.remind_unpaid(start + timedelta(days=29))).sent == 0
    assert (await billing.remind_unpaid(start + timedelta(days=30))).sent == 1
    assert (await billing.remind_unpaid(start + timedelta(days=45))).sent == 0  # the same step: never twice
    await wait_idle()
    assert reminders_to("contact@label-auvergne.fr") == 1
    msg = mailbox.wait_for("contact@label-auvergne.fr", count=2)[-1]
    number = (await records.get_record(ids[0])).invoice_number
    assert number in msg["Subject"] and pdf_text(attachment(msg, f"{number}.pdf"))
    assert (await billing.remind_unpaid(start + timedelta(days=61))).sent == 1
    assert (await billing.remind_unpaid(start + timedelta(days=400))).sent == 0  # no third step
    await wait_idle()
    assert reminders_to("contact@label-auvergne.fr") == 2
    assert reminders_to("contact@studio-volcan.fr") == 0  # paid: never reminded
    assert (await records.get_record(ids[0])).reminders == 2


async def test_bad_input_names_the_field_and_changes_nothing(client):
    org = await _org("Label Auvergne", "label-auvergne.fr")
    assert post(client, "/api/staff/commissions/business", json={}).status_code in (401, 403)
    await staff_login(client)
    cases = [
        ({"organisation": 999999, "buyer": "X", "amount": 100}, "organisation"),
        ({"organisation": "abc", "buyer": "X", "amount": 100}, "organisation"),
        ({"organisation": org.id, "buyer": "", "amount": 100}, "buyer"),
        ({"organisation": org.id, "buyer": "X", "amount": "mille"}, "amount"),
        ({"organisation": org.id, "buyer": "X", "amount": -5}, "amount"),
        ({"organisation": org.id, "buyer": "X", "amount": "1e300"}, "amount"),
        ({"organisation": org.id, "buyer": "X", "amount": 100, "rate_bp": 20000}, "rate_bp"),
        ({"organisation": org.id, "buyer": "X", "amount": 100, "rate_percent": "douze"}, "rate_percent"),
        ({"organisation": org.id, "buyer": "X", "amount": 100, "rate_bp": 800}, "rate_reason"),
        ({"organisation": org.id, "buyer": "X", "amount": 100, "won_on": "hier"}, "won_on"),
    ]
    for body, field in cases:
        r = post(client, "/api/staff/commissions/business", json=body, headers={"accept-language": "fr"})
        assert r.status_code == 422 and field in r.json()["errors"], (body, r.text)
    r = post(
        client,
        "/api/staff/commissions/markets",
        json={"title": "M", "buyer": "B", "shares": [{"organisation": org.id, "amount": 1}]},
    )
    assert r.status_code == 422 and "shares" in r.json()["errors"]
    r = post(
        client,
        "/api/staff/commissions/markets",
        json={
            "title": "M",
            "buyer": "B",
            "shares": [{"organisation": org.id, "amount": 1}, {"organisation": org.id, "amount": 2}],
        },
    )
    assert r.status_code == 422 and "shares[1].organisation" in r.json()["errors"]
    r = post(
        client,
        "/api/staff/commissions/markets",
        json={
            "title": "M",
            "buyer": "B",
            "shares": [{"organisation": org.id, "amount": 1}, {"organisation": 0, "amount": 2}],
        },
    )
    assert r.status_code == 422 and "shares[1].organisation" in r.json()["errors"]
    assert client.get("/api/staff/commissions/?source=gift").status_code == 422
    assert client.get("/api/staff/commissions/totals?year=1800").status_code == 422
    assert post(client, "/api/staff/commissions/999999/confirm").status_code == 404
    assert await Commission.count() == 0
    # In English too, naming the field.
    r = post(
        client,
        "/api/staff/commissions/business",
        json={"organisation": org.id, "buyer": "X"},
        headers={"accept-language": "en"},
    )
    assert r.status_code == 422 and "amount" in r.json()["errors"]


async def test_totals_per_member_source_and_year():
    a = await _org("Label Auvergne", "label-auvergne.fr")
    b = await _org("Studio Volcan", "studio-volcan.fr")
    last = f"{YEAR - 1}-06-15"
    r1 = await records.record_business({"organisation": a.id, "buyer": "F", "amount": 100000})
    r2 = await records.record_business({"organisation": a.id, "buyer": "F", "amount": 200000, "won_on": last})
    await records.record_market(
        {
            "title": "M",
            "buyer": "B",
            "shares": [{"organisation": a.id, "amount": 300000}, {"organisation": b.id, "amount": 400000}],
        }
    )
    await records.confirm(r1.id)
    await billing.invoice(r1.id)
    await records.confirm(r2.id)
    await billing.invoice(r2.id)
    await billing.mark_paid(r2.id)

    this_year = await totals.totals(year=YEAR)
    assert isinstance(this_year, totals.Totals)
    by_key = {(t.organisation, t.source): t.amounts for t in this_year.rows}
    assert by_key == {
        ("Label Auvergne", "business"): totals.Amounts(1, 10000, 10000, 0),
        ("Label Auvergne", "market"): totals.Amounts(1, 30000, 0, 0),
        ("Studio Volcan", "market"): totals.Amounts(1, 40000, 0, 0),
    }
    assert this_year.overall == totals.Amounts(3, 80000, 10000, 0)
    every = await totals.totals()
    assert every.by_year == {YEAR - 1: totals.Amounts(1, 20000, 20000, 20000), YEAR: this_year.overall}
    mine = await totals.totals(organisation_id=b.id)
    assert mine.overall == totals.Amounts(1, 40000, 0, 0)


async def test_the_default_rate_is_a_setting(monkeypatch):
    org = await _org("Label Auvergne", "label-auvergne.fr")
    monkeypatch.setenv("COMMISSION_RATE_PERCENT", "12,5")
    get_settings.cache_clear()
    try:
        rec = await records.record_business({"organisation": org.id, "buyer": "F", "amount": 100000})
        assert (rec.rate_bp, rec.commission_cents, rec.rate_reason) == (1250, 12500, "")
        # 10 % is now a different rate: it needs a reason.
        with pytest.raises(ValidationFailed) as caught:
            await records.record_business(
                {"organisation": org.id, "buyer": "F", "amount": 1, "rate_bp": 1000}
            )
        assert "rate_reason" in caught.value.errors
    finally:
        monkeypatch.delenv("COMMISSION_RATE_PERCENT")
        get_settings.cache_clear()
    assert records.default_rate_bp() == 1000


async def test_concurrent_invoicing_issues_one_invoice(jobs_worker):
    import anyio

    org = await _org("Label Auvergne", "label-auvergne.fr")
    rec = await records.record_business({"organisation": org.id, "buyer": "F", "amount": 100000})
    await records.confirm(rec.id)
    numbers: list[str] = []

    async def one() -> None:
        numbers.append((await billing.invoice(rec.id)).invoice_number)

    async with anyio.create_task_group() as tg:
        for _ in range(3):
            tg.start_soon(one)
    assert numbers == [f"F{YEAR}-00001"] * 3
    assert await Invoice.count() == 1
