"""The call for participants of an edition: free registration with a capacity and a waiting list.

A place is taken by one conditional UPDATE ... RETURNING on Edition.accepted (never above capacity, whoever
registers at the same moment); the others wait in registration order. An accepted participant gets a
staff-only "Participant hackathon" ticket of the event through ticketing (the path stands' badges use), so
the door check-in works on every day. A withdrawal gives the place back and promotes the first one waiting,
in the same transaction, with an email.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hackathon.common import absolute, email_participant, event_of, event_title, get_edition, new_token
from hackathon.tables import ROLES, Edition, HackParticipant
from juries.common import now, text
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from lib.locking import lock
from lib.tokens import normalize_email
from members.register import email_error
from members.standing import membership_standing
from members.tables import Organisation
from ticketing import types
from ticketing.orders import cancel_order, place_order
from ticketing.tables import Ticket

TICKET_TYPE_NAME = "Participant hackathon"
MAX_SKILLS = 12
FIELDS = (
    "name",
    "email",
    "organisation",
    "role",
    "skills",
    "bio",
    "needs_accessibility",
    "needs_diet",
    "needs_accommodation",
    "together_with",
    "locale",
)


def role_label(role: str) -> str:
    labels = {
        "artist": _("Artist"),
        "researcher": _("Researcher"),
        "technician": _("Technician"),
        "developer": _("Developer"),
        "designer": _("Designer"),
        "other": _("Other"),
    }
    return labels.get(role, role)


def status_label(status: str) -> str:
    labels = {"accepted": _("accepted"), "waiting": _("waiting list"), "withdrawn": _("withdrawn")}
    return labels.get(status, status)


@dataclass(frozen=True)
class Registered:
    participant: HackParticipant
    token: str  # the personal link's secret (only its hash is stored)
    waiting_position: int | None  # None when accepted


def parse_skills(errors: dict[str, str], raw: Any) -> list[str]:
    """Tags from a list or a comma-separated text: trimmed, lower case, unique, at most 12 of 40 chars."""
    if raw is None or raw == "":
        return []
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
        errors["skills"] = _("Give the skills as words separated by commas.")
        return []
    tags = list(dict.fromkeys(s.strip().lower() for s in items if s.strip()))
    if len(tags) > MAX_SKILLS:
        errors["skills"] = _("At most %(n)s skills.", n=MAX_SKILLS)
    elif any(len(t) > 40 for t in tags):
        errors["skills"] = _("Each skill in at most %(n)s characters.", n=40)
    return tags


def _flag(raw: Any) -> bool:
    return raw is True or (isinstance(raw, str) and raw.strip().lower() in ("1", "true", "on", "yes"))


async def match_organisation(name: str, email: str) -> int | None:
    """The member register's organisation: by the name given, else the one the email belongs to."""
    if name:
        rows = await Organisation.select(Organisation.id, Organisation.name)
        wanted = name.casefold()
        found = next((r["id"] for r in rows if r["name"].casefold() == wanted), None)
        if found is not None:
            return found
    standing = await membership_standing(email=email)
    return standing.organisation.id if standing.organisation is not None else None


def clean(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationFailed.one("name", _("This field is required."))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "name": text(errors, data, "name", required=True, max_length=200),
        "organisation_name": text(errors, data, "organisation", required=False, max_length=200),
        "bio": text(errors, data, "bio", required=False, max_length=1000),
        "needs_accessibility": text(errors, data, "needs_accessibility", required=False, max_length=500),
        "needs_diet": text(errors, data, "needs_diet", required=False, max_length=300),
        "needs_accommodation": _flag(data.get("needs_accommodation")),
    }
    raw_email = data.get("email")
    values["email"] = normalize_email(raw_email if isinstance(raw_email, str) else "")
    problem = email_error(values["email"], required=True)
    if problem:
        errors["email"] = problem
    raw_together = data.get("together_with")
    together = normalize_email(raw_together if isinstance(raw_together, str) else "")
    if together and (problem := email_error(together, required=False)):
        errors["together_with"] = problem
    values["together_with"] = together
    role = data.get("role")
    if role not in ROLES:
        errors["role"] = _("Choose a role: artist, researcher, technician, developer, designer or other.")
    values["role"] = role
    values["skills"] = json.dumps(parse_skills(errors, data.get("skills")), ensure_ascii=False)
    locale = data.get("locale") or "fr"
    if locale not in ("fr", "en"):
        errors["locale"] = _("Choose fr or en.")
    values["locale"] = locale
    if errors:
        raise ValidationFailed(errors)
    return values


