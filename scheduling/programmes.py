"""A speed-meeting programme: its settings (tables, meeting length, wish limits, fairness budget, commission
rate, wish phase), its phase, and its grid (days with breaks, cut into slots)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from events.tables import Event
from lib.clock import now_utc
from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, localized
from lib.validation import whole_number
from scheduling.engine import model
from scheduling.fields import parse_tables, percent_to_bp, utc
from scheduling.tables import PROGRAMME_STATUSES, MeetingDay, MeetingProgramme


# ---- settings -----------------------------------------------------------------------------------
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


# ---- phase --------------------------------------------------------------------------------------
def wish_phase_open(programme: MeetingProgramme, at: datetime | None = None) -> bool:
    at = at or now_utc()
    if programme.status != "wishes_open":
        return False
    if programme.wishes_open_at and at < utc(programme.wishes_open_at):
        return False
    return not (programme.wishes_close_at and at >= utc(programme.wishes_close_at))


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
