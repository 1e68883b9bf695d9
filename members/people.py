"""The people of the register: a person belongs to at most one organisation (its staff get member prices).

Field rules are shared with the organisations (members.register.clean_person); emails are unique ignoring case.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw

from lib.db import is_unique_violation, write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.tokens import normalize_email
from members.register import clean_person
from members.tables import Organisation, Person


async def person_by_email(email: str) -> Person | None:
    return await Person.objects().where(WhereRaw("lower(email) = {}", normalize_email(email))).first()


async def get_person(person_id: int) -> Person:
    person = await Person.objects().where(Person.id == person_id).first()
    if person is None:
        raise NotFound(_("Unknown person."))
    return person


# ---- people -----------------------------------------------------------------------------------------
async def _check_person_refs(clean: dict[str, Any], *, exclude_id: int | None) -> None:
    errors: dict[str, str] = {}
    if "email" in clean:
        other = await person_by_email(clean["email"])
        if other is not None and other.id != exclude_id:
            errors["email"] = _("Another person already has this email address.")
    if clean.get("organisation_id") is not None:
        exists = await Organisation.exists().where(Organisation.id == clean["organisation_id"])
        if not exists:
            errors["organisation_id"] = _("Unknown organisation.")
    if errors:
        raise ValidationFailed(errors)


def _person_columns(clean: dict[str, Any]) -> dict[str, Any]:
    values = dict(clean)
    if "organisation_id" in values:
        values["organisation"] = values.pop("organisation_id")
    return values


async def create_person(
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation_id: int | None = None,
    role: str = "",
    phone: str = "",
    locale: str = "fr",
) -> Person:
    clean, errors = clean_person(
        {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "organisation_id": organisation_id,
            "role": role,
            "phone": phone,
            "locale": locale,
        }
    )
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        await _check_person_refs(clean, exclude_id=None)
        person = Person(**_person_columns(clean))
        try:
            await person.save()
        except Exception as exc:
            if is_unique_violation(exc):
                raise ValidationFailed.one(
                    "email", _("Another person already has this email address.")
                ) from exc
            raise
    return person


async def update_person(person_id: int, changes: dict[str, Any]) -> Person:
    clean, errors = clean_person(changes)
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        person = await get_person(person_id)
        await _check_person_refs(clean, exclude_id=person.id)
        values = _person_columns(clean)
        if values:
            for key, value in values.items():
                setattr(person, key, value)
            try:
                await person.save(columns=[getattr(Person, key) for key in values])
            except Exception as exc:
                if is_unique_violation(exc):
                    raise ValidationFailed.one(
                        "email", _("Another person already has this email address.")
                    ) from exc
                raise
    return person


async def list_people(
    *, search: str | None = None, organisation_id: int | None = None, limit: int = 200, offset: int = 0
) -> list[Person]:
    """People by last name; `search` matches names, email and role (case-insensitive)."""
    query = Person.objects().order_by(Person.last_name).order_by(Person.first_name)
    if organisation_id is not None:
        query = query.where(Person.organisation == organisation_id)
    rows = await query
    if search and search.strip():
        needle = search.strip().casefold()
        rows = [
            p
            for p in rows
            if any(needle in (v or "").casefold() for v in (p.first_name, p.last_name, p.email, p.role))
        ]
    return rows[offset : offset + limit]
