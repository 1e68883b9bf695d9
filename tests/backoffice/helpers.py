"""Data builders for the back office tests (through the real services) and HTML helpers."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from typing import Any

import anyio

from events import services


def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a coroutine function from a sync test (the test client has its own loop)."""
    return anyio.run(lambda: fn(*args, **kwargs))


async def _mima(with_programme: bool) -> dict[str, Any]:
    venue = await services.create_venue(
        name="Le Sémaphore", address="Rue des Alouettes", postal_code="63118", city="Cébazat"
    )
    hall = await services.create_room(venue_id=venue["id"], name="Grande salle", capacity=400)
    event = await services.create_event(
        title="MIMA 2027",
        title_en="MIMA 2027 – Image and Music Market",
        kind="mima",
        description="Marché de l'Image et de la Musique en Auvergne",
        venue_id=venue["id"],
        starts_at=datetime(2027, 3, 25, 9, 0),
        ends_at=datetime(2027, 3, 26, 19, 0),
        capacity=300,
        edition_year=2027,
        status="published",
    )
    event["room"] = hall
    if with_programme:
        event["sessions"] = [
            await services.add_session(
                event["id"],
                title="Table ronde 2027",
                kind="round_table",
                room_id=hall["id"],
                starts_at=datetime(2027, 3, 25, 10, 0),
                ends_at=datetime(2027, 3, 25, 11, 30),
            ),
            await services.add_session(
                event["id"],
                title="Showcases",
                kind="showcase",
                room_id=hall["id"],
                starts_at=datetime(2027, 3, 26, 14, 0),
                ends_at=datetime(2027, 3, 26, 16, 0),
            ),
        ]
    return event


def mima(with_programme: bool = False) -> dict[str, Any]:
    return run(_mima, with_programme)


def translated(msgid: str, lang: str) -> str:
    """The message as the app shows it in this language; French must really be translated."""
    from lib import i18n

    token = i18n.current_locale.set(lang)
    try:
        text = i18n.gettext(msgid)
    finally:
        i18n.current_locale.reset(token)
    if lang == "fr":
        assert text != msgid, f"no French translation for {msgid!r}"
    return text


def text_of(html: str) -> str:
    """The page's visible text, tags removed and entities decoded (for assertions on messages)."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def field_error(html: str, field: str) -> str | None:
    """The error message shown next to a form field (data-testid="error-<field>"), if any."""
    match = re.search(rf'data-testid="error-{re.escape(field)}"[^>]*>(.*?)</p>', html, flags=re.S)
    return unescape(match.group(1)).strip() if match else None


def input_value(html: str, field: str) -> str | None:
    match = re.search(
        rf'<input id="f-{re.escape(field)}" name="{re.escape(field)}" type="[^"]*" value="([^"]*)"', html
    )
    return unescape(match.group(1)) if match else None
