"""At most PROJECTS_MAX_ACTIVE projects accompanied at once, each for at most PROJECTS_MAX_YEARS from its
convention. A project that finds no free place waits in the queue; one past its years is due to close.

The count-then-activate rule runs under the named lock "projects:capacity" inside a write transaction,
so two staff accepting the 4th and 5th project at the same moment cannot both pass the check.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from lib.db import write_transaction
from lib.errors import Conflict, NotFound
from lib.i18n import _
from lib.locking import lock
from lib.settings import get_settings
from members.register import today
from projects.tables import Project

CAPACITY_LOCK = ("projects", "capacity")


def end_of_accompaniment(convention_on: date) -> date:
    years = get_settings().projects_max_years
    try:
        return convention_on.replace(year=convention_on.year + years)
    except ValueError:  # 29 February → 28 February
        return convention_on.replace(year=convention_on.year + years, day=28)


def is_due_to_close(project: Project, on: date | None = None) -> bool:
    if project.status != "active" or project.convention_on is None:
        return False
    return end_of_accompaniment(project.convention_on) <= (on or today())


def full_message(active: int) -> str:
    return _(
        "The cluster already accompanies %(count)s projects, the most at once (%(max)s): "
        "this one waits in the queue until one closes.",
        count=active,
        max=get_settings().projects_max_active,
    )


async def active_count() -> int:
    return await Project.count().where(Project.status == "active")


async def take_place(project_id: int, convention_on: date | None) -> None:
    """Inside a write transaction: make the project active, or raise Conflict when all places are taken."""
    await lock(*CAPACITY_LOCK)
    active = await active_count()
    if active >= get_settings().projects_max_active:
        raise Conflict(full_message(active))
    values = {Project.status: "active", Project.activated_at: datetime.now(UTC)}
    if convention_on is not None:
        values[Project.convention_on] = convention_on
        values[Project.ends_on] = end_of_accompaniment(convention_on)
    await Project.update(values).where(Project.id == project_id)


async def activate(project_id: int, convention_on: date | None = None) -> Project:
    """A queued project gets a free place (or a Conflict saying the cluster is full)."""
    async with write_transaction():
        project = await Project.objects().where(Project.id == project_id).first()
        if project is None:
            raise NotFound(_("This project does not exist."))
        if project.status != "queued":
            raise Conflict(_("Only a project waiting in the queue can be accepted."))
        await take_place(project_id, convention_on or project.convention_on)
    return await Project.objects().where(Project.id == project_id).first()  # type: ignore[return-value]


async def close(project_id: int) -> Project:
    async with write_transaction():
        project = await Project.objects().where(Project.id == project_id).first()
        if project is None:
            raise NotFound(_("This project does not exist."))
        if project.status == "closed":
            raise Conflict(_("This project is already closed."))
        await Project.update({Project.status: "closed", Project.closed_at: datetime.now(UTC)}).where(
            Project.id == project_id
        )
    return await Project.objects().where(Project.id == project_id).first()  # type: ignore[return-value]


async def close_due(on: date | None = None) -> list[int]:
    """Close every active project past its years (the periodic housekeeping); returns their ids."""
    closed = []
    for project in await Project.objects().where(Project.status == "active"):
        if is_due_to_close(project, on):
            await close(project.id)
            closed.append(project.id)
    return closed
