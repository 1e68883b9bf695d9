"""Each team's project: title, challenge, pitch, members (the team's), prototype and video links,
images (JPEG or PNG, at most 5 MB each, the bytes checked against the type as juries' stills are), what the
team needs to continue. A member of the team submits; the team edits it until the edition's deadline, and
after it every change is refused with a message naming the deadline."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from hackathon.common import get_edition
from hackathon.editions import submissions_open
from hackathon.tables import Challenge, HackParticipant, Submission, Team
from juries.common import now, row_or_404, text
from juries.submissions import STILL_MAX_BYTES, STILL_TYPES
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from lib.locking import lock
from lib.settings import get_settings

FIELDS = ("title", "challenge_id", "pitch", "prototype_url", "video_url", "needs")
MAX_IMAGES = 6


def images_dir() -> Path:
    path = get_settings().var_dir / "hackathon" / "images"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _url(errors: dict[str, str], data: dict[str, Any], field: str) -> str:
    value = text(errors, data, field, required=False, max_length=500)
    if value:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            errors[field] = _("Give a web address starting with https://.")
    return value


async def _deadline_check(team: Team) -> None:
    edition = await get_edition(team.edition)
    if not submissions_open(edition):
        raise ValidationFailed.one(
            "deadline", _("The submission deadline has passed: the project can no longer be changed.")
        )


async def _team_of(participant: HackParticipant) -> Team:
    if participant.status != "accepted" or participant.team is None:
        raise ValidationFailed.one("team", _("Join a team to submit its project."))
    return await row_or_404(Team, participant.team, _("This team does not exist."))


async def _clean(team: Team, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed.one("title", _("This field is required."))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "title": text(errors, data, "title", required=True, max_length=200),
        "pitch": text(errors, data, "pitch", required=True, max_length=3000),
        "needs": text(errors, data, "needs", required=False, max_length=2000),
        "prototype_url": _url(errors, data, "prototype_url"),
        "video_url": _url(errors, data, "video_url"),
    }
    raw = data.get("challenge_id")
    challenge = None
    if raw not in (None, ""):
        try:
            challenge = int(raw)
        except (TypeError, ValueError):
            challenge = 0
        if not await Challenge.exists().where(
            (Challenge.id == challenge) & (Challenge.edition == team.edition)
        ):
            errors["challenge_id"] = _("Choose one of this edition's challenges.")
    values["challenge"] = challenge
    if errors:
        raise ValidationFailed(errors)
    return values


async def save_submission(participant: HackParticipant, data: Any) -> Submission:
    """Create or update the team's submission (until the deadline)."""
    team = await _team_of(participant)
    await _deadline_check(team)
    values = await _clean(team, data)
    async with atomic():
        await lock("hackathon-team", team.id)
        current = await Submission.objects().where(Submission.team == team.id).first()
        if current is None:
            current = Submission(team=team.id, **values)
            await current.save()
        else:
            await Submission.update(
                {**{getattr(Submission, k): v for k, v in values.items()}, Submission.updated_at: now()}
            ).where(Submission.id == current.id)
        if values["challenge"] is not None:
            await Team.update({Team.challenge: values["challenge"]}).where(Team.id == team.id)
    return await get_submission(current.id)


async def add_image(participant: HackParticipant, content_type: str, content: bytes) -> Submission:
    team = await _team_of(participant)
    await _deadline_check(team)
    submission = await Submission.objects().where(Submission.team == team.id).first()
    if submission is None:
        raise ValidationFailed.one("image", _("Save the project before adding images."))
    kind = STILL_TYPES.get((content_type or "").split(";")[0].strip().lower())
    if kind is None:
        raise ValidationFailed.one("image", _("An image must be a JPEG or PNG file."))
    if len(content) > STILL_MAX_BYTES:
        raise ValidationFailed.one("image", _("An image must be at most 5 MB."))
    extension, magic = kind
    if not content.startswith(magic):
        raise ValidationFailed.one("image", _("This file is not the image its type says."))
    async with atomic():
        await lock("hackathon-team", team.id)
        current = await get_submission(submission.id)
        images = images_of(current)
        if len(images) >= MAX_IMAGES:
            raise ValidationFailed.one("image", _("At most %(n)s images.", n=MAX_IMAGES))
        name = f"{submission.id}-{secrets.token_hex(6)}.{extension}"
        target = images_dir() / name
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(content)
        tmp.replace(target)
        images.append({"name": name, "type": content_type.split(";")[0].strip().lower()})
        await Submission.update({Submission.images: json.dumps(images), Submission.updated_at: now()}).where(
            Submission.id == submission.id
        )
    return await get_submission(submission.id)


def images_of(submission: Submission) -> list[dict[str, str]]:
    try:
        value = json.loads(submission.images or "[]")
    except ValueError:
        return []
    return [i for i in value if isinstance(i, dict) and "name" in i] if isinstance(value, list) else []


def image_bytes(submission: Submission, name: str) -> tuple[bytes, str]:
    for image in images_of(submission):
        if image["name"] == name:
            path = images_dir() / name
            if path.exists():
                return path.read_bytes(), image.get("type", "image/jpeg")
    raise NotFound(_("This image does not exist."))


async def get_submission(submission_id: Any) -> Submission:
    return await row_or_404(Submission, submission_id, _("This submission does not exist."))


async def submission_of_team(team_id: int) -> Submission | None:
    return await Submission.objects().where(Submission.team == team_id).first()


async def submissions_of(edition_id: int) -> list[Submission]:
    teams = await Team.select(Team.id).where(Team.edition == edition_id)
    if not teams:
        return []
    return (
        await Submission.objects()
        .where(Submission.team.is_in([t["id"] for t in teams]))
        .order_by(Submission.id)
    )


async def members_named(team_id: int) -> list[str]:
    rows = (
        await HackParticipant.select(HackParticipant.name)
        .where((HackParticipant.team == team_id) & (HackParticipant.status == "accepted"))
        .order_by(HackParticipant.id)
    )
    return [r["name"] for r in rows]


async def submission_json(s: Submission) -> dict[str, Any]:
    return {
        "id": s.id,
        "team_id": s.team,
        "title": s.title,
        "challenge_id": s.challenge,
        "pitch": s.pitch,
        "members": await members_named(s.team),
        "prototype_url": s.prototype_url,
        "video_url": s.video_url,
        "needs": s.needs,
        "images": [i["name"] for i in images_of(s)],
        "entry_id": s.entry,
        "project_id": s.project_id,
        "updated_at": s.updated_at.isoformat() if s.updated_at else None,
    }


def refuse_if_withdrawn(participant: HackParticipant) -> None:
    if participant.status == "withdrawn":
        raise Conflict(_("This registration is withdrawn."))
