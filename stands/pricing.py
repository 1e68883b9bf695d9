"""Stand prices and badge quotas: per m² or fixed, member or non-member, HT in cents."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal

from lib.i18n import get_locale
from lib.settings import get_settings


def area_cm2(stand: Any) -> int:
    return _get(stand, "width_cm") * _get(stand, "depth_cm")


@lru_cache(maxsize=4096)
def _area_label(area_cm2: int, locale: str) -> str:
    return format_decimal(area_cm2 / 10000, format="#,##0.##", locale=locale)


def area_m2_label(stand: Any) -> str:
    """9 m², 7.5 m²: the area for people (one decimal at most). Remembered per area and language: a
    hall of 300 stands has a handful of sizes, and Babel's formatting was a third of the plan's load."""
    return _area_label(area_cm2(stand), get_locale())


def stand_price_cents(category: Any, stand: Any, *, member: bool) -> int:
    """HT price of the whole stand for a member or a non-member (per m² prices times the area)."""
    unit = _get(category, "member_price_cents" if member else "non_member_price_cents")
    if _get(category, "pricing") == "fixed":
        return unit
    return (unit * area_cm2(stand) + 5000) // 10000  # cents per m² × m², rounded half up


def badge_quota(category: Any, stand: Any) -> int:
    """Included exhibitor badges: a base per stand plus one per `badges_per_m2` m² (2 + 1 per 9 m²)."""
    per = _get(category, "badges_per_m2")
    extra = area_cm2(stand) // (per * 10000) if per else 0
    return _get(category, "badges_base") + extra


def share_of(amount_cents: int, share_bp: int) -> int:
    """A co-exhibitor's part of an amount (basis points of 10000), rounded half up."""
    return (amount_cents * share_bp + 5000) // 10000


def vat_cents(ht_cents: int) -> int:
    return (ht_cents * get_settings().vat_rate_percent + 50) // 100


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)
