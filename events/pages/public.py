"""Public pages: home, event list (filter by kind), event page with its programme.

Thin: reads only what the pages show; drafts never leave this module (404 for the public).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, date, datetime
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from events import services as events
from lib.errors import NotFound
from lib.templating import to_local
from ticketing import types as ticket_types
from ticketing.order_views import public_types
from web import labels


def _page_context(**extra: Any) -> dict[str, Any]:
    return {
        "event_kind_label": labels.event_kind_label,
        "session_kind_label": labels.session_kind_label,
        "status_label": labels.status_label,
        "person_role_label": labels.person_role_label,
        **extra,
    }


async def public_events(kind: str | None = None, past: bool = False) -> list[dict[str, Any]]:
    """Published (and cancelled, shown as such) events: upcoming ones by start, or past ones latest first."""
    if not past:
        return await events.list_events(published_only=True, upcoming_only=True, kind=kind)
    now = datetime.now(UTC)
    finished = [e for e in await events.list_events(published_only=True, kind=kind) if e["ends_at"] < now]
    return list(reversed(finished))


async def public_event(slug: str) -> dict[str, Any]:
    """The event with its programme; drafts and unknown slugs are a 404 page."""
    try:
        return await events.event_with_programme(slug, published_only=True)
    except NotFound as exc:
        raise NotFoundException() from exc


def programme_by_day(programme: list[dict[str, Any]]) -> list[tuple[date, list[dict[str, Any]]]]:
    """Sessions grouped by their local (Europe/Paris) day, in order."""
    days: OrderedDict[date, list[dict[str, Any]]] = OrderedDict()
    for s in programme:
        days.setdefault(to_local(s["starts_at"]).date(), []).append(s)
    return list(days.items())


class PublicController(Controller):
    tags = ["Public pages"]
    include_in_schema = False

    @get("/", operation_id="public_home", name="public:home")
    async def home(self) -> Template:
        upcoming = await public_events()
        highlight = next((e for e in upcoming if e["status"] == "published"), None)
        others = [e for e in upcoming if highlight is None or e["id"] != highlight["id"]]
        return Template(
            template_name="public/home.html",
            context=_page_context(highlight=highlight, events=others),
        )

    @get("/events", operation_id="public_events", name="public:events")
    async def event_list(self, kind: str | None = None, past: bool = False) -> Template:
        kinds = labels.event_kind_labels()
        selected = kind if kind in kinds else None
        found = await public_events(kind=selected, past=past)
        return Template(
            template_name="public/events.html",
            context=_page_context(events=found, kinds=kinds, selected_kind=selected, past=past),
        )

    @get("/events/{slug:str}", operation_id="public_event", name="public:event")
    async def event_page(self, request: Request, slug: str) -> Template:
        event = await public_event(slug)
        host = request.url.netloc
        is_past = event["ends_at"] < datetime.now(UTC)
        on_sale = event["status"] == "published" and not is_past and await ticket_types.on_sale(event["id"])
        # What a visitor decides on: the prices (incl. VAT) and the places left, not a status.
        offer = await public_types(event["id"]) if on_sale else []
        return Template(
            template_name="public/event.html",
            context=_page_context(
                event=event,
                venue=event["venue"],
                days=programme_by_day(event["programme"]),
                multi_day=to_local(event["starts_at"]).date() != to_local(event["ends_at"]).date(),
                is_past=is_past,
                on_sale=on_sale,
                offer=offer,
                places_left=_places_left(offer),
                webcal_url=f"webcal://{host}/calendar/events.ics",
            ),
        )


def _places_left(offer: list[dict[str, Any]]) -> int | None:
    """Places a visitor can still book over all public ticket types (None: no limit)."""
    if not offer or any(t["places_left"] is None for t in offer):
        return None
    return max(t["places_left"] for t in offer)


ROUTES: list[Any] = [PublicController]
