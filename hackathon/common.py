"""Small helpers the hackathon capability modules share: editions, personal links, emails."""

from __future__ import annotations

import secrets
from datetime import datetime
from html import escape
from typing import Any

from events.tables import Event
from hackathon.tables import Edition, HackParticipant
from juries.common import in_locale, row_or_404
from lib.clock import local_tz
from lib.errors import NotFound
from lib.i18n import _
from lib.mail import queue_email
from lib.settings import get_settings
from lib.tokens import hash_token


def new_token() -> tuple[str, str]:
    """A secret for a link and the hash stored in its place."""
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def local_times(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """A form's datetime-local values (no offset) are the cluster's time: give them its zone."""
    out = dict(data)
    for name in names:
        raw = out.get(name)
        if isinstance(raw, str) and raw.strip():
            try:
                moment = datetime.fromisoformat(raw.strip())
            except ValueError:
                continue  # the field's own check names it
            if moment.tzinfo is None:
                out[name] = moment.replace(tzinfo=local_tz())
    return out


def absolute(path: str) -> str:
    return get_settings().base_url.rstrip("/") + path


async def get_edition(edition_id: Any) -> Edition:
    return await row_or_404(Edition, edition_id, _("This hackathon edition does not exist."))


async def edition_of_event(event_id: Any) -> Edition:
    edition = (
        await Edition.objects().where(Edition.event == event_id).first()
        if isinstance(event_id, int)
        else None
    )
    if edition is None:
        raise NotFound(_("This hackathon edition does not exist."))
    return edition


async def event_of(edition: Edition) -> Event:
    event = await Event.objects().where(Event.id == edition.event).first()
    assert event is not None  # the edition cascades with its event
    return event


def event_title(event: Event, locale: str) -> str:
    return event.title_en if locale == "en" and event.title_en else event.title


async def participant_by_token(token: str | None) -> HackParticipant:
    row = (
        await HackParticipant.objects().where(HackParticipant.access_hash == hash_token(token)).first()
        if token
        else None
    )
    if row is None:
        raise NotFound(_("This personal link is not valid."))
    return row


async def email_participant(
    participant: HackParticipant, subject: Any, lines: Any, *, link: str | None = None, key: str | None = None
) -> None:
    """An email in the participant's language: subject and lines are callables run in that language."""
    with in_locale(participant.locale):
        title = subject()
        hello = _("Hello %(name)s,", name=participant.name)
        body = lines()
        link_label = _("Your personal page (team, submission, withdrawal):")
    text = "\n\n".join([hello, *body, *([f"{link_label}\n{link}"] if link else []), "-- \nLE DAMIER"]) + "\n"
    html = "".join(f"<p>{escape(p)}</p>" for p in [hello, *body])
    if link:
        html += f'<p>{escape(link_label)}<br><a href="{escape(link)}">{escape(link)}</a></p>'
    await queue_email(participant.email, title, text, html=html, dedup_key=key)