async def take_place(edition_id: int) -> bool:
    """One conditional UPDATE: a place when one is left, whoever asks at the same moment."""
    done = (
        await Edition.update({Edition.accepted: Edition.accepted + 1})
        .where((Edition.id == edition_id) & (Edition.accepted < Edition.capacity))
        .returning(Edition.id)
    )
    return bool(done)


async def _issue_ticket(edition: Edition, participant: HackParticipant) -> None:
    """The participant's ticket of the event, through ticketing's staff-issued free orders."""
    type_id = await types.staff_only_type(
        edition.event, TICKET_TYPE_NAME, "Hackathon participant", max_per_order=1
    )
    person = {
        "name": participant.name,
        "email": participant.email,
        "organisation": participant.organisation_name,
    }
    placed = await place_order(
        event_id=edition.event,
        buyer=person,
        items=[{"ticket_type": type_id, "quantity": 1}],
        attendees=[person],
        locale=participant.locale,
        issued_by_staff=True,
    )
    ticket = await Ticket.select(Ticket.id).where(Ticket.order == placed.order.id).first()
    participant.ticket = ticket["id"] if ticket else None
    participant.order_token = placed.order.token
    participant.status = "accepted"
    participant.accepted_at = now()
    await participant.save()


async def waiting_position(participant: HackParticipant) -> int | None:
    if participant.status != "waiting":
        return None
    ahead = await HackParticipant.count().where(
        (HackParticipant.edition == participant.edition)
        & (HackParticipant.status == "waiting")
        & (HackParticipant.waiting_rank < (participant.waiting_rank or 0))
    )
    return ahead + 1


async def register(edition_id: Any, data: Any) -> Registered:
    """Accepted while places are left, otherwise on the waiting list; an email either way."""
    edition = await get_edition(edition_id)
    values = clean(data)
    if not edition.registration_open:
        raise ValidationFailed.one("edition", _("Registration for this hackathon is closed."))
    organisation = await match_organisation(values["organisation_name"], values["email"])
    token, digest = new_token()
    async with atomic():
        if await HackParticipant.exists().where(
            (HackParticipant.edition == edition.id)
            & (HackParticipant.email == values["email"])
            & (HackParticipant.status != "withdrawn")
        ):
            raise ValidationFailed.one(
                "email", _("This email address is already registered for this hackathon.")
            )
        participant = HackParticipant(
            edition=edition.id, organisation=organisation, access_hash=digest, status="waiting", **values
        )
        await participant.save()
        if await take_place(edition.id):
            await _issue_ticket(edition, participant)
        else:  # the waiting list's order is given one at a time, so positions told by email are exact
            await lock("hackathon-waiting", edition.id)
            last = (
                await HackParticipant.select(HackParticipant.waiting_rank)
                .where((HackParticipant.edition == edition.id) & HackParticipant.waiting_rank.is_not_null())
                .order_by(HackParticipant.waiting_rank, ascending=False)
                .first()
            )
            participant.waiting_rank = ((last or {}).get("waiting_rank") or 0) + 1
            await participant.save()
        position = await waiting_position(participant)
        await _confirmation(edition, participant, token, position)
    return Registered(participant, token, position)


