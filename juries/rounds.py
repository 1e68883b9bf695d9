"""Rounds of a call (yes/maybe/no, a rubric of weighted criteria on 1-10, or a ranking), the assignment of
entries to jurors (engine.assign: k jurors per entry, recusals respected, loads balanced), what a juror sees
(only the assigned entries, only the fields the call shows: blind judging), the score writes (one row per
juror, entry and round: an upsert, so a retried or repeated write never duplicates or loses a score), and
closing a round (its quorum met, or staff close it)."""

from __future__ import annotations

from typing import Any

from juries import eligibility
from juries.calls import get_call, hidden_fields
from juries.common import dumps, loads, lock, now, row_or_404, text, whole
from juries.engine import AssignmentProblem, Criterion, EngineInputError, Rubric, assign
from juries.recusals import recusals_of_call, recused_pairs
from juries.submissions import entry_json
from juries.tables import ROUND_KINDS, Assignment, DeclaredRecusal, Entry, Juror, Round, Score
from lib.db import write_transaction
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _

VERDICT_SCORES = {"yes": 10.0, "maybe": 5.5, "no": 1.0}  # on the rubric scale, for one results page
DEFAULT_RUBRIC = (
    {"name": "artistic_quality", "weight": 3},
    {"name": "fit_with_buyers", "weight": 2},
    {"name": "technical_quality", "weight": 1},
)
# what a juror may ever see of an entry; the call hides some of them
JUROR_FIELDS = (
    "id",
    "title",
    "original_title",
    "directors",
    "producer",
    "coproducers",
    "genre",
    "runtime_seconds",
    "year",
    "language",
    "subtitles",
    "synopsis_fr",
    "synopsis_en",
    "has_still",
    "screener_url",
    "screener_password",
)


def rubric_of(round_: Round) -> Rubric:
    criteria = loads(round_.rubric, []) or list(DEFAULT_RUBRIC)
    return Rubric(tuple(Criterion(c["name"], float(c.get("weight", 1))) for c in criteria))


async def create_round(call_id: Any, data: dict[str, Any]) -> Round:
    unknown = set(data) - {"kind", "rubric", "quorum"}
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    call = await get_call(call_id)
    errors: dict[str, str] = {}
    kind = data.get("kind", "rubric")
    if kind not in ROUND_KINDS:
        errors["kind"] = _("Choose yes_no, rubric or ranking.")
    quorum = whole(errors, data, "quorum", required=False, low=1, high=50) or call.jurors_per_entry
    rubric = data.get("rubric") or loads(call.rubric, []) or list(DEFAULT_RUBRIC)
    try:
        if not isinstance(rubric, list) or not all(
            isinstance(c, dict) and isinstance(c.get("name"), str) and set(c) <= {"name", "weight"}
            for c in rubric
        ):
            raise ValueError
        Rubric(tuple(Criterion(c["name"], float(c.get("weight", 1))) for c in rubric))
    except (ValueError, TypeError, EngineInputError):
        errors["rubric"] = _("Give criteria with a name and a positive weight.")
    if errors:
        raise ValidationFailed(errors)
    if not await Round.exists().where(Round.call == call.id):
        # the checks again before the selection starts (a member's standing may have lapsed since)
        for entry in await Entry.objects().where(
            (Entry.call == call.id) & Entry.status.is_in(list(eligibility.BEFORE_SELECTION))
        ):
            await eligibility.refresh(call, entry)
    async with write_transaction():
        if await Round.exists().where((Round.call == call.id) & (Round.status == "open")):
            raise Conflict(_("Close the open round first."))
        number = await Round.count().where(Round.call == call.id) + 1
        round_ = Round(call=call.id, number=number, kind=kind, rubric=dumps(rubric), quorum=quorum)
        await round_.save()
        if number == 1:  # the first round takes every eligible entry; received ones stay out
            await Entry.update({Entry.status: "in_selection"}).where(
                (Entry.call == call.id) & (Entry.status == "eligible")
            )
    return round_


async def get_round(round_id: Any) -> Round:
    return await row_or_404(Round, round_id, _("This round does not exist."))


async def round_entries(round_: Round) -> list[Entry]:
    return (
        await Entry.objects()
        .where((Entry.call == round_.call) & (Entry.status == "in_selection"))
        .order_by(Entry.id)
    )


