"""The personal space (/me) of a signed-in attendee, and the account menu of the layouts (issue 10, what
users hit 1): orders with their status, tickets with PDF and .ics, speed-meetings with wishes and agenda."""

from __future__ import annotations

import re

import anyio
from icalendar import Calendar
from litestar.testing import TestClient

from tests.auth import login_attendee, login_staff
from tests.conftest import post
from tests.ticketing.factories import make_event, make_type
from tests.ticketing.helpers import pdf_text

ANNE = "anne.prod@example.org"  # a producer of the speed-meeting of tests.scheduling.test_api.setup


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def build_orders() -> dict:
    from ticketing import order_reads, orders

    async def build() -> dict:
        event = await make_event(title="Les Clés : lever des fonds", title_en="Keys: raising funds")
        other_event = await make_event(
            days=60, title="Culture Experience Days", title_en="Culture Experience Days"
        )
        free = await make_type(event, "Invitation", 0, name_en="Invitation")
        free2 = await make_type(other_event, "Invitation", 0, name_en="Invitation")
        mine = await orders.place_order(
            event_id=event.id,
            buyer={"name": "Anne Prod", "email": ANNE, "organisation": "Studio Volcan"},
            items=[{"ticket_type": free.id, "quantity": 2}],
            attendees=[
                {"name": "Anne Prod", "email": ANNE, "organisation": "Studio Volcan"},
                {"name": "Chloé Amie", "email": "chloe@example.org", "organisation": ""},
            ],
        )
        # someone else bought a ticket for Anne: she sees the ticket, not that order
        gift = await orders.place_order(
            event_id=other_event.id,
            buyer={"name": "Boss", "email": "boss@example.org"},
            items=[{"ticket_type": free2.id, "quantity": 2}],
            attendees=[
                {"name": "Anne Prod", "email": ANNE, "organisation": "Studio Volcan"},
                {"name": "Boss", "email": "boss@example.org", "organisation": ""},
            ],
        )
        cancelled = await orders.place_order(
            event_id=event.id,
            buyer={"name": "Anne Prod", "email": ANNE},
            items=[{"ticket_type": free.id, "quantity": 1}],
        )
        await orders.cancel_order(cancelled.order.token)
        tickets = {
            (t["attendee_email"], t["order"]): t["public_id"]
            for o in (mine, gift)
            for t in await order_reads.order_tickets(o.order.id)
        }
        return {
            "event": event,
            "other": other_event,
            "mine": mine.order,
            "gift": gift.order,
            "tickets": tickets,
        }

    return anyio.run(build)


def publish_meetings() -> dict:
    from tests.scheduling.test_api import setup

    s = setup()
    from server.app import create_app

    with TestClient(app=create_app(), base_url="http://testserver.local") as staff:
        login_staff(staff, role="staff", email="planner@ledamier.test")
        assert post(staff, f"/api/meetings/staff/programmes/{s['prog']}/run").status_code == 200
        assert post(staff, f"/api/meetings/staff/programmes/{s['prog']}/publish").status_code == 200
    return s


