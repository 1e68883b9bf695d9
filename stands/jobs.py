"""Job handlers and housekeeping of the stands app (imported by every process that runs jobs)."""

from lib.jobs import periodic
from stands.billing import document_email_job
from stands.booking import expire_due

__all__ = ["document_email_job", "release_expired_holds"]


@periodic
async def release_expired_holds() -> None:
    """Unanswered stand requests past their hold free their stand even when nobody visits the plan."""
    await expire_due()
