"""Jinja2 environment: gettext, Europe/Paris date formatting, money formatting."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, cast

from babel.dates import (
    format_date,
    format_datetime,
    format_time,
    get_date_format,
    get_datetime_format,
    get_time_format,
)
from babel.numbers import format_currency
from jinja2 import Environment
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from lib import i18n
from lib.clock import local_tz

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"


def _aware(value: datetime | str) -> datetime:
    """Stored values are UTC: a naive datetime (SQLite raw rows) or an ISO string (JSON rows) is read
    as such."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def to_local(value: datetime | str) -> datetime:
    return _aware(value).astimezone(local_tz())


Width = Literal["full", "long", "medium", "short"]  # Babel's format widths


# The one date/time formatting of the site, its PDFs, emails and CSVs: Babel's patterns of the
# current locale, always in Paris time, minutes without seconds and without a time zone name
# (Babel's "full"/"long" datetimes add "09:00:00 heure normale d'Europe centrale").
def datetime_pattern(fmt: str = "medium", locale: str | None = None) -> str:
    locale = locale or i18n.get_locale()
    width = cast(Width, fmt if fmt in ("full", "long", "medium", "short") else "medium")
    combined = str(get_datetime_format(width, locale=locale))  # "{1}, {0}": date and time placeholders
    return combined.replace("{1}", str(get_date_format(width, locale=locale).pattern)).replace(
        "{0}", str(get_time_format("short", locale=locale).pattern)
    )


def fmt_datetime(value: datetime | str | None, fmt: str = "medium") -> str:
    """ "jeudi 25 mars 2027, 09:00" (full), "25 mars 2027, 09:00" (medium), "25/03/2027 09:00" (short)."""
    if value is None or value == "":
        return ""
    locale = i18n.get_locale()
    return format_datetime(to_local(value), datetime_pattern(fmt, locale), locale=locale)


def fmt_date(value: datetime | date | str | None, fmt: str = "full") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime | str):
        value = to_local(value).date()
    return format_date(value, format=fmt, locale=i18n.get_locale())


def fmt_time(value: datetime | str | None, fmt: str = "short") -> str:
    """ "09:00" in French, "9:00 AM" in English (never seconds or a zone name)."""
    if value is None or value == "":
        return ""
    return format_time(to_local(value), format="short", locale=i18n.get_locale())


def fmt_range(start: datetime | str | None, end: datetime | str | None, fmt: str = "full") -> str:
    """A start and an end: "jeudi 25 mars 2027, 09:00 – 12:00" on one day, both dates otherwise."""
    if start is None or start == "":
        return ""
    if end is None or end == "":
        return fmt_datetime(start, fmt)
    if to_local(start).date() == to_local(end).date():
        return f"{fmt_datetime(start, fmt)} – {fmt_time(end)}"
    return f"{fmt_datetime(start, fmt)} – {fmt_datetime(end, fmt)}"


def fmt_money(cents: int | None) -> str:
    return format_currency((cents or 0) / 100, "EUR", locale=i18n.get_locale())


def configure_environment(env: Environment, extra_globals: Mapping[str, Any] | None = None) -> None:
    """Filters and gettext for every template; `extra_globals` are the wiring's (who is signed in,
    the label table), since the kernel knows no domain."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s: i18n.gettext(s),
        lambda s, p, n: i18n.translations_for(i18n.get_locale()).ngettext(s, p, n),
        newstyle=True,
    )
    env.globals.update(
        current_locale=i18n.get_locale,
        localized=i18n.localized,
        locales=i18n.LOCALES,
        **(extra_globals or {}),
    )
    env.filters.update(
        datetime=fmt_datetime,
        date=fmt_date,
        time=fmt_time,
        daterange=fmt_range,
        money=fmt_money,
    )


def template_config(extra_globals: Mapping[str, Any] | None = None) -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(
        directory=TEMPLATES_DIR,
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: configure_environment(engine.engine, extra_globals),
    )
