"""The order form's fields, parsed and checked the same way wherever a buyer types them (an order, the
waiting list): each error goes into `errors` under the field's name."""

from __future__ import annotations

from typing import Any

from lib.i18n import _
from lib.tokens import normalize_email


def stripped_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def email_field(errors: dict[str, str], field: str, value: Any, *, required: bool) -> str:
    from members.register import email_error

    address = normalize_email(stripped_text(value))
    message = email_error(address, required=required)
    if message:
        errors[field] = message
    return address


def name_field(errors: dict[str, str], field: str, value: Any, *, required: bool = True) -> str:
    text = stripped_text(value)
    if required and not text:
        errors[field] = _("A name is required.")
    elif len(text) > 200:
        errors[field] = _("At most 200 characters.")
    return text
