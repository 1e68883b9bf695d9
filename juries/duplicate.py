"""A new edition gets last year's calls for entries: the same rules (eligibility, entries per
organisation, runtime, blind fields, jurors per entry, the staff's result email wording), the opening and
the deadline shifted, the edition's year moved on (the minimum year of completion with it), and the
rubric of the call's first round kept as the rubric of the new call's rounds. No entry, juror, score nor
decision is copied."""

from __future__ import annotations

from juries.common import dumps, loads
from juries.tables import Call, Round
from lib.editions import EditionShift


async def _slug(base: str) -> str:
    slug, n = base, 2
    while await Call.exists().where(Call.slug == slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


async def copy_edition(source_event_id: int, new_event_id: int, shift: EditionShift) -> str | None:
    calls = await Call.objects().where(Call.event == source_event_id).order_by(Call.id)
    years = shift.new_year - shift.old_year
    for call in calls:
        rubric = loads(call.rubric, [])
        if not rubric:  # the rubric last year's jury actually used
            first = await Round.objects().where(Round.call == call.id).order_by(Round.number).first()
            rubric = loads(first.rubric, []) if first is not None and first.kind == "rubric" else []
        base = shift.text(call.slug)
        await Call(
            event=new_event_id,
            slug=await _slug(base if base != call.slug else f"{call.slug}-{shift.new_year}"),
            title=shift.text(call.title),
            title_en=shift.text(call.title_en),
            edition_year=call.edition_year + years,
            opens_at=shift.at(call.opens_at),
            deadline=shift.at(call.deadline),
            eligibility=call.eligibility,
            max_entries_per_organisation=call.max_entries_per_organisation,
            max_runtime_seconds=call.max_runtime_seconds,
            min_year=call.min_year + years if call.min_year is not None else None,
            hidden_fields=call.hidden_fields,
            jurors_per_entry=call.jurors_per_entry,
            result_templates=call.result_templates,
            rubric=dumps(rubric),
            status="open",
        ).save()
    return f"{len(calls)} calls" if calls else None
