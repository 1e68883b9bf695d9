"""Demo data of the projects domain: one accompanied project from Culture Experience Days 2027, carried by
two members in good standing, with support hours logged and billed and one expert invoice. Everything goes
through the services, so the demo obeys the site's rules (members, 4 at once, brackets, cap)."""

from __future__ import annotations

from datetime import timedelta

from members.register import today
from members.standing import membership_standing
from members.tables import Organisation
from projects import billing, capacity, experts, hours, records
from projects.tables import HoursEntry, Project


async def load() -> str | None:
    """Nothing happens when a project exists already (but the hackathon's winner, just accompanied) or fewer
    than two members are in good standing."""
    # the hackathon's demo accompanies its winner (hackathon.demo runs first): its hours and costs go here
    from_hackathon = await Project.objects().where(Project.origin == "hackathon").first()
    if from_hackathon is not None and not await HoursEntry.exists().where(
        HoursEntry.project == from_hackathon.id
    ):
        start = today() - timedelta(days=60)  # the convention staff set after the jury
        if from_hackathon.status == "queued":
            await capacity.activate(from_hackathon.id, start)
        elif from_hackathon.convention_on is None:
            await Project.update(
                {Project.convention_on: start, Project.ends_on: capacity.end_of_accompaniment(start)}
            ).where(Project.id == from_hackathon.id)
        return await _work(await records.get_project(from_hackathon.id))
    if await Project.exists():
        return None
    members = []
    for org in await Organisation.objects().order_by(Organisation.id):
        if (await membership_standing(organisation_id=org.id)).in_good_standing:
            members.append(org)
        if len(members) == 2:
            break
    if len(members) < 2:
        return None
    start = today() - timedelta(days=60)
    created = await records.create_project(
        {
            "title": "Scène augmentée",
            "description": "Un dispositif de réalité augmentée pour les concerts en petite salle, "
            "prototypé pendant Culture Experience Days.",
            "lead_name": "Camille Martin",
            "lead_email": members[0].email or "camille.martin@example.org",
            "origin": "hackathon",
            "hackathon_edition": "Culture Experience Days 2027",
            "hackathon_team": "Les Lumineux",
            "carriers": [
                {"organisation": members[0].id, "share_percent": 60},
                {"organisation": members[1].id, "share_percent": 40},
            ],
            "convention_on": start.isoformat(),
        }
    )
    return await _work(created.project)


async def _work(project: Project) -> str:
    for days, spent, what in ((55, "6", "Atelier de cadrage"), (40, "8", "Maquette"), (20, "6.5", "Tests")):
        await hours.log_hours(
            project.id,
            {
                "worked_on": (today() - timedelta(days=days)).isoformat(),
                "who": "Équipe LE DAMIER",
                "what": what,
                "hours": spent,
            },
        )
    await billing.bill_project(project.id)
    await experts.record(
        project.id,
        {
            "expert": "Studio Acoustique Auvergne",
            "reference": "SAA-2027-014",
            "invoiced_on": (today() - timedelta(days=10)).isoformat(),
            "amount_eur": "1800",
        },
    )
    return f"projects: 1 accompanied project ({project.title})"
