"""Design-phase support hours and their rate.

The rate per hour HT depends on the project's *total* hours, and the whole total is billed at the rate of
its bracket (not bracket by bracket): under 35 h → 35 €/h; from 35 h to 50 h → 32 €/h; over 50 h → 30 €/h
(settings project_hour_brackets / project_hour_rates_cents). So 34 h = 1,190 €, 35 h = 1,120 €,
50 h = 1,600 €, 51 h = 1,530 €.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lib.db import write_transaction
from lib.errors import ValidationFailed
from lib.i18n import _
from lib.settings import get_settings
from projects.records import get_project, parse_date
from projects.tables import HoursEntry

MAX_MINUTES_PER_ENTRY = 24 * 60


@dataclass(frozen=True)
class Rate:
    total_minutes: int
    rate_cents: int
    bracket: int  # 0: under the first bound, 1: between the bounds, 2: over the second
    whole_ht_cents: int  # total hours × rate


def rate_for(total_minutes: int) -> Rate:
    settings = get_settings()
    low, high = settings.project_hour_brackets
    if total_minutes < low * 60:
        bracket = 0
    elif total_minutes <= high * 60:
        bracket = 1
    else:
        bracket = 2
    rate = settings.project_hour_rates_cents[bracket]
    whole = (total_minutes * rate + 30) // 60  # to the nearest cent
    return Rate(total_minutes, rate, bracket, whole)


def bracket_rule_text() -> str:
    """The rule printed on every bill (and on the project page)."""
    settings = get_settings()
    low, high = settings.project_hour_brackets
    r = [f"{c / 100:g}" for c in settings.project_hour_rates_cents]
    return _(
        "Hourly rate by the project's total hours: under %(low)s h %(r0)s €/h, %(low)s-%(high)s h "
        "%(r1)s €/h, over %(high)s h %(r2)s €/h; the whole total is billed at the rate of its bracket.",
        low=low,
        high=high,
        r0=r[0],
        r1=r[1],
        r2=r[2],
    )


def parse_minutes(data: dict[str, Any]) -> int:
    raw = data.get("hours")
    try:
        minutes = round(float(str(raw).replace(",", ".")) * 60)
    except (TypeError, ValueError, OverflowError):
        raise ValidationFailed.one("hours", _("Give the hours as a number, e.g. 2.5.")) from None
    if not 0 < minutes <= MAX_MINUTES_PER_ENTRY:
        raise ValidationFailed.one("hours", _("Between a few minutes and 24 hours per entry."))
    return minutes


async def log_hours(project_id: int, data: Any) -> HoursEntry:
    if not isinstance(data, dict):
        raise ValidationFailed.one("hours", _("Give the hours as a number, e.g. 2.5."))
    project = await get_project(project_id)
    errors: dict[str, str] = {}
    try:
        worked_on = parse_date(data.get("worked_on"))
    except (TypeError, ValueError):
        worked_on = None
    if worked_on is None:
        errors["worked_on"] = _("A date as YYYY-MM-DD.")
    who = data.get("who").strip() if isinstance(data.get("who"), str) else ""
    if not who or len(who) > 200:
        errors["who"] = _("Say who worked (at most 200 characters).")
    what = data.get("what").strip() if isinstance(data.get("what"), str) else ""
    try:
        minutes = parse_minutes(data)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        minutes = 0
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        entry = HoursEntry(project=project.id, worked_on=worked_on, who=who, what=what, minutes=minutes)
        await entry.save()
    return entry


async def total_minutes(project_id: int) -> int:
    rows = await HoursEntry.select(HoursEntry.minutes).where(HoursEntry.project == project_id)
    return sum(r["minutes"] for r in rows)


async def entries(project_id: int) -> list[HoursEntry]:
    return await HoursEntry.objects().where(HoursEntry.project == project_id).order_by(HoursEntry.worked_on)
