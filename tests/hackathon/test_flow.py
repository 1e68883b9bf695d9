"""Teams, staff formation, submissions and the deadline, judging with recusals, accompany, mentors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hackathon import accompany, challenges, formation, judging, mentors, submissions, teams
from hackathon.tables import Edition, HackParticipant, MentorSlot, Submission, Team
from juries import jurors, recusals, results, rounds
from juries.tables import Entry
from lib.errors import Conflict, NotFound, ValidationFailed
from projects.tables import Project, ProjectCarrier
from tests.hackathon.factories import ROLE_CYCLE, edition, register
from tests.stands.factories import member


async def _people(ed, n, **kw):
    return [(await register(ed, i, **kw)).participant for i in range(n)]


async def test_create_join_by_link_leave_and_size_limit():
    ed = await edition(max_team_size=3, min_team_size=2)
    a, b, c, d = await _people(ed, 4)
    created = await teams.create_team(a, {"name": "Les Volcans"})
    assert created.invite_token and teams.invite_path(created.invite_token).startswith("/hackathon/join/")
    await teams.join_team(b, created.invite_token)
    await teams.join_team(c, created.invite_token)
    with pytest.raises(Conflict) as full:
        await teams.join_team(d, created.invite_token)
    assert "3" in str(full.value)
    with pytest.raises(NotFound):
        await teams.join_team(d, "not-a-token")
    await teams.leave_team(await _fresh(c))
    await teams.join_team(d, created.invite_token)
    assert [m.name for m in await teams.members_of(created.team.id)] == [a.name, b.name, d.name]
    with pytest.raises(Conflict):
        await teams.create_team(await _fresh(a), {"name": "Autre"})


async def test_a_waiting_participant_cannot_join_a_team():
    ed = await edition(capacity=1)
    a, b = await _people(ed, 2)
    created = await teams.create_team(a, {"name": "Solo"})
    with pytest.raises(ValidationFailed):
        await teams.join_team(b, created.invite_token)


async def _fresh(p):
    return await HackParticipant.objects().where(HackParticipant.id == p.id).first()


async def test_staff_formation_preview_then_apply_keeps_existing_teams():
    ed = await edition(capacity=40)
    people = await _people(ed, 22)
    existing = await teams.create_team(people[0], {"name": "Déjà là"})
    await teams.join_team(people[1], existing.invite_token)
    seen = await formation.preview(ed.id)
    assert seen.unassigned == 20 and not seen.formation.problems
    created = await formation.apply(ed.id, seen.key)
    all_teams = await Team.objects().where(Team.edition == ed.id)
    assert len(created) == len(all_teams) - 1
    for t in all_teams:
        members = await teams.members_of(t.id)
        assert 4 <= len(members) <= 6, (t.name, len(members))
        assert len({m.role for m in members}) >= 2
    assert await HackParticipant.count().where(HackParticipant.team.is_null()) == 0
    with pytest.raises(Conflict):  # the preview is stale once applied
        await formation.apply(ed.id, seen.key)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    roles=st.lists(st.sampled_from(ROLE_CYCLE + ("other",)), min_size=8, max_size=30),
    low=st.integers(2, 4),
    spread=st.integers(0, 2),
)
async def test_property_formation_sizes_within_limits_and_two_roles(roles, low, spread):
    await Edition.delete(force=True)
    ed = await edition(capacity=100, min_team_size=low, max_team_size=low + spread)
    for i, role in enumerate(roles):
        await register(ed, i, role=role)
    seen = await formation.preview(ed.id)
    if seen.formation.problems or not seen.formation.teams:
        return  # the rules cannot be met (e.g. one role only): the preview says why, nothing to apply
    await formation.apply(ed.id, seen.key)
    for t in await Team.objects().where(Team.edition == ed.id):
        members = await teams.members_of(t.id)
        assert low <= len(members) <= low + spread
        assert len({m.role for m in members}) >= 2


async def test_submission_editable_until_the_deadline_then_refused_naming_it():
    ed = await edition()
    a, b = await _people(ed, 2)
    ch = await challenges.add_challenge(ed.id, {"title": "Le public sur scène", "partner_name": "La Coopé"})
    created = await teams.create_team(a, {"name": "Echo"})
    await teams.join_team(b, created.invite_token)
    data = {
        "title": "Écho",
        "challenge_id": ch.id,
        "pitch": "Le public pilote la lumière.",
        "prototype_url": "https://echo.example",
        "video_url": "https://video.example/echo",
        "needs": "Un lieu de test",
    }
    s = await submissions.save_submission(await _fresh(a), data)
    s = await submissions.save_submission(await _fresh(b), {**data, "title": "Écho 2"})
    assert s.title == "Écho 2" and await Submission.count() == 1
    assert (await submissions.submission_json(s))["members"] == [a.name, b.name]
    with pytest.raises(ValidationFailed) as bad:
        await submissions.save_submission(await _fresh(a), {**data, "prototype_url": "ftp://x"})
    assert "prototype_url" in bad.value.errors
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    s = await submissions.add_image(await _fresh(a), "image/png", png)
    assert len(submissions.images_of(s)) == 1
    with pytest.raises(ValidationFailed) as liar:
        await submissions.add_image(await _fresh(a), "image/jpeg", png)
    assert "image" in liar.value.errors
    await Edition.update({Edition.submission_deadline: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Edition.id == ed.id
    )
    with pytest.raises(ValidationFailed) as late:
        await submissions.save_submission(await _fresh(a), data)
    assert list(late.value.errors) == ["deadline"]
    assert (await submissions.get_submission(s.id)).title == "Écho 2"


async def _team_with_submission(ed, people, name, org_people=()):
    created = await teams.create_team(people[0], {"name": name})
    for p in people[1:]:
        await teams.join_team(p, created.invite_token)
    return await submissions.save_submission(
        await _fresh(people[0]), {"title": f"Projet {name}", "pitch": "Un pitch."}
    )


async def test_judging_recusal_from_organisations_then_accompany():
    org_a, mail_a = await member("Studio Alpha")
    org_b, mail_b = await member("Label Beta")
    ed = await edition()
    p1 = (await register(ed, 1, email=mail_a)).participant
    p2 = (await register(ed, 2, organisation="Label Beta")).participant
    p3, p4 = (await register(ed, 3)).participant, (await register(ed, 4)).participant
    s1 = await _team_with_submission(ed, [p1, p2], "Alpha")
    s2 = await _team_with_submission(ed, [p3, p4], "Gamma")
    call = await judging.ensure_call(ed.id)
    entries = {e.title: e for e in await Entry.objects().where(Entry.call == call.id)}
    assert set(entries) == {"Projet Alpha", "Projet Gamma"}
    juror = await jurors.invite_juror(call.id, {"email": "jury@alpha.example", "name": "Jo"})
    from juries.tables import Juror

    await Juror.update({Juror.organisation: org_a.id}).where(Juror.id == juror.id)
    found = await recusals.recusals_of_call(call.id)
    assert [(r.entry, r.kind) for r in found] == [(entries["Projet Alpha"].id, recusals.PARTICIPANT)]
    # the round, jurors' scores, results and decision are juries' own
    round_ = await judging.open_round(ed.id)
    assert [c.name for c in rounds.rubric_of(round_).criteria] == [
        "innovation",
        "feasibility",
        "impact",
        "team",
    ]
    from juries.tables import Round

    await Round.update({Round.status: "closed"}).where(Round.id == round_.id)
    await results.decide(round_.id, {"entry_ids": [entries["Projet Alpha"].id]}, by="staff@ledamier.test")
    selected = await judging.selected_submissions(ed.id)
    assert [s.id for s in selected] == [s1.id]
    with pytest.raises(ValidationFailed):
        await accompany.accompany(s2.id)
    created = await accompany.accompany(s1.id)
    project = await Project.objects().where(Project.id == created.project.id).first()
    assert project.origin == "hackathon" and project.hackathon_team == "Alpha"
    carriers = {
        c.organisation for c in await ProjectCarrier.objects().where(ProjectCarrier.project == project.id)
    }
    assert carriers == {org_a.id, org_b.id}
    with pytest.raises(Conflict):
        await accompany.accompany(s1.id)


async def test_pitch_sheet_order_and_timing():
    ed = await edition(pitch_minutes=5, pitch_gap_minutes=2)
    people = await _people(ed, 4)
    s1 = await _team_with_submission(ed, people[:2], "Un")
    s2 = await _team_with_submission(ed, people[2:], "Deux")
    start = datetime(2027, 4, 29, 14, 0, tzinfo=UTC)
    await Edition.update({Edition.pitch_starts_at: start}).where(Edition.id == ed.id)
    sheet = await judging.set_pitch_order(ed.id, [s2.id, s1.id])
    assert [(p.position, p.team, p.starts_at) for p in sheet] == [
        (1, "Deux", start),
        (2, "Un", start + timedelta(minutes=7)),
    ]
    with pytest.raises(ValidationFailed) as bad:
        await judging.set_pitch_order(ed.id, [s2.id])
    assert "order" in bad.value.errors


async def test_mentor_slot_booked_once_and_no_overlap():
    ed = await edition()
    people = await _people(ed, 4)
    t1 = await teams.create_team(people[0], {"name": "A"})
    t2 = await teams.create_team(people[1], {"name": "B"})
    start = datetime(2027, 4, 28, 10, 0, tzinfo=UTC)
    slot = await mentors.offer_slot(
        ed.id,
        {
            "mentor_name": "Expert",
            "mentor_email": "x@e.org",
            "starts_at": start,
            "ends_at": start + timedelta(minutes=30),
        },
    )
    other = await mentors.offer_slot(
        ed.id,
        {
            "mentor_name": "Autre",
            "mentor_email": "y@e.org",
            "starts_at": start + timedelta(minutes=15),
            "ends_at": start + timedelta(minutes=45),
        },
    )
    booked = await mentors.book(await _fresh(people[0]), slot.id)
    assert booked.team == t1.team.id
    with pytest.raises(Conflict):
        await mentors.book(await _fresh(people[1]), slot.id)
    with pytest.raises(Conflict):  # overlaps the slot A already holds
        await mentors.book(await _fresh(people[0]), other.id)
    assert (await mentors.book(await _fresh(people[1]), other.id)).team == t2.team.id
    with pytest.raises(ValidationFailed) as bad:
        await mentors.offer_slot(
            ed.id, {"mentor_name": "Z", "mentor_email": "z@e.org", "starts_at": start, "ends_at": start}
        )
    assert "ends_at" in bad.value.errors
    assert await MentorSlot.count().where(MentorSlot.team.is_not_null()) == 2
