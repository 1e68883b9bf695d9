"""Manual entry at the door: the short code printed on the ticket PDF, typed at the door and in search
(online and in the offline list), the order reference found by search, and a reason for every refusal."""

from __future__ import annotations

import re

import pytest

from checkin.tables import CheckIn
from tests.checkin.helpers import auth, code_of, make_device, make_event, make_ticket, make_type, scan_id
from tests.conftest import post
from tests.ticketing.helpers import pdf_text
from ticketing import shortcode
from ticketing.tables import Order, Ticket

PRINTED = re.compile(r"Code du billet\s*:\s*([2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3})")


def redeem(client, token: str, **body):
    body.setdefault("scan_id", scan_id())
    return client.post("/api/devices/redeem", json=body, headers=auth(token)).json()


def search(client, token: str, q: str) -> list[dict]:
    r = client.get("/api/devices/search", params={"q": q}, headers=auth(token))
    assert r.status_code == 200, r.text
    return r.json()


# ---- the short code -------------------------------------------------------------------------------


def test_short_codes_are_unique_readable_and_catch_typos():
    codes = {shortcode.short_code(i) for i in range(1, 5001)}
    assert len(codes) == 5000
    assert all(len(c) == 9 and not set(c) & set("01OIl") for c in codes)
    code = shortcode.short_code(4242)
    assert shortcode.parse(code) == 4242
    typed = " " + shortcode.display(code).lower().replace("-", " ") + " "
    assert shortcode.parse(typed) == 4242  # lower case, spaces, dashes
    for pos in range(9):  # every single wrong character is caught by the check character
        for other in shortcode.ALPHABET:
            if other != code[pos]:
                with pytest.raises(shortcode.InvalidShortCode):
                    shortcode.parse(code[:pos] + other + code[pos + 1 :])
    swapped = code[1] + code[0] + code[2:]
    if swapped != code:
        with pytest.raises(shortcode.InvalidShortCode):
            shortcode.parse(swapped)
    # consecutive ids give unrelated codes (nobody guesses a neighbour's)
    a, b = shortcode.short_code(1000), shortcode.short_code(1001)
    assert sum(x == y for x, y in zip(a[:8], b[:8], strict=True)) <= 3


