"""Scores are never duplicated nor lost: concurrent and repeated writes of one juror's score on one entry in
one round leave one row with the last value; a dropped juror's scores stay; the quorum can be lowered."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from juries import jurors, results, rounds
from juries.tables import Call, Entry, Juror, Score


async def _call_with(entries: int, juror_emails: list[str]) -> tuple[Call, list[int], list[Juror]]:
    now = datetime.now(UTC)
    call = Call(
        slug="c",
        title="C",
        eligibility="anyone",
        edition_year=now.year,
        opens_at=now - timedelta(days=1),
        deadline=now + timedelta(days=1),
    )
    await call.save()
    ids = []
    for i in range(entries):
        entry = Entry(
            call=call.id,
            submitter_email=f"s{i}@x.test",
            title=f"F{i}",
            runtime_seconds=600,
            year=now.year,
            rights_cleared=True,
        )
        await entry.save()
        ids.append(entry.id)
    people = []
    for email in juror_emails:
        juror = Juror(call=call.id, email=email, name=email)
        await juror.save()
        people.append(juror)
    return call, ids, people


async def test_concurrent_score_writes_leave_one_row():
    call, entries, (juror, other) = await _call_with(3, ["a@x.test", "b@x.test"])
    round_ = await rounds.create_round(call.id, {"kind": "yes_no", "quorum": 2})
    await rounds.assign_round(round_.id, 2)
    verdicts = ["yes", "no", "maybe", "yes", "no", "maybe", "yes", "no"]
    outcomes = await asyncio.gather(
        *(rounds.record_score(juror, round_.id, entries[0], {"verdict": v}) for v in verdicts),
        return_exceptions=True,
    )
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    rows = await Score.objects().where((Score.round == round_.id) & (Score.entry == entries[0]))
    assert len(rows) == 1 and rows[0].verdict in verdicts
    await rounds.record_score(juror, round_.id, entries[0], {"verdict": "maybe"})
    rows = await Score.objects().where((Score.round == round_.id) & (Score.entry == entries[0]))
    assert [r.verdict for r in rows] == ["maybe"]


async def test_dropped_juror_keeps_scores_and_quorum_can_be_lowered():
    call, entries, (a, b) = await _call_with(2, ["a@x.test", "b@x.test"])
    round_ = await rounds.create_round(call.id, {"kind": "rubric", "quorum": 2})
    await rounds.assign_round(round_.id, 2)
    marks = {"artistic_quality": 7, "fit_with_buyers": 6, "technical_quality": 8}
    for entry in entries:
        await rounds.record_score(a, round_.id, entry, {"marks": marks})
    await jurors.drop_juror(b.id)  # b left the jury without rating
    assert (await rounds.get_round(round_.id)).status == "open"
    lowered = await rounds.set_quorum(round_.id, {"quorum": 1})
    assert lowered.status == "closed" and lowered.closed_by == "quorum"
    outcome = await results.round_results(round_.id)
    assert [e["ratings"] for e in outcome["entries"]] == [1, 1]
    assert outcome["normalised"] is False  # one juror with 2 ratings is below the threshold: raw means
    assert await Score.count().where(Score.juror == a.id) == 2
