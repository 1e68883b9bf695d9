"""The JSON bodies of the stands API, for the API document (merged into server.request_bodies)."""

from __future__ import annotations

from typing import Any

WHOLE: dict[str, Any] = {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[+-]?\d+\s*$"}]}
TEXT: dict[str, Any] = {"type": "string"}
FLAG: dict[str, Any] = {"description": "true/false, or 1/0, on/off"}


def obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


OPTIONS = {"type": "array", "items": obj({"option": WHOLE, "quantity": WHOLE}, ("option",))}
SHAPE = {"x_cm": WHOLE, "y_cm": WHOLE, "width_cm": WHOLE, "depth_cm": WHOLE}
STAND = obj(
    {
        "number": TEXT,
        "category": WHOLE,
        "open_sides": {"type": "string", "enum": ["row", "corner", "peninsula", "island"]},
        "unavailable": FLAG,
        **SHAPE,
    }
)
FEATURE = obj(
    {
        "kind": {"type": "string", "enum": ["aisle", "pillar", "door", "stage", "other"]},
        "label": TEXT,
        **SHAPE,
    }
)

STAND_BODIES: dict[str, dict[str, Any]] = {
    "requestStand": obj(
        {
            "options": OPTIONS,
            "note": TEXT,
            "organisation_name": TEXT,
            "share_percent": WHOLE,
            "co_exhibitors": {
                "type": "array",
                "items": obj({"organisation": WHOLE, "percent": WHOLE}, ("organisation", "percent")),
            },
        }
    ),
    "joinStandWaitingList": obj({"name": TEXT}),
    "updateExhibitorProfile": obj(
        {"name": TEXT, "activity": TEXT, "activity_en": TEXT, "website": TEXT, "showcase_url": TEXT}
    ),
    "issueExhibitorBadges": obj({"names": {"type": "array", "items": TEXT}}, ("names",)),
    "staffIssueExhibitorBadges": obj({"names": {"type": "array", "items": TEXT}}, ("names",)),
    "declareTradeFair": obj({"shares_stand": FLAG}),
    "saveStandPlan": obj(
        {"width_cm": WHOLE, "depth_cm": WHOLE, "grid_cm": WHOLE, "members_only": FLAG, "hold_hours": WHOLE},
        ("width_cm", "depth_cm"),
    ),
    "addStandCategory": obj(
        {
            "name": TEXT,
            "name_en": TEXT,
            "pricing": {"type": "string", "enum": ["per_m2", "fixed"]},
            "member_price_cents": WHOLE,
            "non_member_price_cents": WHOLE,
            "badges_base": WHOLE,
            "badges_per_m2": WHOLE,
        },
        ("name", "member_price_cents", "non_member_price_cents"),
    ),
    "addStand": STAND,
    "updateStand": STAND,
    "addPlanFeature": FEATURE,
    "updatePlanFeature": FEATURE,
    "addStandOption": obj(
        {"code": TEXT, "name": TEXT, "name_en": TEXT, "price_cents": WHOLE, "stock": WHOLE},
        ("code", "name", "price_cents"),
    ),
    "assignStand": obj(
        {"organisation": WHOLE, "free_of_charge": FLAG, "note": TEXT, "options": OPTIONS}, ("organisation",)
    ),
    "refuseStandBooking": obj({"reason": TEXT}),
    "createTradeFair": obj(
        {
            "name": TEXT,
            "place": TEXT,
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
            "accreditation_cents": WHOLE,
            "shared_stand_cents": WHOLE,
        },
        ("name", "starts_on", "ends_on", "accreditation_cents"),
    ),
    "addTradeFairParticipant": obj({"organisation": WHOLE, "shares_stand": FLAG}, ("organisation",)),
}
