"""Participants: registration by staff or by the person during the wish phase, profiles, and the
catalogue each side browses to choose whom to meet."""

from __future__ import annotations

import re
from typing import Any

from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, localized
from members.tables import Organisation, Person
from scheduling.fields import tags
from scheduling.programmes import get_programme, wish_phase_open
from scheduling.tables import SIDES, Participant

PROFILE_TEXT = {
    "organisation_name": 200,
    "role": 150,
    "offer": 2000,
    "looking_for": 2000,
    "territory": 150,
}
PROFILE_TAGS = ("genres", "formats", "audiences")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ---- registration and profiles ----------------------------------------------------------------
def _profile_values(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, limit in PROFILE_TEXT.items():
        if field in data:
            value = str(data[field] or "").strip()
            if len(value) > limit:
                errors[field] = _("At most %(limit)d characters.", limit=limit)
            values[field] = value
    for field in PROFILE_TAGS:
        if field in data:
            raw = data[field]
            items = raw if isinstance(raw, list | tuple) else tags(str(raw or ""))
            value = ", ".join(dict.fromkeys(str(t).strip() for t in items if str(t).strip()))
            if len(value) > 300:
                errors[field] = _("At most %(limit)d characters.", limit=300)
            values[field] = value
    if "needs_accessible" in data:
        values["needs_accessible"] = data["needs_accessible"] in (True, "1", "on", "true", "yes")
    if "max_meetings" in data:
        raw = data["max_meetings"]
        if raw in (None, ""):
            values["max_meetings"] = None
        else:
            try:
                values["max_meetings"] = int(raw)
                if not 0 <= values["max_meetings"] <= 100:
                    raise ValueError
            except (TypeError, ValueError):
                errors["max_meetings"] = _("Enter a number between %(low)d and %(high)d.", low=0, high=100)
    if errors:
        raise ValidationFailed(errors)
    return values


async def add_participant(
    programme_id: int,
    *,
    email: Any,
    side: Any,
    first_name: Any = "",
    last_name: Any = "",
    **profile: Any,
) -> Participant:
    """Register a person (found by email, or created) on one side of the speed-meeting.
    A participant added after publication is `late`: the next run fits them into the gaps."""
    programme = await get_programme(programme_id)
    # JSON bodies may carry anything: a number, a list or nothing where text is expected
    email = email.strip().lower() if isinstance(email, str) else ""
    first_name = first_name if isinstance(first_name, str) else ""
    last_name = last_name if isinstance(last_name, str) else ""
    errors: dict[str, str] = {}
    if not EMAIL_RE.match(email):
        errors["email"] = _("Enter a valid email address.")
    if side not in SIDES:
        errors["side"] = _("Choose producer or buyer.")
    values = _profile_values(profile)
    person = await Person.objects().where(Person.email == email).first() if not errors else None
    if person is None and not errors:
        for field, value in (("first_name", first_name), ("last_name", last_name)):
            if not value.strip():
                errors[field] = _("This field is required.")
            elif len(value.strip()) > 100:  # the person table's columns
                errors[field] = _("At most %(limit)d characters.", limit=100)
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        if person is None:
            person = Person(first_name=first_name.strip(), last_name=last_name.strip(), email=email)
            await person.save()
        exists = await Participant.exists().where(
            (Participant.programme == programme_id) & (Participant.person == person.id)
        )
        if exists:
            raise ValidationFailed({"email": _("This person is already registered.")})
        if "organisation_name" not in values and person.organisation:
            org = (
                await Organisation.select(Organisation.name)
                .where(Organisation.id == person.organisation)
                .first()
            )
            values["organisation_name"] = org["name"] if org else ""
        values.setdefault("role", person.role)
        participant = Participant(
            programme=programme_id,
            person=person.id,
            side=side,
            late=programme.status == "published",
            **values,
        )
        await participant.save()
    return participant


async def self_register(
    programme_id: int,
    email: str | None,
    *,
    side: str,
    first_name: str = "",
    last_name: str = "",
    **profile: Any,
) -> Participant:
    """A signed-in person registers during the wish phase: producers must be members in good standing
    (buyers are free); organisation, genres and territory are required; nobody registers twice."""
    from members.standing import is_member_in_good_standing

    programme = await get_programme(programme_id)
    if not wish_phase_open(programme):
        raise ValidationFailed({"__all__": _("Registration is only possible while the wish phase is open.")})
    email = (email or "").strip().lower()
    if await participant_for_email(programme_id, email) is not None:
        raise ValidationFailed({"__all__": _("You are already registered for this speed-meeting.")})
    errors: dict[str, str] = {}
    if side not in SIDES:
        errors["side"] = _("Choose producer or buyer.")
    elif side == "producer" and not await is_member_in_good_standing(email=email):
        errors["side"] = _(
            "Only members of LE DAMIER in good standing can register as producers. "
            "Register as a buyer, or renew your organisation's membership."
        )
    for field in ("organisation_name", "genres", "territory"):
        if not str(profile.get(field) or "").strip():
            errors[field] = _("This field is required.")
    if errors:
        raise ValidationFailed(errors)
    allowed = {k: v for k, v in profile.items() if k in (*PROFILE_TEXT, *PROFILE_TAGS, "needs_accessible")}
    return await add_participant(
        programme_id,
        email=email,
        side=side,
        first_name=str(first_name or ""),
        last_name=str(last_name or ""),
        **allowed,
    )


async def update_profile(participant_id: int, **data: Any) -> Participant:
    values = _profile_values(data)
    if values:
        await Participant.update(values).where(Participant.id == participant_id)
    return await get_participant(participant_id)


async def get_participant(participant_id: int, programme_id: int | None = None) -> Participant:
    query = Participant.objects().where(Participant.id == participant_id)
    if programme_id is not None:
        query = query.where(Participant.programme == programme_id)
    participant = await query.first()
    if participant is None:
        raise NotFound(_("This participant does not exist."))
    return participant


async def participant_for_email(programme_id: int, email: str | None) -> Participant | None:
    if not email:
        return None
    person = await Person.select(Person.id).where(Person.email == email.strip().lower()).first()
    if person is None:
        return None
    return (
        await Participant.objects()
        .where((Participant.programme == programme_id) & (Participant.person == person["id"]))
        .first()
    )


async def programmes_for_email(email: str | None) -> list[dict[str, Any]]:
    if not email:
        return []
    rows = await Participant.select(
        Participant.id,
        Participant.side,
        Participant.programme,
        Participant.programme.event.title.as_alias("title"),
        Participant.programme.event.title_en.as_alias("title_en"),
        Participant.programme.wishes_close_at.as_alias("wishes_close_at"),
        Participant.programme.status.as_alias("status"),
    ).where(Participant.person.email == email.strip().lower())
    for row in rows:
        row["title"] = localized(row, "title")
    return rows


def _participant_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "side": row["side"],
        "name": f"{row['first_name']} {row['last_name']}".strip(),
        "email": row["email"],
        "locale": row["locale"],
        "organisation": row["organisation_name"],
        "role": row["role"],
        "offer": row["offer"],
        "looking_for": row["looking_for"],
        "genres": tags(row["genres"]),
        "formats": tags(row["formats"]),
        "audiences": tags(row["audiences"]),
        "territory": row["territory"],
        "needs_accessible": row["needs_accessible"],
        "max_meetings": row["max_meetings"],
        "late": row["late"],
        "person_id": row["person"],
    }


