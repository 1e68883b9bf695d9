"""Judging on the juries domain: the edition's jury Call, whose entries are the teams' submissions, with the
hackathon rubric (innovation, feasibility, impact on audiences and artists, team); each entry lists the
organisations of the team's members, so a juror from one of them is recused (juries.recusals, generic).
Jurors, rounds, scores, results and decisions are juries' own. Then the live pitch order of the final."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hackathon.common import event_of, get_edition
from hackathon.tables import Edition, HackParticipant, Submission, Team
from juries import calls, rounds
from juries.tables import Call, Entry
from lib.errors import Conflict, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from lib.locking import lock

RUBRIC = (
    {"name": "innovation", "weight": 1},
    {"name": "feasibility", "weight": 1},
    {"name": "impact", "weight": 1},  # on audiences and artists
    {"name": "team", "weight": 1},
)


async def ensure_call(edition_id: Any) -> Call:
    """The edition's jury call (created on first use) with its entries in step with the submissions."""
    edition = await get_edition(edition_id)
    async with atomic():
        await lock("hackathon-call", edition.id)
        edition = await get_edition(edition.id)
        if edition.jury_call is None:
            event = await event_of(edition)
            year = event.edition_year or event.starts_at.year
            deadline = edition.submission_deadline or event.ends_at
            call = await calls.create_call(
                {
                    "title": f"Jury — {event.title}",
                    "title_en": f"Jury — {event.title_en or event.title}",
                    "edition_year": year,
                    "event_id": event.id,
                    "opens_at": min(event.starts_at, deadline - timedelta(minutes=1)),
                    "deadline": deadline,
                    "eligibility": "anyone",
                    "max_entries_per_organisation": 100,
                    "max_runtime_seconds": max(60, edition.pitch_minutes * 60),
                    "jurors_per_entry": 3,
                }
            )
            await Edition.update({Edition.jury_call: call.id}).where(Edition.id == edition.id)
            edition = await get_edition(edition.id)
        await sync_entries(edition)
    found = await Call.objects().where(Call.id == edition.jury_call).first()
    assert found is not None
    return found


async def _team_organisations(team_id: int) -> list[int]:
    rows = await HackParticipant.select(HackParticipant.organisation).where(
        (HackParticipant.team == team_id) & (HackParticipant.status == "accepted")
    )
    return sorted({r["organisation"] for r in rows if r["organisation"] is not None})


async def sync_entries(edition: Edition) -> None:
    """Inside a transaction: one entry per submission; title, pitch and organisations kept up to date."""
    event = await event_of(edition)
    teams = {t.id: t for t in await Team.objects().where(Team.edition == edition.id)}
    subs = await Submission.objects().where(Submission.team.is_in(list(teams) or [0])).order_by(Submission.id)
    for s in subs:
        orgs = json.dumps(await _team_organisations(s.team))
        first = (
            await HackParticipant.select(HackParticipant.email)
            .where(HackParticipant.team == s.team)
            .order_by(HackParticipant.id)
            .first()
        )
        values = {
            "title": s.title,
            "synopsis_fr": s.pitch,
            "synopsis_en": s.pitch,
            "directors": teams[s.team].name,
            "participant_organisations": orgs,
            "screener_url": s.video_url or s.prototype_url,
        }
        if s.entry is None:
            entry = Entry(
                call=edition.jury_call,
                submitter_email=first["email"] if first else "",
                runtime_seconds=edition.pitch_minutes * 60,
                year=event.starts_at.year,
                genre="other",
                status="received",
                rights_cleared=True,
                **values,
            )
            await entry.save()
            await Submission.update({Submission.entry: entry.id}).where(Submission.id == s.id)
        else:
            await Entry.update({getattr(Entry, k): v for k, v in values.items()}).where(Entry.id == s.entry)


async def open_round(edition_id: Any) -> Any:
    """The rubric round on every submission (juries.rounds; close the open one first)."""
    call = await ensure_call(edition_id)
    return await rounds.create_round(call.id, {"kind": "rubric", "rubric": [dict(c) for c in RUBRIC]})


async def selected_submissions(edition_id: int) -> list[Submission]:
    """The submissions the jury selected (their entries' status is decided by juries.results)."""
    subs = await Submission.objects().where(Submission.entry.is_not_null())
    edition = await get_edition(edition_id)
    team_ids = {t["id"] for t in await Team.select(Team.id).where(Team.edition == edition.id)}
    entries = {
        e["id"]
        for e in await Entry.select(Entry.id).where(
            (Entry.call == (edition.jury_call or 0)) & (Entry.status == "selected")
        )
    }
    return [s for s in subs if s.team in team_ids and s.entry in entries]


# ---- live pitch order for the final -------------------------------------------------------------


@dataclass(frozen=True)
class PitchSlot:
    position: int
    submission_id: int
    title: str
    team: str
    starts_at: datetime | None
    ends_at: datetime | None


async def pitch_sheet(edition_id: Any) -> list[PitchSlot]:
    """The order (staff's, then any submission not in it by id) and each pitch's time."""
    edition = await get_edition(edition_id)
    teams = {t.id: t.name for t in await Team.objects().where(Team.edition == edition.id)}
    subs = {
        s.id: s
        for s in await Submission.objects()
        .where(Submission.team.is_in(list(teams) or [0]))
        .order_by(Submission.id)
    }
    try:
        order = [i for i in json.loads(edition.pitch_order or "[]") if i in subs]
    except (ValueError, TypeError):
        order = []
    order += [i for i in subs if i not in order]
    step = timedelta(minutes=edition.pitch_minutes + edition.pitch_gap_minutes)
    out = []
    for n, sid in enumerate(order):
        start = edition.pitch_starts_at + n * step if edition.pitch_starts_at else None
        end = start + timedelta(minutes=edition.pitch_minutes) if start else None
        s = subs[sid]
        out.append(PitchSlot(n + 1, sid, s.title, teams[s.team], start, end))
    return out


async def set_pitch_order(edition_id: Any, order: Any) -> list[PitchSlot]:
    edition = await get_edition(edition_id)
    current = [p.submission_id for p in await pitch_sheet(edition.id)]
    if isinstance(order, str):
        try:
            order = [int(x) for x in order.replace(" ", "").split(",") if x]
        except ValueError:
            order = None
    if not isinstance(order, list) or sorted(order) != sorted(current) or len(set(order)) != len(order):
        raise ValidationFailed.one(
            "order", _("Give every submission of the edition once, in the pitch order.")
        )
    await Edition.update({Edition.pitch_order: json.dumps(order)}).where(Edition.id == edition.id)
    return await pitch_sheet(edition.id)


async def publish_results(edition_id: Any, published: bool = True) -> Edition:
    edition = await get_edition(edition_id)
    if published and not await selected_submissions(edition.id):
        raise Conflict(_("The jury has selected no project yet."))
    await Edition.update({Edition.results_published: published}).where(Edition.id == edition.id)
    return await get_edition(edition.id)
