"""Demo data: Le Court d'Ici 2027's call on the demo event, 25 submitted films from the image members,
5 jurors (two members' people, three outside guests), and a first rubric round rated and closed, so staff
can read the results, select and build the programme at once. Nothing happens if the call exists."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from events.tables import Event
from juries import rounds
from juries.common import dumps
from juries.tables import Call, Entry, Juror
from members.tables import Organisation, Person

FILMS = [  # title, genre, minutes, seconds, producer
    ("Basalte", "documentary", 18, 0, "Documentaires du Massif"),
    ("La Fabrique à nuages", "animation", 14, 0, "Atelier Animation Auvergne"),
    ("Nuit Arverne", "music_video", 4, 40, "Clip & Cadre"),
    ("Les Gardiens du puy", "documentary", 21, 30, "Volcans Films"),
    ("Lignes de fuite", "video_art", 11, 50, "Motion Sancy"),
    ("Le Dernier Bal", "fiction", 19, 10, "Volcans Films"),
    ("Pierre de lave", "animation", 7, 20, "Atelier Animation Auvergne"),
    ("Fréquences", "music_video", 3, 55, "Clip & Cadre"),
    ("L'Eau du Sancy", "documentary", 16, 5, "Documentaires du Massif"),
    ("Halo", "video_art", 6, 30, "Motion Sancy"),
    ("Les Buronniers", "documentary", 19, 45, "Documentaires du Massif"),
    ("Petite Laine", "animation", 9, 15, "Atelier Animation Auvergne"),
    ("Cratère", "fiction", 12, 40, "Volcans Films"),
    ("Danse des braises", "music_video", 5, 10, "Clip & Cadre"),
    ("Vitraux", "video_art", 8, 0, "Motion Sancy"),
    ("La Route des estives", "documentary", 13, 20, "Volcans Films"),
    ("Le Renard du Cézallier", "animation", 10, 30, "Atelier Animation Auvergne"),
    ("Ligne 9", "fiction", 15, 0, "Documentaires du Massif"),
    ("Écho", "music_video", 4, 5, "Clip & Cadre"),
    ("Fumerolles", "video_art", 9, 40, "Motion Sancy"),
    ("Les Couteliers", "documentary", 17, 35, "Volcans Films"),
    ("Boréale", "animation", 6, 50, "Atelier Animation Auvergne"),
    ("Retour à Thiers", "fiction", 18, 20, "Documentaires du Massif"),
    ("Sillons", "music_video", 3, 30, "Clip & Cadre"),
    ("Orgues", "video_art", 12, 15, "Motion Sancy"),
]
GUESTS = [
    ("Claire Mercier", "claire.mercier@festival-courts.example", "fr"),
    ("Tom Walsh", "tom.walsh@shorts-tv.example", "en"),
    ("Nadia Benali", "nadia.benali@mediatheques.example", "fr"),
]
MEMBER_JURORS = ("Lumière Scène Technique", "Volcans Films")  # the second one is recused from its films


async def load() -> str | None:
    event = await Event.objects().where(Event.slug == "le-court-dici-2027").first()
    if event is None or await Call.exists().where(Call.edition_year == 2027):
        return None
    now = datetime.now(UTC).replace(microsecond=0)
    call = Call(
        event=event.id,
        slug="le-court-dici-2027",
        title="Le Court d'Ici 2027",
        title_en="Le Court d'Ici 2027 (members' short films)",
        edition_year=2027,
        opens_at=now - timedelta(days=45),
        deadline=now + timedelta(days=15),
        eligibility="members",
        max_entries_per_organisation=6,
        max_runtime_seconds=25 * 60,
        min_year=2025,
        hidden_fields=dumps(["producer", "directors", "coproducers"]),
        jurors_per_entry=3,
        status="open",
    )
    await call.save()
    orgs = {o.name: o for o in await Organisation.objects().where(Organisation.college == 2)}
    orgs.update(
        {o.name: o for o in await Organisation.objects().where(Organisation.name.is_in(list(MEMBER_JURORS)))}
    )
    people = {p.organisation: p for p in await Person.objects().order_by(Person.id, ascending=False)}
    for title, genre, minutes, seconds, producer in FILMS:
        org = orgs.get(producer)
        contact = people.get(org.id) if org else None
        await Entry(
            call=call.id,
            submitter_email=contact.email if contact else "demo@ledamier.example",
            organisation=org.id if org else None,
            title=title,
            directors=f"{contact.first_name} {contact.last_name}" if contact else "",
            genre=genre,
            runtime_seconds=minutes * 60 + seconds,
            year=2026,
            language="français",
            subtitles="English",
            synopsis_fr=f"« {title} », un court métrage produit en Auvergne.",
            synopsis_en=f"“{title}”, a short film made in Auvergne.",
            screener_url="https://vimeo.example/ledamier-demo",
            screener_password="court2027",
            rights_cleared=True,
            status="eligible",  # the checks pass: rights cleared, producers in good standing
        ).save()
    jurors: list[Juror] = []
    for name in MEMBER_JURORS:
        org = orgs.get(name)
        person = people.get(org.id) if org else None
        if person is not None:
            juror = Juror(
                call=call.id,
                email=person.email,
                name=f"{person.first_name} {person.last_name}",
                person=person.id,
                organisation=org.id,
            )
            await juror.save()
            jurors.append(juror)
    for name, email, locale in GUESTS:
        juror = Juror(call=call.id, email=email, name=name, locale=locale)
        await juror.save()
        jurors.append(juror)
    round_ = await rounds.create_round(call.id, {"kind": "rubric", "quorum": 3})
    await rounds.assign_round(round_.id)
    # the ratings: a true quality per film, each juror with a leniency and some noise (seeded)
    rng = random.Random(2027)
    quality = {i: rng.uniform(3.5, 8.5) for i in range(1, len(FILMS) + 1)}
    entries = {
        e.id: n
        for n, e in enumerate(await Entry.objects().where(Entry.call == call.id).order_by(Entry.id), 1)
    }
    from juries.tables import Assignment

    for juror in jurors:
        leniency = rng.uniform(-1.5, 1.5)
        for a in await Assignment.objects().where(
            (Assignment.round == round_.id) & (Assignment.juror == juror.id)
        ):
            current = await rounds.get_round(round_.id)
            if current.status != "open":
                break
            marks = {
                c: max(1, min(10, round(quality[entries[a.entry]] + leniency + rng.gauss(0, 0.8))))
                for c in ("artistic_quality", "fit_with_buyers", "technical_quality")
            }
            await rounds.record_score(juror, round_.id, a.entry, {"marks": marks})
    current = await rounds.get_round(round_.id)
    if current.status == "open":
        await rounds.close_round(round_.id, "demo")
    return (
        f"Le Court d'Ici 2027: {len(FILMS)} films submitted, {len(jurors)} jurors, round 1 rated and closed "
        f"(staff: /staff/juries/{call.id})."
    )
