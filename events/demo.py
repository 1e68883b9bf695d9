"""The events' demo data: the cluster's venues and rooms, and a season of events — MIMA 2027 with its full
programme, Le Court d'Ici, Les Clés pour réussir, Culture Experience Days, the General Assembly and smaller
meetings — created through events.services, so they obey the back office's rules.

The shared demo (server/demo.py) loads it right after the member register, because the speakers are the
register's people and every later demo (speed-meeting, stands, juries...) finds its event by slug;
`load()` is the app registry's entry and finds everything already there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from events import services
from events.tables import Event, Room, Venue
from members import demo as members_demo
from ticketing.types import add_default_types

PARIS = ZoneInfo("Europe/Paris")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Paris wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@dataclass
class DemoCatalogue:
    venues: dict[str, int] = field(default_factory=dict)  # name -> id
    rooms: dict[tuple[str, str], int] = field(default_factory=dict)  # (venue, room) -> id
    events: list[str] = field(default_factory=list)  # titles of the events this run created


# ---- venues and rooms ---------------------------------------------------------------------------------
VENUES: list[tuple[str, str, str, str, list[tuple[str, int]]]] = [
    ("Sémaphore", "", "63118", "Cébazat",
     [("Grande salle", 500), ("Foyer – salon des exposants", 200), ("Salle de conférence", 120),
      ("Salle des rencontres", 60)]),
    ("pôle imagO", "", "63118", "Cébazat",
     [("Plateau", 150), ("Atelier prototypage", 60), ("Salle du jury", 30)]),
    ("Epicentre Factory", "5 rue Saint-Dominique", "63000", "Clermont-Ferrand",
     [("Salle de réunion", 40), ("Espace coworking", 80)]),
    ("Marché du Film – Festival du court métrage de Clermont-Ferrand", "Place du 1er Mai", "63100",
     "Clermont-Ferrand", [("Salle de projection du Marché", 120)]),
]  # fmt: skip


async def load_venues(loaded: DemoCatalogue) -> None:
    existing = {v["name"]: v["id"] for v in await Venue.select(Venue.id, Venue.name)}
    for name, address, postal_code, city, rooms in VENUES:
        venue_id = existing.get(name)
        if venue_id is None:
            venue = await services.create_venue(
                name=name, address=address, postal_code=postal_code, city=city
            )
            venue_id = venue["id"]
        loaded.venues[name] = venue_id
        have = {
            r["name"]: r["id"] for r in await Room.select(Room.id, Room.name).where(Room.venue == venue_id)
        }
        for room_name, capacity in rooms:
            room_id = have.get(room_name)
            if room_id is None:
                room = await services.create_room(venue_id=venue_id, name=room_name, capacity=capacity)
                room_id = room["id"]
            loaded.rooms[(name, room_name)] = room_id


# ---- events -------------------------------------------------------------------------------------------
# A session: (start, end, kind, room, title fr, title en, description fr, description en, [(person, role)])
Sess = tuple[datetime, datetime, str, str, str, str, str, str, list[tuple[str, str]]]


def mima_2027() -> tuple[dict[str, Any], list[Sess]]:
    d1, d2 = (2027, 10, 14), (2027, 10, 15)
    event = {
        "slug": "mima-2027",
        "kind": "mima",
        "title": "MIMA 2027 – Marché de l'Image et de la Musique en Auvergne",
        "title_en": "MIMA 2027 – Auvergne Image and Music Market",
        "description": (
            "Le rendez-vous annuel des professionnels de la musique et de l'image en Auvergne : salon des "
            "exposants avec les stands des adhérents, showcases et projections, speed-meeting entre "
            "producteurs et diffuseurs, tables rondes et moments de réseau.\n\n"
            "Pour les salles, festivals, médiathèques, entreprises, collectivités et offices de tourisme, "
            "ainsi que les programmateurs régionaux et nationaux."
        ),
        "description_en": (
            "The yearly meeting of music and image professionals in Auvergne: a fair with members' stands, "
            "showcases and screenings, a speed-meeting between producers and buyers, round tables and "
            "networking.\n\n"
            "For venues, festivals, media libraries, companies, local authorities and tourist offices, "
            "and regional and national programmers."
        ),
        "venue": "Sémaphore",
        "starts_at": at(*d1, 9, 0),
        "ends_at": at(*d2, 18, 30),
        "capacity": 350,
        "status": "published",
        "edition_year": 2027,
    }
    sessions: list[Sess] = [
        (at(*d1, 9, 0), at(*d1, 9, 45), "networking", "Foyer – salon des exposants",
         "Accueil café et ouverture du salon des exposants", "Welcome coffee and opening of the fair",
         "Les stands des adhérents ouvrent leurs portes.", "Members' stands open.", []),
        (at(*d1, 9, 45), at(*d1, 11, 15), "round_table", "Salle de conférence",
         "Table ronde : diffuser les musiques actuelles en milieu rural",
         "Round table: touring popular music in rural areas",
         "Comment les salles, festivals et médiathèques du territoire construisent-ils leur programmation ?",
         "How do the region's venues, festivals and media libraries build their programmes?",
         [("Laurent Giraud", "moderator"), ("Élodie Garnier", "speaker"), ("Anne Delorme", "speaker"),
          ("Sophie Martin", "speaker")]),
        (at(*d1, 11, 30), at(*d1, 12, 0), "showcase", "Grande salle",
         "Showcase : Collectif Basalte", "Showcase: Collectif Basalte",
         "Jazz et musiques improvisées.", "Jazz and improvised music.",
         [("Léa Morel", "performer"), ("Yanis Benali", "performer")]),
        (at(*d1, 12, 0), at(*d1, 12, 30), "showcase", "Grande salle",
         "Showcase : les artistes de Label Volcanique", "Showcase: Label Volcanique's artists",
         "Rock et électro auvergnats.", "Rock and electro from Auvergne.",
         [("Camille Roux", "speaker")]),
        (at(*d1, 14, 0), at(*d1, 17, 0), "speed_meeting", "Salle des rencontres",
         "Speed-meeting producteurs / diffuseurs (1re session)", "Producers / buyers speed-meeting (part 1)",
         "Rendez-vous de 10 minutes réservés à l'avance entre producteurs adhérents et diffuseurs.",
         "10-minute meetings booked in advance between member producers and buyers.", []),
        (at(*d1, 14, 0), at(*d1, 15, 30), "screening", "Grande salle",
         "Projection : clips et courts métrages des adhérents",
         "Screening: members' music videos and short films",
         "Une sélection de clips, films d'animation et d'art vidéo produits en Auvergne.",
         "A selection of music videos, animation and video art made in Auvergne.",
         [("Maxime Girard", "speaker"), ("Marion Perrin", "speaker"), ("Rémi Chevalier", "speaker")]),
        (at(*d1, 15, 45), at(*d1, 16, 15), "showcase", "Grande salle",
         "Showcase : Arverne Booking présente ses artistes", "Showcase: Arverne Booking's artists",
         "", "", [("Nicolas Chabrier", "speaker")]),
        (at(*d1, 17, 30), at(*d1, 19, 30), "networking", "Foyer – salon des exposants",
         "Apéro réseau des exposants", "Exhibitors' networking drinks", "", "", []),
        (at(*d2, 9, 30), at(*d2, 11, 0), "round_table", "Salle de conférence",
         "Table ronde : musique à l'image, synchronisation et droits",
         "Round table: music for picture, sync and rights",
         "Éditeurs, producteurs et réalisateurs partagent leurs pratiques de synchronisation.",
         "Publishers, producers and directors share how they work with sync.",
         [("Claire Vidal", "moderator"), ("Antoine Dumas", "speaker"), ("Thomas Aubert", "speaker")]),
        (at(*d2, 11, 0), at(*d2, 12, 30), "screening", "Grande salle",
         "Projection : documentaires de création", "Screening: creative documentaries",
         "", "", [("Pauline Faure", "speaker"), ("Inès Lefèvre", "speaker")]),
        (at(*d2, 14, 0), at(*d2, 16, 30), "speed_meeting", "Salle des rencontres",
         "Speed-meeting producteurs / diffuseurs (2e session)", "Producers / buyers speed-meeting (part 2)",
         "", "", []),
        (at(*d2, 14, 0), at(*d2, 15, 30), "round_table", "Salle de conférence",
         "Table ronde : financer ses projets, de la Région à Europe Créative",
         "Round table: funding your projects, from the Region to Creative Europe",
         "", "",
         [("Isabelle Roche", "moderator"), ("Marc Oliveira", "speaker"), ("Olivier Mercier", "speaker")]),
        (at(*d2, 16, 45), at(*d2, 18, 30), "networking", "Foyer – salon des exposants",
         "Clôture et verre de l'amitié", "Closing drinks", "", "", []),
    ]  # fmt: skip
    return event, sessions


def court_dici_2027() -> tuple[dict[str, Any], list[Sess]]:
    day = (2027, 2, 3)
    room = "Salle de projection du Marché"
    films = [  # 100 minutes in all, in screening order
        (14, 0, 14, 18, "« Basalte », documentaire", "“Basalte”, documentary", "Pauline Faure"),
        (14, 18, 14, 32, "« La Fabrique à nuages », animation", "“The Cloud Factory”, animation",
         "Marion Perrin"),
        (14, 32, 14, 37, "« Nuit Arverne », clip", "“Arvernian Night”, music video", "Maxime Girard"),
        (14, 37, 14, 59, "« Les Gardiens du puy », documentaire", "“Guardians of the Puy”, documentary",
         "Inès Lefèvre"),
        (14, 59, 15, 11, "« Lignes de fuite », art vidéo", "“Vanishing Lines”, video art", "Rémi Chevalier"),
        (15, 11, 15, 40, "« Le Dernier Bal », fiction", "“The Last Dance”, fiction", "Antoine Dumas"),
    ]  # fmt: skip
    event = {
        "slug": "le-court-dici-2027",
        "kind": "court_dici",
        "title": "Le Court d'Ici 2027 – projection au Marché du Film",
        "title_en": "Le Court d'Ici 2027 – screening at the Film Market",
        "description": (
            "Cent minutes de courts métrages des adhérents (documentaire, animation, clip, art vidéo) "
            "présentés aux acheteurs du Marché du Film du Festival international du court métrage de "
            "Clermont-Ferrand : festivals, chaînes de télévision, distributeurs."
        ),
        "description_en": (
            "One hundred minutes of members' short films (documentary, animation, music video, video art) "
            "shown to the buyers of the Film Market of the Clermont-Ferrand International Short Film "
            "Festival: festivals, TV channels, distributors."
        ),
        "venue": "Marché du Film – Festival du court métrage de Clermont-Ferrand",
        "starts_at": at(*day, 14, 0),
        "ends_at": at(*day, 15, 40),
        "capacity": 120,
        "status": "published",
        "edition_year": 2027,
    }
    sessions: list[Sess] = [
        (at(*day, h1, m1), at(*day, h2, m2), "screening", room, fr, en, "", "", [(who, "speaker")])
        for h1, m1, h2, m2, fr, en, who in films
    ]
    return event, sessions


def cles_workshops() -> list[tuple[dict[str, Any], list[Sess]]]:
    room = "Salle de réunion"
    fund_day, stand_day = (2027, 3, 9), (2027, 6, 8)
    common = {"kind": "cles", "venue": "Epicentre Factory", "capacity": 30, "status": "published",
              "edition_year": 2027}  # fmt: skip
    return [
        (
            {
                **common,
                "slug": "cles-pour-reussir-lever-des-fonds-2027",
                "title": "Les Clés pour réussir : lever des fonds",
                "title_en": "Keys to success: raising funds",
                "description": (
                    "Une matinée d'outils concrets : financement participatif, mécénat, prêts d'honneur "
                    "et subventions. Gratuit pour les adhérents, 20 € HT pour les non-adhérents."
                ),
                "description_en": (
                    "A morning of ready-to-use tools: crowdfunding, sponsorship, honour loans and grants. "
                    "Free for members, EUR 20 excl. VAT for non-members."
                ),
                "starts_at": at(*fund_day, 9, 0),
                "ends_at": at(*fund_day, 12, 30),
            },
            [
                (
                    at(*fund_day, 9, 0),
                    at(*fund_day, 10, 30),
                    "workshop",
                    room,
                    "Financement participatif et mécénat",
                    "Crowdfunding and sponsorship",
                    "",
                    "",
                    [("Sarah Lambert", "speaker")],
                ),
                (
                    at(*fund_day, 10, 45),
                    at(*fund_day, 12, 30),
                    "workshop",
                    room,
                    "Subventions et prêts d'honneur : monter son dossier",
                    "Grants and honour loans: building your case",
                    "",
                    "",
                    [("Laurent Giraud", "speaker")],
                ),
            ],  # fmt: skip
        ),
        (
            {
                **common,
                "slug": "cles-pour-reussir-valoriser-son-stand-2027",
                "title": "Les Clés pour réussir : valoriser son stand sur un salon",
                "title_en": "Keys to success: making the most of a trade-fair stand",
                "description": (
                    "Un après-midi pour préparer un salon professionnel : objectifs, prise de rendez-vous, "
                    "scénographie du stand et suivi des contacts. Gratuit pour les adhérents, 20 € HT pour "
                    "les non-adhérents."
                ),
                "description_en": (
                    "An afternoon to get ready for a trade fair: goals, booking meetings, stand design and "
                    "following up contacts. Free for members, EUR 20 excl. VAT for non-members."
                ),
                "starts_at": at(*stand_day, 14, 0),
                "ends_at": at(*stand_day, 17, 30),
            },
            [
                (
                    at(*stand_day, 14, 0),
                    at(*stand_day, 17, 30),
                    "workshop",
                    room,
                    "Atelier : préparer, animer et suivre son stand",
                    "Workshop: prepare, run and follow up your stand",
                    "",
                    "",
                    [("Manon Rey", "speaker"), ("Nicolas Chabrier", "speaker")],
                ),
            ],  # fmt: skip
        ),
    ]


def ced_2027() -> tuple[dict[str, Any], list[Sess]]:
    launch, d1, d2, d3 = (2027, 4, 22), (2027, 4, 23), (2027, 4, 24), (2027, 4, 25)
    event = {
        "slug": "culture-experience-days-2027",
        "kind": "ced",
        "title": "Culture Experience Days 2027",
        "title_en": "Culture Experience Days 2027",
        "description": (
            "Un week-end créatif en forme de hackathon : artistes, chercheurs, techniciens et développeurs "
            "prototypent en trois jours des solutions concrètes sur le thème « nouvelles interactions "
            "entre publics et artistes ». Soirée de lancement la veille.\n\n"
            "Un jury sélectionne un ou deux projets que le cluster accompagne ensuite."
        ),
        "description_en": (
            "A creative weekend in hackathon form: artists, researchers, technicians and developers "
            "prototype concrete solutions in three days on the theme “new audience/artist "
            "interactions”. Launch evening the day before.\n\n"
            "A jury selects one or two projects that the cluster then accompanies."
        ),
        "venue": "pôle imagO",
        "starts_at": at(*launch, 18, 30),
        "ends_at": at(*d3, 18, 0),
        "capacity": 80,
        "status": "published",
        "edition_year": 2027,
    }
    sessions: list[Sess] = [
        (at(*launch, 18, 30), at(*launch, 21, 30), "networking", "Plateau",
         "Soirée de lancement : présentation des défis", "Launch evening: the challenges",
         "Présentation du thème, des défis et des mentors ; constitution des équipes.",
         "The theme, challenges and mentors; teams get together.",
         [("Vincent Brun", "speaker"), ("Nadia Kaci", "speaker")]),
        (at(*d1, 9, 0), at(*d1, 12, 30), "hackathon_phase", "Atelier prototypage",
         "Phase 1 : idéation", "Phase 1: ideation", "", "", []),
        (at(*d1, 14, 0), at(*d1, 20, 0), "hackathon_phase", "Atelier prototypage",
         "Phase 2 : prototypage", "Phase 2: prototyping", "", "", [("Franck Bonnet", "speaker")]),
        (at(*d2, 9, 0), at(*d2, 12, 0), "hackathon_phase", "Atelier prototypage",
         "Phase 2 : prototypage (suite)", "Phase 2: prototyping (continued)", "", "", []),
        (at(*d2, 14, 0), at(*d2, 15, 0), "workshop", "Plateau",
         "Point d'étape avec les mentors", "Check-in with the mentors", "", "",
         [("Vincent Brun", "speaker"), ("Thomas Aubert", "speaker")]),
        (at(*d2, 15, 0), at(*d2, 20, 0), "hackathon_phase", "Atelier prototypage",
         "Phase 2 : tests avec le public", "Phase 2: testing with an audience", "", "", []),
        (at(*d3, 9, 0), at(*d3, 13, 0), "hackathon_phase", "Atelier prototypage",
         "Phase 3 : finalisation des prototypes", "Phase 3: finishing the prototypes", "", "", []),
        (at(*d3, 14, 0), at(*d3, 16, 30), "hackathon_phase", "Plateau",
         "Présentations devant le jury", "Pitches to the jury", "", "",
         [("Isabelle Roche", "moderator"), ("Olivier Mercier", "speaker")]),
        (at(*d3, 17, 0), at(*d3, 18, 0), "networking", "Plateau",
         "Annonce des projets lauréats", "Announcement of the selected projects", "", "", []),
    ]  # fmt: skip
    return event, sessions


def general_assembly_2027() -> tuple[dict[str, Any], list[Sess]]:
    day = (2027, 5, 27)
    event = {
        "slug": "assemblee-generale-2027",
        "kind": "general_assembly",
        "title": "Assemblée générale 2027",
        "title_en": "General Assembly 2027",
        "description": (
            "Rapport moral et financier, bilan des projets collaboratifs, élection du conseil "
            "d'administration, puis moment convivial entre adhérents."
        ),
        "description_en": (
            "Annual and financial reports, review of the collaborative projects, election of the board, "
            "then drinks with the members."
        ),
        "venue": "Epicentre Factory",
        "starts_at": at(*day, 17, 0),
        "ends_at": at(*day, 20, 0),
        "capacity": 80,
        "status": "published",
        "edition_year": 2027,
    }
    sessions: list[Sess] = [
        (at(*day, 17, 0), at(*day, 18, 45), "talk", "Espace coworking",
         "Assemblée générale statutaire", "Statutory general assembly", "", "", []),
        (at(*day, 18, 45), at(*day, 20, 0), "networking", "Espace coworking",
         "Apéritif des adhérents", "Members' drinks", "", "", []),
    ]  # fmt: skip
    return event, sessions


def other_events() -> list[tuple[dict[str, Any], list[Sess]]]:
    """A past apéro-projet, a cancelled meeting and a draft breakfast (hidden from the public)."""
    return [
        (
            {
                "slug": "apero-projet-2026",
                "kind": "apero_projet",
                "title": "Apéro-projet de rentrée 2026",
                "title_en": "Back-to-work project drinks 2026",
                "description": "Les adhérents présentent leurs idées de projets collaboratifs pour l'année.",
                "description_en": "Members pitch their collaborative project ideas for the year.",
                "venue": "Epicentre Factory",
                "starts_at": at(2026, 9, 17, 18, 0),
                "ends_at": at(2026, 9, 17, 20, 30),
                "capacity": 60,
                "status": "published",
                "edition_year": 2026,
            },
            [],
        ),
        (
            {
                "slug": "rencontre-ia-industries-creatives-2027",
                "kind": "thematic_meeting",
                "title": "Rencontre thématique : l'IA dans les industries créatives",
                "title_en": "Thematic meeting: AI in the creative industries",
                "description": "Retours d'expérience et enjeux juridiques de l'IA générative.",
                "description_en": "Case studies and legal issues of generative AI.",
                "venue": "Epicentre Factory",
                "starts_at": at(2027, 1, 21, 14, 0),
                "ends_at": at(2027, 1, 21, 17, 0),
                "capacity": 40,
                "status": "cancelled",
                "edition_year": 2027,
            },
            [],
        ),
        (
            {
                "slug": "petit-dejeuner-adherents-2027-01",
                "kind": "breakfast",
                "title": "Petit-déjeuner des adhérents – janvier 2027",
                "title_en": "Members' breakfast – January 2027",
                "description": "Échanges informels autour d'un café.",
                "description_en": "Informal chat over coffee.",
                "venue": "Epicentre Factory",
                "starts_at": at(2027, 1, 14, 8, 30),
                "ends_at": at(2027, 1, 14, 10, 0),
                "capacity": 30,
                "status": "draft",
                "edition_year": 2027,
            },
            [],
        ),
    ]


# Events booked through the ticket office in the demo (the others are by invitation).
TICKETED_KINDS = ("cles", "mima", "court_dici", "ced")


def all_events() -> list[tuple[dict[str, Any], list[Sess]]]:
    return [
        mima_2027(),
        court_dici_2027(),
        *cles_workshops(),
        ced_2027(),
        general_assembly_2027(),
        *other_events(),
    ]


async def load_event(
    loaded: DemoCatalogue, people: dict[str, int], spec: dict[str, Any], sessions: list[Sess]
) -> None:
    """One event with its sessions and speakers (`people`: "First Last" -> person id); none if its slug
    exists."""
    if await Event.exists().where(Event.slug == spec["slug"]):
        return
    data = {k: v for k, v in spec.items() if k != "venue"}
    venue_name = spec["venue"]
    event = await services.create_event(venue_id=loaded.venues[venue_name], **data)
    for start, end, kind, room, title, title_en, desc, desc_en, speakers in sessions:
        session = await services.add_session(
            event["id"],
            title=title,
            title_en=title_en,
            kind=kind,
            description=desc,
            description_en=desc_en,
            room_id=loaded.rooms[(venue_name, room)],
            starts_at=start,
            ends_at=end,
        )
        for who, role in speakers:
            await services.add_speaker(event["id"], session["id"], people[who], role)
    if spec.get("status") == "published" and spec["kind"] in TICKETED_KINDS:
        await add_default_types(event["id"])  # member 0 €, non-member 20 € HT, staff-issued invitations
    loaded.events.append(spec["title"])


async def load_catalogue(people: dict[str, int]) -> DemoCatalogue:
    """Create what is missing of the venues and events (idempotent: matched by name and slug)."""
    loaded = DemoCatalogue()
    await load_venues(loaded)
    for spec, sessions in all_events():
        await load_event(loaded, people, spec, sessions)
    return loaded


async def load() -> str | None:
    register = await members_demo.load_register()
    await load_catalogue(register.people)
    return None
