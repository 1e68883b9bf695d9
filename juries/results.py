"""Results of a round for staff: raw and normalised means (engine.normalise), the spread between jurors,
ties, Schulze and Borda for ranking rounds, explained in plain words; then the decision (threshold, top-N
or chosen entries), recorded with who took it, and the result emails in each submitter's language."""

from __future__ import annotations

from html import escape
from typing import Any

from juries.calls import get_call
from juries.common import dumps, in_locale, loads, row_or_404, whole
from juries.engine import Ballot, EngineInputError, NormalisationSettings, Rating, normalise, rank
from juries.rounds import get_round, round_entries, round_json
from juries.tables import Call, Decision, Entry, Score
from lib.errors import Conflict, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic

OUTCOMES = ("next_round", "selected", "not_selected")


def _say(message: Any) -> str:
    return _(message.template) % dict(message.params) if message.params else _(message.template)


async def round_results(round_id: Any, min_ratings_per_juror: int = 5) -> dict[str, Any]:
    round_ = await get_round(round_id)
    entries = await round_entries(round_)
    titles = {e.id: e.title for e in entries}
    ids = [e.id for e in entries]
    scores = await Score.objects().where((Score.round == round_.id) & Score.entry.is_in(ids or [0]))
    out: dict[str, Any] = {"round": round_json(round_), "entries": [], "explanation": []}
    if round_.kind == "ranking":
        by_juror: dict[int, list[tuple[int, int]]] = {}
        for s in scores:
            if s.rank is not None:
                by_juror.setdefault(s.juror, []).append((s.rank, s.entry))
        ballots = []
        for juror, ranks in by_juror.items():
            tiers: dict[int, list[int]] = {}
            for r, e in ranks:
                tiers.setdefault(r, []).append(e)
            ballots.append(Ballot(tuple(tuple(tiers[r]) for r in sorted(tiers)), voter=juror))
        result = rank(ids, ballots)
        out["entries"] = [
            {
                "entry_id": s.entry,
                "title": titles[s.entry],
                "schulze_rank": s.schulze_rank,
                "borda_rank": s.borda_rank,
                "borda_points": s.borda_points,
                "tied_with": list(s.schulze_tied_with),
                "voters": s.voters,
            }
            for s in result.standings
        ]
        out["methods_agree"] = result.methods_agree
        out["explanation"] = [_say(m) for m in result.explanation]
        return out
    ratings = [Rating(s.juror, s.entry, s.score) for s in scores if s.score is not None]
    try:
        result = normalise(ratings, NormalisationSettings(min_ratings_per_juror=min_ratings_per_juror), ids)
    except EngineInputError as exc:
        raise ValidationFailed({"round": "; ".join(_say(p) for p in exc.problems)}) from None
    verdicts: dict[int, dict[str, int]] = {}
    for s in scores:
        if s.verdict:
            verdicts.setdefault(s.entry, {"yes": 0, "maybe": 0, "no": 0})[s.verdict] += 1
    out["normalised"] = result.applied
    out["threshold"] = result.threshold
    out["explanation"] = [_say(m) for m in result.explanation]
    for e in result.entries:
        out["entries"].append(
            {
                "entry_id": e.entry,
                "title": titles[e.entry],
                "ratings": e.ratings,
                "raw_mean": e.raw.value,
                "raw_rank": e.raw.rank,
                "normalised_mean": e.normalised.value if e.normalised else None,
                "normalised_rank": e.normalised.rank if e.normalised else None,
                "final": e.final.value,
                "rank": e.final.rank,
                "tied_with": list(e.final.tied_with),
                "spread_sd": e.spread.sd if e.spread else None,
                "verdicts": verdicts.get(e.entry),
            }
        )
    return out


async def decide(round_id: Any, data: dict[str, Any], by: str) -> dict[str, Any]:
    """Staff move entries on: `top` (the N best), `threshold` (final score at least), or `entry_ids`;
    outcome next_round or selected; the others of the round become not selected. Recorded with who."""
    unknown = set(data) - {"outcome", "top", "threshold", "entry_ids"}
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    round_ = await get_round(round_id)
    if round_.status != "closed":
        raise Conflict(_("Close the round before deciding."))
    outcome = data.get("outcome", "selected")
    if outcome not in ("next_round", "selected"):
        raise ValidationFailed.one("outcome", _("Choose next_round or selected."))
    results = await round_results(round_.id)
    ranked = results["entries"]
    errors: dict[str, str] = {}
    chosen: list[int]
    if data.get("entry_ids") is not None:
        raw = data["entry_ids"]
        known = {e["entry_id"] for e in ranked}
        if not isinstance(raw, list) or not all(isinstance(i, int) and i in known for i in raw):
            raise ValidationFailed.one("entry_ids", _("Choose entries of this round."))
        chosen = list(raw)
    elif data.get("top") is not None:
        top = whole(errors, data, "top", required=True, low=1, high=1000)
        if errors:
            raise ValidationFailed(errors)
        key = "schulze_rank" if round_.kind == "ranking" else "rank"
        chosen = [e["entry_id"] for e in ranked if e.get(key) is not None and e[key] <= top]
    elif data.get("threshold") is not None:
        threshold = data["threshold"]
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or round_.kind == "ranking":
            raise ValidationFailed.one("threshold", _("Give a score from 1 to 10."))
        chosen = [e["entry_id"] for e in ranked if e["final"] is not None and e["final"] >= threshold]
    else:
        raise ValidationFailed.one("top", _("Give a top-N, a threshold or the entries."))
    others = [e["entry_id"] for e in ranked if e["entry_id"] not in chosen]
    async with atomic():
        for entry_id in chosen:
            await Decision(round=round_.id, entry=entry_id, outcome=outcome, decided_by=by).save()
        for entry_id in others:
            await Decision(round=round_.id, entry=entry_id, outcome="not_selected", decided_by=by).save()
        new_status = "in_selection" if outcome == "next_round" else "selected"
        if chosen:
            await Entry.update({Entry.status: new_status}).where(Entry.id.is_in(chosen))
        if others:
            await Entry.update({Entry.status: "not_selected"}).where(Entry.id.is_in(others))
    return {"outcome": outcome, "chosen": chosen, "not_chosen": others, "decided_by": by}


