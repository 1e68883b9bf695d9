"""The JSON bodies of the commissions API, for the API document (merged into server.request_bodies)."""

from __future__ import annotations

from typing import Any

_AMOUNT = {
    "description": 'Amount won HT: an integer of cents, or euros as text ("1 500,50")',
    "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string"}],
}
_RATE = {
    "rate_bp": {
        "type": "integer",
        "minimum": 0,
        "maximum": 10000,
        "description": "Basis points: 1000 = 10 %",
    },
    "rate_percent": {"type": "string", "description": 'Or the rate as a percentage ("12,5")'},
    "rate_reason": {
        "type": "string",
        "maxLength": 300,
        "description": "Required when the rate differs from the default (COMMISSION_RATE_PERCENT)",
    },
}

COMMISSION_BODIES: dict[str, dict[str, Any]] = {
    "recordBusinessBrought": {
        "type": "object",
        "properties": {
            "organisation": {"type": "integer", "description": "The member organisation's id"},
            "buyer": {"type": "string", "minLength": 1, "maxLength": 200},
            "description": {"type": "string", "maxLength": 300},
            "amount": _AMOUNT,
            "won_on": {"type": "string", "format": "date", "description": "YYYY-MM-DD, today when absent"},
            **_RATE,
        },
        "required": ["organisation", "buyer", "amount"],
    },
    "recordCollectiveMarket": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "buyer": {"type": "string", "minLength": 1, "maxLength": 200},
            "reference": {"type": "string", "maxLength": 100},
            "won_on": {"type": "string", "format": "date"},
            "shares": {
                "type": "array",
                "minItems": 2,
                "items": {
                    "type": "object",
                    "properties": {"organisation": {"type": "integer"}, "amount": _AMOUNT},
                    "required": ["organisation", "amount"],
                },
            },
            **_RATE,
        },
        "required": ["title", "buyer", "shares"],
    },
    "confirmCommissionRecord": {"type": "object", "properties": {"amount": _AMOUNT, **_RATE}},
    "markCommissionPaid": {
        "type": "object",
        "properties": {
            "method": {"type": "string", "enum": ["transfer", "card", "cheque"], "default": "transfer"},
            "paid_on": {"type": "string", "format": "date", "description": "YYYY-MM-DD, today when absent"},
        },
    },
    "cancelCommission": {
        "type": "object",
        "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 300}},
        "required": ["reason"],
    },
}
