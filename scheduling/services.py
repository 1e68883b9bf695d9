"""Speed-meeting services: the programme and its grid, participants and their profiles, the catalogue,
wishes, declines and availability (participants' own blocks and performers' automatic blocks).

Scheduling runs, hand moves and publishing live in scheduling.planning and scheduling.agenda; reports,
deals and commissions in scheduling.deals.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from events.tables import Event, Session, SessionPerson
from lib.clock import now_utc
from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, localized
from lib.validation import whole_number
from members.tables import Organisation, Person
from scheduling.engine import model
from scheduling.tables import (
    PROGRAMME_STATUSES,
    SIDES,
    Availability,
    Decline,
    MeetingDay,
    MeetingProgramme,
    Participant,
    Wish,
)
from web import labels

PARIS = ZoneInfo("Europe/Paris")
PRIORITIES = {"must": model.MUST, "would_like": model.WOULD_LIKE, "if_possible": model.IF_POSSIBLE}
PRIORITY_NAMES = {v: k for k, v in PRIORITIES.items()}
PERFORMING_KINDS = ("showcase", "screening")
PROFILE_TEXT = {
    "organisation_name": 200,
    "role": 150,
    "offer": 2000,
    "looking_for": 2000,
    "territory": 150,
}
PROFILE_TAGS = ("genres", "formats", "audiences")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def utc(value: datetime) -> datetime:
    """Stored values are UTC; naive input is Europe/Paris wall time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(UTC)


def priority_label(priority: int) -> str:
    return {
        model.MUST: _("Must meet"),
        model.WOULD_LIKE: _("Would like to meet"),
        model.IF_POSSIBLE: _("If possible"),
    }.get(priority, str(priority))


def side_label(side: str) -> str:
    return {"producer": _("Producer"), "buyer": _("Buyer")}.get(side, side)


def status_label(status: str) -> str:
    return labels.programme_status_label(status)  # the one label table


