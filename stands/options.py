"""Extras ordered with a stand (power socket, table, chairs, screen, Wi-Fi): HT prices, stock limits.

Stock is taken with one conditional UPDATE ... RETURNING per option in the booking's transaction:
two exhibitors can never both get the last screen, and a rollback gives it back.
"""

from __future__ import annotations

from typing import Any

from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from stands.floorplan import get_plan, text, whole
from stands.tables import BookingOption, StandOption


class OutOfStock(Exception):
    def __init__(self, index: int, option: StandOption) -> None:
        self.index = index
        self.option = option


async def save_option(event_id: int, data: dict[str, Any], option_id: int | None = None) -> dict[str, Any]:
    plan = await get_plan(event_id)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "code": text(errors, data, "code", length=30, required=True),
        "name": text(errors, data, "name", length=120, required=True),
        "name_en": text(errors, data, "name_en", length=120),
        "price_cents": whole(errors, data, "price_cents", low=0, high=10_000_000),
        "stock": None,
    }
    if data.get("stock") not in (None, ""):
        values["stock"] = whole(errors, data, "stock", low=0, high=100_000)
    if errors:
        raise ValidationFailed(errors)
    if option_id is None:
        row = StandOption(plan=plan.id, **values)
        await row.save()
        option_id = row.id
    else:
        condition = (StandOption.id == option_id) & (StandOption.plan == plan.id)
        if values["stock"] is not None:  # never below what is already ordered: one conditional write
            condition &= StandOption.taken <= values["stock"]
        updated = await StandOption.update(values).where(condition).returning(StandOption.id)
        if not updated:
            if not await StandOption.exists().where(
                (StandOption.id == option_id) & (StandOption.plan == plan.id)
            ):
                raise NotFound(_("This option does not exist."))
            raise ValidationFailed.one("stock", _("More units than that are already ordered."))
    return await StandOption.select().where(StandOption.id == option_id).first()  # type: ignore[return-value]


async def parse_order(plan_id: int, raw: Any) -> list[tuple[StandOption, int]]:
    """[{option: id, quantity: n}, ...] -> checked (option, quantity) pairs, or errors naming the item."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValidationFailed.one("options", _("Give a list of options."))
    available = {o.id: o for o in await StandOption.objects().where(StandOption.plan == plan_id)}
    errors: dict[str, str] = {}
    wanted: dict[int, int] = {}
    for i, item in enumerate(raw):
        item = item if isinstance(item, dict) else {}
        option_id = whole(errors, item, "option", low=1, high=2**31 - 1)
        quantity = whole(errors, item, "quantity", low=1, high=100, default=1)
        for key in ("option", "quantity"):
            if key in errors:
                errors[f"options.{i}.{key}"] = errors.pop(key)
        if option_id is not None and option_id not in available:
            errors[f"options.{i}.option"] = _("Unknown option.")
        elif option_id is not None and quantity is not None:
            wanted[option_id] = wanted.get(option_id, 0) + quantity
    if errors:
        raise ValidationFailed(errors)
    return [(available[k], n) for k, n in sorted(wanted.items())]


async def take(order: list[tuple[StandOption, int]]) -> None:
    """Inside the booking's transaction: take the stock or raise ValidationFailed (the caller rolls back)."""
    for index, (option, quantity) in enumerate(order):
        rows = await StandOption.raw(
            "UPDATE stand_option SET taken = taken + {} WHERE id = {} "
            "AND (stock IS NULL OR taken + {} <= stock) RETURNING id",
            quantity,
            option.id,
            quantity,
        )
        if not rows:
            left = (
                await StandOption.select(StandOption.stock, StandOption.taken)
                .where(StandOption.id == option.id)
                .first()
            )
            n = max(0, (left or {}).get("stock", 0) - (left or {}).get("taken", 0))
            raise ValidationFailed.one(
                f"options.{index}.quantity",
                _("Only %(n)s left of “%(name)s”.", n=n, name=option.name),
            )


async def give_back(booking_id: int) -> None:
    """Inside the transaction that releases a booking: its options go back to stock."""
    for row in await BookingOption.select().where(BookingOption.booking == booking_id):
        await StandOption.raw(
            "UPDATE stand_option SET taken = CASE WHEN taken >= {} THEN taken - {} ELSE 0 END WHERE id = {}",
            row["quantity"],
            row["quantity"],
            row["option"],
        )


def total_cents(order: list[tuple[StandOption, int]]) -> int:
    return sum(option.price_cents * quantity for option, quantity in order)
