"""i18n completeness: every user string (msgid) of templates and Python code has a French translation,
and the French pages show no untranslated English.

Messages are extracted exactly as `make extract` does: Babel with babel.cfg at the repository root.
A failure lists every missing msgid with the file and line that uses it.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections import defaultdict
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUES = ROOT / "web" / "translations" / "fr" / "LC_MESSAGES"
PARIS = ZoneInfo("Europe/Paris")
# The public site's own files: their strings belong to the `web` catalogue.
PUBLIC_SOURCES = (
    "web/templates/base.html",
    "web/templates/public/",
    "web/templates/errors/",
    "web/labels.py",
    "web/errors.py",
    "events/pages/public.py",
    "server/demo.py",
)
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "gettext": None, "ngettext": (1, 2)}


def project_files() -> set[str] | None:
    """The files under version control (work in progress of a checkout is not the project yet);
    None outside a git checkout (then every file counts)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name for name in out.decode().split("\0") if name}


@lru_cache(maxsize=1)
def extracted() -> dict[str | tuple[str, ...], list[str]]:
    """msgid (or (singular, plural)) -> ["path:line", ...] for the whole project."""
    tracked = project_files()
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    found: dict[str | tuple[str, ...], list[str]] = defaultdict(list)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            message = tuple(m for m in message if m)
            if len(message) == 1:
                message = message[0]
        if tracked is not None and filename not in tracked:
            continue
        if message:
            found[message].append(f"{filename}:{lineno}")
    return dict(found)


@lru_cache(maxsize=1)
def translations() -> dict[str, tuple[str, ...]]:
    """msgid -> French strings, merged over every catalogue (non-fuzzy, non-empty entries only)."""
    merged: dict[str, tuple[str, ...]] = {}
    for po in sorted(CATALOGUES.glob("*.po")):
        with open(po, "rb") as fh:
            catalogue = read_po(fh, locale="fr")
        for message in catalogue:
            if not message.id or message.fuzzy:
                continue
            key = message.id[0] if isinstance(message.id, tuple | list) else message.id
            strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
            if strings and all(s.strip() for s in strings):
                merged.setdefault(key, tuple(strings))
    return merged


def missing(where: tuple[str, ...] | None = None) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    known = translations()
    for message, locations in extracted().items():
        if where is not None:
            locations = [loc for loc in locations if loc.startswith(where)]
            if not locations:
                continue
        key = message[0] if isinstance(message, tuple) else message
        if key not in known:
            result[key] = locations
    return result


def report(problems: dict[str, list[str]]) -> str:
    lines = [f"{len(problems)} msgid(s) without a French translation in {CATALOGUES}/*.po:"]
    for msgid, locations in sorted(problems.items(), key=lambda kv: kv[1]):
        lines.append(f"  {msgid!r}  <- {', '.join(locations[:3])}")
    return "\n".join(lines)


def test_extraction_finds_the_site_strings():
    """Guard against an extraction that silently finds nothing (wrong babel.cfg, wrong root)."""
    messages = extracted()
    assert "Add to my calendar" in messages
    assert any(loc.startswith("web/templates/public/event.html") for loc in messages["Add to my calendar"])
    assert "General Assembly" in messages  # Python source (web/labels.py)
    assert len(messages) > 60


def test_public_site_strings_are_translated():
    problems = missing(PUBLIC_SOURCES)
    assert not problems, report(problems)


def test_every_project_string_has_a_french_translation():
    problems = missing()
    assert not problems, report(problems)


# ---- rendered pages: no English left in French ------------------------------------------------------
def english_msgids_of_public_templates() -> list[str]:
    """The English msgids of the public templates whose French differs (so English would be a bug)."""
    known = translations()
    words = []
    for message, locations in extracted().items():
        if not any(loc.startswith(PUBLIC_SOURCES) for loc in locations):
            continue
        key = message[0] if isinstance(message, tuple) else message
        french = known.get(key, ("",))[0]
        if "%" in key or french == key or len(key) < 4:
            continue
        words.append(key)
    return words


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


async def test_french_pages_contain_no_untranslated_english(client):
    from events import services

    venue = await services.create_venue(name="Sémaphore", postal_code="63118", city="Cébazat")
    room = await services.create_room(venue_id=venue["id"], name="Grande salle", capacity=500)
    event = await services.create_event(
        title="MIMA 2031 – Marché de l'Image et de la Musique en Auvergne",
        title_en="MIMA 2031 – Auvergne Image and Music Market",
        description="Le rendez-vous des professionnels.",
        description_en="The professionals' meeting.",
        kind="mima",
        status="published",
        venue_id=venue["id"],
        starts_at=datetime(2031, 10, 14, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2031, 10, 15, 18, 0, tzinfo=PARIS),
        capacity=350,
        edition_year=2031,
    )
    await services.add_session(
        event["id"],
        title="Table ronde : diffuser en milieu rural",
        title_en="Round table: touring rural areas",
        kind="round_table",
        room_id=room["id"],
        starts_at=datetime(2031, 10, 14, 10, 0, tzinfo=PARIS),
        ends_at=datetime(2031, 10, 14, 11, 30, tzinfo=PARIS),
    )
    cancelled = await services.create_event(
        title="Rencontre annulée",
        title_en="Cancelled meeting",
        kind="thematic_meeting",
        status="cancelled",
        venue_id=venue["id"],
        starts_at=datetime(2031, 11, 4, 14, 0, tzinfo=PARIS),
        ends_at=datetime(2031, 11, 4, 17, 0, tzinfo=PARIS),
    )
    english = english_msgids_of_public_templates()
    assert "Add to my calendar" in english and "Upcoming events" in english
    english += ["Auvergne Image and Music Market", "Round table: touring", "The professionals' meeting"]
    pages = [
        "/",
        "/events",
        "/events?past=true",
        "/events?kind=mima",
        f"/events/{event['slug']}",
        f"/events/{cancelled['slug']}",
        "/no-such-page",
    ]
    leftovers: dict[str, list[str]] = {}
    for url in pages:
        r = client.get(url, headers={"Accept": "text/html"})
        assert r.status_code in (200, 404), url
        assert '<html lang="fr">' in r.text
        text = visible_text(r.text)
        found = [w for w in english if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
        if found:
            leftovers[url] = found
    assert not leftovers, f"English text on French pages: {leftovers}"
    # and the same pages really are English when asked (the check above is not vacuous)
    text = visible_text(client.get(f"/events/{event['slug']}?lang=en").text)
    assert "Add to my calendar" in text and "Auvergne Image and Music Market" in text