async def assign_round(round_id: Any, k: Any = None) -> dict[str, Any]:
    """(Re)assign the round's entries: pairs already scored stay, the rest is solved again."""
    round_ = await get_round(round_id)
    call = await get_call(round_.call)
    errors: dict[str, str] = {}
    jurors_per_entry = whole(errors, {"k": k}, "k", required=False, low=1, high=50) or call.jurors_per_entry
    if errors:
        raise ValidationFailed(errors)
    if round_.status != "open":
        raise Conflict(_("This round is closed."))
    entries = [e.id for e in await round_entries(round_)]
    jurors = [
        j.id
        for j in await Juror.objects()
        .where((Juror.call == call.id) & Juror.active.eq(True))
        .order_by(Juror.id)
    ]
    recused = frozenset(
        (j, e) for j, e in recused_pairs(await recusals_of_call(call.id)) if j in jurors and e in entries
    )
    scored = frozenset(
        (s["juror"], s["entry"])
        for s in await Score.select(Score.juror, Score.entry).where(Score.round == round_.id)
        if s["juror"] in jurors and s["entry"] in entries
    )
    try:
        result = assign(
            AssignmentProblem(
                tuple(entries), tuple(jurors), jurors_per_entry, recused, fixed=scored - recused
            )
        )
    except EngineInputError as exc:
        raise ValidationFailed(
            {p.field or "k": _(p.template) % dict(p.params) for p in exc.problems}
        ) from None
    if not result.feasible:
        raise ValidationFailed.one("k", " ".join(_(p.template) % dict(p.params) for p in result.problems))
    async with write_transaction():
        await lock(Round, round_.id)
        await Assignment.delete().where(Assignment.round == round_.id)
        if result.pairs:
            await Assignment.insert(*[Assignment(round=round_.id, juror=j, entry=e) for j, e in result.pairs])
    return {
        "round_id": round_.id,
        "jurors_per_entry": jurors_per_entry,
        "pairs": len(result.pairs),
        "loads": {str(j): n for j, n in result.loads.items()},
        "max_load": result.max_load,
        "min_load": result.min_load,
        "explanation": [_(m.template) % dict(m.params) for m in result.explanation],
    }


async def _assigned(round_id: int, juror_id: int) -> list[int]:
    rows = (
        await Assignment.select(Assignment.entry)
        .where((Assignment.round == round_id) & (Assignment.juror == juror_id))
        .order_by(Assignment.entry)
    )
    return [r["entry"] for r in rows]


def blind(entry: dict[str, Any], hidden: list[str]) -> dict[str, Any]:
    """Only the fields a juror may see: a hidden field is absent, not blanked."""
    return {k: v for k, v in entry.items() if k in JUROR_FIELDS and k not in hidden}


async def open_round_of(call_id: int) -> Round | None:
    return await Round.objects().where((Round.call == call_id) & (Round.status == "open")).first()


async def juror_round(juror: Juror, round_: Round) -> dict[str, Any]:
    """The juror's work in a round: their entries (blind) with their own scores only."""
    call = await get_call(juror.call)
    hidden = hidden_fields(call)
    declared = {
        r["entry"]
        for r in await DeclaredRecusal.select(DeclaredRecusal.entry).where(DeclaredRecusal.juror == juror.id)
    }
    ids = [i for i in await _assigned(round_.id, juror.id) if i not in declared]
    entries = await Entry.objects().where(Entry.id.is_in(ids or [0])).order_by(Entry.id)
    own = {
        s.entry: s
        for s in await Score.objects().where((Score.round == round_.id) & (Score.juror == juror.id))
    }
    items = []
    for entry in entries:
        score = own.get(entry.id)
        items.append(
            {
                "entry": blind(await entry_json(entry), hidden),
                "my_score": score_json(score) if score else None,
            }
        )
    return {
        "round": round_json(round_),
        "criteria": [{"name": c.name, "weight": c.weight} for c in rubric_of(round_).criteria],
        "entries": items,
        "done": sum(1 for i in items if i["my_score"]),
    }


def score_json(score: Score) -> dict[str, Any]:
    return {
        "entry_id": score.entry,
        "verdict": score.verdict or None,
        "marks": loads(score.marks, {}),
        "rank": score.rank,
        "score": score.score,
        "comment": score.comment,
    }


def round_json(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.id,
        "call_id": round_.call,
        "number": round_.number,
        "kind": round_.kind,
        "quorum": round_.quorum,
        "status": round_.status,
        "closed_at": round_.closed_at.isoformat() if round_.closed_at else None,
        "closed_by": round_.closed_by or None,
    }