def test_anonymous_visitors_are_asked_to_sign_in(client):
    r = client.get("/me", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/auth/link?next=/me"
    home = client.get("/")
    assert 'href="/auth/link?next=/me"' in home.text and 'data-testid="account-menu"' not in home.text


def test_the_personal_space_lists_orders_tickets_and_meetings(client, mailbox):
    data = build_orders()
    s = publish_meetings()
    mailbox.clear()
    assert login_attendee(client, ANNE, mailbox, next="/me") == "/me"
    page = client.get("/me")
    assert page.status_code == 200
    html = page.text
    assert "Mon espace" in html and f"Connecté·e en tant que {ANNE}" in html

    # orders: the two she bought, with their status and a link to the order page
    orders_block = html.split('data-testid="my-orders"')[1].split("</ul>")[0]
    assert f'href="/orders/{data["mine"].token}"' in orders_block
    statuses = re.findall(r'data-status="(\w+)" data-testid="order-status">([^<]+)<', orders_block)
    assert sorted(statuses) == [("cancelled", "Annulée"), ("confirmed", "Confirmée")]
    assert "2 billets" in orders_block and "1 billet " in orders_block
    assert data["gift"].token not in html  # someone else's order stays theirs

    # tickets: her own two (one per event), not her friend's; the gift without its order link
    tickets_block = html.split('data-testid="my-tickets"')[1].split("</ul>")[0]
    own = data["tickets"][(ANNE, data["mine"].id)]
    gifted = data["tickets"][(ANNE, data["gift"].id)]
    friend = data["tickets"][("chloe@example.org", data["mine"].id)]
    boss = data["tickets"][("boss@example.org", data["gift"].id)]
    assert (
        f'data-testid="ticket-{own}"' in tickets_block and f'data-testid="ticket-{gifted}"' in tickets_block
    )
    assert f'data-testid="ticket-{friend}"' in tickets_block  # she bought it: she may print it
    assert boss not in html
    gift_item = tickets_block.split(f'data-testid="ticket-{gifted}"')[1].split("</li>")[0]
    assert "/orders/" not in gift_item
    assert tickets_block.index(own) < tickets_block.index(gifted)  # the nearest event first

    # each ticket's PDF (its own page only) and calendar file
    pdf = client.get(f"/me/tickets/{gifted}/ticket.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Anne Prod" in text and "Culture Experience Days" in text and "Boss" not in text
    ics = client.get(f"/me/tickets/{own}/event.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    [vevent] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Les Clés : lever des fonds"
    # nobody else's ticket is served here
    assert client.get(f"/me/tickets/{boss}/ticket.pdf").status_code == 404
    assert client.get(f"/me/tickets/{boss}/event.ics").status_code == 404

    # speed-meetings: the participation, her wishes, her published agenda
    meetings_block = html.split('data-testid="my-meetings"')[1]
    assert f'href="/meetings/{s["prog"]}"' in meetings_block
    assert "Festival Été" in meetings_block and "Incontournable" in meetings_block
    agenda = meetings_block.split('data-testid="agenda"')[1].split("</ul>")[0]
    assert agenda.count("<li>") == 2 and "table" in agenda
    assert f'href="/meetings/{s["prog"]}/agenda.pdf"' in meetings_block

    # the menu of the public layout: who is signed in, the space, the meetings, signing out
    menu = html.split('data-testid="account-menu"')[1].split("</details>")[0]
    assert ANNE in menu and 'href="/me"' in menu and 'href="/meetings"' in menu
    assert 'action="/auth/logout"' in menu


def test_the_personal_space_in_english(client, mailbox):
    build_orders()
    login_attendee(client, ANNE, mailbox)
    page = client.get("/me?lang=en")
    assert "My space" in page.text and "My tickets" in page.text and "My orders" in page.text
    assert "Confirmed" in page.text and "Keys: raising funds" in page.text
    assert "Add to my calendar (.ics)" in page.text and "Sign out everywhere" in page.text


def test_an_empty_space_points_to_the_events_and_meetings(client, mailbox):
    login_attendee(client, "new@example.org", mailbox)
    page = client.get("/me")
    assert "Aucun billet pour l'instant." in page.text and 'href="/events"' in page.text
    assert "Vous ne participez à aucun speed-meeting." in page.text and 'href="/meetings"' in page.text


def test_staff_see_their_name_their_account_and_sign_out(client):
    login_staff(client, role="staff")
    page = client.get("/staff")
    menu = page.text.split('data-testid="account-menu"')[1].split("</details>")[0]
    assert "Test staff" in menu and 'href="/staff"' in menu and 'action="/auth/logout"' in menu
    me = client.get("/me")
    assert me.status_code == 200 and "Mon compte" in me.text
    assert "Connecté·e en tant que Test staff (staff@ledamier.test)" in me.text
    assert re.search(r'href="/staff"', me.text)


def test_door_volunteers_see_who_is_signed_in_and_sign_out_at_the_door(client):
    login_staff(client, role="door")
    door = client.get("/door")
    assert door.status_code == 200
    form = door.text.split('data-testid="door-signout"')[1].split("</form>")[0]
    assert "Test door" in form and 'name="_csrf_token"' in form
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form).group(1)
    r = client.post("/auth/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and client.get("/api/auth/me").status_code == 401
