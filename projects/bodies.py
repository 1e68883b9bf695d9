"""The JSON bodies of the projects API, for the API document (merged into server.request_bodies)."""

from __future__ import annotations

from typing import Any

TEXT: dict[str, Any] = {"type": "string"}
NAME: dict[str, Any] = {"type": "string", "maxLength": 200}
DAY: dict[str, Any] = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
NUMBER: dict[str, Any] = {
    "oneOf": [{"type": "number"}, {"type": "string"}],
    "description": 'a number, or a string such as "2,5"',
}


def obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


CARRIER = obj(
    {
        "organisation": {"type": "integer", "minimum": 1},
        "share_percent": {
            **NUMBER,
            "description": "0-100; all given (adding up to 100) or none (equal shares)",
        },
    },
    ("organisation",),
)
PROJECT_BODIES: dict[str, dict[str, Any]] = {
    "createProject": obj(
        {
            "title": NAME,
            "description": TEXT,
            "lead_name": NAME,
            "lead_email": {"type": "string", "format": "email", "maxLength": 254},
            "origin": {"type": "string", "enum": ["staff", "hackathon"]},
            "hackathon_edition": NAME,
            "hackathon_team": NAME,
            "convention_on": DAY,
            "carriers": {"type": "array", "minItems": 2, "items": CARRIER},
            "accompany": {"type": "boolean", "description": "false: created in the queue (default true)"},
            "queue_if_full": {"type": "boolean", "description": "true: wait in the queue instead of a 409"},
        },
        ("title", "lead_name", "lead_email", "carriers"),
    ),
    "logProjectHours": obj(
        {"worked_on": DAY, "who": NAME, "what": TEXT, "hours": NUMBER}, ("worked_on", "who", "hours")
    ),
    "recordExpertCost": obj(
        {
            "expert": NAME,
            "reference": {"type": "string", "maxLength": 100},
            "invoiced_on": DAY,
            "amount_eur": {**NUMBER, "description": "amount excl. VAT in euros"},
        },
        ("expert", "invoiced_on", "amount_eur"),
    ),
}
