"""Job handlers and housekeeping of the ticketing app (imported by every process that runs jobs)."""

from lib.jobs import periodic
from ticketing.notifications import order_email_job, waiting_offer_job
from ticketing.orders import expire_due

__all__ = ["order_email_job", "waiting_offer_job", "release_expired_reservations"]


@periodic
async def release_expired_reservations() -> None:
    """Unpaid reservations past their hold give their places back even when nobody visits the event."""
    await expire_due()
