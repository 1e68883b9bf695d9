"""Staff's hand edits of the Court d'Ici programme: pin a film (into the programme, as the opener or the
closer), swap two films, move one up, down or to a place, reorder the whole list (drag and drop), remove or
add a selected film. Each edit is applied to the saved draft and saved through screening.save_order, which
re-checks the rules; `programme_view` gives the page its figures (total runtime with the gaps and the
introduction against the window, the mix per genre and per organisation, the rules broken and the
back-to-back warnings).

A draft is saved even when it breaks a rule: a programmer goes through such states (remove one film before
adding another) and must not lose the work; the breaks are shown plainly, and publishing refuses a draft
that breaks a hard rule (screening.publish)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from juries.calls import get_call
from juries.common import aware, loads
from juries.screening import RULE_FIELDS, check_order, event_minutes, rules_of, save_order, selected_films
from juries.tables import Entry, ScreeningProgramme
from lib.errors import ValidationFailed
from lib.i18n import _
from members.tables import Organisation

ACTIONS = (
    "up",
    "down",
    "move",
    "remove",
    "add",
    "swap",
    "pin",
    "unpin",
    "opener",
    "closer",
    "unfix",
    "reorder",
    "use",
)


@dataclass
class Draft:
    order: list[int]
    rules: dict[str, Any] = field(default_factory=dict)


def apply_edit(draft: Draft, selected: set[int], action: str, data: dict[str, Any]) -> Draft:
    """The draft after one edit; ValidationFailed naming the field for an edit that cannot be made
    (a film that is not selected, a move past the ends, a reordering that is not the same films)."""
    if action not in ACTIONS:
        raise ValidationFailed.one("action", _("Unknown edit."))
    order = list(draft.order)
    rules = {k: v for k, v in draft.rules.items() if k in RULE_FIELDS}
    pinned = [i for i in rules.get("pinned") or [] if i in selected]

    def film(key: str) -> int:
        value = data.get(key)
        try:
            number = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            number = None
        if number is None or number not in selected:
            raise ValidationFailed.one(key, _("Choose a selected film."))
        return number

    def placed(key: str) -> int:
        number = film(key)
        if number not in order:
            raise ValidationFailed.one(key, _("This film is not in the programme."))
        return number

    if action in ("reorder", "use"):
        raw = data.get("order")
        if isinstance(raw, str):
            raw = [p for p in raw.split(",") if p.strip()]
        try:
            new = [int(i) for i in raw or []]
        except (TypeError, ValueError):
            raise ValidationFailed.one("order", _("Order selected films.")) from None
        if not new or any(i not in selected for i in new) or len(set(new)) != len(new):
            raise ValidationFailed.one("order", _("Order selected films."))
        if action == "reorder" and set(new) != set(order):
            raise ValidationFailed.one(
                "order", _("Reordering keeps the same films: add or remove them apart.")
            )
        order = new
    elif action in ("up", "down"):
        fid = placed("entry")
        i = order.index(fid)
        j = i - 1 if action == "up" else i + 1
        if not 0 <= j < len(order):
            raise ValidationFailed.one("entry", _("This film cannot move further."))
        order[i], order[j] = order[j], order[i]
    elif action == "move":
        fid = placed("entry")
        try:
            place = int(data.get("position") or 0)
        except (TypeError, ValueError):
            place = 0
        if not 1 <= place <= len(order):
            raise ValidationFailed.one("position", _("Give a place between 1 and %(n)s.", n=len(order)))
        order.remove(fid)
        order.insert(place - 1, fid)
    elif action == "remove":
        fid = placed("entry")
        order.remove(fid)
        # removing a film is staff's choice: it is no longer pinned nor fixed at an end
        pinned = [i for i in pinned if i != fid]
        for end in ("opener", "closer"):
            if rules.get(end) == fid:
                rules.pop(end)
    elif action == "add":
        fid = film("entry")
        if fid in order:
            raise ValidationFailed.one("entry", _("This film is already in the programme."))
        closer = rules.get("closer")
        at = len(order) - 1 if closer in order and order and order[-1] == closer else len(order)
        order.insert(at, fid)  # at the end, before a fixed closer
    elif action == "swap":
        a, b = placed("entry"), film("other")
        if a == b:
            raise ValidationFailed.one("other", _("Choose another film."))
        i = order.index(a)
        if b in order:
            j = order.index(b)
            order[i], order[j] = order[j], order[i]
        else:  # a film from outside takes the place of one inside
            order[i] = b
            pinned = [b if p == a else p for p in pinned]
            for end in ("opener", "closer"):
                if rules.get(end) == a:
                    rules[end] = b
    elif action in ("pin", "unpin"):
        fid = film("entry")
        if action == "pin":
            if fid not in pinned:
                pinned.append(fid)
            if fid not in order:
                order.append(fid)
        else:
            pinned = [i for i in pinned if i != fid]
    elif action in ("opener", "closer"):
        fid = film("entry")
        other_end = "closer" if action == "opener" else "opener"
        if rules.get(other_end) == fid:
            rules.pop(other_end)
        rules[action] = fid
        if fid in order:
            order.remove(fid)
        if action == "opener":
            order.insert(0, fid)
        else:
            order.append(fid)
    elif action == "unfix":
        fid = film("entry")
        for end in ("opener", "closer"):
            if rules.get(end) == fid:
                rules.pop(end)
    rules["pinned"] = pinned
    if not rules["pinned"]:
        rules.pop("pinned")
    return Draft(order, rules)


async def saved_draft(call_id: int) -> tuple[Draft | None, ScreeningProgramme | None]:
    programme = await ScreeningProgramme.objects().where(ScreeningProgramme.call == call_id).first()
    if programme is None:
        return None, None
    return Draft(loads(programme.order, []), loads(programme.rules, {})), programme


async def edit(call_id: Any, action: str, data: dict[str, Any]) -> dict[str, Any]:
    """Apply one edit to the saved draft (an empty one when none is saved yet) and save it: the figures
    and the rules it breaks come back (see screening.save_order)."""
    call = await get_call(call_id)
    selected = {e.id for e in await selected_films(call.id)}
    draft, programme = await saved_draft(call.id)
    draft = draft or Draft([])
    draft.order = [i for i in draft.order if i in selected]
    new = apply_edit(draft, selected, action, data)
    if not new.order:
        raise ValidationFailed.one("order", _("The programme needs at least one film."))
    return await save_order(call.id, {**new.rules, "order": new.order})


@dataclass(frozen=True)
class Slot:
    entry: Entry
    position: int
    starts_at: datetime
    organisation: str
    pinned: bool
    end: str  # "opener", "closer" or ""
    same_genre_as_previous: bool


@dataclass(frozen=True)
class Mix:
    name: str  # a genre code or an organisation's name
    count: int
    low: int | None
    high: int | None

    @property
    def ok(self) -> bool:
        return (self.low is None or self.count >= self.low) and (self.high is None or self.count <= self.high)


@dataclass(frozen=True)
class ProgrammeView:
    slots: tuple[Slot, ...]
    outside: tuple[Entry, ...]  # selected films not in the programme
    total_seconds: int
    window_min_seconds: int
    window_max_seconds: int
    target_seconds: int
    gap_seconds: int
    introduction_seconds: int
    ends_at: datetime | None
    genres: tuple[Mix, ...]
    organisations: tuple[Mix, ...]
    blocking: tuple[str, ...]
    warnings: tuple[str, ...]
    published: bool
    saved: bool

    @property
    def publishable(self) -> bool:
        return self.saved and bool(self.slots) and not self.blocking


async def programme_view(call_id: Any) -> ProgrammeView:
    """What the editing page shows: the saved draft checked again (save_order re-saves nothing new)."""
    call = await get_call(call_id)
    entries = await selected_films(call.id)
    by_id = {e.id: e for e in entries}
    draft, programme = await saved_draft(call.id)
    order = [i for i in (draft.order if draft else []) if i in by_id]
    rules = draft.rules if draft else {}
    kept = {k: v for k, v in rules.items() if k in RULE_FIELDS}
    kept["pinned"] = [i for i in kept.get("pinned") or [] if i in by_id]
    if order:
        checked = await check_order(call.id, {**kept, "order": order})
    else:
        checked = {"total_seconds": 0, "blocking": [], "warnings": []}
    settings, _pinned = rules_of(kept, set(by_id), await event_minutes(call))
    pinned = {i for i in rules.get("pinned") or [] if i in by_id}
    org_ids = [e.organisation for e in entries if e.organisation] or [0]
    org_names = {
        o["id"]: o["name"]
        for o in await Organisation.select(Organisation.id, Organisation.name).where(
            Organisation.id.is_in(org_ids)
        )
    }
    start = aware(programme.starts_at) if programme else None
    clock = (start or datetime.min) + timedelta(seconds=settings.introduction_seconds)
    slots: list[Slot] = []
    for position, fid in enumerate(order, start=1):
        e = by_id[fid]
        if position > 1:
            clock += timedelta(seconds=settings.gap_seconds)
        slots.append(
            Slot(
                entry=e,
                position=position,
                starts_at=clock,
                organisation=org_names.get(e.organisation or 0, ""),
                pinned=fid in pinned,
                end="opener"
                if rules.get("opener") == fid
                else "closer"
                if rules.get("closer") == fid
                else "",
                same_genre_as_previous=position > 1 and by_id[order[position - 2]].genre == e.genre,
            )
        )
        clock += timedelta(seconds=e.runtime_seconds)
    chosen = [by_id[i] for i in order]
    genre_names = list(dict.fromkeys([*settings.genre_min, *settings.genre_max, *(e.genre for e in chosen)]))
    genres = tuple(
        Mix(g, sum(1 for e in chosen if e.genre == g), settings.genre_min.get(g), settings.genre_max.get(g))
        for g in genre_names
    )
    per_org: dict[str, int] = {}
    for e in chosen:
        name = org_names.get(e.organisation or 0, "")
        if name:
            per_org[name] = per_org.get(name, 0) + 1
    organisations = tuple(
        Mix(name, count, None, settings.max_per_organisation)
        for name, count in sorted(per_org.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return ProgrammeView(
        slots=tuple(slots),
        outside=tuple(e for e in entries if e.id not in set(order)),
        total_seconds=int(checked["total_seconds"]),
        window_min_seconds=settings.window_min_seconds,
        window_max_seconds=settings.window_max_seconds,
        target_seconds=settings.target_seconds,
        gap_seconds=settings.gap_seconds,
        introduction_seconds=settings.introduction_seconds,
        ends_at=clock if start and slots else None,
        genres=genres,
        organisations=organisations,
        blocking=tuple(checked["blocking"]),
        warnings=tuple(checked["warnings"]),
        published=bool(programme and programme.published_at),
        saved=bool(order),
    )
