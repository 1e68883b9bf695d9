"""Demo data: Culture Experience Days 2027 with its call for participants (40 accepted and 2 waiting),
3 challenges, 8 teams (3 formed by participants, 5 by staff with the balanced formation), 8 submissions,
mentor slots, a finished jury (rubric round rated, closed, 2 projects selected, results published) and one
accompanied project. Everything goes through the services, so the demo obeys the rules. Nothing happens if
the edition exists or the event is missing."""

from __future__ import annotations

import random
from datetime import timedelta

from events.tables import Event
from hackathon import (
    accompany,
    challenges,
    editions,
    formation,
    judging,
    mentors,
    registration,
    submissions,
    teams,
)
from hackathon.tables import Edition, HackParticipant, Team
from juries import jurors, rounds
from juries.results import decide
from juries.tables import Assignment
from lib.errors import Conflict, ValidationFailed
from members.standing import membership_standing
from members.tables import Organisation, Person

FIRST = [
    "Camille",
    "Léa",
    "Hugo",
    "Inès",
    "Louis",
    "Manon",
    "Nathan",
    "Chloé",
    "Jules",
    "Sarah",
    "Tom",
    "Zoé",
]
LAST = ["Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon"]
ROLES = ("artist", "developer", "designer", "researcher", "technician")
SKILLS = ("son", "lumière", "python", "unity", "scénographie", "vidéo", "capteurs", "ux", "médiation", "3d")
CHALLENGES = [
    ("Le public sur scène", "The audience on stage", "Faire participer le public au concert en direct."),
    ("Billetterie sensible", "Sensitive ticketing", "Réinventer l'accueil et l'accès des publics."),
    ("L'artiste connecté", "The connected artist", "Garder le lien avec le public après le spectacle."),
]
PROJECTS = [
    "Scène augmentée",
    "Lumière partagée",
    "Écho du public",
    "Billet vivant",
    "Carnet sonore",
    "Résonances",
    "Le Fil",
    "Vibrato",
]


