"""Ordering over HTTP: free member tickets, bad input, member-price approval, tickets and QR codes."""

from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from PIL import Image

from tests.auth import login_attendee
from tests.conftest import send
from tests.ticketing.factories import cles_event, make_type
from tests.ticketing.helpers import attachment, make_member_org, order, pdf_text, staff_login
from ticketing.signing import verify
from ticketing.tables import EventSales, Order, Ticket, TicketType


async def _sold(type_id: int) -> int:
    return (await TicketType.select(TicketType.sold).where(TicketType.id == type_id).first())["sold"]


async def test_member_gets_free_ticket_with_pdf_ics_and_qr(client, mailbox):
    event, member, _public = await cles_event()
    await make_member_org("label-auvergne.fr")
    login_attendee(client, "bruno@label-auvergne.fr", mailbox)  # the proof: signed in by email link
    mailbox.clear()
    r = order(
        client,
        event.id,
        [{"ticket_type": member.id, "quantity": 1}],
        buyer={"name": "Bruno Member", "email": "bruno@label-auvergne.fr", "organisation": "Label Auvergne"},
        locale="en",
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "confirmed" and body["total_ttc_cents"] == 0
    assert body["tickets"][0]["status"] == "valid"
    assert await _sold(member.id) == 1

    msg = mailbox.wait_for("bruno@label-auvergne.fr")[0]
    assert "Your tickets for Keys to success" in msg["Subject"]  # the buyer's language (en)
    text = pdf_text(attachment(msg, "tickets.pdf"))
    assert "Bruno Member" in text and "Member" in text and "Keys to success" in text
    ics = attachment(msg, "event.ics")
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "BEGIN:VEVENT" in ics and event.uid in ics
    assert f"/orders/{body['token']}" in msg.get_body(("plain",)).get_content()

    # the order page API gives the QR code; a real decoder reads it and the signature verifies
    public_id = body["tickets"][0]["id"]
    png = client.get(f"/api/orders/{body['token']}/tickets/{public_id}/qr.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    signed = verify(decoded[0].text)
    ticket = await Ticket.objects().where(Ticket.public_id == public_id).first()
    assert (signed.ticket_id, signed.event_id) == (ticket.id, event.id)
    pdf = client.get(f"/api/orders/{body['token']}/tickets.pdf")
    assert pdf.status_code == 200 and "Bruno Member" in pdf_text(pdf.content)
    # the ticket in the e-mail, rendered as a phone or a printer shows it: its QR code reads as well
    assert [verify(code) for code in rendered_qr_codes(attachment(msg, "tickets.pdf"))] == [signed]


def rendered_qr_codes(pdf: bytes, dpi: int = 150) -> list[str]:
    """The QR codes a decoder reads on each page of `pdf`, rendered at `dpi` (pdfium, as Chrome does)."""
    document = pypdfium2.PdfDocument(pdf)
    codes = []
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        codes += [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    return codes


async def test_non_member_gets_no_member_price_then_staff_approval(client, mailbox):
    event, member, _public = await cles_event()
    r = order(client, event.id, [{"ticket_type": member.id, "quantity": 1}])
    assert r.status_code == 201  # the same answer as for a member: a confirmation is asked
    body = r.json()
    assert body["status"] == "awaiting_member" and body["tickets"][0]["status"] == "pending"
    assert await Order.count().where(Order.status == "confirmed") == 0

    r = order(client, event.id, [{"ticket_type": member.id, "quantity": 1}], request_approval=True)
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "reserved" and body["approval_requested"] is True
    assert body["tickets"][0]["status"] == "pending"
    assert await _sold(member.id) == 2  # the places are held meanwhile

    await staff_login(client)
    listed = client.get("/api/staff/ticketing/orders", params={"status": "reserved"}).json()
    assert [o["token"] for o in listed] == [body["token"]]
    r = send(client, "POST", f"/api/staff/ticketing/orders/{body['token']}/approve")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    mailbox.wait_for("alice@example.org")


async def test_bad_input_is_refused_and_nothing_changes(client):
    event, member, public = await cles_event()
    other_event, _m, other_type = await cles_event()
    cases = [
        ([{"ticket_type": public.id, "quantity": -1}], {}, "items.0.quantity"),
        ([{"ticket_type": public.id, "quantity": 0}], {}, "items.0.quantity"),
        ([{"ticket_type": public.id, "quantity": 11}], {}, "items.0.quantity"),
        ([{"ticket_type": public.id, "quantity": "two"}], {}, "items.0.quantity"),
        ([{"ticket_type": other_type.id, "quantity": 1}], {}, "items.0.ticket_type"),
        ([], {}, "items"),
        (
            [{"ticket_type": public.id, "quantity": 1}],
            {"buyer": {"name": "X", "email": "not-an-email"}},
            "buyer.email",
        ),
        ([{"ticket_type": public.id, "quantity": 2}], {}, "attendees"),
        (
            [{"ticket_type": public.id, "quantity": 1}],
            {"attendees": [{"name": "", "email": "bad@"}]},
            "attendees.0.name",
        ),
    ]
    for items, extra, field in cases:
        r = order(client, event.id, items, **extra)
        assert r.status_code == 422, (items, extra, r.text)
        assert field in r.json()["errors"], (field, r.json())
    fr = order(client, event.id, [{"ticket_type": public.id, "quantity": 0}])
    assert fr.json()["errors"]["items.0.quantity"] == "La quantité doit être au moins de 1."
    en = order(
        client, event.id, [{"ticket_type": public.id, "quantity": 0}], headers={"accept-language": "en"}
    )
    assert en.json()["errors"]["items.0.quantity"] == "The quantity must be at least 1."
    assert await Order.count() == 0 and await Ticket.count() == 0
    assert await _sold(public.id) == 0
    assert await EventSales.count() == 0 or (await EventSales.select(EventSales.sold).first())["sold"] == 0


async def test_staff_only_types_hidden_and_refused(client):
    event, _member, public = await cles_event()
    speaker = await make_type(event, "Intervenant", 0, name_en="Speaker", staff_only=True)
    types = client.get(f"/api/events/{event.id}/ticket-types").json()
    assert [t["id"] for t in types] == [_member.id, public.id]
    assert (
        types[1]["price_ht_cents"] == 2000
        and types[1]["vat_cents"] == 400
        and types[1]["price_ttc_cents"] == 2400
    )
    r = order(client, event.id, [{"ticket_type": speaker.id, "quantity": 1}])
    assert r.status_code == 422 and "items.0.ticket_type" in r.json()["errors"]


async def test_change_attendee_name(client):
    event, _member, _public = await cles_event()
    free = await make_type(event, "Invité", 0)
    r = order(
        client,
        event.id,
        [{"ticket_type": free.id, "quantity": 2}],
        attendees=[{"name": "One"}, {"name": "Two", "email": "two@example.org"}],
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert [t["attendee_email"] for t in body["tickets"]] == ["alice@example.org", "two@example.org"]
    tid = body["tickets"][1]["id"]
    r = send(client, "PATCH", f"/api/orders/{body['token']}/tickets/{tid}", json={"name": "Zoé Nouvelle"})
    assert r.status_code == 200 and r.json()["tickets"][1]["attendee_name"] == "Zoé Nouvelle"
    r = send(client, "PATCH", f"/api/orders/{body['token']}/tickets/{tid}", json={"name": " "})
    assert r.status_code == 422 and "name" in r.json()["errors"]
    assert client.get("/api/orders/nope").status_code == 404
