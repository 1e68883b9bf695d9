"""Job handlers of the ticketing app (imported by every process that runs jobs)."""

from ticketing.notifications import order_email_job, waiting_offer_job

__all__ = ["order_email_job", "waiting_offer_job"]
