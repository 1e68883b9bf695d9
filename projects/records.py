"""Creating and reading projects: title, description, carriers, lead contact, origin, convention date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lib.db import write_transaction
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _
from lib.locking import LockTimeout
from lib.tokens import normalize_email
from members.register import email_error, today
from projects import capacity, carriers
from projects.tables import ORIGINS, Project, ProjectCarrier


@dataclass(frozen=True)
class CreatedProject:
    project: Project
    queued_message: str | None  # why the project waits in the queue, if it does


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    return date.fromisoformat(value.strip())


def _clean(data: Any) -> tuple[dict[str, Any], list[carriers.Carrier]]:
    if not isinstance(data, dict):
        raise ValidationFailed.one("title", _("Give the project's title."))
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {
        "title": _text(data, "title"),
        "description": _text(data, "description"),
        "lead_name": _text(data, "lead_name"),
        "lead_email": normalize_email(_text(data, "lead_email")),
        "origin": _text(data, "origin") or "staff",
        "hackathon_edition": _text(data, "hackathon_edition"),
        "hackathon_team": _text(data, "hackathon_team"),
    }
    if not clean["title"]:
        errors["title"] = _("Give the project's title.")
    elif len(clean["title"]) > 200:
        errors["title"] = _("At most %(n)s characters.", n=200)
    for name in ("lead_name", "hackathon_edition", "hackathon_team"):
        if len(clean[name]) > 200:
            errors[name] = _("At most %(n)s characters.", n=200)
    if not clean["lead_name"]:
        errors["lead_name"] = _("Give the lead contact's name.")
    message = email_error(clean["lead_email"], required=True)
    if message:
        errors["lead_email"] = message
    if clean["origin"] not in ORIGINS:
        errors["origin"] = _("The origin is staff or a hackathon.")
    elif clean["origin"] == "hackathon" and not clean["hackathon_edition"]:
        errors["hackathon_edition"] = _("Give the hackathon edition the project comes from.")
    try:
        clean["convention_on"] = parse_date(data.get("convention_on"))
    except (TypeError, ValueError):
        errors["convention_on"] = _("A date as YYYY-MM-DD.")
    found, message = carriers.parse_carriers(data.get("carriers"))
    if message:
        errors["carriers"] = message
    if errors:
        raise ValidationFailed(errors)
    return clean, found


async def create_project(data: Any) -> CreatedProject:
    """Check everything, then write the project and its carriers; with "accompany" (the default) it takes
    a free place at once, or waits in the queue when "queue_if_full" is set (otherwise a Conflict)."""
    clean, found = _clean(data)
    message = await carriers.carriers_error(found, today())  # standing when staff accept it
    if message:
        raise ValidationFailed.one("carriers", message)
    accompany = data.get("accompany", True) is not False
    queue_if_full = data.get("queue_if_full") is True
    queued_message = None
    async with write_transaction():
        project = Project(**{k: v for k, v in clean.items() if k != "convention_on"}, status="queued")
        project.convention_on = clean["convention_on"]
        await project.save()
        for carrier in found:
            await ProjectCarrier(
                project=project.id, organisation=carrier.organisation_id, share_bp=carrier.share_bp
            ).save()
        if accompany:
            active = await _place_or_queue(project.id, clean["convention_on"], queue_if_full)
            if active is not None:
                queued_message = capacity.full_message(active)
    return CreatedProject(await get_project(project.id), queued_message)


async def _place_or_queue(project_id: int, convention_on: date | None, queue_if_full: bool) -> int | None:
    """None when the project took a place; the active count when it stays queued."""
    try:
        await capacity.take_place(project_id, convention_on)
    except LockTimeout:  # the transaction is aborted on PostgreSQL: nothing to queue
        raise
    except Conflict:
        if not queue_if_full:
            raise
        return await capacity.active_count()
    return None


async def get_project(project_id: int) -> Project:
    project = await Project.objects().where(Project.id == project_id).first()
    if project is None:
        raise NotFound(_("This project does not exist."))
    return project


async def list_projects() -> list[Project]:
    return await Project.objects().order_by(Project.id)


async def carriers_of(project_id: int) -> list[ProjectCarrier]:
    return (
        await ProjectCarrier.objects().where(ProjectCarrier.project == project_id).order_by(ProjectCarrier.id)
    )


async def project_json(project: Project) -> dict[str, Any]:
    rows = await carriers_of(project.id)
    return {
        "id": project.id,
        "title": project.title,
        "description": project.description,
        "lead_name": project.lead_name,
        "lead_email": project.lead_email,
        "origin": project.origin,
        "hackathon_edition": project.hackathon_edition,
        "hackathon_team": project.hackathon_team,
        "status": project.status,
        "convention_on": project.convention_on.isoformat() if project.convention_on else None,
        "ends_on": project.ends_on.isoformat() if project.ends_on else None,
        "due_to_close": capacity.is_due_to_close(project),
        "carriers": [{"organisation": r.organisation, "share_bp": r.share_bp} for r in rows],
    }
