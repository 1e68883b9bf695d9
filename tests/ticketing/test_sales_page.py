"""An event's tickets for staff: default ticket types on creation, a warning before publishing an event
nobody can book, the sales page (/staff/events/{id}/sales) linked from the event, and ticket types
edited, closed, reopened and deleted with field errors. Through the real pages and services."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

from events import services
from events.tables import Event
from tests.backoffice.helpers import field_error, text_of
from tests.conftest import post
from tests.ticketing.helpers import order, staff_login
from ticketing.tables import TicketType
from ticketing.types import ensure_default_types

PARIS = ZoneInfo("Europe/Paris")

FORM = {
    "title": "Les Clés pour réussir : valoriser son stand",
    "title_en": "Keys to success: making the most of a stand",
    "kind": "cles",
    "starts_at": "2027-06-10T09:30",
    "ends_at": "2027-06-10T12:30",
    "capacity": "30",
}


async def types_of(event_id: int) -> dict[str, TicketType]:
    return {t.name: t for t in await TicketType.objects().where(TicketType.event == event_id)}


def type_row(html: str, type_id: int) -> str:
    match = re.search(rf'<tr id="type-{type_id}".*?</tr>', html, flags=re.S)
    assert match, f"no row for ticket type {type_id}"
    return text_of(match.group(0))


async def test_new_event_gets_the_ticket_types_of_its_kind(client):
    await staff_login(client)
    r = post(client, "/staff/events/new", data=FORM, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    event = await Event.objects().first()
    types = await types_of(event.id)
    assert set(types) == {"Adhérent", "Non-adhérent", "Intervenant"}
    assert (types["Adhérent"].price_cents, types["Adhérent"].requires_membership) == (0, True)
    assert (types["Non-adhérent"].price_cents, types["Non-adhérent"].name_en) == (2000, "Non-member")
    assert types["Intervenant"].staff_only and not types["Non-adhérent"].staff_only
    page = client.get(r.headers["location"])
    assert f'href="/staff/events/{event.id}/sales"' in page.text
    assert f'href="/staff/checkin/events/{event.id}"' in page.text  # the door
    assert "Non-adhérent – 20,00" in text_of(page.text)

    # the API gives the same defaults, by kind; and none when asked
    api = {"starts_at": "2027-03-25T09:00:00", "ends_at": "2027-03-26T19:00:00"}
    mima = post(client, "/api/events", json={"title": "MIMA 2027", "kind": "mima", **api}).json()
    assert set(await types_of(mima["id"])) == {
        "Adhérent",
        "Non-adhérent",
        "Acheteur / programmateur invité",
        "Intervenant",
        "Exposant",
    }
    ag = post(client, "/api/events", json={"title": "AG 2027", "kind": "general_assembly", **api}).json()
    assert {(t.name, t.requires_membership, t.staff_only) for t in (await types_of(ag["id"])).values()} == {
        ("Adhérent", True, False),
        ("Invité", False, True),
    }
    # Culture Experience Days: a place is taken through the hackathon's registration (capacity, waiting list,
    # its own staff-only ticket), never by buying a public ticket that skips it
    ced = post(client, "/api/events", json={"title": "CED 2027", "kind": "ced", **api}).json()
    assert all(t.staff_only for t in (await types_of(ced["id"])).values())
    bare = post(
        client, "/api/events", json={"title": "Sans billet", "default_ticket_types": False, **api}
    ).json()
    assert await types_of(bare["id"]) == {}
    assert "default_ticket_types" not in bare  # the event's JSON keeps its shape

    # a duplicated edition keeps its ticket types (nothing sold)
    r = post(client, f"/staff/events/{event.id}/duplicate", data={"new_starts_at": "2028-06-08"})
    copy = await Event.objects().where(Event.id != event.id).order_by(Event.id, ascending=False).first()
    assert copy.starts_at.year == 2028
    assert set(await types_of(copy.id)) == {"Adhérent", "Non-adhérent", "Intervenant"}


async def test_publishing_an_event_nobody_can_book_asks_first(client):
    await staff_login(client)
    r = post(client, "/staff/events/new", data=FORM, follow_redirects=False)
    event = await Event.objects().first()
    for ttype in (await types_of(event.id)).values():
        if not ttype.staff_only:
            post(client, f"/staff/events/{event.id}/ticket-types/{ttype.id}/close")
    page = client.get(f"/staff/events/{event.id}/edit")
    assert 'data-testid="no-ticket-on-sale"' in page.text

    r = post(client, f"/staff/events/{event.id}/publish", follow_redirects=False)
    assert r.status_code == 200 and 'data-testid="publish-confirm"' in r.text
    assert "ne pourra pas le réserver en ligne" in text_of(r.text)
    assert "<script" not in r.text.split('data-testid="publish-confirm"')[1]  # works without JavaScript
    assert (await Event.objects().where(Event.id == event.id).first()).status == "draft"

    r = post(
        client, f"/staff/events/{event.id}/publish", data={"confirm_no_tickets": "1"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert (await Event.objects().where(Event.id == event.id).first()).status == "published"

    # with a ticket type on sale, publishing asks nothing
    await services.unpublish_event(event.id)
    member = (await types_of(event.id))["Adhérent"]
    post(client, f"/staff/events/{event.id}/ticket-types/{member.id}/reopen")
    r = post(client, f"/staff/events/{event.id}/publish", follow_redirects=False)
    assert r.status_code == 303
    assert (await Event.objects().where(Event.id == event.id).first()).status == "published"


async def test_sales_page_shows_sold_held_capacity_revenue(client, stripe_fake):
    venue = await services.create_venue(name="Epicentre Factory", city="Clermont-Ferrand")
    event = await services.create_event(
        title="Les Clés : lever des fonds",
        kind="cles",
        venue_id=venue["id"],
        starts_at=datetime(2027, 6, 10, 9, 30),
        ends_at=datetime(2027, 6, 10, 12, 30),
        capacity=30,
        status="published",
    )
    await ensure_default_types(event["id"])
    types = await types_of(event["id"])
    public = types["Non-adhérent"]
    free = TicketType(event=event["id"], name="Étudiant", name_en="Student", price_cents=0, capacity=5)
    await free.save()
    assert (
        order(
            client,
            event["id"],
            [{"ticket_type": free.id, "quantity": 2}],
            attendees=[{"name": "Ana"}, {"name": "Bo"}],
        ).json()["status"]
        == "confirmed"
    )
    pending = order(client, event["id"], [{"ticket_type": public.id, "quantity": 1}]).json()
    assert pending["status"] == "pending_payment"

    assert client.get(f"/staff/events/{event['id']}/sales", follow_redirects=False).status_code in (
        303,
        401,
    )
    await staff_login(client)
    r = client.get(f"/staff/events/{event['id']}/sales")
    assert r.status_code == 200
    student = type_row(r.text, free.id)
    assert (
        student.startswith("Étudiant") and " 2 0 5 3 " in f" {student} "
    )  # sold, held unpaid, capacity, left
    row = type_row(r.text, public.id)
    assert "20,00" in row and " 0 1 " in f" {row} "  # nothing sold yet, one place held unpaid
    assert 'data-testid="sales-pending">1<' in r.text and 'data-testid="sales-confirmed">2<' in r.text
    text = text_of(r.text)
    assert "En attente de paiement" in text and "Confirmée" in text  # labels, not codes
    assert "pending_payment" not in text
    assert f'href="/staff/checkin/events/{event["id"]}"' in r.text
    assert f'href="/staff/tickets/?event={event["id"]}"' in r.text
    # the order times are Paris time, as on the orders page
    orders_page = client.get("/staff/tickets/", params={"event": event["id"]})
    assert "En attente de paiement" in text_of(orders_page.text)
    created = re.search(r'datetime="([^"]+)" data-testid="order-created">([^<]+)<', orders_page.text)
    local = datetime.fromisoformat(created.group(1)).astimezone(PARIS)
    assert unescape(created.group(2)) == local.strftime("%d/%m/%Y %H:%M")
    # the former URL leads here
    old = client.get(f"/staff/tickets/events/{event['id']}", follow_redirects=False)
    assert old.status_code == 303 and old.headers["location"] == f"/staff/events/{event['id']}/sales"


async def test_ticket_type_editor_saves_and_explains_errors(client, stripe_fake):
    event = await services.create_event(
        title="Les Clés : lever des fonds",
        kind="cles",
        starts_at=datetime(2027, 6, 10, 9, 30),
        ends_at=datetime(2027, 6, 10, 12, 30),
        status="published",
    )
    ttype = TicketType(event=event["id"], name="Non-adhérent", name_en="Non-member", price_cents=2000)
    await ttype.save()
    order(
        client,
        event["id"],
        [{"ticket_type": ttype.id, "quantity": 3}],
        attendees=[{"name": "A"}, {"name": "B"}, {"name": "C"}],
    )
    await staff_login(client)
    url = f"/staff/events/{event['id']}/ticket-types/{ttype.id}"
    page = client.get(url)
    assert page.status_code == 200 and 'value="20,00"' in page.text

    good = {
        "name": "Non-adhérent (tarif 2027)",
        "name_en": "Non-member (2027)",
        "price": "25,50",
        "capacity": "12",
        "max_per_order": "4",
        "sales_start": "2027-05-01T09:00",
        "sales_end": "2027-06-09T18:00",
        "status": "open",
    }
    bad = {**good, "name": "", "price": "vingt", "capacity": "2", "sales_end": "2027-04-01T09:00"}
    r = post(client, url, data=bad)
    assert r.status_code == 400
    assert field_error(r.text, "name") and field_error(r.text, "price")
    assert field_error(r.text, "sales_end")
    assert 'value="vingt"' in r.text  # what was typed stays
    unchanged = await TicketType.objects().where(TicketType.id == ttype.id).first()
    assert (unchanged.name, unchanged.price_cents, unchanged.capacity) == ("Non-adhérent", 2000, None)

    # the capacity cannot go below the 3 places held
    r = post(client, url, data={**good, "capacity": "2"})
    assert r.status_code == 400
    assert "3" in field_error(r.text, "capacity")

    r = post(client, url, data=good, follow_redirects=False)
    assert r.status_code == 303
    saved = await TicketType.objects().where(TicketType.id == ttype.id).first()
    assert (saved.name, saved.name_en, saved.price_cents, saved.capacity, saved.max_per_order) == (
        "Non-adhérent (tarif 2027)",
        "Non-member (2027)",
        2550,
        12,
        4,
    )
    assert saved.sales_start.astimezone(PARIS).hour == 9
    assert not saved.requires_membership and saved.active

    # closed: gone from the public ticket list, orders refused; the held tickets stay
    r = post(client, url, data={**good, "status": "closed"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/api/events/{event['id']}/ticket-types").json() == []
    refused = order(client, event["id"], [{"ticket_type": ttype.id, "quantity": 1}])
    assert refused.status_code == 422
    sales = client.get(f"/staff/events/{event['id']}/sales")
    assert "Fermé" in type_row(sales.text, ttype.id)
    post(client, f"{url}/reopen")
    assert (await TicketType.objects().where(TicketType.id == ttype.id).first()).active

    # a ticket type with tickets is not deleted; an unused one is
    r = post(client, f"{url}/delete")
    assert r.status_code == 400 and "fermez-le plutôt" in text_of(r.text)
    assert await TicketType.exists().where(TicketType.id == ttype.id)
    spare = TicketType(event=event["id"], name="Exposant", price_cents=0, staff_only=True)
    await spare.save()
    r = post(client, f"/staff/events/{event['id']}/ticket-types/{spare.id}/delete", follow_redirects=False)
    assert r.status_code == 303 and not await TicketType.exists().where(TicketType.id == spare.id)

    # a new type through the sales page's form: field errors there too
    add = f"/staff/events/{event['id']}/ticket-types"
    r = post(client, add, data={"name": "Étudiant", "price": "-3", "status": "open"})
    assert r.status_code == 400 and field_error(r.text, "price")
    r = post(client, add, data={"name": "Étudiant", "price": "5", "staff_only": "1"}, follow_redirects=False)
    assert r.status_code == 303
    student = (await types_of(event["id"]))["Étudiant"]
    assert (student.price_cents, student.staff_only) == (500, True)
