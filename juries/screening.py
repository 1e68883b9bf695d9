"""The Court d'Ici programme: build it from the selected films (engine.build_programme: a runtime window
around 100 minutes, variety rules, an opener and a closer, 3 alternatives), save a hand-edited order with
its figures re-checked (engine.evaluate_programme), publish it into the event's programme (one screening
session per film after the introduction: the event page and its .ics show them), and the buyers'
catalogue PDF (one sheet per film, with the delivery checklist of the screening copy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from events.services import bump_event, new_uid
from events.tables import Event, Session
from juries.calls import get_call
from juries.common import aware, dumps, loads, lock, now, when, whole
from juries.engine import EngineInputError, Film, ProgrammeRules, build_programme, evaluate_programme
from juries.engine.programme import SAME_GENRE_ADJACENT
from juries.submissions import still_bytes
from juries.tables import Entry, ScreeningProgramme
from lib.db import write_transaction
from lib.errors import Conflict, ValidationFailed
from lib.i18n import _
from members.tables import Organisation, Person

RULE_FIELDS = (
    "window_min_minutes",
    "window_max_minutes",
    "target_minutes",
    "gap_seconds",
    "introduction_seconds",
    "max_per_organisation",
    "genre_min",
    "genre_max",
    "opener",
    "closer",
    "pinned",
)


# Rules whose break is shown as a warning and does not stop publication: two films of one genre back to
# back is a programmer's choice (the builder never proposes it); the window, the fixed ends, the genre and
# organisation limits and the pinned films are the screening's hard rules.
WARNING_CODES = frozenset({SAME_GENRE_ADJACENT})


def _say(m: Any) -> str:
    return _(m.template) % dict(m.params) if m.params else _(m.template)


@dataclass(frozen=True)
class Names:
    films: dict[int, str]
    organisations: dict[int, str]


async def _names(entries: list[Entry]) -> Names:
    org_ids = [e.organisation for e in entries if e.organisation] or [0]
    orgs = await Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.is_in(org_ids))
    return Names({e.id: e.title for e in entries}, {o["id"]: o["name"] for o in orgs})


def _say_named(m: Any, names: Names) -> str:
    """A rule's message with the films' titles, the organisations' names and the genres' labels for the
    ids and codes the engine speaks in."""
    from juries.labels import GENRE_LABELS

    params = dict(m.params)
    for key in ("film", "first", "second"):
        if key in params and str(params[key]).isdigit():
            params[key] = _("“%(title)s”", title=names.films.get(int(params[key]), str(params[key])))
    if "organisation" in params and str(params["organisation"]).isdigit():
        params["organisation"] = names.organisations.get(int(params["organisation"]), params["organisation"])
    if params.get("genre") in GENRE_LABELS:
        params["genre"] = GENRE_LABELS[str(params["genre"])]()
    return _(m.template) % params if params else _(m.template)


async def selected_films(call_id: int) -> list[Entry]:
    return (
        await Entry.objects().where((Entry.call == call_id) & (Entry.status == "selected")).order_by(Entry.id)
    )


def rules_of(
    data: dict[str, Any], ids: set[int], event_minutes: int | None = None
) -> tuple[ProgrammeRules, set[int]]:
    """The builder's rules from staff's settings; without a window given, 95-105 minutes, cut to the
    event's length when the event is shorter (the programme must fit in it)."""
    unknown = set(data) - set(RULE_FIELDS) - {"starts_at", "order"}
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    low = whole(errors, data, "window_min_minutes", required=False, low=1, high=600) or 95
    high = whole(errors, data, "window_max_minutes", required=False, low=1, high=600) or 105
    target = whole(errors, data, "target_minutes", required=False, low=1, high=600) or 100
    gap = whole(errors, data, "gap_seconds", required=False, low=0, high=600)
    intro = whole(errors, data, "introduction_seconds", required=False, low=0, high=3600)
    per_org = whole(errors, data, "max_per_organisation", required=False, low=1, high=100)
    ends: dict[str, int | None] = {}
    for field in ("opener", "closer"):
        ends[field] = whole(errors, data, field, required=False, low=1)
        if ends[field] is not None and ends[field] not in ids:
            errors[field] = _("Choose a selected film.")
    limits: dict[str, dict[str, int]] = {}
    for field in ("genre_min", "genre_max"):
        raw = data.get(field) or {}
        if not isinstance(raw, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100 for v in raw.values()
        ):
            errors[field] = _("Give a number of films per genre.")
            raw = {}
        limits[field] = dict(raw)
    pinned = data.get("pinned") or []
    if not isinstance(pinned, list) or not all(isinstance(i, int) and i in ids for i in pinned):
        errors["pinned"] = _("Choose selected films.")
        pinned = []
    if event_minutes and "window_max_minutes" not in data and high > event_minutes:
        high = max(1, event_minutes)
        low = min(low, high)
        target = min(target, high)
    if not errors and low > high:
        errors["window_max_minutes"] = _("The window's end must be after its start.")
    if errors:
        raise ValidationFailed(errors)
    rules = ProgrammeRules(
        window_min_seconds=low * 60,
        window_max_seconds=high * 60,
        target_seconds=target * 60,
        gap_seconds=30 if gap is None else gap,
        introduction_seconds=300 if intro is None else intro,
        genre_min=limits["genre_min"],
        genre_max=limits["genre_max"],
        max_per_organisation=per_org,
        opener=ends["opener"],
        closer=ends["closer"],
    )
    return rules, set(pinned)


