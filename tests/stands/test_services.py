"""Stand rules through the real services and database (SQLite or PostgreSQL)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from lib.errors import Conflict, ValidationFailed
from stands import badges, billing, booking, exhibitors, floorplan
from stands.tables import Booking, BookingShare, Stand, StandOption, WaitingEntry
from tests.stands.factories import hall, member
from ticketing.tables import CreditNote, Invoice, Ticket


async def test_member_books_at_member_price_and_non_member_at_non_member_price():
    h = await hall()
    _org, member_email = await member("Volcans Films")
    _late, late_email = await member("Retard Prod", paid=False)
    held = await booking.request_stand(h["event"].id, h["stands"][0], email=member_email, data={})
    assert held.status == "held" and held.shares[0]["member_price"] is True
    assert held.shares[0]["amount_ht_cents"] == 9 * 5000  # 9 m² at 50 €/m²
    other = await booking.request_stand(h["event"].id, h["stands"][1], email=late_email, data={})
    assert other.shares[0]["member_price"] is False
    assert other.shares[0]["amount_ht_cents"] == 9 * 8000
    assert other.shares[0]["vat_cents"] == 9 * 8000 // 5
    status = (await Stand.select(Stand.status).where(Stand.id == h["stands"][0]).first())["status"]
    assert status == "held"


async def test_members_only_edition_refuses_others_and_names_the_field():
    h = await hall(members_only=True)
    _late, late_email = await member("Retard Prod", paid=False)
    with pytest.raises(ValidationFailed) as err:
        await booking.request_stand(h["event"].id, h["stands"][0], email=late_email, data={})
    assert "email" in err.value.errors
    assert await Booking.count() == 0
    assert (await Stand.select(Stand.status).where(Stand.id == h["stands"][0]).first())["status"] == "free"


async def test_second_request_for_the_same_stand_is_told_which_stand():
    h = await hall()
    _a, a = await member("Alpha")
    _b, b = await member("Beta")
    await booking.request_stand(h["event"].id, h["stands"][2], email=a, data={})
    with pytest.raises(Conflict) as err:
        await booking.request_stand(h["event"].id, h["stands"][2], email=b, data={})
    assert "A3" in str(err.value)
    assert await Booking.count() == 1


async def test_hold_expires_by_itself_and_waiting_list_hears_it(mailbox, jobs_worker):
    h = await hall(stands=1)
    _a, a = await member("Alpha")
    _b, b = await member("Beta")
    held = await booking.request_stand(h["event"].id, h["stands"][0], email=a, data={})
    entry = await booking.join_waiting_list(h["category"]["id"], email=b)
    assert entry["position"] == 1
    await Booking.update({Booking.hold_expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Booking.id == held.id
    )
    from lib.jobs import run_periodic

    await run_periodic()
    assert (await booking.summary(held.id)).status == "expired"
    assert (await Stand.select(Stand.status).where(Stand.id == h["stands"][0]).first())["status"] == "free"
    assert (await WaitingEntry.select(WaitingEntry.status).first())["status"] == "notified"
    mailbox.wait_for(b)
    # approving the expired hold takes the stand again if it is still free
    approved = await booking.approve(held.id)
    assert approved.status == "approved"


async def test_expired_hold_cannot_be_approved_once_the_stand_is_taken():
    h = await hall(stands=1)
    _a, a = await member("Alpha")
    _b, b = await member("Beta")
    held = await booking.request_stand(h["event"].id, h["stands"][0], email=a, data={})
    await Booking.update({Booking.hold_expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Booking.id == held.id
    )
    await booking.request_stand(
        h["event"].id, h["stands"][0], email=b, data={}
    )  # expires the first, takes it
    with pytest.raises(Conflict):
        await booking.approve(held.id)
    assert await Booking.count().where(Booking.status == "approved") == 0


async def test_options_stock_is_never_exceeded_and_comes_back_on_refusal():
    h = await hall()
    _a, a = await member("Alpha")
    _b, b = await member("Beta")
    socket = h["socket"]["id"]
    first = await booking.request_stand(
        h["event"].id, h["stands"][0], email=a, data={"options": [{"option": socket, "quantity": 2}]}
    )
    assert first.shares[0]["amount_ht_cents"] == 9 * 5000 + 2 * 4500
    with pytest.raises(ValidationFailed) as err:
        await booking.request_stand(
            h["event"].id, h["stands"][1], email=b, data={"options": [{"option": socket, "quantity": 2}]}
        )
    assert "options.0.quantity" in err.value.errors
    # the failed request changed nothing: its stand is still free
    assert (await Stand.select(Stand.status).where(Stand.id == h["stands"][1]).first())["status"] == "free"
    await booking.refuse(first.id, "Dossier incomplet")
    assert (await StandOption.select(StandOption.taken).where(StandOption.id == socket).first())["taken"] == 0


async def test_shared_stand_shares_must_sum_to_100_and_split_the_cost():
    h = await hall()
    _a, a = await member("Alpha")
    beta, _b = await member("Beta")
    with pytest.raises(ValidationFailed) as err:
        await booking.request_stand(
            h["event"].id,
            h["stands"][0],
            email=a,
            data={"share_percent": 60, "co_exhibitors": [{"organisation": beta.id, "percent": 30}]},
        )
    assert "share_percent" in err.value.errors
    shared = await booking.request_stand(
        h["event"].id,
        h["stands"][0],
        email=a,
        data={"share_percent": 60, "co_exhibitors": [{"organisation": beta.id, "percent": 40}]},
    )
    assert [s["amount_ht_cents"] for s in shared.shares] == [27000, 18000]


async def test_approval_invoices_each_share_with_gapless_numbers_and_cancel_credits(mailbox, jobs_worker):
    h = await hall()
    _a, a = await member("Alpha")
    beta, b = await member("Beta")
    shared = await booking.request_stand(
        h["event"].id,
        h["stands"][0],
        email=a,
        data={
            "share_percent": 50,
            "co_exhibitors": [{"organisation": beta.id, "percent": 50}],
            "options": [{"option": h["socket"]["id"], "quantity": 1}],
        },
    )
    await booking.approve(shared.id)
    invoices = await Invoice.select().order_by(Invoice.sequence)
    assert [i["sequence"] for i in invoices] == [1, 2]
    assert invoices[0]["total_ht_cents"] == 22500 + 2250
    assert invoices[0]["total_vat_cents"] == (24750 * 20 + 50) // 100
    assert invoices[0]["total_ttc_cents"] == invoices[0]["total_ht_cents"] + invoices[0]["total_vat_cents"]
    msgs = mailbox.wait_for(a, count=2)  # the hold, then the invoice
    pdfs = [p for m in msgs for p in m.iter_attachments() if p.get_content_type() == "application/pdf"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdfs[0].get_content())).pages)
    assert invoices[0]["number"] in text and "Stand A1" in text and "247,50" in text
    mailbox.wait_for(b)
    await booking.cancel(shared.id, by_staff=True)
    assert await CreditNote.count() == 2
    assert (await Stand.select(Stand.status).where(Stand.id == h["stands"][0]).first())["status"] == "free"
    number, pdf = await billing.credit_note_pdf((await BookingShare.select(BookingShare.id).first())["id"])
    assert number.startswith("AV") and number in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


async def test_direct_assignment_free_stand_has_no_invoice():
    h = await hall()
    org, _a = await member("Partenaire")
    done = await booking.assign(
        h["event"].id,
        h["stands"][3],
        {"organisation": org.id, "free_of_charge": True},
        staff_email="staff@ledamier.test",
    )
    assert done.status == "approved" and done.shares[0]["amount_ttc_cents"] == 0
    assert await Invoice.count() == 0
    assert [e.stand_number for e in await exhibitors.catalogue(h["event"].id)] == ["A4"]


async def test_badges_within_quota_are_door_tickets():
    h = await hall()
    org, a = await member("Alpha")
    done = await booking.assign(
        h["event"].id, h["stands"][0], {"organisation": org.id}, staff_email="s@ledamier.test"
    )
    share_id = done.shares[0]["id"]
    with pytest.raises(ValidationFailed) as err:
        await badges.issue(share_id, ["A", "B", "C", "D"], email=a)  # 9 m²: 2 + 1
    assert "names" in err.value.errors
    issued = await badges.issue(share_id, ["Alex Alpha", "Sam Alpha", "Kim Alpha"], email=a)
    assert len(issued) == 3
    tickets = await Ticket.select().where(Ticket.id.is_in([b["ticket"] for b in issued]))
    assert {t["status"] for t in tickets} == {"valid"}
    from checkin.services import Scan, redeem
    from ticketing.signing import sign

    result = await redeem(
        Scan(event_id=h["event"].id),
        scan_id="stand-badge-1",
        code=sign(ticket_id=tickets[0]["id"], event_id=h["event"].id),
    )
    assert result["status"] == "ok"


async def test_plan_refuses_overlaps_and_stands_outside_the_hall():
    h = await hall(stands=1)
    cat = h["category"]["id"]
    with pytest.raises(ValidationFailed) as err:
        await floorplan.save_stand(
            h["event"].id,
            {"number": "B1", "category": cat, "x_cm": 200, "y_cm": 200, "width_cm": 300, "depth_cm": 300},
        )
    assert "A1" in err.value.errors["x_cm"]
    with pytest.raises(ValidationFailed) as err:
        await floorplan.save_stand(
            h["event"].id,
            {"number": "B2", "category": cat, "x_cm": 3900, "y_cm": 0, "width_cm": 300, "depth_cm": 300},
        )
    assert "x_cm" in err.value.errors
    view = await floorplan.load(h["event"].id)
    svg = floorplan.render_svg(view, link="/x/{id}")
    assert 'data-number="A1"' in svg and "<svg" in svg


async def test_duplicating_the_edition_carries_the_plan_along():
    from events import services

    h = await hall(stands=3)
    _a, a = await member("Alpha")
    await booking.request_stand(h["event"].id, h["stands"][0], email=a, data={})
    copy = await services.duplicate_event(h["event"].id)
    view = await floorplan.load(copy["id"])
    assert [s["number"] for s in view.stands] == ["A1", "A2", "A3"]
    assert {s["status"] for s in view.stands} == {"free"}
    assert [o["code"] for o in view.options] == ["power"] and view.options[0]["taken"] == 0
