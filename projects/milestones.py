"""Milestones of an accompanied project: a title and a due date; staff mark them done, and the project's lead
contact gets one reminder email PROJECT_MILESTONE_REMINDER_DAYS before the date (or at once when added late)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from lib.clock import local_today
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, get_locale, set_locale
from lib.jobs import atomic
from lib.mail import queue_email
from lib.settings import get_settings
from projects.records import get_project, parse_date
from projects.tables import Milestone, Project


@dataclass(frozen=True)
class MilestoneView:
    id: int
    title: str
    due_on: date
    done_on: date | None
    reminded_on: date | None
    overdue: bool


def _view(row: Milestone, today: date) -> MilestoneView:
    return MilestoneView(
        id=row.id,
        title=row.title,
        due_on=row.due_on,
        done_on=row.done_on,
        reminded_on=row.reminded_on,
        overdue=row.done_on is None and row.due_on < today,
    )


async def add_milestone(project_id: int, data: dict[str, Any]) -> MilestoneView:
    await get_project(project_id)
    errors: dict[str, str] = {}
    title = data.get("title").strip() if isinstance(data.get("title"), str) else ""
    if not title:
        errors["title"] = _("Give the milestone a title.")
    elif len(title) > 200:
        errors["title"] = _("At most 200 characters.")
    try:
        due_on = parse_date(data.get("due_on"))
    except ValueError:
        due_on = None
    if due_on is None:
        errors["due_on"] = _("Give the due date (YYYY-MM-DD).")
    if errors:
        raise ValidationFailed(errors)
    assert due_on is not None
    row = Milestone(project=project_id, title=title, due_on=due_on)
    await row.save()
    return _view(row, local_today())


async def mark_done(project_id: int, milestone_id: int, on: date | None = None) -> None:
    done = (
        await Milestone.update({Milestone.done_on: on or local_today()})
        .where(
            (Milestone.id == milestone_id) & (Milestone.project == project_id) & Milestone.done_on.is_null()
        )
        .returning(Milestone.id)
    )
    if not done:
        raise NotFound(_("This milestone does not exist or is already done."))


async def milestones_of(project_id: int, today: date | None = None) -> list[MilestoneView]:
    rows = await Milestone.objects().where(Milestone.project == project_id).order_by(Milestone.due_on)
    return [_view(r, today or local_today()) for r in rows]


async def send_reminders(today: date | None = None) -> int:
    """One email per milestone still open, due within the reminder delay, of a project not closed with a
    lead contact. The reminder is claimed by one conditional UPDATE in the email's transaction, so two
    workers (or a retried job) never send it twice."""
    today = today or local_today()
    horizon = today + timedelta(days=get_settings().project_milestone_reminder_days)
    due = await Milestone.objects(Milestone.project).where(
        Milestone.done_on.is_null()
        & Milestone.reminded_on.is_null()
        & (Milestone.due_on <= horizon)
        & (Milestone.project.status != "closed")
        & (Milestone.project.lead_email != "")
    )
    sent = 0
    for milestone in due:
        project: Project = milestone.project
        async with atomic():
            claimed = (
                await Milestone.update({Milestone.reminded_on: today})
                .where((Milestone.id == milestone.id) & Milestone.reminded_on.is_null())
                .returning(Milestone.id)
            )
            if not claimed:
                continue
            previous = get_locale()
            set_locale("fr")  # the cluster writes to its members in French
            try:
                when = milestone.due_on.strftime("%d/%m/%Y")
                subject = _("Milestone due on %(date)s: %(title)s", date=when, title=milestone.title)
                text = _(
                    'Hello %(name)s,\n\nThe project "%(project)s" accompanied by LE DAMIER has a milestone '
                    "due on %(date)s: %(title)s.\n\nTell the team when it is reached, or if the date must move.\n",
                    name=project.lead_name or project.lead_email,
                    project=project.title,
                    date=when,
                    title=milestone.title,
                )
            finally:
                set_locale(previous)
            await queue_email(project.lead_email, subject, text, dedup_key=f"milestone-{milestone.id}")
            sent += 1
    return sent