async def list_participants(programme_id: int, side: str | None = None) -> list[dict[str, Any]]:
    query = Participant.select(
        Participant.all_columns(),
        Participant.person.first_name.as_alias("first_name"),
        Participant.person.last_name.as_alias("last_name"),
        Participant.person.email.as_alias("email"),
        Participant.person.locale.as_alias("locale"),
    ).where(Participant.programme == programme_id)
    if side:
        query = query.where(Participant.side == side)
    rows = await query.order_by(Participant.organisation_name).order_by(Participant.id)
    return [_participant_dict(r) for r in rows]


async def participant_info(participant_id: int) -> dict[str, Any]:
    rows = [p for p in await list_participants((await get_participant(participant_id)).programme)]
    return next(p for p in rows if p["id"] == participant_id)


async def catalogue(
    programme_id: int,
    side: str | None = None,
    genre: str = "",
    format: str = "",  # noqa: A002 (the profile field's name)
    audience: str = "",
    territory: str = "",
    q: str = "",
) -> list[dict[str, Any]]:
    """Profiles filtered by side and tags (case-insensitive; a tag filter matches one of the tags)."""

    def has(values: list[str], wanted: str) -> bool:
        return not wanted or wanted.strip().lower() in (v.lower() for v in values)

    out = []
    for p in await list_participants(programme_id, side):
        if not (has(p["genres"], genre) and has(p["formats"], format) and has(p["audiences"], audience)):
            continue
        if territory and territory.strip().lower() not in p["territory"].lower():
            continue
        text = " ".join([p["name"], p["organisation"], p["offer"], p["looking_for"]]).lower()
        if q and q.strip().lower() not in text:
            continue
        out.append(p)
    return out


async def filter_values(programme_id: int, side: str | None = None) -> dict[str, list[str]]:
    values: dict[str, set[str]] = {"genres": set(), "formats": set(), "audiences": set(), "territory": set()}
    for p in await list_participants(programme_id, side):
        for field in ("genres", "formats", "audiences"):
            values[field].update(p[field])
        if p["territory"]:
            values["territory"].add(p["territory"])
    return {k: sorted(v, key=str.lower) for k, v in values.items()}
