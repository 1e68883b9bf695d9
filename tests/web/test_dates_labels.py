"""One date/time formatting (Paris time, minutes, no zone name) and one label table for every status,
checked directly and on the pages, PDFs and emails people read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lib import i18n
from lib.templating import fmt_date, fmt_datetime, fmt_range, fmt_time
from scheduling.tables import PROGRAMME_STATUSES
from tests.backoffice.helpers import text_of
from tests.ticketing.factories import make_event, make_type
from tests.ticketing.helpers import attachment, order, pdf_text, staff_login
from ticketing.tables import ORDER_STATUSES, TICKET_STATUSES
from web import labels

WINTER = datetime(2027, 1, 20, 8, 30, tzinfo=UTC)  # 09:30 in Paris
SUMMER = datetime(2027, 7, 14, 8, 5, tzinfo=UTC)  # 10:05 in Paris


@pytest.fixture
def french():
    token = i18n.current_locale.set("fr")
    yield
    i18n.current_locale.reset(token)


@pytest.fixture
def english():
    token = i18n.current_locale.set("en")
    yield
    i18n.current_locale.reset(token)


def test_datetimes_are_paris_time_without_seconds_or_zone_name(french):
    assert fmt_datetime(WINTER, "full") == "mercredi 20 janvier 2027, 09:30"
    assert fmt_datetime(SUMMER, "full") == "mercredi 14 juillet 2027, 10:05"
    assert fmt_datetime(WINTER, "short") == "20/01/2027 09:30"
    assert fmt_datetime(WINTER) == "20 janv. 2027, 09:30"
    assert fmt_time(SUMMER) == "10:05" and fmt_date(SUMMER, "short") == "14/07/2027"
    # the ISO strings of JSON rows and naive UTC values of raw SQLite rows read the same
    assert fmt_datetime(SUMMER.isoformat(), "short") == "14/07/2027 10:05"
    assert fmt_datetime(SUMMER.replace(tzinfo=None), "short") == "14/07/2027 10:05"
    assert fmt_range(WINTER, WINTER.replace(hour=11)) == "mercredi 20 janvier 2027, 09:30 – 12:30"
    assert fmt_range(WINTER, SUMMER, "short") == "20/01/2027 09:30 – 14/07/2027 10:05"
    for fmt in ("full", "long", "medium", "short"):
        text = fmt_datetime(WINTER, fmt)
        assert "09:30:00" not in text and "heure" not in text and "+01" not in text, text


def test_english_datetimes(english):
    assert fmt_datetime(WINTER, "full").replace("\u202f", " ") == "Wednesday, January 20, 2027, 9:30 AM"
    assert "Central European" not in fmt_datetime(WINTER, "long")


def test_every_status_has_a_translated_label(french):
    for status in ORDER_STATUSES:
        assert labels.order_status_label(status) != status, status
    for status in TICKET_STATUSES:
        assert labels.ticket_status_label(status) != status, status
    for status in PROGRAMME_STATUSES:
        assert labels.programme_status_label(status) != status, status
    # an order is feminine in French, an event masculine: one English word, two French ones
    assert labels.order_status_label("cancelled") == "Annulée"
    assert labels.status_label("cancelled") == "Annulé"
    assert labels.order_status_label("pending_payment") == "En attente de paiement"


async def test_staff_orders_page_and_attendee_pages_show_labels_and_paris_times(client, mailbox):
    event = await make_event(capacity=20, days=40)
    free = await make_type(event, "Entrée libre", 0)
    r = order(client, event.id, [{"ticket_type": free.id, "quantity": 1}])
    assert r.status_code == 201, r.text
    token = r.json()["token"]

    page = client.get(f"/orders/{token}")
    text = text_of(page.text)
    assert "Confirmée" in text and "heure normale" not in text
    assert ":00:00" not in text

    mail = mailbox.wait_for("alice@example.org")[0]
    body = mail.get_body(("plain",)).get_content()
    assert "heure normale" not in body and fmt_time(event.starts_at) in body
    assert "heure normale" not in pdf_text(attachment(mail, "tickets.pdf"))

    await staff_login(client)
    staff_page = client.get("/staff/tickets/", params={"event": event.id})
    text = text_of(staff_page.text)
    assert "Confirmée" in text and "confirmed" not in text
    assert "En attente de paiement" in text  # the status filter speaks words too
