"""Housekeeping of the projects app (imported by every process that runs jobs)."""

from lib.jobs import periodic
from projects.capacity import close_due
from projects.milestones import send_reminders

__all__ = ["close_projects_past_their_years", "remind_milestones"]


@periodic
async def close_projects_past_their_years() -> None:
    """A project accompanied for its 2 years (PROJECTS_MAX_YEARS) closes and frees its place."""
    await close_due()


@periodic
async def remind_milestones() -> None:
    """The lead contact of a project hears of a milestone PROJECT_MILESTONE_REMINDER_DAYS before it (once)."""
    await send_reminders()
