"""The register's demo data: fictional member organisations, their people and paid years, and two
outside guests (email addresses under the reserved `.example` domain).

The shared demo (server/demo.py) loads it first, because the events' speakers and speed-meeting profiles
are these people; `load()` is the app registry's entry and finds everything already there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from lib.clock import local_today
from members import people as people_rules
from members import register as register_rules
from members import standing
from members.tables import Organisation, Person

# ---- member organisations -----------------------------------------------------------------------
# (name, college, revenue band, domain, city, description, people: (first, last, job), paid years —
# 2026 means the current year, 2025 the one before)
ORGANISATIONS: list[tuple[str, int, str, str, str, str, list[tuple[str, str, str]], tuple[int, ...]]] = [
    ("Label Volcanique", 1, "lt20k", "label-volcanique.example", "Clermont-Ferrand",
     "Label indépendant de rock et d'électro auvergnat.",
     [("Camille", "Roux", "Directrice artistique"), ("Hugo", "Fabre", "Chargé de production")], (2025, 2026)),
    ("Puy de Sons Productions", 1, "20k-60k", "puydesons.example", "Clermont-Ferrand",
     "Production de spectacles et accompagnement d'artistes.",
     [("Julien", "Bernard", "Producteur")], (2025, 2026)),
    ("Arverne Booking", 1, "60k-250k", "arverne-booking.example", "Riom",
     "Agence de tournées pour les musiques actuelles.",
     [("Sophie", "Martin", "Bookeuse"), ("Nicolas", "Chabrier", "Gérant")], (2025, 2026)),
    ("Éditions Musicales du Dôme", 1, "lt20k", "editions-dome.example", "Clermont-Ferrand",
     "Édition musicale et synchronisation à l'image.",
     [("Claire", "Vidal", "Éditrice")], (2026,)),
    ("Studio Gergovie", 1, "20k-60k", "studio-gergovie.example", "La Roche-Blanche",
     "Studio d'enregistrement, de mixage et de mastering.",
     [("Thomas", "Aubert", "Ingénieur du son")], (2025, 2026)),
    ("Collectif Basalte", 1, "lt20k", "collectif-basalte.example", "Clermont-Ferrand",
     "Collectif de musiciens jazz et musiques improvisées.",
     [("Léa", "Morel", "Saxophoniste"), ("Yanis", "Benali", "Batteur")], (2025, 2026)),
    ("Festival Nuits Arvernes", 1, "60k-250k", "nuits-arvernes.example", "Volvic",
     "Festival d'été de musiques actuelles.",
     [("Élodie", "Garnier", "Programmatrice")], (2025,)),
    ("Volcans Films", 2, "60k-250k", "volcans-films.example", "Clermont-Ferrand",
     "Production de documentaires et de fictions courtes.",
     [("Antoine", "Dumas", "Producteur"), ("Inès", "Lefèvre", "Réalisatrice")], (2025, 2026)),
    ("Atelier Animation Auvergne", 2, "20k-60k", "atelier-animation.example", "Aurillac",
     "Studio de films d'animation en stop-motion et 2D.",
     [("Marion", "Perrin", "Réalisatrice")], (2025, 2026)),
    ("Clip & Cadre", 2, "lt20k", "clip-cadre.example", "Clermont-Ferrand",
     "Réalisation de clips musicaux et de captations live.",
     [("Maxime", "Girard", "Réalisateur")], (2026,)),
    ("Documentaires du Massif", 2, "20k-60k", "docs-massif.example", "Le Puy-en-Velay",
     "Documentaires de création sur les territoires.",
     [("Pauline", "Faure", "Productrice")], (2025, 2026)),
    ("Motion Sancy", 2, "lt20k", "motion-sancy.example", "Le Mont-Dore",
     "Motion design et art vidéo.",
     [("Rémi", "Chevalier", "Artiste vidéo")], (2025, 2026)),
    ("Lumière Scène Technique", 3, "gt250k", "lumiere-scene.example", "Cébazat",
     "Location et régie son, lumière et vidéo pour le spectacle.",
     [("Franck", "Bonnet", "Directeur technique")], (2025, 2026)),
    ("Son & Régie Auvergne", 3, "60k-250k", "son-regie.example", "Cournon-d'Auvergne",
     "Prestations techniques pour festivals et salles.",
     [("Karim", "Haddad", "Régisseur général")], (2026,)),
    ("Atelier Graphique Pavin", 3, "lt20k", "graphique-pavin.example", "Besse",
     "Design graphique et identités visuelles pour la culture.",
     [("Manon", "Rey", "Graphiste")], (2025, 2026)),
    ("Comm'Arverne", 3, "20k-60k", "commarverne.example", "Clermont-Ferrand",
     "Agence de communication et relations presse culturelles.",
     [("Sarah", "Lambert", "Attachée de presse")], (2025,)),
    ("Institut Supérieur de l'Image et du Son", 4, "gt250k", "isis-auvergne.example", "Clermont-Ferrand",
     "Formations supérieures aux métiers de l'image et du son.",
     [("Olivier", "Mercier", "Directeur des études"), ("Nadia", "Kaci", "Chargée de recherche")],
     (2025, 2026)),
    ("Laboratoire Arts & Usages Numériques", 4, "60k-250k", "lab-aun.example", "Clermont-Ferrand",
     "Recherche sur les interactions entre publics et artistes.",
     [("Vincent", "Brun", "Enseignant-chercheur")], (2026,)),
    ("Ville de Cébazat – Service culturel", 5, "gt250k", "culture-cebazat.example", "Cébazat",
     "Service culturel municipal, gestionnaire du Sémaphore.",
     [("Isabelle", "Roche", "Directrice des affaires culturelles")], (2025, 2026)),
    ("Agence Culturelle Auvergne Volcans", 5, "gt250k", "agence-culturelle.example", "Clermont-Ferrand",
     "Agence publique d'appui aux filières culturelles.",
     [("Laurent", "Giraud", "Chargé de mission filières")], (2025, 2026)),
]  # fmt: skip

# Outside guests (no organisation): buyers and experts on the round tables.
GUESTS = [
    ("Anne", "Delorme", "anne.delorme@festival-programmation.example", "Programmatrice, scène nationale"),
    ("Marc", "Oliveira", "marc.oliveira@mediatheques.example", "Responsable musique, réseau de médiathèques"),
]


@dataclass
class DemoRegister:
    orgs: dict[str, int] = field(default_factory=dict)  # name -> id
    people: dict[str, int] = field(default_factory=dict)  # "First Last" -> id


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


async def load_register() -> DemoRegister:
    """Create what is missing of the demo register (idempotent: matched by name and email)."""
    loaded = DemoRegister()
    existing_orgs = {
        o["name"]: o["id"] for o in await Organisation.select(Organisation.id, Organisation.name)
    }
    existing_people = {p["email"]: p["id"] for p in await Person.select(Person.id, Person.email)}
    for name, college, band, domain, city, description, people, paid_years in ORGANISATIONS:
        org_id = existing_orgs.get(name)
        if org_id is None:
            org = await register_rules.create_organisation(
                name=name,
                college=college,
                revenue_band=band,
                email=f"contact@{domain}",
                email_domain=domain,
                city=city,
                website=f"https://www.{domain}",
                description=description,
            )
            org_id = org.id
            # The table says 2025/2026 for "last year"/"this year": keep the demo's members in good
            # standing whatever year it is run in (a payment is never dated in the future).
            shift = local_today().year - 2026
            for year in paid_years:
                paid_on = min(date(year + shift, 2, 15), local_today())
                await standing.record_membership_payment(org_id, year + shift, paid_on)
        loaded.orgs[name] = org_id
        for first, last, job in people:
            email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}"
            person_id = existing_people.get(email)
            if person_id is None:
                person = await people_rules.create_person(
                    first_name=first, last_name=last, email=email, organisation_id=org_id, role=job
                )
                person_id = person.id
            loaded.people[f"{first} {last}"] = person_id
    for first, last, email, job in GUESTS:
        person_id = existing_people.get(email)
        if person_id is None:
            person = await people_rules.create_person(first_name=first, last_name=last, email=email, role=job)
            person_id = person.id
        loaded.people[f"{first} {last}"] = person_id

    return loaded


async def load() -> str | None:
    await load_register()
    return None
