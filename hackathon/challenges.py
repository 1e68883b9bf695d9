"""Challenges staff publish for an edition: title, description, the partner organisation behind it."""

from __future__ import annotations

from typing import Any

from hackathon.common import get_edition
from hackathon.tables import Challenge
from juries.common import row_or_404, text, whole
from lib.errors import ValidationFailed
from lib.i18n import _
from members.tables import Organisation

FIELDS = ("title", "title_en", "description", "description_en", "partner_id", "partner_name")


async def _clean(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed.one("title", _("This field is required."))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "title": text(errors, data, "title", required=True, max_length=200),
        "title_en": text(errors, data, "title_en", required=False, max_length=200),
        "description": text(errors, data, "description", required=False, max_length=4000),
        "description_en": text(errors, data, "description_en", required=False, max_length=4000),
        "partner_name": text(errors, data, "partner_name", required=False, max_length=200),
    }
    partner = whole(errors, data, "partner_id", required=False, low=1, high=2**31 - 1)
    if partner is not None:
        org = await Organisation.objects().where(Organisation.id == partner).first()
        if org is None:
            errors["partner_id"] = _("This organisation is not in the member register.")
        elif not values["partner_name"]:
            values["partner_name"] = org.name
    values["partner"] = partner
    if errors:
        raise ValidationFailed(errors)
    return values


async def add_challenge(edition_id: Any, data: Any) -> Challenge:
    edition = await get_edition(edition_id)
    challenge = Challenge(edition=edition.id, **(await _clean(data)))
    await challenge.save()
    return challenge


async def update_challenge(challenge_id: Any, data: Any) -> Challenge:
    challenge = await get_challenge(challenge_id)
    values = await _clean(data)
    await Challenge.update({getattr(Challenge, k): v for k, v in values.items()}).where(
        Challenge.id == challenge.id
    )
    return await get_challenge(challenge.id)


async def get_challenge(challenge_id: Any) -> Challenge:
    return await row_or_404(Challenge, challenge_id, _("This challenge does not exist."))


async def challenges_of(edition_id: int) -> list[Challenge]:
    return await Challenge.objects().where(Challenge.edition == edition_id).order_by(Challenge.id)


def challenge_json(c: Challenge) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "title_en": c.title_en,
        "description": c.description,
        "description_en": c.description_en,
        "partner_id": c.partner,
        "partner_name": c.partner_name,
    }
