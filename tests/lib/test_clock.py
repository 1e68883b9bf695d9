"""The cluster's calendar day: a stored UTC timestamp late in the evening is the next day in Paris, and
documents print that day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dues import calls
from dues.tables import DuesCall
from lib.clock import local_date, local_today
from members.tables import Organisation
from tests.ticketing.helpers import pdf_text


def test_a_late_evening_timestamp_is_the_next_day_in_paris():
    assert local_date(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == date(2026, 12, 2)
    assert local_date(datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == date(2026, 7, 1)  # summer time: +2 h
    assert local_date(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)
    assert local_date(datetime(2026, 12, 1, 23, 30)) == date(2026, 12, 2)  # naive (SQLite): UTC
    assert local_today() == local_date(datetime.now(UTC))


async def test_an_invoice_paid_at_half_past_eleven_utc_says_the_paris_day():
    org = Organisation(name="Label Nuit", email_domain="nuit.example", revenue_band="20k-60k", college=1)
    await org.save()
    await calls.call_year(local_today().year)
    call = (await calls.calls_of_organisation(org.id))[0]
    await calls.mark_paid(call.id, "transfer")
    await DuesCall.update({DuesCall.paid_at: datetime(2026, 12, 1, 23, 30, tzinfo=UTC)}).where(
        DuesCall.id == call.id
    )
    _number, pdf = await calls.invoice_pdf(call.id)
    assert "Payée le 02/12/2026" in pdf_text(pdf)