async def _confirmation(
    edition: Edition, participant: HackParticipant, token: str, position: int | None
) -> None:
    event = await event_of(edition)
    link = absolute(f"/hackathon/me/{token}")

    def subject() -> str:
        title = event_title(event, participant.locale)
        if position is None:
            return _("Your place at %(event)s is confirmed", event=title)
        return _("You are on the waiting list of %(event)s", event=title)

    def lines() -> list[str]:
        title = event_title(event, participant.locale)
        if position is None:
            return [
                _("Your registration for %(event)s is confirmed.", event=title),
                _("Your ticket (QR code) comes in a separate email: show it at the door on each day."),
            ]
        return [
            _(
                "%(event)s is full for now: you are number %(n)s on the waiting list.",
                event=title,
                n=position,
            ),
            _("If a place frees up, it goes to the waiting list in order and we write to you at once."),
        ]

    await email_participant(
        participant, subject, lines, link=link, key=f"hackathon:registered:{participant.id}"
    )


async def withdraw(participant: HackParticipant) -> HackParticipant | None:
    """The participant leaves: their ticket is cancelled, their place goes to the first one waiting (returned)."""
    edition = await get_edition(participant.edition)
    promoted = None
    async with atomic():
        done = (
            await HackParticipant.update({HackParticipant.status: "withdrawn", HackParticipant.team: None})
            .where((HackParticipant.id == participant.id) & (HackParticipant.status != "withdrawn"))
            .returning(HackParticipant.status)
        )
        if not done:
            raise Conflict(_("This registration is already withdrawn."))
        if participant.status != "accepted":
            return None
        if participant.order_token:
            try:
                await cancel_order(participant.order_token, by_staff=True)
            except (Conflict, NotFound):
                pass  # staff already cancelled the ticket in ticketing
        await Edition.update({Edition.accepted: Edition.accepted - 1}).where(
            (Edition.id == edition.id) & (Edition.accepted > 0)
        )
        promoted = await promote_waiting(edition)
    return promoted


async def promote_waiting(edition: Edition) -> HackParticipant | None:
    """Inside the freeing transaction: the first one waiting takes the free place, with an email."""
    first = (
        await HackParticipant.objects()
        .where((HackParticipant.edition == edition.id) & (HackParticipant.status == "waiting"))
        .order_by(HackParticipant.waiting_rank)
        .first()
    )
    if first is None or not await take_place(edition.id):
        return None
    await _issue_ticket(edition, first)
    event = await event_of(edition)

    def subject() -> str:
        return _("A place at %(event)s is yours", event=event_title(event, first.locale))

    def lines() -> list[str]:
        return [
            _(
                "A place freed up at %(event)s and it is yours: your registration is confirmed.",
                event=event_title(event, first.locale),
            ),
            _("Your ticket (QR code) comes in a separate email: show it at the door on each day."),
            _("Your personal page is at the link of your registration email."),
        ]

    await email_participant(first, subject, lines, key=f"hackathon:promoted:{first.id}")
    return first


async def participants_of(edition_id: int, status: str | None = None) -> list[HackParticipant]:
    query = HackParticipant.objects().where(HackParticipant.edition == edition_id)
    if status:
        query = query.where(HackParticipant.status == status)
    return await query.order_by(HackParticipant.id)


def skills_of(participant: HackParticipant) -> list[str]:
    try:
        value = json.loads(participant.skills or "[]")
    except ValueError:
        return []
    return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []


def participant_json(p: HackParticipant) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "email": p.email,
        "organisation": p.organisation_name,
        "organisation_id": p.organisation,
        "role": p.role,
        "skills": skills_of(p),
        "bio": p.bio,
        "needs_accessibility": p.needs_accessibility,
        "needs_diet": p.needs_diet,
        "needs_accommodation": p.needs_accommodation,
        "status": p.status,
        "team_id": p.team,
        "ticket_id": p.ticket,
    }


async def not_found_unless_edition(participant: HackParticipant, edition_id: int) -> None:
    if participant.edition != edition_id:
        raise NotFound(_("This personal link is not valid."))
