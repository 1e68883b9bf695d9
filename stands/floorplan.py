"""The hall of an edition: its size, stand categories, stands and fixed features, and its SVG.

Geometry in centimetres. A stand must lie inside the hall and overlap no other stand and no feature
(aisle, pillar, door, stage); every change is checked in the transaction that writes it, so two
editors moving stands at once cannot leave an overlap behind (SQLite: BEGIN IMMEDIATE; PostgreSQL:
the plan row is locked first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from events.tables import Event
from lib.db import is_postgres
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, get_locale, localized
from lib.jobs import atomic
from stands import pricing
from stands.tables import (
    FEATURE_KINDS,
    OPEN_SIDES,
    PRICINGS,
    Booking,
    BookingShare,
    Feature,
    FloorPlan,
    Stand,
    StandCategory,
    StandOption,
)

MAX_HALL_CM = 100_000  # 1 km: anything larger is a typo
MIN_STAND_CM = 100


@dataclass
class PlanView:
    """Everything the plan page, the list view and the editor show."""

    event: Event
    plan: FloorPlan
    categories: dict[int, dict[str, Any]]
    stands: list[dict[str, Any]]
    features: list[dict[str, Any]]
    options: list[dict[str, Any]] = field(default_factory=list)


# ---- input --------------------------------------------------------------------------------------
def whole(
    errors: dict[str, str], data: dict[str, Any], name: str, *, low: int, high: int, default: Any = None
) -> Any:
    """A whole number of a body (int or digits), within [low, high], or an error naming the field."""
    raw = data.get(name, default)
    if raw is None or raw == "":
        errors[name] = _("This field is required.")
        return None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        value = int(raw.strip())
    else:
        value = None
    if value is None:
        errors[name] = _("Enter a whole number.")
        return None
    if not low <= value <= high:
        errors[name] = _("Enter a number between %(low)s and %(high)s.", low=low, high=high)
        return None
    return value


def text(
    errors: dict[str, str], data: dict[str, Any], name: str, *, length: int, required: bool = False
) -> str:
    raw = data.get(name)
    value = raw.strip() if isinstance(raw, str) else ("" if raw is None else None)
    if value is None:
        errors[name] = _("Enter text.")
        return ""
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > length:
        errors[name] = _("At most %(n)s characters.", n=length)
    return value


def choice(
    errors: dict[str, str], data: dict[str, Any], name: str, allowed: tuple[str, ...], default: str
) -> str:
    value = data.get(name, default)
    if value not in allowed:
        errors[name] = _("Choose one of: %(values)s.", values=", ".join(allowed))
        return default
    return value


def flag(errors: dict[str, str], data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if isinstance(value, bool):
        return value
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("0", "false", "off", "no", ""):
        return False
    errors[name] = _("Enter true or false.")
    return default


# ---- reading ------------------------------------------------------------------------------------
async def get_event(key: int | str) -> Event:
    query = Event.objects().where(Event.id == key if isinstance(key, int) else Event.slug == key)
    event = await query.first()
    if event is None:
        raise NotFound(_("This event does not exist."))
    return event


async def get_plan(event_id: int) -> FloorPlan:
    plan = await FloorPlan.objects().where(FloorPlan.event == event_id).first()
    if plan is None:
        raise NotFound(_("This edition has no floor plan yet."))
    return plan


async def load(event_key: int | str) -> PlanView:
    event = await get_event(event_key)
    plan = await get_plan(event.id)
    categories = {c["id"]: c for c in await StandCategory.select().where(StandCategory.plan == plan.id)}
    stands = await Stand.select().where(Stand.plan == plan.id).order_by(Stand.number)
    features = await Feature.select().where(Feature.plan == plan.id).order_by(Feature.id)
    options = await StandOption.select().where(StandOption.plan == plan.id).order_by(StandOption.id)
    occupants = await _occupants(event.id)
    for s in stands:
        category = categories.get(s["category"])
        s["category_name"] = localized(category, "name") if category else ""
        s["area_m2"] = pricing.area_m2_label(s)
        s["member_price_cents"] = pricing.stand_price_cents(category, s, member=True) if category else 0
        s["non_member_price_cents"] = pricing.stand_price_cents(category, s, member=False) if category else 0
        s["badges"] = pricing.badge_quota(category, s) if category else 0
        s["exhibitors"] = occupants.get(s["id"], [])
    for o in options:
        o["left"] = None if o["stock"] is None else max(0, o["stock"] - o["taken"])
    return PlanView(event, plan, categories, stands, features, options)


async def _occupants(event_id: int) -> dict[int, list[dict[str, Any]]]:
    """The exhibitors on each stand of the edition with a live booking (by the edition, not a list of
    its stands' ids: 300 parameters cost more to build than the read)."""
    rows = await BookingShare.select(
        BookingShare.booking.stand.as_alias("stand"),
        BookingShare.booking.status.as_alias("status"),
        BookingShare.name,
        BookingShare.paid_at,
        BookingShare.amount_ttc_cents,
        BookingShare.id,
    ).where(
        (BookingShare.booking.event == event_id) & BookingShare.booking.status.is_in(["held", "approved"])
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        found.setdefault(r["stand"], []).append(r)
    return found


# ---- writing ------------------------------------------------------------------------------------
async def _lock_plan(plan_id: int) -> None:
    """Serialise plan edits on PostgreSQL (SQLite's BEGIN IMMEDIATE already does)."""
    if is_postgres():
        await FloorPlan.raw("SELECT id FROM stand_floor_plan WHERE id = {} FOR UPDATE", plan_id)


async def save_plan(event_id: int, data: dict[str, Any]) -> FloorPlan:
    """Create or resize the hall of an edition (a hall too small for its stands is refused)."""
    await get_event(event_id)
    errors: dict[str, str] = {}
    width = whole(errors, data, "width_cm", low=MIN_STAND_CM, high=MAX_HALL_CM)
    depth = whole(errors, data, "depth_cm", low=MIN_STAND_CM, high=MAX_HALL_CM)
    grid = whole(errors, data, "grid_cm", low=1, high=1000, default=50)
    members_only = flag(errors, data, "members_only")
    hold_hours = None
    if data.get("hold_hours") not in (None, ""):
        hold_hours = whole(errors, data, "hold_hours", low=1, high=24 * 60)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        plan = await FloorPlan.objects().where(FloorPlan.event == event_id).first()
        values = {
            "width_cm": width,
            "depth_cm": depth,
            "grid_cm": grid,
            "members_only": members_only,
            "hold_hours": hold_hours,
        }
        if plan is None:
            plan = FloorPlan(event=event_id, **values)
            await plan.save()
            return plan
        await _lock_plan(plan.id)
        for shape in [
            *await Stand.select().where(Stand.plan == plan.id),
            *await Feature.select().where(Feature.plan == plan.id),
        ]:
            if shape["x_cm"] + shape["width_cm"] > width or shape["y_cm"] + shape["depth_cm"] > depth:
                raise ValidationFailed.one(
                    "width_cm", _("The hall would no longer contain every stand and feature.")
                )
        await FloorPlan.update(values).where(FloorPlan.id == plan.id)
    return await get_plan(event_id)


def _clean_category(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values = {
        "name": text(errors, data, "name", length=120, required=True),
        "name_en": text(errors, data, "name_en", length=120),
        "pricing": choice(errors, data, "pricing", PRICINGS, "per_m2"),
        "member_price_cents": whole(errors, data, "member_price_cents", low=0, high=100_000_000),
        "non_member_price_cents": whole(errors, data, "non_member_price_cents", low=0, high=100_000_000),
        "badges_base": whole(errors, data, "badges_base", low=0, high=50, default=2),
        "badges_per_m2": whole(errors, data, "badges_per_m2", low=0, high=1000, default=9),
    }
    if errors:
        raise ValidationFailed(errors)
    return values


async def add_category(event_id: int, data: dict[str, Any]) -> dict[str, Any]:
    plan = await get_plan(event_id)
    values = _clean_category(data)
    row = StandCategory(plan=plan.id, **values)
    await row.save()
    return {"id": row.id, **values}


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["x_cm"] < b["x_cm"] + b["width_cm"]
        and b["x_cm"] < a["x_cm"] + a["width_cm"]
        and a["y_cm"] < b["y_cm"] + b["depth_cm"]
        and b["y_cm"] < a["y_cm"] + a["depth_cm"]
    )


def _geometry(
    errors: dict[str, str],
    data: dict[str, Any],
    plan: FloorPlan,
    current: dict[str, Any] | None,
    min_size: int,
) -> dict[str, Any]:
    base = current or {}
    merged = {k: data.get(k, base.get(k)) for k in ("x_cm", "y_cm", "width_cm", "depth_cm")}
    geometry = {
        "x_cm": whole(errors, merged, "x_cm", low=0, high=MAX_HALL_CM),
        "y_cm": whole(errors, merged, "y_cm", low=0, high=MAX_HALL_CM),
        "width_cm": whole(
            errors,
            merged,
            "width_cm",
            low=min_size,
            high=MAX_HALL_CM,
        ),
        "depth_cm": whole(
            errors,
            merged,
            "depth_cm",
            low=min_size,
            high=MAX_HALL_CM,
        ),
    }
    if not errors:
        if geometry["x_cm"] + geometry["width_cm"] > plan.width_cm:
            errors["x_cm"] = _(
                "The shape goes outside the hall (%(m)s m wide).", m=f"{plan.width_cm / 100:g}"
            )
        if geometry["y_cm"] + geometry["depth_cm"] > plan.depth_cm:
            errors["y_cm"] = _(
                "The shape goes outside the hall (%(m)s m deep).", m=f"{plan.depth_cm / 100:g}"
            )
    return geometry


async def _check_free_space(
    plan_id: int, shape: dict[str, Any], *, stand_id: int | None, feature_id: int | None, is_stand: bool
) -> None:
    stands = await Stand.select().where(Stand.plan == plan_id)
    for other in stands:
        if other["id"] != stand_id and _overlaps(shape, other):
            raise ValidationFailed.one("x_cm", _("This overlaps stand %(number)s.", number=other["number"]))
    if is_stand:
        for feature in await Feature.select().where(Feature.plan == plan_id):
            if feature["id"] != feature_id and _overlaps(shape, feature):
                raise ValidationFailed.one(
                    "x_cm",
                    _(
                        "This overlaps an aisle or a fixed feature (%(label)s).",
                        label=feature["label"] or feature["kind"],
                    ),
                )


async def save_stand(event_id: int, data: dict[str, Any], stand_id: int | None = None) -> dict[str, Any]:
    """Create a stand or change one (move, resize, renumber, change category or open sides)."""
    plan = await get_plan(event_id)
    current = None
    if stand_id is not None:
        current = await Stand.select().where((Stand.id == stand_id) & (Stand.plan == plan.id)).first()
        if current is None:
            raise NotFound(_("This stand does not exist."))
    errors: dict[str, str] = {}
    base = current or {}
    number = text(
        errors, {"number": data.get("number", base.get("number"))}, "number", length=12, required=True
    )
    open_sides = choice(
        errors,
        {"open_sides": data.get("open_sides", base.get("open_sides", "row"))},
        "open_sides",
        OPEN_SIDES,
        "row",
    )
    category_id = whole(
        errors, {"category": data.get("category", base.get("category"))}, "category", low=1, high=2**31 - 1
    )
    geometry = _geometry(errors, data, plan, current, MIN_STAND_CM)
    unavailable = data.get("unavailable")
    if unavailable is not None:
        unavailable = flag(errors, data, "unavailable")
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        await _lock_plan(plan.id)
        if not await StandCategory.exists().where(
            (StandCategory.id == category_id) & (StandCategory.plan == plan.id)
        ):
            raise ValidationFailed.one("category", _("Unknown stand category."))
        if await Stand.exists().where(
            (Stand.plan == plan.id) & (Stand.number == number) & (Stand.id != (stand_id or 0))
        ):
            raise ValidationFailed.one(
                "number", _("Another stand already has number %(number)s.", number=number)
            )
        await _check_free_space(plan.id, geometry, stand_id=stand_id, feature_id=None, is_stand=True)
        values: dict[str, Any] = {
            "number": number,
            "open_sides": open_sides,
            "category": category_id,
            **geometry,
        }
        if stand_id is None:
            row = Stand(plan=plan.id, status="unavailable" if unavailable else "free", **values)
            await row.save()
            stand_id = row.id
        else:
            await Stand.update(values).where(Stand.id == stand_id)
            if unavailable is not None:
                # only a free stand can be withdrawn, only a withdrawn one given back: one conditional write
                await Stand.update({Stand.status: "unavailable" if unavailable else "free"}).where(
                    (Stand.id == stand_id) & (Stand.status == ("free" if unavailable else "unavailable"))
                )
    return await Stand.select().where(Stand.id == stand_id).first()  # type: ignore[return-value]


async def delete_stand(event_id: int, stand_id: int) -> None:
    plan = await get_plan(event_id)
    async with atomic():
        if await Booking.exists().where(Booking.stand == stand_id):
            raise ValidationFailed.one("stand", _("This stand has bookings: make it unavailable instead."))
        await Stand.delete().where((Stand.id == stand_id) & (Stand.plan == plan.id))


async def save_feature(event_id: int, data: dict[str, Any], feature_id: int | None = None) -> dict[str, Any]:
    plan = await get_plan(event_id)
    current = None
    if feature_id is not None:
        current = await Feature.select().where((Feature.id == feature_id) & (Feature.plan == plan.id)).first()
        if current is None:
            raise NotFound(_("This feature does not exist."))
    errors: dict[str, str] = {}
    base = current or {}
    kind = choice(
        errors, {"kind": data.get("kind", base.get("kind", "other"))}, "kind", FEATURE_KINDS, "other"
    )
    label = text(errors, {"label": data.get("label", base.get("label", ""))}, "label", length=60)
    geometry = _geometry(errors, data, plan, current, 10)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        await _lock_plan(plan.id)
        await _check_free_space(plan.id, geometry, stand_id=None, feature_id=feature_id, is_stand=False)
        if feature_id is None:
            row = Feature(plan=plan.id, kind=kind, label=label, **geometry)
            await row.save()
            feature_id = row.id
        else:
            await Feature.update({"kind": kind, "label": label, **geometry}).where(Feature.id == feature_id)
    return await Feature.select().where(Feature.id == feature_id).first()  # type: ignore[return-value]


async def delete_feature(event_id: int, feature_id: int) -> None:
    plan = await get_plan(event_id)
    await Feature.delete().where((Feature.id == feature_id) & (Feature.plan == plan.id))


async def copy_plan(from_event_id: int, to_event_id: int) -> FloorPlan | None:
    """A new edition starts from last year's hall: same stands, categories, features, options — all free.
    Call inside the transaction that creates the new edition. None when the source has no plan."""
    source = await FloorPlan.objects().where(FloorPlan.event == from_event_id).first()
    if source is None or await FloorPlan.exists().where(FloorPlan.event == to_event_id):
        return None
    plan = FloorPlan(
        event=to_event_id,
        width_cm=source.width_cm,
        depth_cm=source.depth_cm,
        grid_cm=source.grid_cm,
        members_only=source.members_only,
        hold_hours=source.hold_hours,
    )
    await plan.save()
    category_ids: dict[int, int] = {}
    for c in await StandCategory.select().where(StandCategory.plan == source.id):
        old = c.pop("id")
        c["plan"] = plan.id
        row = StandCategory(**c)
        await row.save()
        category_ids[old] = row.id
    for s in await Stand.select().where(Stand.plan == source.id):
        s.pop("id")
        s.update(
            plan=plan.id,
            category=category_ids[s["category"]],
            status="unavailable" if s["status"] == "unavailable" else "free",
        )
        await Stand(**s).save()
    for f in await Feature.select().where(Feature.plan == source.id):
        f.pop("id")
        f["plan"] = plan.id
        await Feature(**f).save()
    for o in await StandOption.select().where(StandOption.plan == source.id):
        o.pop("id")
        o.update(plan=plan.id, taken=0)
        await StandOption(**o).save()
    return plan


# ---- drawing ------------------------------------------------------------------------------------
def open_sides_label(value: str) -> str:
    return {
        "row": _("Row (1 open side)"),
        "corner": _("Corner (2 open sides)"),
        "peninsula": _("Peninsula (3 open sides)"),
        "island": _("Island (4 open sides)"),
    }.get(value, value)


def feature_label(kind: str) -> str:
    return {
        "aisle": _("Aisle"),
        "pillar": _("Pillar"),
        "door": _("Door"),
        "stage": _("Stage"),
        "other": _("Other"),
    }.get(kind, kind)


def state_label(status: str) -> str:
    """Remembered per language: the list view asks once per stand."""
    return _state_label(status, get_locale())


@lru_cache(maxsize=64)
def _state_label(status: str, locale: str) -> str:
    return {
        "free": _("Free"),
        "held": _("Held"),
        "booked": _("Booked"),
        "unavailable": _("Unavailable"),
    }.get(status, status)


def render_svg(view: PlanView, *, link: str | None = None, names: bool = False) -> str:
    """The plan as inline SVG (viewBox in cm): features, then stands coloured by state.

    link: a URL pattern with {id} to make each bookable stand a link (the public plan);
    names: write the exhibitors' names in the stands (staff view, printable plan).
    """
    plan = view.plan
    # translated once per plan, not once per stand (300 stands: 1,500 catalogue look-ups otherwise)
    states = {status: state_label(status) for status in ("free", "held", "booked", "unavailable")}
    stand_word = _("Stand")
    out = [
        f'<svg class="floorplan" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {plan.width_cm} {plan.depth_cm}" '
        f'role="img" aria-labelledby="plan-title" data-grid="{plan.grid_cm}" data-width="{plan.width_cm}" '
        f'data-depth="{plan.depth_cm}"><title id="plan-title">{escape(_("Floor plan"))}</title>',
        f'<rect class="hall" x="0" y="0" width="{plan.width_cm}" height="{plan.depth_cm}"/>',
    ]
    for f in view.features:
        label = escape(f["label"] or "")
        out.append(
            f'<g class="feature feature-{f["kind"]}" data-feature="{f["id"]}"><rect x="{f["x_cm"]}" y="{f["y_cm"]}" '
            f'width="{f["width_cm"]}" height="{f["depth_cm"]}"/>'
            + (
                f'<text x="{f["x_cm"] + f["width_cm"] // 2}" y="{f["y_cm"] + f["depth_cm"] // 2}">{label}</text>'
                if label
                else ""
            )
            + "</g>"
        )
    for s in view.stands:
        cx, cy = s["x_cm"] + s["width_cm"] // 2, s["y_cm"] + s["depth_cm"] // 2
        size = max(40, min(s["width_cm"], s["depth_cm"]) // 4)
        title = f"{stand_word} {s['number']} · {s['area_m2']} m² · {states.get(s['status'], s['status'])}"
        who = ", ".join(e["name"] for e in s["exhibitors"])
        if who and (names or s["status"] in ("booked",)):
            title += f" · {who}"
        shape = (
            f'<rect x="{s["x_cm"]}" y="{s["y_cm"]}" width="{s["width_cm"]}" height="{s["depth_cm"]}"/>'
            f'<text x="{cx}" y="{cy}" font-size="{size}">{escape(s["number"])}</text>'
        )
        if names and who:
            shape += f'<text class="who" x="{cx}" y="{cy + size}" font-size="{size * 2 // 3}">{escape(who[:30])}</text>'
        attrs = (
            f'class="stand stand-{s["status"]}" data-stand="{s["id"]}" data-number="{escape(s["number"])}" '
            f'data-status="{s["status"]}" id="svg-stand-{s["id"]}"'
        )
        body = f"<title>{escape(title)}</title>{shape}"
        if link and s["status"] == "free":
            out.append(f'<a href="{escape(link.format(id=s["id"]))}" {attrs}>{body}</a>')
        else:
            out.append(f"<g {attrs}>{body}</g>")
    out.append("</svg>")
    return "".join(out)
