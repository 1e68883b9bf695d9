"""The JSON bodies of the dues API, for the API document (merged into server.request_bodies)."""

from __future__ import annotations

from typing import Any

DUES_BODIES: dict[str, dict[str, Any]] = {
    "markDuesPaid": {
        "type": "object",
        "properties": {
            "method": {"type": "string", "enum": ["transfer", "card"], "default": "transfer"},
            "paid_on": {"type": "string", "format": "date", "description": "YYYY-MM-DD, today when absent"},
        },
    },
    "cancelDues": {
        "type": "object",
        "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 300}},
        "required": ["reason"],
    },
}
