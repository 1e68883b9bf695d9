"""Jinja2 environment: gettext, Europe/Paris date formatting, money formatting."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency
from jinja2 import Environment
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from server import i18n
from server.settings import get_settings

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"


def local_tz() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def to_local(value: datetime) -> datetime:
    return value.astimezone(local_tz())


def fmt_datetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, format=fmt, tzinfo=local_tz(), locale=i18n.get_locale())


def fmt_date(value: datetime | date | None, fmt: str = "full") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return format_date(value, format=fmt, locale=i18n.get_locale())


def fmt_time(value: datetime | None, fmt: str = "short") -> str:
    if value is None:
        return ""
    return format_time(value, format=fmt, tzinfo=local_tz(), locale=i18n.get_locale())


def fmt_money(cents: int | None) -> str:
    return format_currency((cents or 0) / 100, "EUR", locale=i18n.get_locale())


def configure_environment(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s: i18n.gettext(s),
        lambda s, p, n: i18n.translations_for(i18n.get_locale()).ngettext(s, p, n),
        newstyle=True,
    )
    from accounts.guards import signed_in  # who the page is shown to (the layouts' account menu)

    env.globals.update(
        signed_in=signed_in,
        current_locale=i18n.get_locale,
        localized=i18n.localized,
        locales=i18n.LOCALES,
    )
    env.filters.update(
        datetime=fmt_datetime,
        date=fmt_date,
        time=fmt_time,
        money=fmt_money,
    )


def template_config() -> TemplateConfig:
    return TemplateConfig(
        directory=TEMPLATES_DIR,
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: configure_environment(engine.engine),
    )