TEMPLATE_OUTCOMES = ("selected", "not_selected")


def _fill(template: str, values: dict[str, str]) -> str:
    """Staff's wording with {title} and {call} replaced (plain replacement: no format language)."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


async def set_result_templates(call_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Staff's own subject and body per outcome and language; {title} and {call} are filled in. A missing
    one falls back to the built-in wording."""
    call = await get_call(call_id)
    errors: dict[str, str] = {}
    clean: dict[str, dict[str, dict[str, str]]] = {}
    for outcome, by_locale in data.items():
        if outcome not in TEMPLATE_OUTCOMES or not isinstance(by_locale, dict):
            errors[outcome] = _("Give templates for selected or not_selected, by language (fr, en).")
            continue
        for locale, template in by_locale.items():
            field = f"{outcome}.{locale}"
            if (
                locale not in ("fr", "en")
                or not isinstance(template, dict)
                or set(template) - {"subject", "body"}
            ):
                errors[field] = _("Give a subject and a body for fr or en.")
                continue
            subject, body = template.get("subject"), template.get("body")
            if not isinstance(subject, str) or not subject.strip() or len(subject) > 200:
                errors[f"{field}.subject"] = _("Give a subject of at most 200 characters.")
            elif not isinstance(body, str) or not body.strip() or len(body) > 5000:
                errors[f"{field}.body"] = _("Give a body of at most 5000 characters.")
            else:
                clean.setdefault(outcome, {})[locale] = {"subject": subject.strip(), "body": body.strip()}
    if errors:
        raise ValidationFailed(errors)
    merged = loads(call.result_templates, {})
    for outcome, by_locale in clean.items():
        merged.setdefault(outcome, {}).update(by_locale)
    await Call.update({Call.result_templates: dumps(merged)}).where(Call.id == call.id)
    return merged


def result_email(
    entry: Entry, call_title: str, templates: dict[str, Any] | None = None
) -> tuple[str, str, str]:
    own = ((templates or {}).get(entry.status) or {}).get(entry.locale)
    if own:
        values = {"title": entry.title, "call": call_title}
        subject, body = _fill(own["subject"], values), _fill(own["body"], values)
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
        return subject, f"{body}\n\n-- \nLE DAMIER\n", paragraphs
    with in_locale(entry.locale):
        hello = _("Hello,")
        if entry.status == "selected":
            subject = _("Your film “%(title)s” is selected", title=entry.title)
            body = _(
                "Good news: the jury of %(call)s selected your film “%(title)s”. We will contact you about "
                "the screening copy.",
                call=call_title,
                title=entry.title,
            )
        else:
            subject = _("Your film “%(title)s” was not selected", title=entry.title)
            body = _(
                "Thank you for submitting “%(title)s” to %(call)s. The jury did not select it this year.",
                call=call_title,
                title=entry.title,
            )
    return subject, f"{hello}\n\n{body}\n\n-- \nLE DAMIER\n", f"<p>{escape(hello)}</p><p>{escape(body)}</p>"


async def send_results(call_id: Any) -> dict[str, int]:
    """One email per decided entry (selected or not), at most once each (dedup key per entry)."""
    from lib.mail import queue_email

    call = await get_call(call_id)
    entries = await Entry.objects().where(
        (Entry.call == call.id) & Entry.status.is_in(["selected", "not_selected"])
    )
    async with atomic():
        for entry in entries:
            title = call.title_en if entry.locale == "en" and call.title_en else call.title
            await queue_email(
                entry.submitter_email,
                *result_email(entry, title, loads(call.result_templates, {})),
                dedup_key=f"jury-result-{entry.id}-{entry.status}",
            )
    return {"sent": len(entries)}


async def decisions_of(entry_id: Any) -> list[dict[str, Any]]:
    entry = await row_or_404(Entry, entry_id, _("This entry does not exist."))
    rows = await Decision.objects().where(Decision.entry == entry.id).order_by(Decision.id)
    return [
        {
            "round_id": d.round,
            "outcome": d.outcome,
            "decided_by": d.decided_by,
            "at": d.decided_at.isoformat(),
        }
        for d in rows
    ]
