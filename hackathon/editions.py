"""An edition's settings: the event it runs as, theme, capacity, team size limits, submission deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from events.tables import Event
from hackathon.common import get_edition, local_times
from hackathon.tables import Edition
from juries.common import flag, now, text, when, whole
from lib.db import write_transaction
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _

SETTINGS = (
    "theme",
    "theme_en",
    "capacity",
    "registration_open",
    "min_team_size",
    "max_team_size",
    "min_roles",
    "submission_deadline",
    "pitch_minutes",
    "pitch_gap_minutes",
    "pitch_starts_at",
)


@dataclass(frozen=True)
class TeamLimits:
    min_size: int
    max_size: int
    min_roles: int


def limits(edition: Edition) -> TeamLimits:
    return TeamLimits(edition.min_team_size, edition.max_team_size, edition.min_roles)


def clean_settings(data: Any, current: Edition | None) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed.one("theme", _("Enter text."))
    unknown = set(data) - set(SETTINGS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, length in (("theme", 300), ("theme_en", 300)):
        if name in data:
            values[name] = text(errors, data, name, required=False, max_length=length)
    for name, low, high in (
        ("capacity", 1, 2000),
        ("min_team_size", 2, 20),
        ("max_team_size", 2, 20),
        ("min_roles", 1, 6),
        ("pitch_minutes", 1, 60),
        ("pitch_gap_minutes", 0, 60),
    ):
        if name in data:
            value = whole(errors, data, name, required=True, low=low, high=high)
            if value is not None:
                values[name] = value
    if "registration_open" in data:
        values["registration_open"] = flag(errors, data, "registration_open")
    for name in ("submission_deadline", "pitch_starts_at"):
        if name in data:
            values[name] = when(errors, local_times(data, name), name, required=False)
    low = values.get("min_team_size", current.min_team_size if current else 4)
    high = values.get("max_team_size", current.max_team_size if current else 6)
    if "max_team_size" not in errors and "min_team_size" not in errors and high < low:
        errors["max_team_size"] = _("The largest team size must be at least the smallest.")
    if current is not None and values.get("capacity", current.capacity) < current.accepted:
        errors["capacity"] = _("At least %(n)s: %(n)s participants are already accepted.", n=current.accepted)
    if errors:
        raise ValidationFailed(errors)
    return values


async def create_edition(event_id: Any, data: Any) -> Edition:
    event = await Event.objects().where(Event.id == event_id).first() if isinstance(event_id, int) else None
    if event is None:
        raise NotFound(_("This event does not exist."))
    values = clean_settings(data or {}, None)
    async with write_transaction():
        if await Edition.exists().where(Edition.event == event.id):
            raise Conflict(_("This event already has a hackathon edition."))
        edition = Edition(event=event.id, **values)
        if edition.submission_deadline is None:
            edition.submission_deadline = event.ends_at
        await edition.save()
    return edition


async def update_edition(edition_id: Any, data: Any) -> Edition:
    edition = await get_edition(edition_id)
    values = clean_settings(data, edition)
    if values:
        async with write_transaction():
            query = Edition.update({getattr(Edition, k): v for k, v in values.items()}).where(
                Edition.id == edition.id
            )
            if "capacity" in values:  # never below the places taken meanwhile
                query = query.where(Edition.accepted <= values["capacity"])
            if not await query.returning(Edition.id):
                raise ValidationFailed.one("capacity", _("Fewer than the participants already accepted."))
    return await get_edition(edition.id)


def submissions_open(edition: Edition, at: datetime | None = None) -> bool:
    return edition.submission_deadline is None or (at or now()) <= edition.submission_deadline


async def list_editions() -> list[Edition]:
    return await Edition.objects().order_by(Edition.id)


def edition_json(edition: Edition) -> dict[str, Any]:
    return {
        "id": edition.id,
        "event_id": edition.event,
        "theme": edition.theme,
        "theme_en": edition.theme_en,
        "capacity": edition.capacity,
        "accepted": edition.accepted,
        "registration_open": edition.registration_open,
        "min_team_size": edition.min_team_size,
        "max_team_size": edition.max_team_size,
        "min_roles": edition.min_roles,
        "submission_deadline": edition.submission_deadline.isoformat()
        if edition.submission_deadline
        else None,
        "jury_call_id": edition.jury_call,
        "results_published": edition.results_published,
    }
