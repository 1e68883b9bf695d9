"""The speed-meeting's demo data: MIMA 2027's programme — the grid on its speed-meeting sessions, ten member
producers and eleven buyers with their profiles, their wishes, the wish phase open — so staff can run the
scheduler and publish at once. Buyers' email addresses use the reserved `.example` domain.

The shared demo (server/demo.py) loads it after the events (it needs MIMA 2027 and its sessions) and the
member register (the producers are its people); `load()` is the app registry's entry and finds everything
already there.
"""

from __future__ import annotations

from datetime import timedelta

from events.demo import at
from events.tables import Event
from events.tables import Session as EventSession
from members import demo as members_demo
from members.tables import Person
from scheduling import services as meetings
from scheduling.tables import MeetingProgramme, Participant

# Producers: people of member organisations in good standing (name, offer, genres, formats, audiences, territory).
SPEED_PRODUCERS: list[tuple[str, str, str, str, str, str]] = [
    ("Camille Roux", "Deux groupes rock-électro du label en tournée 2028.", "rock, électro", "concert",
     "tout public, jeunes adultes", "Auvergne-Rhône-Alpes"),
    ("Julien Bernard", "Spectacle chanson jeune public, 45 minutes, autonome techniquement.", "chanson",
     "concert, jeune public", "familles, scolaires", "France"),
    ("Sophie Martin", "Catalogue de tournée : hip-hop, pop et musiques du monde.", "hip-hop, pop, musiques du monde",
     "concert, festival", "jeunes adultes", "France"),
    ("Claire Vidal", "Catalogue d'œuvres pour la synchronisation à l'image.", "pop, musique à l'image",
     "synchronisation", "professionnels", "Europe"),
    ("Léa Morel", "Quartet jazz et ciné-concert sur films muets.", "jazz, musiques improvisées",
     "concert, ciné-concert", "tout public", "Auvergne-Rhône-Alpes"),
    ("Antoine Dumas", "Documentaire 52 minutes sur les volcans d'Auvergne, diffusion 2028.", "documentaire",
     "projection, télévision", "tout public", "France"),
    ("Marion Perrin", "Programme de courts métrages d'animation en stop-motion.", "animation",
     "projection, atelier", "jeune public, scolaires", "France"),
    ("Maxime Girard", "Clips et captations live pour salles et festivals.", "clip, captation",
     "vidéo", "professionnels", "Auvergne-Rhône-Alpes"),
    ("Pauline Faure", "Documentaires de création sur les territoires ruraux.", "documentaire",
     "projection, débat", "tout public, seniors", "Massif central"),
    ("Rémi Chevalier", "Installation vidéo immersive pour lieux patrimoniaux.", "art vidéo, arts numériques",
     "installation, exposition", "tout public", "Europe"),
]  # fmt: skip