def _parse_score(round_: Round, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    comment = text(errors, data, "comment", required=False, max_length=3000)
    values: dict[str, Any] = {"comment": comment, "verdict": "", "marks": "{}", "rank": None, "score": None}
    if round_.kind == "yes_no":
        verdict = data.get("verdict")
        if verdict not in VERDICT_SCORES:
            errors["verdict"] = _("Answer yes, maybe or no.")
        else:
            values.update(verdict=verdict, score=VERDICT_SCORES[verdict])
    elif round_.kind == "rubric":
        marks = data.get("marks")
        if not isinstance(marks, dict):
            errors["marks"] = _("Give a mark for each criterion.")
        else:
            rubric = rubric_of(round_)
            coerced = {
                k: (int(v) if isinstance(v, str) and v.strip().isdigit() else v) for k, v in marks.items()
            }
            problems = rubric.validate(coerced)
            for p in problems:
                errors[f"marks.{p.field}" if p.field else "marks"] = _(p.template) % dict(p.params)
            if not problems:
                values.update(marks=dumps(coerced), score=rubric.score(coerced).score)
    else:
        rank = whole(errors, data, "rank", required=True, low=1, high=1000)
        values["rank"] = rank
    if errors:
        raise ValidationFailed(errors)
    return values


async def record_score(juror: Juror, round_id: Any, entry_id: Any, data: dict[str, Any]) -> Score:
    """Write the juror's score for an assigned entry of an open round; the same write twice is one score."""
    round_ = await get_round(round_id)
    if round_.call != juror.call:
        raise NotFound(_("This round does not exist."))
    unknown = set(data) - {"verdict", "marks", "rank", "comment"}
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    values = _parse_score(round_, data)
    async with write_transaction():
        await lock(Round, round_.id)
        current = await Round.objects().where(Round.id == round_.id).first()
        if current is None or current.status != "open":
            raise Conflict(_("This round is closed: scores can no longer change."))
        if not isinstance(entry_id, int) or not await Assignment.exists().where(
            (Assignment.round == round_.id) & (Assignment.juror == juror.id) & (Assignment.entry == entry_id)
        ):
            raise NotFound(_("This entry is not assigned to you."))
        if await DeclaredRecusal.exists().where(
            (DeclaredRecusal.juror == juror.id) & (DeclaredRecusal.entry == entry_id)
        ):
            raise Conflict(_("You declared a conflict of interest with this entry."))
        stamp = now()
        await Score.insert(
            Score(round=round_.id, juror=juror.id, entry=entry_id, updated_at=stamp, **values)
        ).on_conflict(
            target=(Score.round, Score.juror, Score.entry),
            action="DO UPDATE",
            values=[Score.verdict, Score.marks, Score.rank, Score.score, Score.comment, Score.updated_at],
        )
        if await _quorum_met(current):
            await _close(current, "quorum")
    score = (
        await Score.objects()
        .where((Score.round == round_.id) & (Score.juror == juror.id) & (Score.entry == entry_id))
        .first()
    )
    assert score is not None
    return score


async def _quorum_met(round_: Round) -> bool:
    """Every entry of the round has at least `quorum` scores from active jurors."""
    entries = [e.id for e in await round_entries(round_)]
    if not entries:
        return False
    active = [
        j["id"]
        for j in await Juror.select(Juror.id).where((Juror.call == round_.call) & Juror.active.eq(True))
    ]
    rows = await Score.select(Score.entry).where(
        (Score.round == round_.id) & Score.juror.is_in(active or [0])
    )
    counts: dict[int, int] = {}
    for r in rows:
        counts[r["entry"]] = counts.get(r["entry"], 0) + 1
    return all(counts.get(e, 0) >= round_.quorum for e in entries)


async def _close(round_: Round, by: str) -> None:
    await Round.update({Round.status: "closed", Round.closed_at: now(), Round.closed_by: by}).where(
        (Round.id == round_.id) & (Round.status == "open")
    )


async def close_round(round_id: Any, by: str) -> Round:
    round_ = await get_round(round_id)
    async with write_transaction():
        await lock(Round, round_.id)
        if round_.status != "open":
            raise Conflict(_("This round is already closed."))
        await _close(round_, by)
    return await get_round(round_.id)


async def set_quorum(round_id: Any, data: dict[str, Any]) -> Round:
    round_ = await get_round(round_id)
    errors: dict[str, str] = {}
    quorum = whole(errors, data, "quorum", required=True, low=1, high=50)
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        await Round.update({Round.quorum: quorum}).where(Round.id == round_.id)
        current = await get_round(round_.id)
        if current.status == "open" and await _quorum_met(current):
            await _close(current, "quorum")
    return await get_round(round_.id)
