"""Housekeeping of the projects app (imported by every process that runs jobs)."""

from lib.jobs import periodic
from projects.capacity import close_due

__all__ = ["close_projects_past_their_years"]


@periodic
async def close_projects_past_their_years() -> None:
    """A project accompanied for its 2 years (PROJECTS_MAX_YEARS) closes and frees its place."""
    await close_due()