# Buyers: guests of the demo plus programmers created for the speed-meeting
# (first, last, email, organisation, role, looking for, genres, formats, audiences, territory).
SPEED_BUYERS: list[tuple[str, str, str, str, str, str, str, str, str, str]] = [
    ("Anne", "Delorme", "anne.delorme@festival-programmation.example", "Scène nationale", "Programmatrice",
     "Concerts et ciné-concerts pour la saison 2028-2029.", "jazz, chanson, rock", "concert, ciné-concert",
     "tout public", "Auvergne-Rhône-Alpes"),
    ("Marc", "Oliveira", "marc.oliveira@mediatheques.example", "Réseau des médiathèques", "Responsable musique",
     "Petites formes, projections et ateliers en médiathèque.", "documentaire, chanson, animation",
     "projection, atelier", "familles, seniors", "Puy-de-Dôme"),
    ("Élodie", "Garnier", "elodie.garnier@nuits-arvernes.example", "Festival Nuits Arvernes", "Programmatrice",
     "Têtes d'affiche régionales et découvertes pour l'été.", "rock, électro, hip-hop", "concert, festival",
     "jeunes adultes", "Auvergne-Rhône-Alpes"),
    ("Isabelle", "Roche", "isabelle.roche@culture-cebazat.example", "Ville de Cébazat – Service culturel",
     "Directrice des affaires culturelles", "Programmation du Sémaphore et actions jeune public.",
     "chanson, jazz, animation", "concert, jeune public, projection", "familles, scolaires", "Cébazat"),
    ("Bruno", "Vasseur", "bruno.vasseur@la-cooperative.example", "La Coopérative de Mai", "Programmateur",
     "Groupes rock, électro et hip-hop émergents.", "rock, électro, hip-hop", "concert",
     "jeunes adultes", "Auvergne-Rhône-Alpes"),
    ("Chloé", "Besson", "chloe.besson@festival-jazz-volcans.example", "Festival Jazz des Volcans",
     "Directrice artistique", "Jazz et musiques improvisées, créations.", "jazz, musiques improvisées",
     "concert, festival", "tout public", "France"),
    ("Damien", "Roussel", "damien.roussel@cinema-art-essai.example", "Cinéma art et essai Le Rio",
     "Programmateur", "Documentaires et courts métrages avec débats.", "documentaire, animation",
     "projection, débat", "tout public", "Puy-de-Dôme"),
    ("Fatima", "Ziani", "fatima.ziani@tele-auvergne.example", "Télé Auvergne", "Chargée des programmes",
     "Documentaires régionaux et captations de concerts.", "documentaire, captation",
     "télévision, vidéo", "tout public", "Auvergne-Rhône-Alpes"),
    ("Gilles", "Morin", "gilles.morin@departement-culture.example", "Conseil départemental – Culture",
     "Chargé de mission spectacle vivant", "Tournées en milieu rural, formes légères.",
     "chanson, musiques du monde, jazz", "concert, jeune public", "familles, seniors", "Massif central"),
    ("Hélène", "Caron", "helene.caron@agence-sync.example", "Agence Sync Image", "Superviseuse musicale",
     "Musiques pour publicités, séries et jeux vidéo.", "pop, électro, musique à l'image",
     "synchronisation", "professionnels", "Europe"),
    ("Julie", "Peyrard", "julie.peyrard@musee-arts-numeriques.example", "Musée des arts numériques",
     "Responsable des expositions", "Installations immersives et art vidéo.", "art vidéo, arts numériques",
     "installation, exposition", "tout public", "Europe"),
]  # fmt: skip

# Wishes: (who wishes, whom, priority 3 must / 2 would like / 1 if possible); names as in the lists above.
SPEED_WISHES: list[tuple[str, str, int]] = [
    ("Camille Roux", "Élodie Garnier", 3), ("Camille Roux", "Bruno Vasseur", 3), ("Camille Roux", "Hélène Caron", 1),
    ("Julien Bernard", "Isabelle Roche", 3), ("Julien Bernard", "Gilles Morin", 2),
    ("Julien Bernard", "Marc Oliveira", 2),
    ("Sophie Martin", "Élodie Garnier", 3), ("Sophie Martin", "Bruno Vasseur", 2), ("Sophie Martin", "Gilles Morin", 2),
    ("Claire Vidal", "Hélène Caron", 3), ("Claire Vidal", "Fatima Ziani", 1),
    ("Léa Morel", "Chloé Besson", 3), ("Léa Morel", "Anne Delorme", 3), ("Léa Morel", "Isabelle Roche", 1),
    ("Antoine Dumas", "Fatima Ziani", 3), ("Antoine Dumas", "Damien Roussel", 2),
    ("Marion Perrin", "Marc Oliveira", 3), ("Marion Perrin", "Isabelle Roche", 2),
    ("Marion Perrin", "Damien Roussel", 2),
    ("Maxime Girard", "Fatima Ziani", 2), ("Maxime Girard", "Élodie Garnier", 1),
    ("Pauline Faure", "Damien Roussel", 3), ("Pauline Faure", "Marc Oliveira", 2), ("Pauline Faure", "Gilles Morin", 1),
    ("Rémi Chevalier", "Julie Peyrard", 3), ("Rémi Chevalier", "Hélène Caron", 1),
    ("Anne Delorme", "Léa Morel", 3), ("Anne Delorme", "Julien Bernard", 2),
    ("Marc Oliveira", "Marion Perrin", 3), ("Marc Oliveira", "Pauline Faure", 2),
    ("Élodie Garnier", "Camille Roux", 2), ("Élodie Garnier", "Sophie Martin", 3),
    ("Isabelle Roche", "Julien Bernard", 3), ("Isabelle Roche", "Marion Perrin", 2),
    ("Bruno Vasseur", "Camille Roux", 3),
    ("Chloé Besson", "Léa Morel", 3),
    ("Damien Roussel", "Antoine Dumas", 2), ("Damien Roussel", "Pauline Faure", 3),
    ("Fatima Ziani", "Antoine Dumas", 3), ("Fatima Ziani", "Maxime Girard", 2),
    ("Gilles Morin", "Sophie Martin", 2), ("Gilles Morin", "Julien Bernard", 2),
    ("Hélène Caron", "Claire Vidal", 3), ("Hélène Caron", "Camille Roux", 1),
    ("Julie Peyrard", "Rémi Chevalier", 3),
]  # fmt: skip


