"""The ticket says when and where: the PDF and the emailed .ics carry the venue, its address and the end
time (Paris time, no seconds, no zone name); the order page links to the event's .ics. Read back with
pypdf and icalendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from events import services
from tests.ticketing.helpers import attachment, order, pdf_text
from ticketing.tables import TicketType

PARIS = ZoneInfo("Europe/Paris")


async def workshop_at_the_semaphore() -> tuple[dict, TicketType]:
    venue = await services.create_venue(
        name="Le Sémaphore", address="Rue des Alouettes", postal_code="63118", city="Cébazat"
    )
    event = await services.create_event(
        title="Les Clés pour réussir : lever des fonds",
        title_en="Keys to success: raising funds",
        kind="cles",
        venue_id=venue["id"],
        starts_at=datetime(2027, 3, 25, 9, 0),
        ends_at=datetime(2027, 3, 25, 12, 30),
        status="published",
    )
    free = TicketType(event=event["id"], name="Entrée libre", name_en="Free entry", price_cents=0)
    await free.save()
    return event, free


def vevent_of(data: bytes | str):
    cal = Calendar.from_ical(data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    return events[0]


def assert_when_where_ics(vevent, event: dict) -> None:
    assert vevent.decoded("dtstart") == datetime(2027, 3, 25, 9, 0, tzinfo=PARIS)
    assert vevent.decoded("dtend") == datetime(2027, 3, 25, 12, 30, tzinfo=PARIS)
    assert str(vevent.get("dtstart").params.get("TZID")) == "Europe/Paris"
    location = str(vevent.get("location"))
    assert "Le Sémaphore" in location and "Rue des Alouettes" in location and "63118 Cébazat" in location
    assert str(vevent.get("uid")) == f"{event['uid']}@ledamier.fr"  # the public feed's UID


async def test_ticket_pdf_and_email_ics_say_when_and_where(client, mailbox):
    event, free = await workshop_at_the_semaphore()
    r = order(
        client,
        event["id"],
        [{"ticket_type": free.id, "quantity": 1}],
        buyer={"name": "Chloé Martin", "email": "chloe@example.org", "organisation": "Studio A"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "confirmed"

    msg = mailbox.wait_for("chloe@example.org")[0]
    text = pdf_text(attachment(msg, "tickets.pdf"))
    assert "jeudi 25 mars 2027, 09:00 – 12:30" in text  # start and end, Paris time
    assert "Le Sémaphore" in text and "Rue des Alouettes, 63118 Cébazat" in text
    assert "heure normale" not in text and "09:00:00" not in text
    assert_when_where_ics(vevent_of(attachment(msg, "event.ics")), event)
    mail_text = msg.get_body(("plain",)).get_content()
    assert "jeudi 25 mars 2027, 09:00 – 12:30" in mail_text
    assert "Le Sémaphore, Rue des Alouettes, 63118 Cébazat" in mail_text

    # the same PDF from the order page, and the order page's own .ics link
    pdf = client.get(f"/api/orders/{body['token']}/tickets.pdf")
    assert "Rue des Alouettes, 63118 Cébazat" in pdf_text(pdf.content)
    page = client.get(f"/orders/{body['token']}")
    assert page.status_code == 200
    assert f'href="/api/orders/{body["token"]}/event.ics"' in page.text
    assert "Le Sémaphore" in page.text and "09:00 – 12:30" in page.text
    ics = client.get(f"/api/orders/{body['token']}/event.ics")
    assert ics.status_code == 200 and ics.headers["content-type"] == "text/calendar; charset=utf-8"
    assert_when_where_ics(vevent_of(ics.content), event)
    assert str(vevent_of(ics.content).get("summary")) == "Les Clés pour réussir : lever des fonds"


async def test_english_ticket_and_event_without_venue(client, mailbox):
    event, free = await workshop_at_the_semaphore()
    r = order(
        client,
        event["id"],
        [{"ticket_type": free.id, "quantity": 1}],
        buyer={"name": "Ann Guest", "email": "ann@example.org"},
        locale="en",
    )
    msg = mailbox.wait_for("ann@example.org")[0]
    text = pdf_text(attachment(msg, "tickets.pdf")).replace("\u202f", " ")
    assert "Thursday, March 25, 2027, 9:00 AM – 12:30 PM" in text
    assert "Central European" not in text

    bare = await services.create_event(
        title="Apéro-projet",
        kind="apero_projet",
        starts_at=datetime(2027, 9, 10, 18, 0),
        ends_at=datetime(2027, 9, 11, 1, 0),
        status="published",
    )
    free2 = TicketType(event=bare["id"], name="Entrée libre", price_cents=0)
    await free2.save()
    r = order(client, bare["id"], [{"ticket_type": free2.id, "quantity": 1}])
    assert r.status_code == 201, r.text
    pdf = pdf_text(client.get(f"/api/orders/{r.json()['token']}/tickets.pdf").content)
    # across midnight: both dates
    assert "vendredi 10 septembre 2027, 18:00 – samedi 11 septembre 2027, 01:00" in pdf
    vevent = vevent_of(client.get(f"/api/orders/{r.json()['token']}/event.ics").content)
    assert vevent.get("location") is None