def tags(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


# ---- programme ----------------------------------------------------------------------------------
def _int_field(errors: dict[str, str], data: dict[str, Any], field: str, low: int, high: int) -> int | None:
    if field not in data or data[field] is None or data[field] == "":
        return None
    try:
        value = int(data[field])
    except (TypeError, ValueError):
        errors[field] = _("Enter a whole number.")
        return None
    if not low <= value <= high:
        errors[field] = _("Enter a number between %(low)d and %(high)d.", low=low, high=high)
        return None
    return value


FAIRNESS_BUDGET_MAX_BP = 10000  # basis points: the whole optimum total


# Staff type percentages; the programme stores basis points (1 % = 100 bp), as the API does.
PERCENT_FIELDS = {
    "fairness_budget_percent": "fairness_budget_bp",
    "commission_rate_percent": "commission_rate_bp",
}


def percent_to_bp(raw: Any) -> int | None:
    """'1', '0,5', '12.25', 10 -> basis points; None for anything else (or more than 2 decimals)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw * 100
    if not isinstance(raw, str):
        return None
    match = re.fullmatch(r"\s*(\d{1,5})(?:[.,](\d{1,2}))?\s*%?\s*", raw)
    if not match:
        return None
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def bp_to_percent(bp: int | None, locale: str = "fr") -> str:
    """100 -> '1', 50 -> '0,5' (French) or '0.5': what the percent fields show."""
    if bp is None:
        return ""
    whole, part = divmod(bp, 100)
    text = str(whole) if not part else f"{whole}.{part:02d}".rstrip("0")
    return text.replace(".", ",") if locale == "fr" else text


def parse_tables(raw: Any) -> list[int]:
    if isinstance(raw, list | tuple | set | frozenset):
        return sorted({int(x) for x in raw})
    return sorted({int(x) for x in str(raw or "").replace(";", ",").split(",") if x.strip()})


def accessible_of(programme: MeetingProgramme) -> frozenset[int]:
    return frozenset(parse_tables(programme.accessible_tables))


def _programme_values(data: dict[str, Any], current: MeetingProgramme | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, low, high in (
        ("meeting_minutes", 5, 120),
        ("max_meetings", 1, 100),
        ("wish_limit", 1, 200),
        ("tables", 1, 1000),
        ("reserved_tables", 0, 1000),
        ("commission_rate_bp", 0, 10000),
    ):
        value = _int_field(errors, data, field, low, high)
        if value is not None:
            values[field] = value
    for percent_field, bp_field in PERCENT_FIELDS.items():
        if percent_field in data:
            raw = data[percent_field]
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if bp_field == "fairness_budget_bp":
                    values[bp_field] = None  # strict fairness, no limit on the cost
                continue  # an empty commission rate: unchanged
            bp = percent_to_bp(raw)
            if bp is None or not 0 <= bp <= 10000:
                errors[percent_field] = (
                    _(
                        "Enter a percentage between 0 and 100 (e.g. 1 or 0,5), or leave it empty for "
                        "strict fairness."
                    )
                    if bp_field == "fairness_budget_bp"
                    else _("Enter a percentage between 0 and 100 (e.g. 10 or 12,5).")
                )
            else:
                values[bp_field] = bp
    if "fairness_budget_bp" in data:
        raw = data["fairness_budget_bp"]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            values["fairness_budget_bp"] = None  # strict fairness, no limit on the cost
        else:
            budget = whole_number(raw)
            if budget is None or not 0 <= budget <= FAIRNESS_BUDGET_MAX_BP:
                errors["fairness_budget_bp"] = _(
                    "Fairness cost limit: enter a whole number of basis points between 0 and 10000 "
                    "(100 means 1 percent), or leave it empty for strict fairness."
                )
            else:
                values["fairness_budget_bp"] = budget
    for field in ("wishes_open_at", "wishes_close_at", "publish_at"):
        if field in data:
            raw = data[field]
            if raw in (None, ""):
                values[field] = None
            elif isinstance(raw, datetime):
                values[field] = utc(raw)
            else:
                try:
                    values[field] = utc(datetime.fromisoformat(str(raw)))
                except ValueError:
                    errors[field] = _("Enter a valid date and time.")
    if "status" in data:
        if data["status"] not in PROGRAMME_STATUSES:
            errors["status"] = _("Unknown status.")
        else:
            values["status"] = data["status"]
    if "accessible_tables" in data:
        try:
            values["accessible_tables"] = ",".join(str(t) for t in parse_tables(data["accessible_tables"]))
            if len(values["accessible_tables"]) > 200:  # the column's length
                raise ValueError(values.pop("accessible_tables"))
        except (TypeError, ValueError):  # [["x"]] or {"a": 1} as much as "a,b"
            errors["accessible_tables"] = _("Enter table numbers separated by commas.")

    def final(field: str) -> Any:
        if field in values:
            return values[field]
        return (
            getattr(current, field)
            if current is not None
            else MeetingProgramme._meta.get_column_by_name(field).default
        )

    if not errors:
        tables = final("tables")
        if final("reserved_tables") >= tables:
            errors["reserved_tables"] = _("Keep at least one table for the scheduler.")
        acc = parse_tables(final("accessible_tables"))
        if any(not 1 <= t <= tables for t in acc):
            errors["accessible_tables"] = _("Accessible tables must be between 1 and the number of tables.")
        opens, closes = final("wishes_open_at"), final("wishes_close_at")
        if opens and closes and closes <= opens:
            errors["wishes_close_at"] = _("The wish phase must close after it opens.")
    if errors:
        raise ValidationFailed(errors)
    return values


async def create_programme(event_id: int, **data: Any) -> MeetingProgramme:
    if not await Event.exists().where(Event.id == event_id):
        raise NotFound(_("This event does not exist."))
    values = _programme_values(data, None)
    async with write_transaction():
        if await MeetingProgramme.exists().where(MeetingProgramme.event == event_id):
            raise ValidationFailed({"event": _("This event already has a speed-meeting.")})
        programme = MeetingProgramme(event=event_id, **values)
        await programme.save()
    return programme


async def update_programme(programme_id: int, **data: Any) -> MeetingProgramme:
    programme = await get_programme(programme_id)
    values = _programme_values(data, programme)
    if values:
        await MeetingProgramme.update(values).where(MeetingProgramme.id == programme_id)
    return await get_programme(programme_id)


async def get_programme(programme_id: int) -> MeetingProgramme:
    programme = await MeetingProgramme.objects().where(MeetingProgramme.id == programme_id).first()
    if programme is None:
        raise NotFound(_("This speed-meeting does not exist."))
    return programme


async def list_programmes() -> list[dict[str, Any]]:
    rows = await MeetingProgramme.select(
        MeetingProgramme.all_columns(),
        MeetingProgramme.event.title,
        MeetingProgramme.event.title_en,
        MeetingProgramme.event.starts_at,
    ).order_by(MeetingProgramme.event.starts_at, ascending=False)
    for row in rows:  # "event.title" in the current language (English pages show the English title)
        row["event.title"] = localized(
            {"title": row["event.title"], "title_en": row["event.title_en"]}, "title"
        )
    return rows


async def event_title(programme: MeetingProgramme) -> str:
    """The event's title in the current language (English pages show the English title)."""
    row = await Event.select(Event.title, Event.title_en).where(Event.id == programme.event).first()
    return localized(row, "title") if row else ""


# ---- grid ---------------------------------------------------------------------------------------
def _parse_breaks(raw: Any) -> list[tuple[datetime, datetime]]:
    out = []
    for item in raw or []:
        start, end = item
        start = utc(start if isinstance(start, datetime) else datetime.fromisoformat(start))
        end = utc(end if isinstance(end, datetime) else datetime.fromisoformat(end))
        out.append((start, end))
    return out


async def add_day(
    programme_id: int,
    starts_at: datetime,
    ends_at: datetime,
    breaks: list[tuple[datetime, datetime]] | None = None,
) -> MeetingDay:
    """A block of the grid (naive datetimes are Paris time); breaks must lie inside it."""
    programme = await get_programme(programme_id)
    start, end = utc(starts_at), utc(ends_at)
    errors: dict[str, str] = {}
    if end <= start:
        errors["ends_at"] = _("The end must be after the start.")
    elif end - start < timedelta(minutes=programme.meeting_minutes):
        errors["ends_at"] = _("The block is shorter than one meeting.")
    try:
        parsed = _parse_breaks(breaks)
    except (TypeError, ValueError):
        parsed = []
        errors["breaks"] = _("Enter each break as a start and an end.")
    for b0, b1 in parsed:
        if b1 <= b0 or b0 < start or b1 > end:
            errors["breaks"] = _("Each break must end after it starts, inside the block.")
    days = await MeetingDay.objects().where(MeetingDay.programme == programme_id)
    if not errors and any(utc(d.starts_at) < end and start < utc(d.ends_at) for d in days):
        errors["starts_at"] = _("This block overlaps another block of the grid.")
    if errors:
        raise ValidationFailed(errors)
    day = MeetingDay(
        programme=programme_id,
        starts_at=start,
        ends_at=end,
        breaks=json.dumps([[b0.isoformat(), b1.isoformat()] for b0, b1 in parsed]),
    )
    await day.save()
    return day


async def remove_day(programme_id: int, day_id: int) -> None:
    await MeetingDay.delete().where((MeetingDay.id == day_id) & (MeetingDay.programme == programme_id))


async def list_days(programme_id: int) -> list[dict[str, Any]]:
    rows = (
        await MeetingDay.select().where(MeetingDay.programme == programme_id).order_by(MeetingDay.starts_at)
    )
    for r in rows:
        r["breaks"] = _parse_breaks(json.loads(r["breaks"] or "[]"))
    return rows


def cut_slots(days: list[dict[str, Any]], minutes: int, tables: int) -> list[model.Slot]:
    """The grid's slots: each block cut into meetings of `minutes`, skipping breaks; indices from 0."""
    length = timedelta(minutes=minutes)
    out: list[model.Slot] = []
    for day in sorted(days, key=lambda d: d["starts_at"]):
        t, end = utc(day["starts_at"]), utc(day["ends_at"])
        breaks = sorted(day["breaks"])
        while t + length <= end:
            clash = [b for b in breaks if b[0] < t + length and t < b[1]]
            if clash:
                t = max(b[1] for b in clash)
                continue
            out.append(model.Slot(index=len(out), start=t, end=t + length, tables=tables))
            t += length
    return out


async def grid_slots(programme: MeetingProgramme) -> list[model.Slot]:
    return cut_slots(
        await list_days(programme.id), programme.meeting_minutes, programme.tables - programme.reserved_tables
    )


# ---- participants -------------------------------------------------------------------------------
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


async def open_programmes() -> list[dict[str, Any]]:
    """Programmes whose wish phase is open now: people may register themselves."""
    programmes = [
        p
        for p in await MeetingProgramme.objects().where(MeetingProgramme.status == "wishes_open")
        if wish_phase_open(p)
    ]
    events = {
        e["id"]: e
        for e in await Event.select(Event.id, Event.title, Event.title_en).where(
            Event.id.is_in([p.event for p in programmes] or [0])
        )
    }
    out = [{"id": p.id, "event": events.get(p.event, {})} for p in programmes]
    return out


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


# ---- wishes and declines ------------------------------------------------------------------------
def wish_phase_open(programme: MeetingProgramme, at: datetime | None = None) -> bool:
    at = at or now_utc()
    if programme.status != "wishes_open":
        return False
    if programme.wishes_open_at and at < utc(programme.wishes_open_at):
        return False
    return not (programme.wishes_close_at and at >= utc(programme.wishes_close_at))


def wishes_frozen_message(programme: MeetingProgramme) -> str:
    if programme.status == "published":
        return _(
            "The agendas are published: wishes and declines can no longer change. "
            "Contact the LE DAMIER team if a meeting must move."
        )
    return _("The wish phase is not open.")


async def _check_wishes_open(participant: Participant, staff: bool) -> MeetingProgramme:
    """Participants add and remove wishes and declines only while the wish phase is open: after
    publication they are frozen, whatever page or API asks. Staff may still set them (the wishes of
    a late registration, fitted into the gaps without moving a published meeting)."""
    programme = await get_programme(participant.programme)
    if not staff and not wish_phase_open(programme):
        raise ValidationFailed({"__all__": wishes_frozen_message(programme)})
    return programme


async def _other(participant: Participant, target_id: Any) -> Participant:
    try:
        target_id = int(target_id)
    except (TypeError, ValueError):
        raise ValidationFailed({"target_id": _("Choose someone from the catalogue.")}) from None
    target = (
        await Participant.objects()
        .where((Participant.id == target_id) & (Participant.programme == participant.programme))
        .first()
    )
    if target is None:
        raise ValidationFailed({"target_id": _("Choose someone from the catalogue.")})
    if target.side == participant.side:
        raise ValidationFailed({"target_id": _("You can only choose someone from the other side.")})
    return target


def parse_priority(value: Any) -> int:
    if isinstance(value, str) and value in PRIORITIES:
        return PRIORITIES[value]
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in model.PRIORITIES:
        raise ValidationFailed({"priority": _("Choose must, would like or if possible.")})
    return number


async def set_wish(participant: Participant, target_id: Any, priority: Any, staff: bool = False) -> Wish:
    """Add or change a wish (staff may do so outside the wish phase, until publication). At most the
    programme's limit."""
    programme = await _check_wishes_open(participant, staff)
    prio = parse_priority(priority)
    target = await _other(participant, target_id)
    async with write_transaction():
        existing = (
            await Wish.objects().where((Wish.source == participant.id) & (Wish.target == target.id)).first()
        )
        if existing is not None:
            existing.priority = prio
            await existing.save()
            return existing
        count = await Wish.count().where(Wish.source == participant.id)
        if count >= programme.wish_limit:
            raise ValidationFailed(
                {"target_id": _("You can make at most %(limit)d wishes.", limit=programme.wish_limit)}
            )
        await Decline.delete().where((Decline.source == participant.id) & (Decline.target == target.id))
        wish = Wish(source=participant.id, target=target.id, priority=prio)
        await wish.save()
    return wish


async def remove_wish(participant: Participant, target_id: int, staff: bool = False) -> None:
    await _check_wishes_open(participant, staff)
    await Wish.delete().where((Wish.source == participant.id) & (Wish.target == target_id))


async def decline(participant: Participant, target_id: Any, staff: bool = False) -> None:
    """Never schedule this pair (drops a wish of the decliner for them)."""
    await _check_wishes_open(participant, staff)
    target = await _other(participant, target_id)
    async with write_transaction():
        await Wish.delete().where((Wish.source == participant.id) & (Wish.target == target.id))
        if not await Decline.exists().where(
            (Decline.source == participant.id) & (Decline.target == target.id)
        ):
            await Decline(source=participant.id, target=target.id).save()


async def undecline(participant: Participant, target_id: int, staff: bool = False) -> None:
    await _check_wishes_open(participant, staff)
    await Decline.delete().where((Decline.source == participant.id) & (Decline.target == target_id))


async def wishes_of(participant_id: int) -> list[dict[str, Any]]:
    return await Wish.select(Wish.id, Wish.target, Wish.priority).where(Wish.source == participant_id)


async def declines_of(participant_id: int) -> list[int]:
    return [r["target"] for r in await Decline.select(Decline.target).where(Decline.source == participant_id)]


# ---- availability -------------------------------------------------------------------------------
async def add_block(
    participant: Participant, starts_at: datetime, ends_at: datetime, note: str = ""
) -> Availability:
    start, end = utc(starts_at), utc(ends_at)
    if end <= start:
        raise ValidationFailed({"ends_at": _("The end must be after the start.")})
    block = Availability(participant=participant.id, starts_at=start, ends_at=end, note=note[:200])
    await block.save()
    return block


async def remove_block(participant: Participant, block_id: int) -> None:
    await Availability.delete().where(
        (Availability.id == block_id) & (Availability.participant == participant.id)
    )


async def blocks_of(participant_id: int) -> list[dict[str, Any]]:
    return (
        await Availability.select()
        .where(Availability.participant == participant_id)
        .order_by(Availability.starts_at)
    )


@dataclass(frozen=True)
class Busy:
    starts_at: datetime
    ends_at: datetime
    reason: str  # "own" (the participant's block) or the title of a showcase/screening


async def busy_times(programme: MeetingProgramme) -> dict[int, list[Busy]]:
    """Participant id -> busy intervals: their own blocks, and every showcase or screening of the event's
    programme they perform in (SessionPerson -> Person -> Participant), blocked automatically."""
    out: dict[int, list[Busy]] = {}
    participants = await Participant.select(Participant.id, Participant.person).where(
        Participant.programme == programme.id
    )
    by_person = {r["person"]: r["id"] for r in participants}
    blocks = await Availability.select().where(
        Availability.participant.is_in([r["id"] for r in participants] or [0])
    )
    for b in blocks:
        out.setdefault(b["participant"], []).append(Busy(utc(b["starts_at"]), utc(b["ends_at"]), "own"))
    if by_person:
        performing = await SessionPerson.select(
            SessionPerson.person,
            SessionPerson.session.title.as_alias("title"),
            SessionPerson.session.starts_at.as_alias("starts_at"),
            SessionPerson.session.ends_at.as_alias("ends_at"),
        ).where(
            (SessionPerson.session.event == programme.event)
            & SessionPerson.session.kind.is_in(list(PERFORMING_KINDS))
            & SessionPerson.session.cancelled.eq(False)
            & SessionPerson.person.is_in(list(by_person))
        )
        for row in performing:
            out.setdefault(by_person[row["person"]], []).append(
                Busy(utc(row["starts_at"]), utc(row["ends_at"]), row["title"])
            )
    return out


async def performer_sessions(programme: MeetingProgramme) -> list[dict[str, Any]]:
    return await Session.select(Session.id, Session.title, Session.starts_at, Session.ends_at).where(
        (Session.event == programme.event) & Session.kind.is_in(list(PERFORMING_KINDS))
    )
