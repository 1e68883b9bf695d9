"""Small helpers the juries capability modules share: JSON columns, input checks, row locks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from lib.db import is_postgres
from lib.errors import NotFound
from lib.i18n import _

ID_MAX = 2**31 - 1


def now() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def loads(text: str | None, default: Any) -> Any:
    try:
        value = json.loads(text or "")
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def lock(table: type, row_id: int) -> None:
    """Row lock on PostgreSQL (SQLite's BEGIN IMMEDIATE already serialises writers)."""
    if is_postgres():
        await table.select(table.id).where(table.id == row_id).lock_rows()


async def row_or_404(table: type, row_id: Any, message: str) -> Any:
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 1 <= row_id <= ID_MAX:
        raise NotFound(message)
    row = await table.objects().where(table.id == row_id).first()
    if row is None:
        raise NotFound(message)
    return row


def text(errors: dict[str, str], data: dict[str, Any], field: str, *, required: bool, max_length: int) -> str:
    raw = data.get(field)
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors[field] = _("Enter text.")
        return ""
    value = raw.strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > max_length:
        errors[field] = _("At most %(n)s characters.", n=max_length)
    return value


def whole(
    errors: dict[str, str],
    data: dict[str, Any],
    field: str,
    *,
    required: bool,
    low: int = 0,
    high: int = ID_MAX,
) -> int | None:
    """A whole number given as an int or a string of digits (never a bool), within [low, high]."""
    raw = data.get(field)
    if raw is None or raw == "":
        if required:
            errors[field] = _("This field is required.")
        return None
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.strip().lstrip("-").isdigit() and len(raw.strip()) < 12:
        value = int(raw.strip())
    if value is None:
        errors[field] = _("Enter a whole number.")
        return None
    if not low <= value <= high:
        errors[field] = _("Enter a number between %(low)s and %(high)s.", low=low, high=high)
        return None
    return value


def when(errors: dict[str, str], data: dict[str, Any], field: str, *, required: bool) -> datetime | None:
    raw = data.get(field)
    if raw in (None, ""):
        if required:
            errors[field] = _("This field is required.")
        return None
    if isinstance(raw, datetime):
        return aware(raw)
    try:
        return aware(datetime.fromisoformat(str(raw)))
    except ValueError:
        errors[field] = _("Enter a valid date and time.")
        return None


def flag(errors: dict[str, str], data: dict[str, Any], field: str) -> bool:
    raw = data.get(field, False)
    if isinstance(raw, bool):
        return raw
    if raw in ("on", "true", "1", "yes"):
        return True
    if raw in ("", "false", "0", "no", "off", None):
        return False
    errors[field] = _("Answer yes or no.")
    return False


class in_locale:  # noqa: N801 (used as `with in_locale("en"):`, like a function)
    """Render messages (emails) in another person's language, then come back to the request's."""

    def __init__(self, locale: str) -> None:
        from lib import i18n

        self.locale = locale if locale in i18n.LOCALES else i18n.DEFAULT_LOCALE
        self.token: Any = None

    def __enter__(self) -> None:
        from lib import i18n

        self.token = i18n.current_locale.set(self.locale)

    def __exit__(self, *exc: object) -> None:
        from lib import i18n

        i18n.current_locale.reset(self.token)
