"""French-first i18n: gettext catalogues in web/translations, the request's locale in a context variable.

msgids are English; French is the default locale. Services call `_()` when they raise, so a
validation message comes out in the language of the request that caused it.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import negotiate_locale
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "web" / "translations"
LOCALES = ("fr", "en")
DEFAULT_LOCALE = "fr"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


@lru_cache(maxsize=8)
def translations_for(locale: str) -> NullTranslations:
    """All catalogues of a locale merged: each domain (web, accounts, events, ticketing, ...) keeps
    its own <domain>.po under web/translations/<locale>/LC_MESSAGES/, compiled to .mo by `make`."""
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    merged: NullTranslations | None = None
    folder = TRANSLATIONS_DIR / locale / "LC_MESSAGES"
    for mo in sorted(folder.glob("*.mo")):
        catalogue = Translations.load(str(TRANSLATIONS_DIR), [locale], domain=mo.stem)
        if merged is None:
            merged = catalogue
        elif isinstance(merged, Translations) and isinstance(catalogue, Translations):
            merged.merge(catalogue)
    return merged or NullTranslations()


def get_locale() -> str:
    return current_locale.get()


def set_locale(locale: str) -> None:
    current_locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def gettext(message: str, **variables: object) -> str:
    text = translations_for(get_locale()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = translations_for(get_locale()).ngettext(singular, plural, n)
    variables.setdefault("num", n)
    return text % variables


def pgettext(context: str, message: str, **variables: object) -> str:
    """gettext with a context: the same English word may need two French forms ("Cancelled": an
    event "Annulé", an order "Annulée")."""
    text = str(translations_for(get_locale()).pgettext(context, message))
    return text % variables if variables else text


_ = gettext


def accepted_languages(header: str) -> list[str]:
    """Accept-Language's language tags, best first by q-weight (ties keep the header's order), without
    those marked q=0 (not acceptable)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _sep, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag.lower()))
    return [tag for _q, _p, tag in sorted(weighted)]


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    """?lang= wins, then the lang cookie, then Accept-Language (q-weights honoured), then French."""
    for candidate in (query_lang, cookie_lang):
        if candidate in LOCALES:
            return str(candidate)
    if accept_language:
        best = negotiate_locale(accepted_languages(accept_language), LOCALES, sep="-")
        if best:
            return best
    return DEFAULT_LOCALE


def localized(obj: object, attr: str) -> str:
    """obj.<attr>_en in English when present, else obj.<attr>."""
    if get_locale() == "en":
        value = getattr(obj, f"{attr}_en", "") if not isinstance(obj, dict) else obj.get(f"{attr}_en", "")
        if value:
            return str(value)
    return str(getattr(obj, attr) if not isinstance(obj, dict) else obj.get(attr, ""))
