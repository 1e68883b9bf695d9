"""Dues through the real stack: the year called by one staff action (one invoice each, emailed with its PDF,
never twice), paid by transfer or card, the member price that follows at once, reminders and the emailed
loss of standing, band changes from one year to the next, pro-rata for a mid-year joiner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import anyio
import pytest
from litestar.testing import TestClient

from dues import calls
from dues.tables import DuesCall
from lib.settings import get_settings
from members import register, standing
from members.tables import MembershipYear, Organisation
from tests.auth import login_attendee
from tests.conftest import post, shared_app
from tests.ticketing.factories import cles_event
from tests.ticketing.helpers import attachment, order, pdf_text, staff_login
from ticketing.tables import Invoice

YEAR = register.today().year


async def _org(name: str, domain: str, band: str = "20k-60k", email: str | None = None) -> Organisation:
    org = Organisation(
        name=name, email_domain=domain, revenue_band=band, email=email or f"contact@{domain}", college=1
    )
    await org.save()
    return org


def _staff_client():
    return TestClient(app=shared_app(), base_url="http://testserver.local")


async def test_member_price_appears_the_minute_the_dues_are_paid(client, mailbox):
    event, member_type, _public = await cles_event()
    org = await _org("Label Auvergne", "label-auvergne.fr", band="20k-60k")
    await _org("Studio Volcan", "studio-volcan.fr", band="gt250k")
    with _staff_client() as staff:
        await staff_login(staff)
        r = post(staff, f"/api/staff/dues/{YEAR}/call")
        assert r.status_code == 200, r.text
        assert r.json() == {"year": YEAR, "issued": 2, "already": 0}
        again = post(staff, f"/api/staff/dues/{YEAR}/call")
        assert again.json() == {"year": YEAR, "issued": 0, "already": 2}  # never a second invoice
        assert await Invoice.count() == 2

        listed = staff.get(f"/api/staff/dues/{YEAR}").json()
        by_name = {row["organisation"]: row for row in listed}
        label = by_name["Label Auvergne"]
        assert (label["amount_ht_cents"], label["vat_cents"], label["amount_ttc_cents"]) == (
            27000,
            5400,
            32400,
        )
        assert by_name["Studio Volcan"]["amount_ht_cents"] == 35000
        assert label["status"] == "unpaid" and label["invoice_number"].startswith(f"F{YEAR}-")

        msg = mailbox.wait_for("contact@label-auvergne.fr")[0]
        assert label["invoice_number"] in msg["Subject"]
        assert "dès le jour du paiement" in msg.get_body(("plain",)).get_content()
        text = pdf_text(attachment(msg, f"{label['invoice_number']}.pdf"))
        assert label["invoice_number"] in text and "Label Auvergne" in text
        assert f"{YEAR}" in text and "324,00" in text and "270,00" in text
        assert len(mailbox.wait_for("contact@label-auvergne.fr")) == 1  # one email, not two

        # Unpaid: a person of the organisation does not get the member price.
        login_attendee(client, "bruno@label-auvergne.fr", mailbox)
        buyer = {"name": "Bruno", "email": "bruno@label-auvergne.fr", "organisation": "Label Auvergne"}
        before = order(client, event.id, [{"ticket_type": member_type.id, "quantity": 1}], buyer=buyer)
        assert before.status_code == 201 and before.json()["status"] == "awaiting_member"

        paid = post(staff, f"/api/staff/dues/calls/{label['id']}/paid", json={"method": "transfer"})
        assert paid.status_code == 200, paid.text
        assert paid.json()["status"] == "paid" and paid.json()["payment_method"] == "transfer"
        year_row = await MembershipYear.objects().where(MembershipYear.organisation == org.id).first()
        assert year_row.paid_on == register.today() and year_row.dues_cents == 27000

        after = order(client, event.id, [{"ticket_type": member_type.id, "quantity": 1}], buyer=buyer)
        assert after.status_code == 201, after.text
        assert after.json()["status"] == "confirmed" and after.json()["total_ttc_cents"] == 0

        # Paying again changes nothing; the member sees its own dues and the invoice, paid.
        assert (
            post(staff, f"/api/staff/dues/calls/{label['id']}/paid").json()["paid_at"]
            == paid.json()["paid_at"]
        )
        mine = client.get("/api/dues/me").json()
        assert [(m["organisation"], m["status"]) for m in mine] == [("Label Auvergne", "paid")]
        pdf = client.get(f"/api/dues/calls/{label['id']}/invoice.pdf")
        assert pdf.status_code == 200
        assert f"Payée le {register.today():%d/%m/%Y}" in pdf_text(pdf.content)
        other = by_name["Studio Volcan"]["id"]
        assert client.get(f"/api/dues/calls/{other}/invoice.pdf").status_code == 404
        assert post(client, f"/api/dues/calls/{other}/card-payment").status_code == 404


async def test_bad_input_names_the_field_and_guards_hold(client):
    await _org("Label Auvergne", "label-auvergne.fr")
    assert post(client, f"/api/staff/dues/{YEAR}/call").status_code in (401, 403)
    assert client.get("/api/dues/me").status_code == 401
    await staff_login(client)
    r = post(client, "/api/staff/dues/1800/call")
    assert r.status_code == 422 and "year" in r.json()["errors"]
    assert await DuesCall.count() == 0
    post(client, f"/api/staff/dues/{YEAR}/call")
    call = await DuesCall.objects().first()
    r = post(client, f"/api/staff/dues/calls/{call.id}/paid", json={"method": "cash"})
    assert r.status_code == 422 and "method" in r.json()["errors"]
    r = post(client, f"/api/staff/dues/calls/{call.id}/paid", json={"paid_on": "2999-01-01"})
    assert r.status_code == 422 and "paid_on" in r.json()["errors"]
    r = post(client, f"/api/staff/dues/calls/{call.id}/paid", json={"paid_on": "yesterday"})
    assert r.status_code == 422 and "paid_on" in r.json()["errors"]
    assert post(client, "/api/staff/dues/calls/999999/paid").status_code == 404
    assert (await DuesCall.objects().first()).paid_at is None
    assert not await standing.is_member_in_good_standing(organisation_id=call.organisation)


async def test_concurrent_calls_issue_one_invoice_per_organisation(jobs_worker):
    for i in range(5):
        await _org(f"Org {i}", f"org{i}.fr")
    results = []

    async def one() -> None:
        results.append(await calls.call_year(YEAR))

    async with anyio.create_task_group() as tg:
        for _ in range(3):
            tg.start_soon(one)
    assert sorted(len(r.issued) for r in results) == [0, 0, 5]
    assert await DuesCall.count() == 5 and await Invoice.count() == 5
    numbers = sorted(r["number"] for r in await Invoice.select(Invoice.number))
    assert numbers == [f"F{YEAR}-{n:05d}" for n in range(1, 6)]  # gapless


async def test_band_change_from_one_year_to_the_next(jobs_worker):
    org = await _org("Label Auvergne", "label-auvergne.fr", band="lt20k")
    await calls.call_year(YEAR - 1)
    await register.update_organisation(org.id, {"revenue_band": "60k-250k"})
    await calls.call_year(YEAR)
    last, this = (await calls.list_year(YEAR - 1))[0], (await calls.list_year(YEAR))[0]
    assert (last.revenue_band, last.amount_ht_cents) == ("lt20k", 22000)
    assert (this.revenue_band, this.amount_ht_cents) == ("60k-250k", 31000)


async def test_pro_rata_for_a_mid_year_joiner_is_a_setting(jobs_worker, monkeypatch):
    org = await _org("Nouvelle Prod", "nouvelle-prod.fr", band="lt20k")
    joined = datetime(YEAR, 7, 15, 10, tzinfo=UTC)  # July: 6 months left of the year
    await Organisation.update({Organisation.created_at: joined}).where(Organisation.id == org.id)
    org = await register.get_organisation(org.id)
    assert calls.dues_ht_cents(org, YEAR) == 22000  # off by default: full dues
    monkeypatch.setenv("DUES_PRORATA", "1")
    get_settings.cache_clear()
    try:
        assert calls.dues_ht_cents(org, YEAR) == 11000
        assert calls.dues_ht_cents(org, YEAR + 1) == 22000  # the next year is a whole year
        await calls.call_year(YEAR)
        assert (await calls.list_year(YEAR))[0].amount_ht_cents == 11000
    finally:
        monkeypatch.delenv("DUES_PRORATA")
        get_settings.cache_clear()


async def test_reminders_then_lost_standing_with_a_notice(jobs_worker, mailbox):
    org = await _org("Label Auvergne", "label-auvergne.fr")
    paid_org = await _org("Studio Volcan", "studio-volcan.fr")
    await calls.call_year(YEAR)
    rows = {r.organisation: r for r in await calls.list_year(YEAR)}
    await calls.mark_paid(rows["Studio Volcan"].id)
    mailbox.wait_for("contact@label-auvergne.fr")
    assert (await calls.follow_up(date(YEAR, 1, 15))).reminded == 0  # just called: too early

    long_ago = datetime.now(UTC) - timedelta(days=31)
    await DuesCall.update({DuesCall.called_at: long_ago}).where(DuesCall.year == YEAR)
    assert await calls.follow_up(date(YEAR, 2, 1)) == calls.FollowUp(reminded=1, lapsed=0)
    assert await calls.follow_up(date(YEAR, 2, 1)) == calls.FollowUp(reminded=0, lapsed=0)  # once
    reminder = mailbox.wait_for("contact@label-auvergne.fr", count=2)[1]
    assert "Rappel" in reminder["Subject"]
    assert "n’ont pas les tarifs adhérents" in reminder.get_body(("plain",)).get_content()

    after = calls.lapse_date(YEAR) + timedelta(days=1)
    assert await calls.follow_up(after) == calls.FollowUp(reminded=0, lapsed=1)
    assert await calls.follow_up(after) == calls.FollowUp(reminded=0, lapsed=0)  # never twice
    notice = mailbox.wait_for("contact@label-auvergne.fr", count=3)[2]
    body = notice.get_body(("plain",)).get_content()
    assert "n’est plus adhérente à jour" in notice["Subject"]
    assert "n’ont plus les tarifs adhérents" in body
    assert len(mailbox.wait_for("contact@studio-volcan.fr")) == 1  # the paid one: its invoice only
    assert (await calls.list_year(YEAR))[0].status == "lapsed"
    assert not await standing.is_member_in_good_standing(organisation_id=org.id)
    assert await standing.is_member_in_good_standing(organisation_id=paid_org.id)

    await calls.mark_paid(rows["Label Auvergne"].id)  # paying restores the standing the same day
    assert await standing.is_member_in_good_standing(organisation_id=org.id)


@pytest.mark.parametrize("path", ["card-payment"])
async def test_dues_paid_by_card(client, stripe_fake, mailbox, path):
    org = await _org("Carte Bleue Prod", "carte-bleue.fr")
    await calls.call_year(YEAR)
    call = (await calls.list_year(YEAR))[0]
    login_attendee(client, "compta@carte-bleue.fr", mailbox)
    r = post(client, f"/api/dues/calls/{call.id}/{path}")
    assert r.status_code == 200 and r.json()["client_secret"], r.text
    again = post(client, f"/api/dues/calls/{call.id}/{path}")
    assert again.json()["client_secret"] == r.json()["client_secret"]  # one PaymentIntent
    assert post(client, f"/api/dues/calls/{call.id}/{path}/sync").json() == {"paid": False}
    assert not await standing.is_member_in_good_standing(organisation_id=org.id)
    intent = (await calls.get_call(call.id)).payment_intent_id
    stripe_fake.pay(intent)
    assert post(client, f"/api/dues/calls/{call.id}/{path}/sync").json() == {"paid": True}
    row = await calls.row_of(call.id)
    assert row.status == "paid" and row.payment_method == "card"
    assert await standing.is_member_in_good_standing(organisation_id=org.id)


async def test_cancelled_dues_get_a_credit_note_and_are_never_reissued(client, mailbox):
    await _org("Partie Prod", "partie-prod.fr")
    await staff_login(client)
    post(client, f"/api/staff/dues/{YEAR}/call")
    call = (await calls.list_year(YEAR))[0]
    mailbox.wait_for("contact@partie-prod.fr")
    r = post(client, f"/api/staff/dues/calls/{call.id}/cancel", json={"reason": "  "})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = post(client, f"/api/staff/dues/calls/{call.id}/cancel", json={"reason": "A quitté le cluster"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled" and r.json()["credit_note_number"] == f"AV{YEAR}-00001"
    again = post(client, f"/api/staff/dues/calls/{call.id}/cancel", json={"reason": "encore"})
    assert again.json()["credit_note_number"] == f"AV{YEAR}-00001"  # one credit note
    msg = mailbox.wait_for("contact@partie-prod.fr", count=2)[1]
    text = pdf_text(attachment(msg, f"AV{YEAR}-00001.pdf"))
    assert f"AV{YEAR}-00001" in text and call.invoice_number in text
    pdf = client.get(f"/api/staff/dues/calls/{call.id}/credit-note.pdf")
    assert pdf.status_code == 200 and f"AV{YEAR}-00001" in pdf_text(pdf.content)
    assert post(client, f"/api/staff/dues/calls/{call.id}/paid").status_code == 409
    assert post(client, f"/api/staff/dues/{YEAR}/call").json()["issued"] == 0  # never reissued
    assert post(client, f"/api/staff/dues/{YEAR}/reminders").json() == {"reminded": 0}
    assert not await standing.is_member_in_good_standing(organisation_id=call.organisation_id)
