""" "Accompany": staff turn a project the jury selected into an accompanied project in one step
(projects.records.create_project), carried by the team's organisations (staff add what is missing), the
origin being the edition and the team; the convention date is set later on the project's page."""

from __future__ import annotations

from typing import Any

from hackathon.common import event_of, get_edition
from hackathon.judging import selected_submissions
from hackathon.submissions import get_submission
from hackathon.tables import HackParticipant, Submission, Team
from lib.errors import Conflict, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from lib.locking import lock
from projects.records import CreatedProject, create_project


async def team_organisations(team_id: int) -> list[int]:
    rows = (
        await HackParticipant.select(HackParticipant.organisation)
        .where((HackParticipant.team == team_id) & (HackParticipant.status == "accepted"))
        .order_by(HackParticipant.id)
    )
    return list(dict.fromkeys(r["organisation"] for r in rows if r["organisation"] is not None))


def _ids(raw: Any) -> list[int]:
    if raw in (None, "", []):
        return []
    items = raw.replace(" ", "").split(",") if isinstance(raw, str) else raw
    try:
        return [int(x) for x in items if str(x)]
    except (TypeError, ValueError):
        raise ValidationFailed.one(
            "extra_carriers", _("Give organisations of the member register.")
        ) from None


async def accompany(submission_id: Any, data: Any = None) -> CreatedProject:
    data = data if isinstance(data, dict) else {}
    submission = await get_submission(submission_id)
    if submission.project_id is not None:
        raise Conflict(_("This project is already accompanied."))
    team = await Team.objects().where(Team.id == submission.team).first()
    assert team is not None
    edition = await get_edition(team.edition)
    if submission.id not in {s.id for s in await selected_submissions(edition.id)}:
        raise ValidationFailed.one("submission", _("Only a project the jury selected can be accompanied."))
    event = await event_of(edition)
    carriers = list(dict.fromkeys([*await team_organisations(team.id), *_ids(data.get("extra_carriers"))]))
    lead = (
        await HackParticipant.objects()
        .where((HackParticipant.team == team.id) & (HackParticipant.status == "accepted"))
        .order_by(HackParticipant.id)
        .first()
    )
    async with atomic():  # one project per submission, whoever presses at the same moment
        await lock("hackathon-accompany", submission.id)
        if (await get_submission(submission.id)).project_id is not None:
            raise Conflict(_("This project is already accompanied."))
        created = await create_project(
            {
                "title": submission.title,
                "description": submission.pitch
                + (
                    f"\n\n{_('What the team needs to continue:')} {submission.needs}"
                    if submission.needs
                    else ""
                ),
                "lead_name": data.get("lead_name") or (lead.name if lead else ""),
                "lead_email": data.get("lead_email") or (lead.email if lead else ""),
                "origin": "hackathon",
                "hackathon_edition": event.title,
                "hackathon_team": team.name,
                "carriers": [{"organisation": o} for o in carriers],
                "queue_if_full": data.get("queue_if_full") in (True, "1", "on", "true"),
            }
        )
        await Submission.update({Submission.project_id: created.project.id}).where(
            Submission.id == submission.id
        )
    return created
