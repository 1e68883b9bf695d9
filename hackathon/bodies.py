"""The JSON bodies of the hackathon API, for the API document (merged into server.request_bodies)."""

from __future__ import annotations

from typing import Any

from hackathon.tables import ROLES

TEXT: dict[str, Any] = {"type": "string"}


def obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


HACKATHON_BODIES: dict[str, dict[str, Any]] = {
    "registerHackathonParticipant": obj(
        {
            "name": {"type": "string", "maxLength": 200},
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "organisation": {
                "type": "string",
                "maxLength": 200,
                "description": "matched against the member register",
            },
            "role": {"type": "string", "enum": list(ROLES)},
            "skills": {
                "oneOf": [{"type": "array", "items": TEXT, "maxItems": 12}, TEXT],
                "description": "tags, or one text separated by commas",
            },
            "bio": {"type": "string", "maxLength": 1000},
            "needs_accessibility": {"type": "string", "maxLength": 500},
            "needs_diet": {"type": "string", "maxLength": 300},
            "needs_accommodation": {"type": "boolean"},
            "together_with": {"type": "string", "description": "a teammate's email, to be kept together"},
            "locale": {"type": "string", "enum": ["fr", "en"]},
        },
        ("name", "email", "role"),
    ),
    "applyHackathonTeams": obj(
        {"key": {"type": "string", "description": "the preview's key: refused if anything changed since"}},
        ("key",),
    ),
}
