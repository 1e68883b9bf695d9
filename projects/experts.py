"""Expert costs: the cluster covers PROJECT_EXPERT_PERCENT (50 %) of each expert invoice, at most
PROJECT_EXPERT_CAP_CENTS (1,500 €) per project per calendar year (the year of the expert's invoice).

What an invoice gets is decided when it is recorded, under the lock of the project's year, so two
invoices recorded at once never both take the last of the cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lib.db import write_transaction
from lib.errors import ValidationFailed
from lib.i18n import _
from lib.locking import lock
from lib.settings import get_settings
from projects.records import get_project, parse_date
from projects.tables import ExpertCost


@dataclass(frozen=True)
class YearCover:
    year: int
    cap_cents: int
    covered_cents: int
    left_cents: int  # what the cap still allows this year


@dataclass(frozen=True)
class Cover:
    amount_ht_cents: int
    covered_cents: int
    remaining_cents: int  # what the project pays itself
    capped: bool


def cover_for(amount_cents: int, already_covered_cents: int) -> Cover:
    settings = get_settings()
    half = (amount_cents * settings.project_expert_percent + 50) // 100
    left = max(0, settings.project_expert_cap_cents - already_covered_cents)
    covered = min(half, left)
    return Cover(amount_cents, covered, amount_cents - covered, covered < half)


async def year_cover(project_id: int, year: int) -> YearCover:
    rows = await ExpertCost.select(ExpertCost.covered_cents, ExpertCost.invoiced_on).where(
        ExpertCost.project == project_id
    )
    covered = sum(r["covered_cents"] for r in rows if r["invoiced_on"].year == year)
    cap = get_settings().project_expert_cap_cents
    return YearCover(year, cap, covered, max(0, cap - covered))


def _amount_cents(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        cents = round(float(str(value).replace(",", ".").replace(" ", "")) * 100)
    except (TypeError, ValueError, OverflowError):
        return None
    return cents if 0 < cents <= 100_000_000 else None


async def record(project_id: int, data: Any) -> ExpertCost:
    """An expert's invoice (expert, reference, invoiced_on, amount_eur HT) and the part the cluster covers."""
    if not isinstance(data, dict):
        raise ValidationFailed.one("amount_eur", _("Give the amount excl. VAT in euros."))
    project = await get_project(project_id)
    errors: dict[str, str] = {}
    expert = data.get("expert").strip() if isinstance(data.get("expert"), str) else ""
    if not expert or len(expert) > 200:
        errors["expert"] = _("Give the expert's name (at most 200 characters).")
    reference = data.get("reference").strip() if isinstance(data.get("reference"), str) else ""
    if len(reference) > 100:
        errors["reference"] = _("At most %(n)s characters.", n=100)
    try:
        invoiced_on = parse_date(data.get("invoiced_on"))
    except (TypeError, ValueError):
        invoiced_on = None
    if invoiced_on is None:
        errors["invoiced_on"] = _("A date as YYYY-MM-DD.")
    amount = _amount_cents(data.get("amount_eur"))
    if amount is None:
        errors["amount_eur"] = _("Give the amount excl. VAT in euros.")
    if errors:
        raise ValidationFailed(errors)
    assert invoiced_on is not None and amount is not None
    async with write_transaction():
        await lock("projects", "experts", project.id, invoiced_on.year)
        so_far = await year_cover(project.id, invoiced_on.year)
        cover = cover_for(amount, so_far.covered_cents)
        cost = ExpertCost(
            project=project.id,
            expert=expert,
            reference=reference,
            invoiced_on=invoiced_on,
            amount_ht_cents=amount,
            covered_cents=cover.covered_cents,
        )
        await cost.save()
    return cost


async def costs_of(project_id: int) -> list[ExpertCost]:
    return await ExpertCost.objects().where(ExpertCost.project == project_id).order_by(ExpertCost.invoiced_on)


def cost_json(cost: ExpertCost) -> dict[str, Any]:
    return {
        "id": cost.id,
        "expert": cost.expert,
        "reference": cost.reference,
        "invoiced_on": cost.invoiced_on.isoformat(),
        "amount_ht_cents": cost.amount_ht_cents,
        "covered_cents": cost.covered_cents,
        "remaining_cents": cost.amount_ht_cents - cost.covered_cents,
    }