async def test_the_code_printed_on_the_pdf_is_typed_at_the_door_and_found_by_search(client):
    """Through the real stack: an order over HTTP, its PDF read back, the printed code typed."""
    event = await make_event()
    free = await make_type(event, "Entrée libre", 0)
    r = post(
        client,
        f"/api/events/{event.id}/orders",
        json={
            "buyer": {"name": "Chloé Dupont", "email": "chloe@label.fr", "organisation": "Label Volcan"},
            "items": [{"ticket_type": free.id, "quantity": 1}],
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "confirmed"
    order_token = r.json()["token"]
    text = pdf_text(client.get(f"/api/orders/{order_token}/tickets.pdf").content)
    printed = PRINTED.search(text)
    assert printed, text
    ticket = await Ticket.objects().first()
    assert shortcode.parse(printed.group(1)) == ticket.id
    order_ref = re.search(r"Commande\s*:\s*(\S+)", text).group(1)
    assert order_token.startswith(order_ref)

    _device, token = await make_device(event)
    # search finds the ticket by the printed code (typed loosely) and by the printed order reference
    for q in (printed.group(1), printed.group(1).replace("-", "").lower(), order_ref):
        found = search(client, token, q)
        assert [f["id"] for f in found] == [ticket.id], q
        assert found[0]["code"] == printed.group(1) and found[0]["state"] == "valid"
    typed = printed.group(1).lower().replace("-", " ")
    body = redeem(client, token, code=typed)
    assert body["status"] == "ok" and body["ticket"]["name"] == "Chloé Dupont", body
    again = redeem(client, token, code=printed.group(1))
    assert again["status"] == "already" and again["reason"] == "already"
    assert "Main door" in again["explanation"] and "Phone 1" in again["explanation"]
    assert await CheckIn.count().where(CheckIn.status == "ok") == 1


async def test_typos_and_unknown_short_codes_are_explained(client):
    event = await make_event()
    ticket = await make_ticket(event, await make_type(event))
    _device, token = await make_device(event)
    code = shortcode.short_code(ticket.id)
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    body = redeem(client, token, code=typo)
    assert body["status"] == "invalid" and body["reason"] == "typo"
    assert "faute de frappe" in body["explanation"]
    unknown = shortcode.short_code(ticket.id + 1000)
    body = redeem(client, token, code=unknown)
    assert body["status"] == "invalid" and body["reason"] == "unknown_ticket" and body["explanation"]
    assert await CheckIn.count() == 0


async def test_every_refusal_says_why_in_redeem_search_and_the_offline_list(client):
    event = await make_event()
    ttype = await make_type(event)
    cases = {
        "payment_pending": await make_ticket(
            event, ttype, "Paul Attente", order_status="pending_payment", ticket_status="pending"
        ),
        "awaiting_approval": await make_ticket(
            event, ttype, "Anne Approbation", order_status="reserved", ticket_status="pending"
        ),
        "awaiting_confirmation": await make_ticket(
            event, ttype, "Carla Confirmation", order_status="reserved", ticket_status="pending"
        ),
        "order_expired": await make_ticket(
            event, ttype, "Eric Expire", order_status="expired", ticket_status="cancelled"
        ),
        "cancelled": await make_ticket(
            event, ttype, "Bob Annule", order_status="cancelled", ticket_status="cancelled"
        ),
        "refunded": await make_ticket(
            event, ttype, "Rita Rembourse", order_status="refunded", ticket_status="cancelled"
        ),
    }
    approval = await cases["awaiting_approval"].get_related(Ticket.order)
    await Order.update({Order.approval_requested: True}).where(Order.id == approval.id)
    _device, token = await make_device(event)
    status_of = {
        "payment_pending": "unpaid",
        "awaiting_approval": "unpaid",
        "awaiting_confirmation": "unpaid",
        "order_expired": "cancelled",
        "cancelled": "cancelled",
        "refunded": "refunded",
    }
    explanations = set()
    for reason, ticket in cases.items():
        for body in (redeem(client, token, code=code_of(ticket)), redeem(client, token, ticket_id=ticket.id)):
            assert body["status"] == status_of[reason], (reason, body)
            assert body["reason"] == reason and body["explanation"], (reason, body)
            assert body["ticket"]["name"] == ticket.attendee_name  # this event's attendee: named
        explanations.add(body["explanation"])
        found = search(client, token, ticket.attendee_name)
        assert found[0]["reason"] == reason and found[0]["explanation"] == body["explanation"]
    assert len(explanations) == len(cases)  # each reason its own sentence
    assert "approbation" in redeem(client, token, ticket_id=cases["awaiting_approval"].id)["explanation"]
    assert "paiement" in redeem(client, token, ticket_id=cases["payment_pending"].id)["explanation"]

    listing = client.get("/api/devices/tickets", headers=auth(token)).json()
    reasons = {row[0]: row[6] for row in listing["tickets"]}
    assert reasons == {t.id: reason for reason, t in cases.items()}
    # offline upload of a refused ticket: the same reason
    scans = [
        {"scan_id": scan_id(), "ticket_id": cases["awaiting_approval"].id, "scanned_at": "2027-01-01T09:00Z"}
    ]
    result = client.post("/api/devices/scans", json={"scans": scans}, headers=auth(token)).json()["results"][
        0
    ]
    assert result["reason"] == "awaiting_approval" and result["flag"] == "unpaid"
    assert await CheckIn.count().where(CheckIn.status == "ok") == 0


async def test_already_checked_in_says_when_where_and_by_whom_in_search(client):
    event = await make_event()
    ticket = await make_ticket(event, await make_type(event), "Dora Entree")
    _device, token = await make_device(event, "Phone 7", "Side door")
    assert redeem(client, token, code=code_of(ticket), scanned_at="2027-03-11T08:05:00Z")["status"] == "ok"
    found = search(client, token, "dora")[0]
    assert found["state"] == "in" and found["reason"] == "already"
    assert found["checked_in_door"] == "Side door" and found["checked_in_by"] == "Phone 7"
    assert found["explanation"] == "Déjà entré à 09:05 (Side door) par Phone 7."  # Paris time
    listing = client.get("/api/devices/tickets", headers=auth(token)).json()
    assert listing["tickets"][0][6:] == ["already", "2027-03-11T08:05:00+00:00", "Side door", "Phone 7"]