async def load_speed_meeting(people: dict[str, int]) -> str | None:
    """MIMA 2027's speed-meeting (`people`: the register's "First Last" -> person id). Nothing happens if
    MIMA 2027 is missing or its programme exists."""
    event = await Event.select(Event.id).where(Event.slug == "mima-2027").first()
    if event is None or await MeetingProgramme.exists().where(MeetingProgramme.event == event["id"]):
        return None
    programme = await meetings.create_programme(
        event["id"],
        meeting_minutes=20,
        max_meetings=6,
        wish_limit=8,
        tables=12,
        accessible_tables="1",
        wishes_close_at=at(2027, 10, 1, 23, 59),
    )
    sessions = await EventSession.select(EventSession.starts_at, EventSession.ends_at).where(
        (EventSession.event == event["id"]) & (EventSession.kind == "speed_meeting")
    )
    for s in sorted(sessions, key=lambda s: s["starts_at"]):
        start, end = s["starts_at"], s["ends_at"]
        pause = start + timedelta(minutes=80)
        await meetings.add_day(programme.id, start, end, breaks=[(pause, pause + timedelta(minutes=20))])
    emails = {
        p["id"]: p["email"]
        for p in await Person.select(Person.id, Person.email).where(
            Person.id.is_in([people[name] for name, *_ in SPEED_PRODUCERS])
        )
    }
    ids: dict[str, int] = {}
    for name, offer, genres, formats, audiences, territory in SPEED_PRODUCERS:
        participant = await meetings.add_participant(
            programme.id,
            email=emails[people[name]],
            side="producer",
            offer=offer,
            genres=genres,
            formats=formats,
            audiences=audiences,
            territory=territory,
        )
        ids[name] = participant.id
    for first, last, email, org, role, looking, genres, formats, audiences, territory in SPEED_BUYERS:
        participant = await meetings.add_participant(
            programme.id,
            email=email,
            side="buyer",
            first_name=first,
            last_name=last,
            organisation_name=org,
            role=role,
            looking_for=looking,
            genres=genres,
            formats=formats,
            audiences=audiences,
            territory=territory,
            needs_accessible=(first, last) == ("Gilles", "Morin"),
        )
        ids[f"{first} {last}"] = participant.id
    participants = {p.id: p for p in await Participant.objects().where(Participant.programme == programme.id)}
    for source, target, priority in SPEED_WISHES:
        await meetings.set_wish(participants[ids[source]], ids[target], priority, staff=True)
    await meetings.update_programme(programme.id, status="wishes_open")
    return (
        f"Speed-meeting MIMA 2027: {len(SPEED_PRODUCERS)} producers, {len(SPEED_BUYERS)} buyers, "
        f"{len(SPEED_WISHES)} wishes, wish phase open (run and publish it in /staff/meetings)."
    )


async def load() -> str | None:
    register = await members_demo.load_register()
    return await load_speed_meeting(register.people)