def _films(entries: list[Entry], pinned: set[int]) -> list[Film]:
    return [
        Film(e.id, e.runtime_seconds, e.genre, e.organisation, must_include=e.id in pinned) for e in entries
    ]


def _programme_json(p: Any, titles: dict[int, str]) -> dict[str, Any]:
    return {
        "order": list(p.order),
        "films": [
            {
                "entry_id": s.film,
                "title": titles[s.film],
                "genre": s.genre,
                "starts_at_seconds": s.starts_at_seconds,
            }
            for s in p.timeline
        ],
        "total_seconds": p.total_seconds,
        "deviation_seconds": p.deviation_seconds,
        "genre_mix": dict(p.genre_mix),
        "organisations": p.organisations,
    }


async def event_minutes(call: Any) -> int | None:
    if not call.event:
        return None
    event = await Event.objects().where(Event.id == call.event).first()
    if event is None:
        return None
    return int((aware(event.ends_at) - aware(event.starts_at)).total_seconds() // 60)


async def build(call_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    call = await get_call(call_id)
    entries = await selected_films(call.id)
    rules, pinned = rules_of(data, {e.id for e in entries}, await event_minutes(call))
    try:
        result = build_programme(_films(entries, pinned), rules, time_limit=5.0)
    except EngineInputError as exc:
        raise ValidationFailed({p.field or "rules": _say(p) for p in exc.problems}) from None
    titles = {e.id: e.title for e in entries}
    return {
        "alternatives": [_programme_json(p, titles) for p in result.alternatives],
        "problems": [_say(m) for m in result.problems],
        "seconds": round(result.seconds, 3),
    }


async def check_order(call_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    """An order's figures and the rules it breaks (`blocking`: hard rules; `warnings`: back-to-back genres),
    without saving it; ValidationFailed for an order that is not of selected films."""
    call = await get_call(call_id)
    entries = await selected_films(call.id)
    checked, _rules_used = await _check(call, entries, data)
    return checked


async def _check(
    call: Any, entries: list[Entry], data: dict[str, Any]
) -> tuple[dict[str, Any], ProgrammeRules]:
    ids = {e.id for e in entries}
    rules, pinned = rules_of({k: v for k, v in data.items() if k != "order"}, ids, await event_minutes(call))
    order = data.get("order")
    if not isinstance(order, list) or not order or not all(isinstance(i, int) and i in ids for i in order):
        raise ValidationFailed.one("order", _("Order selected films."))
    if len(set(order)) != len(order):
        raise ValidationFailed.one("order", _("A film appears twice."))
    check = evaluate_programme(_films(entries, pinned), order, rules)
    titles = {e.id: e.title for e in entries}
    names = await _names(entries)
    return {
        **_programme_json(check.programme, titles),
        "violations": [_say_named(m, names) for m in check.violations],
        "blocking": [_say_named(m, names) for m in check.violations if m.code not in WARNING_CODES],
        "warnings": [_say_named(m, names) for m in check.violations if m.code in WARNING_CODES],
        "ok": check.ok,
        "publishable": all(m.code in WARNING_CODES for m in check.violations),
    }, rules


async def save_order(call_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Staff's order (a chosen alternative, pinned, swapped, reordered by hand) with the builder's settings
    it is checked against: the figures and the rules it breaks come back; it is saved either way as the
    draft, and publishing refuses a draft that breaks a hard rule."""
    call = await get_call(call_id)
    entries = await selected_films(call.id)
    errors: dict[str, str] = {}
    starts_at = when(errors, data, "starts_at", required=False)
    if errors:
        raise ValidationFailed(errors)
    checked, rules = await _check(call, entries, data)
    order = checked["order"]
    event = await Event.objects().where(Event.id == call.event).first() if call.event else None
    saved = await ScreeningProgramme.objects().where(ScreeningProgramme.call == call.id).first()
    start = starts_at or (aware(saved.starts_at) if saved else (aware(event.starts_at) if event else now()))
    kept_rules = dumps({k: v for k, v in data.items() if k in RULE_FIELDS})
    async with write_transaction():
        await lock(type(call), call.id)
        values = {
            ScreeningProgramme.order: dumps(order),
            ScreeningProgramme.starts_at: start,
            ScreeningProgramme.introduction_seconds: rules.introduction_seconds,
            ScreeningProgramme.gap_seconds: rules.gap_seconds,
            ScreeningProgramme.rules: kept_rules,
        }
        if await ScreeningProgramme.exists().where(ScreeningProgramme.call == call.id):
            await ScreeningProgramme.update(values).where(ScreeningProgramme.call == call.id)
        else:
            await ScreeningProgramme(
                call=call.id,
                order=dumps(order),
                starts_at=start,
                introduction_seconds=rules.introduction_seconds,
                gap_seconds=rules.gap_seconds,
                rules=kept_rules,
            ).save()
    return {**checked, "starts_at": start.isoformat()}


async def publish(call_id: Any) -> dict[str, Any]:
    """The saved order becomes the event's programme: an introduction and one screening per film, with
    their times; published again, the previous sessions are replaced (the .ics follows: sequence bumped)."""
    call = await get_call(call_id)
    if not call.event:
        raise ValidationFailed.one("event_id", _("Link the call to an event first."))
    programme = await ScreeningProgramme.objects().where(ScreeningProgramme.call == call.id).first()
    if programme is None:
        raise Conflict(_("Save a programme order first."))
    order = loads(programme.order, [])
    selected = await selected_films(call.id)
    entries = {e.id: e for e in selected}
    if not order or any(i not in entries for i in order):
        raise Conflict(_("The saved order has films that are no longer selected: build it again."))
    saved_rules = loads(programme.rules, {})
    saved_rules["pinned"] = [i for i in saved_rules.get("pinned") or [] if i in entries]
    rules, pinned = rules_of(saved_rules, set(entries), await event_minutes(call))
    check = evaluate_programme(_films(selected, pinned), order, rules)
    names = await _names(selected)
    blocking = [_say_named(m, names) for m in check.violations if m.code not in WARNING_CODES]
    if blocking:
        # a draft may break a rule while staff work on it; the screening itself may not
        raise ValidationFailed.one("order", " ".join(blocking))
    event = await Event.objects().where(Event.id == call.event).first()
    assert event is not None
    start = aware(programme.starts_at)
    sessions: list[Session] = []
    clock = start + timedelta(seconds=programme.introduction_seconds)
    if programme.introduction_seconds:
        sessions.append(
            Session(
                event=event.id,
                kind="screening",
                title=f"{call.title} — introduction",
                title_en=f"{call.title_en or call.title} — introduction",
                starts_at=start,
                ends_at=clock,
                uid=new_uid(),
            )
        )
    for position, entry_id in enumerate(order):
        entry = entries[entry_id]
        if position:
            clock += timedelta(seconds=programme.gap_seconds)
        ends = clock + timedelta(seconds=entry.runtime_seconds)
        sessions.append(
            Session(
                event=event.id,
                kind="screening",
                title=entry.title,
                title_en=entry.original_title or entry.title,
                description=f"{entry.directors} · {entry.runtime_seconds // 60}:{entry.runtime_seconds % 60:02d}\n{entry.synopsis_fr}",
                description_en=f"{entry.directors} · {entry.runtime_seconds // 60}:{entry.runtime_seconds % 60:02d}\n{entry.synopsis_en}",
                starts_at=clock,
                ends_at=ends,
                uid=new_uid(),
            )
        )
        clock = ends
    if clock > aware(event.ends_at) or start < aware(event.starts_at):
        raise ValidationFailed.one("starts_at", _("The programme must take place within the event's dates."))
    async with write_transaction():
        await lock(Event, event.id)
        old = loads(programme.session_uids, [])
        if old:
            await Session.delete().where(Session.uid.is_in(old) & (Session.event == event.id))
        await Session.insert(*sessions)
        await ScreeningProgramme.update(
            {
                ScreeningProgramme.published_at: now(),
                ScreeningProgramme.session_uids: dumps([s.uid for s in sessions]),
            }
        ).where(ScreeningProgramme.id == programme.id)
        await bump_event(event.id)
    return {
        "event_id": event.id,
        "event_slug": event.slug,
        "sessions": [
            {"title": s.title, "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat()}
            for s in sessions
        ],
    }


async def catalogue_pdf(call_id: Any) -> bytes:
    """The buyers' catalogue: one sheet per film of the saved order (else every selected film)."""
    import io

    from lib.pdf import line, new_pdf, output

    call = await get_call(call_id)
    entries = {e.id: e for e in await selected_films(call.id)}
    programme = await ScreeningProgramme.objects().where(ScreeningProgramme.call == call.id).first()
    order = [i for i in loads(programme.order, []) if i in entries] if programme else []
    order = order or list(entries)
    orgs = {
        o.id: o
        for o in await Organisation.objects().where(
            Organisation.id.is_in([e.organisation or 0 for e in entries.values()] or [0])
        )
    }
    from juries.labels import GENRE_LABELS

    label = {
        "directed": _("Directed by"),
        "genre": _("Genre"),
        "runtime": _("Runtime"),
        "language": _("Language"),
        "subtitles": _("Subtitles"),
        "producer": _("Producer"),
        "rights": _("Rights cleared for the screening"),
        "yes": _("yes"),
        "no": _("no"),
        "copy": _("Screening copy"),
        "format": _("Format"),
        "received": _("Received"),
        "checked": _("Checked"),
    }
    pdf = new_pdf()
    pdf.add_page()
    line(pdf, call.title, size=18, bold=True, h=10)
    line(pdf, _("Catalogue for buyers: %(n)s films", n=len(order)))
    for position, entry_id in enumerate(order, start=1):
        e = entries[entry_id]
        pdf.add_page()
        line(pdf, f"{position}. {e.title}", size=16, bold=True, h=9)
        if e.original_title:
            line(pdf, e.original_title, size=11)
        image = still_bytes(e)
        if image:
            try:
                pdf.image(io.BytesIO(image), w=120)
            except Exception:  # a still the PDF library cannot read: the sheet goes on without it
                pass
        line(pdf, f"{label['directed']}: {e.directors}")
        line(
            pdf,
            f"{label['genre']}: {GENRE_LABELS[e.genre]() if e.genre in GENRE_LABELS else e.genre} · {label['runtime']}: {e.runtime_seconds // 60}:{e.runtime_seconds % 60:02d} · {e.year}",
        )
        if e.language:
            line(
                pdf,
                f"{label['language']}: {e.language}"
                + (f" · {label['subtitles']}: {e.subtitles}" if e.subtitles else ""),
            )
        line(pdf, e.synopsis_fr)
        if e.synopsis_en:
            line(pdf, e.synopsis_en)
        org = orgs.get(e.organisation or 0)
        if org is not None:
            contact = await Person.objects().where(Person.organisation == org.id).first()
            who = f"{contact.first_name} {contact.last_name}, {contact.email}" if contact else org.email
            line(pdf, f"{label['producer']}: {org.name} — {who}")
        line(pdf, f"{label['rights']}: {label['yes'] if e.rights_cleared else label['no']}")
        line(pdf, label["copy"], bold=True)
        line(pdf, f"{label['format']}: {e.copy_format or '—'}")
        line(
            pdf,
            f"[{'x' if e.copy_received else ' '}] {label['received']}   [{'x' if e.copy_checked else ' '}] {label['checked']}",
        )
    return output(pdf)


async def update_copy(entry_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    from juries.common import flag, row_or_404, text

    entry = await row_or_404(Entry, entry_id, _("This entry does not exist."))
    unknown = set(data) - {"copy_format", "copy_received", "copy_checked"}
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[Any, Any] = {}
    if "copy_format" in data:
        values[Entry.copy_format] = text(errors, data, "copy_format", required=False, max_length=60)
    for field in ("copy_received", "copy_checked"):
        if field in data:
            values[getattr(Entry, field)] = flag(errors, data, field)
    if errors:
        raise ValidationFailed(errors)
    if values:
        await Entry.update(values).where(Entry.id == entry.id)
    fresh = await row_or_404(Entry, entry.id, "")
    return {
        "entry_id": fresh.id,
        "copy_format": fresh.copy_format,
        "copy_received": fresh.copy_received,
        "copy_checked": fresh.copy_checked,
    }


async def published_catalogue(call_id: Any) -> list[dict[str, Any]]:
    """The films of the published programme in screening order, with the producer's contact (for the
    buyers' web catalogue); NotFound before publication."""
    from juries.submissions import entry_json
    from lib.errors import NotFound

    call = await get_call(call_id)
    programme = await ScreeningProgramme.objects().where(ScreeningProgramme.call == call.id).first()
    if programme is None or programme.published_at is None:
        raise NotFound(_("The programme is not published yet."))
    entries = {e.id: e for e in await selected_films(call.id)}
    films = []
    for entry_id in loads(programme.order, []):
        entry = entries.get(entry_id)
        if entry is None:
            continue
        contact = ""
        if entry.organisation:
            person = await Person.objects().where(Person.organisation == entry.organisation).first()
            org = await Organisation.objects().where(Organisation.id == entry.organisation).first()
            contact = person.email if person else (org.email if org else "")
        films.append({"entry": await entry_json(entry), "contact": contact})
    return films
