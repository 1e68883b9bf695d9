"""Job handlers and housekeeping of the ticketing app (imported by every process that runs jobs)."""

import time

from lib.jobs import periodic
from ticketing import document_cleanup
from ticketing.notifications import order_email_job, waiting_offer_job
from ticketing.orders import expire_due

__all__ = [
    "order_email_job",
    "waiting_offer_job",
    "release_expired_reservations",
    "remove_unneeded_ticket_pdfs",
]


@periodic
async def release_expired_reservations() -> None:
    """Unpaid reservations past their hold give their places back even when nobody visits the event."""
    await expire_due()


_CLEANUP_EVERY = 3600.0
_last_cleanup = 0.0


@periodic
async def remove_unneeded_ticket_pdfs() -> None:
    """Stored ticket PDFs of cancelled tickets, replaced renderings and long-past events, once an hour."""
    global _last_cleanup
    now = time.monotonic()
    if _last_cleanup and now - _last_cleanup < _CLEANUP_EVERY:
        return
    _last_cleanup = now
    await document_cleanup.remove_unneeded_ticket_pdfs()
