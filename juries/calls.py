"""Calls: an edition's window (opens, deadline), who may submit, entries per organisation, the runtime
and year rules, and which fields jurors may not see (blind judging, field by field)."""

from __future__ import annotations

from typing import Any

from events.services import slugify
from events.tables import Event
from juries.common import dumps, loads, row_or_404, text, when, whole
from juries.tables import ELIGIBILITY, Call
from lib.db import write_transaction
from lib.errors import ValidationFailed
from lib.i18n import _

# the entry fields a call may hide from jurors (the title, genre, runtime and the film itself stay)
HIDEABLE_FIELDS = ("directors", "producer", "coproducers", "original_title", "year", "language")
CALL_FIELDS = (
    "title",
    "title_en",
    "edition_year",
    "event_id",
    "opens_at",
    "deadline",
    "eligibility",
    "max_entries_per_organisation",
    "max_runtime_seconds",
    "min_year",
    "hidden_fields",
    "jurors_per_entry",
)


def hidden_fields(call: Call) -> list[str]:
    return [f for f in loads(call.hidden_fields, []) if f in HIDEABLE_FIELDS]


async def clean_call(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(CALL_FIELDS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "title": text(errors, data, "title", required=True, max_length=200),
        "title_en": text(errors, data, "title_en", required=False, max_length=200),
        "edition_year": whole(errors, data, "edition_year", required=True, low=2000, high=2100),
        "opens_at": when(errors, data, "opens_at", required=True),
        "deadline": when(errors, data, "deadline", required=True),
        "max_entries_per_organisation": whole(
            errors, data, "max_entries_per_organisation", required=False, low=1, high=100
        )
        or 2,
        "max_runtime_seconds": whole(errors, data, "max_runtime_seconds", required=False, low=60, high=14400)
        or 20 * 60,
        "min_year": whole(errors, data, "min_year", required=False, low=1900, high=2100),
        "jurors_per_entry": whole(errors, data, "jurors_per_entry", required=False, low=1, high=50) or 3,
    }
    eligibility = data.get("eligibility", "members")
    if eligibility not in ELIGIBILITY:
        errors["eligibility"] = _("Choose members or anyone.")
    values["eligibility"] = eligibility
    hidden = data.get("hidden_fields", [])
    if not isinstance(hidden, list) or any(h not in HIDEABLE_FIELDS for h in hidden):
        errors["hidden_fields"] = _("Hide only these fields: %(fields)s.", fields=", ".join(HIDEABLE_FIELDS))
        hidden = []
    values["hidden_fields"] = dumps(list(dict.fromkeys(hidden)))
    event_id = whole(errors, data, "event_id", required=False, low=1)
    if event_id is not None and not await Event.exists().where(Event.id == event_id):
        errors["event_id"] = _("This event does not exist.")
    values["event"] = event_id
    if values["opens_at"] and values["deadline"] and values["deadline"] <= values["opens_at"]:
        errors["deadline"] = _("The deadline must be after the opening.")
    if errors:
        raise ValidationFailed(errors)
    return values


async def _unique_slug(base: str) -> str:
    slug, n = base or "call", 1
    while await Call.exists().where(Call.slug == slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


async def create_call(data: dict[str, Any]) -> Call:
    values = await clean_call(data)
    async with write_transaction():
        slug = await _unique_slug(slugify(f"{values['title']} {values['edition_year']}")[:100])
        call = Call(slug=slug, status="open", **values)
        await call.save()
    return call


async def get_call(call_id: Any) -> Call:
    return await row_or_404(Call, call_id, _("This call does not exist."))


async def list_calls() -> list[Call]:
    return await Call.objects().order_by(Call.id, ascending=False)


def call_json(call: Call) -> dict[str, Any]:
    return {
        "id": call.id,
        "slug": call.slug,
        "title": call.title,
        "title_en": call.title_en,
        "edition_year": call.edition_year,
        "event_id": call.event,
        "opens_at": call.opens_at.isoformat(),
        "deadline": call.deadline.isoformat(),
        "eligibility": call.eligibility,
        "max_entries_per_organisation": call.max_entries_per_organisation,
        "max_runtime_seconds": call.max_runtime_seconds,
        "min_year": call.min_year,
        "hidden_fields": hidden_fields(call),
        "jurors_per_entry": call.jurors_per_entry,
        "status": call.status,
    }