async def load() -> str | None:
    event = await Event.objects().where(Event.slug == "culture-experience-days-2027").first()
    if event is None or await Edition.exists().where(Edition.event == event.id):
        return None
    rng = random.Random(2027)
    edition = await editions.create_edition(
        event.id,
        {
            "theme": "Nouvelles solutions pour les interactions entre publics et artistes",
            "theme_en": "New solutions for audience/artist interactions",
            "capacity": 40,
            "submission_deadline": event.ends_at,
            "pitch_starts_at": event.ends_at - timedelta(hours=4),
        },
    )
    for title, title_en, description in CHALLENGES:
        await challenges.add_challenge(
            edition.id, {"title": title, "title_en": title_en, "description": description, "partner_name": ""}
        )
    # members' people first (two colleagues of each of the first member organisations in good standing)
    members = []
    for org in await Organisation.objects().order_by(Organisation.id):
        if (await membership_standing(organisation_id=org.id)).in_good_standing:
            members.append(org)
        if len(members) == 6:
            break
    people: list[tuple[str, str, str]] = []  # name, email, organisation
    for org in members:
        for person in (
            await Person.objects().where(Person.organisation == org.id).order_by(Person.id).limit(2)
        ):
            people.append((f"{person.first_name} {person.last_name}", person.email, org.name))
    n = 0
    while len(people) < 42:
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
        people.append(
            (name, f"{name.lower().replace(' ', '.').replace('é', 'e').replace('è', 'e')}{n}@example.org", "")
        )
        n += 1
    registered = []
    for i, (name, email, org) in enumerate(people[:42]):
        done = await registration.register(
            edition.id,
            {
                "name": name,
                "email": email,
                "organisation": org,
                "role": ROLES[i % len(ROLES)] if i % 11 else "other",
                "skills": rng.sample(SKILLS, 2),
                "bio": "",
                "needs_diet": "végétarien" if i % 6 == 0 else "",
                "needs_accommodation": i % 9 == 0,
                "locale": "en" if i % 13 == 0 else "fr",
            },
        )
        registered.append(done.participant)
    accepted = [p for p in registered if p.status == "accepted"]
    # three teams formed by participants; the first mixes two member organisations (it will be accompanied)
    ids = {p.id for p in accepted}
    by_org: dict[int, list[HackParticipant]] = {}
    for p in accepted:
        if p.organisation is not None:
            by_org.setdefault(p.organisation, []).append(p)
    first_team = [lst[0] for lst in list(by_org.values())[:2]]
    others = [p for p in accepted if p.organisation is None]
    groups = [first_team + others[:3], others[3:8], others[8:12]]
    for k, group in enumerate(groups):
        group = [p for p in group if p.id in ids]
        if not group:
            continue
        created = await teams.create_team(
            group[0], {"name": ("Les Lumineux", "Onde Arverne", "Puy de Sons")[k]}
        )
        for p in group[1:]:
            await teams.join_team(p, created.invite_token)
    seen = await formation.preview(edition.id)
    await formation.apply(edition.id, seen.key)
    f = seen.formation
    balance = f"balance {f.measure.total:.1f}, bound {f.bound.total:.1f}" if f.measure and f.bound else ""
    all_teams = await Team.objects().where(Team.edition == edition.id).order_by(Team.id)
    challenge_ids = [c.id for c in await challenges.challenges_of(edition.id)]
    for k, team in enumerate(all_teams):
        member = await HackParticipant.objects().where(HackParticipant.team == team.id).first()
        slug = PROJECTS[k % len(PROJECTS)].lower().replace(" ", "-").replace("é", "e").replace("è", "e")
        await submissions.save_submission(
            member,
            {
                "title": PROJECTS[k % len(PROJECTS)],
                "challenge_id": challenge_ids[k % len(challenge_ids)],
                "pitch": f"« {PROJECTS[k % len(PROJECTS)]} » : un prototype pour rapprocher publics et artistes.",
                "prototype_url": f"https://prototypes.example/{slug}",
                "video_url": f"https://video.example/{slug}",
                "needs": "Un lieu de test et un accompagnement juridique." if k % 2 == 0 else "",
            },
        )
        await Team.update({Team.public_consent: k != 5}).where(Team.id == team.id)
    start = event.starts_at + timedelta(hours=20)
    for k, (mentor, topic) in enumerate(
        (
            ("Studio Acoustique Auvergne", "Son spatialisé"),
            ("Clermont Auvergne Innovation", "Financer son projet"),
        )
    ):
        for j in range(3):
            slot = await mentors.offer_slot(
                edition.id,
                {
                    "mentor_name": mentor,
                    "mentor_email": f"mentor{k}@example.org",
                    "topic": topic,
                    "starts_at": (start + timedelta(minutes=30 * j)).isoformat(),
                    "ends_at": (start + timedelta(minutes=30 * (j + 1))).isoformat(),
                },
            )
            if j == 0:
                booker = (
                    await HackParticipant.objects().where(HackParticipant.team == all_teams[k].id).first()
                )
                await mentors.book(booker, slot.id)
    # the jury: three guests, the rubric round rated by all, closed, the two best selected
    call = await judging.ensure_call(edition.id)
    panel = [
        await jurors.invite_juror(call.id, {"email": email, "name": name})
        for name, email in (
            ("Claire Mercier", "claire.mercier@festival.example"),
            ("Paul Girard", "paul.girard@region.example"),
            ("Amina Diallo", "amina.diallo@labo.example"),
        )
    ]
    round_ = await judging.open_round(edition.id)
    await rounds.assign_round(round_.id)
    quality = {s.entry: 8.5 - 0.6 * k for k, s in enumerate(await submissions.submissions_of(edition.id))}
    for juror in panel:
        for a in await Assignment.objects().where(
            (Assignment.round == round_.id) & (Assignment.juror == juror.id)
        ):
            if (await rounds.get_round(round_.id)).status != "open":
                break
            marks = {
                c: max(1, min(10, round(quality[a.entry] + rng.gauss(0, 0.5))))
                for c in ("innovation", "feasibility", "impact", "team")
            }
            await rounds.record_score(juror, round_.id, a.entry, {"marks": marks})
    if (await rounds.get_round(round_.id)).status == "open":
        await rounds.close_round(round_.id, "demo")
    await decide(round_.id, {"top": 2}, by="admin@ledamier.fr")
    await judging.publish_results(edition.id)
    winners = await judging.selected_submissions(edition.id)
    project = ""
    if winners:
        try:
            created = await accompany.accompany(winners[0].id, {"queue_if_full": True})
            project = f", accompanied project: {created.project.title}"
        except (ValidationFailed, Conflict):  # the carriers fall short: the demo goes on without it
            project = ""
    return (
        f"Culture Experience Days 2027: {len(accepted)} participants, {len(all_teams)} teams, "
        f"{len(all_teams)} submissions ({balance}), jury finished{project} (staff: /staff/hackathon/{edition.id})."
    )
