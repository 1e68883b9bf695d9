"""How a figure reads, in the reader's language: money in euros, hours from minutes, rates from basis
points. The page, the charts, the PDF and the Excel CSV share it."""

from __future__ import annotations

from babel.numbers import format_decimal

from figures.model import Kind
from lib.i18n import get_locale
from lib.templating import fmt_money


def hours(minutes: int) -> str:
    whole, rest = divmod(int(minutes), 60)
    return f"{format_decimal(whole, locale=get_locale())} h {rest:02d}" if rest else f"{whole} h"


def percent(bp: int) -> str:
    return format_decimal(bp / 100, format="0.0", locale=get_locale()) + "\u202f%"


def value(number: int | str, kind: Kind) -> str:
    if isinstance(number, str) or kind == "text":
        return str(number)
    if kind == "money":
        return fmt_money(number)
    if kind == "hours":
        return hours(number)
    if kind == "percent":
        return percent(number)
    return format_decimal(number, locale=get_locale())


def short_money(cents: int) -> str:
    """Whole euros, for chart labels."""
    return format_decimal(round(cents / 100), locale=get_locale()) + "\u00a0€"


def chart_value(number: int, kind: Kind) -> str:
    return short_money(number) if kind == "money" else value(number, kind)
