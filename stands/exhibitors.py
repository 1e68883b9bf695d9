"""Exhibitor profiles (pre-filled from the member register, edited by the exhibitor's people), logos
checked by type and size, and the public MIMA exhibitor catalogue with each exhibitor's stand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from events.tables import Event, SessionPerson
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _, get_locale, localized
from lib.settings import get_settings
from lib.tokens import normalize_email
from members.tables import Organisation
from scheduling.availability import PERFORMING_KINDS
from scheduling.tables import MeetingProgramme, Participant
from stands.floorplan import get_event, text
from stands.parties import organisation_ids_for
from stands.tables import Booking, BookingShare, ExhibitorProfile, Stand

# Magic numbers of the accepted logo formats (SVG is refused: it can carry scripts).
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class CatalogueEntry:
    profile_id: int
    name: str
    activity: str
    website: str
    stand_id: int
    stand_number: str
    has_logo: bool
    showcase_url: str  # typed by its people (wins), else found: its showcase, else its speed-meeting profile
    college: int | None
    link_kind: str = ""  # "manual" | "showcase" | "meetings" | "" (no link)


def logo_type(content: bytes) -> str | None:
    for magic, mime in LOGO_TYPES.items():
        if content.startswith(magic):
            return mime
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


async def ensure_profiles(booking_id: int) -> None:
    """Inside the approving transaction: each exhibitor of the booking gets its profile, pre-filled."""
    booking = await Booking.objects().where(Booking.id == booking_id).first()
    assert booking is not None
    for share in await BookingShare.objects().where(BookingShare.booking == booking_id):
        if await ExhibitorProfile.exists().where(ExhibitorProfile.share == share.id):
            continue
        org = (
            await Organisation.objects().where(Organisation.id == share.organisation).first()
            if share.organisation
            else None
        )
        await ExhibitorProfile(
            event=booking.event,
            organisation=share.organisation,
            share=share.id,
            name=org.name if org else share.name,
            college=org.college if org else None,
            activity=org.description if org else "",
            website=org.website if org else "",
        ).save()


async def get_profile(profile_id: int) -> ExhibitorProfile:
    profile = await ExhibitorProfile.objects().where(ExhibitorProfile.id == profile_id).first()
    if profile is None:
        raise NotFound(_("This exhibitor does not exist."))
    return profile


async def may_edit(profile: ExhibitorProfile, email: str | None) -> bool:
    """Its people: an email of its organisation (person or domain), or the address the share is billed to."""
    address = normalize_email(email or "")
    if not address:
        return False
    if profile.organisation and profile.organisation in await organisation_ids_for(address):
        return True
    share = await BookingShare.select(BookingShare.email).where(BookingShare.id == profile.share).first()
    return bool(share) and normalize_email(share["email"]) == address


async def _editable(profile_id: int, email: str | None, by_staff: bool) -> ExhibitorProfile:
    profile = await get_profile(profile_id)
    if not by_staff and not await may_edit(profile, email):
        raise NotFound(_("This exhibitor does not exist."))
    return profile


async def update_profile(
    profile_id: int, data: dict[str, Any], *, email: str | None, by_staff: bool = False
) -> ExhibitorProfile:
    profile = await _editable(profile_id, email, by_staff)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, length in (
        ("name", 200),
        ("activity", 2000),
        ("activity_en", 2000),
        ("website", 300),
        ("showcase_url", 300),
    ):
        if name in data:
            values[name] = text(errors, data, name, length=length, required=name == "name")
    for name in ("website", "showcase_url"):
        if values.get(name) and not values[name].startswith(("https://", "http://")):
            errors[name] = _("Enter a web address starting with https://.")
    if errors:
        raise ValidationFailed(errors)
    if values:
        await ExhibitorProfile.update(values).where(ExhibitorProfile.id == profile.id)
    return await get_profile(profile.id)


async def set_logo(profile_id: int, content: bytes, *, email: str | None, by_staff: bool = False) -> str:
    """Store a logo after checking it really is a PNG, JPEG or WebP image and not too large."""
    profile = await _editable(profile_id, email, by_staff)
    limit = get_settings().stand_logo_max_bytes
    if not content:
        raise ValidationFailed.one("logo", _("Choose an image file."))
    if len(content) > limit:
        raise ValidationFailed.one("logo", _("The logo is too large (at most %(kb)s KB).", kb=limit // 1000))
    mime = logo_type(content)
    if mime is None:
        raise ValidationFailed.one("logo", _("The logo must be a PNG, JPEG or WebP image."))
    await ExhibitorProfile.update({ExhibitorProfile.logo: content, ExhibitorProfile.logo_type: mime}).where(
        ExhibitorProfile.id == profile.id
    )
    return mime


async def logo(profile_id: int) -> tuple[bytes, str]:
    row = (
        await ExhibitorProfile.select(ExhibitorProfile.logo, ExhibitorProfile.logo_type)
        .where(ExhibitorProfile.id == profile_id)
        .first()
    )
    if not row or not row["logo"]:
        raise NotFound(_("No logo."))
    return bytes(row["logo"]), row["logo_type"]


async def catalogue(event_key: int | str) -> list[CatalogueEntry]:
    """The exhibitors of an edition whose booking is approved, by name, with their stand."""
    event = await get_event(event_key)
    rows = await ExhibitorProfile.select(
        ExhibitorProfile.id,
        ExhibitorProfile.name,
        ExhibitorProfile.activity,
        ExhibitorProfile.activity_en,
        ExhibitorProfile.website,
        ExhibitorProfile.showcase_url,
        ExhibitorProfile.college,
        ExhibitorProfile.logo_type,
        ExhibitorProfile.organisation,
        ExhibitorProfile.share.booking.stand.as_alias("stand_id"),
        ExhibitorProfile.share.booking.status.as_alias("status"),
    ).where((ExhibitorProfile.event == event.id) & (ExhibitorProfile.share.booking.status == "approved"))
    numbers = {
        s["id"]: s["number"]
        for s in await Stand.select(Stand.id, Stand.number).where(
            Stand.id.is_in([r["stand_id"] for r in rows] or [0])
        )
    }
    found = await showcase_links(event.id, sorted({r["organisation"] for r in rows if r["organisation"]}))

    def link(row: dict[str, Any]) -> tuple[str, str]:
        if row["showcase_url"]:
            return "manual", row["showcase_url"]
        return found.get(row["organisation"], ("", ""))

    entries = [
        CatalogueEntry(
            profile_id=r["id"],
            name=r["name"],
            activity=localized(r, "activity"),
            website=r["website"],
            stand_id=r["stand_id"],
            stand_number=numbers.get(r["stand_id"], ""),
            has_logo=bool(r["logo_type"]),
            showcase_url=link(r)[1],
            college=r["college"],
            link_kind=link(r)[0],
        )
        for r in rows
    ]
    return sorted(entries, key=lambda e: e.name.casefold())


async def showcase_links(event_id: int, organisation_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Organisation id -> (kind, path) of its page in the same edition, where it has one: a showcase or
    screening one of its people performs in (the event's programme), else its producer profile in the
    edition's speed-meeting catalogue. Matched by organisation id (a name typed twice never matches)."""
    if not organisation_ids:
        return {}
    found: dict[int, tuple[str, str]] = {}
    event = await Event.select(Event.slug, Event.status).where(Event.id == event_id).first()
    if event is not None and event["status"] != "draft":  # a draft's page is not public
        performing = (
            await SessionPerson.select(
                SessionPerson.session.as_alias("session"),
                SessionPerson.person.organisation.as_alias("organisation"),
            )
            .where(
                (SessionPerson.session.event == event_id)
                & SessionPerson.session.kind.is_in(list(PERFORMING_KINDS))
                & (SessionPerson.session.cancelled == False)  # noqa: E712 (a Piccolo condition)
                & SessionPerson.person.organisation.is_in(organisation_ids)
            )
            .order_by(SessionPerson.session.starts_at)
        )
        for row in performing:
            found.setdefault(
                row["organisation"], ("showcase", f"/events/{event['slug']}#session-{row['session']}")
            )
    programme = (
        await MeetingProgramme.select(MeetingProgramme.id, MeetingProgramme.status)
        .where(MeetingProgramme.event == event_id)
        .first()
    )
    if programme is not None and programme["status"] != "draft":
        producers = (
            await Participant.select(Participant.id, Participant.person.organisation.as_alias("organisation"))
            .where(
                (Participant.programme == programme["id"])
                & (Participant.side == "producer")
                & Participant.person.organisation.is_in(organisation_ids)
            )
            .order_by(Participant.id)
        )
        for row in producers:
            found.setdefault(
                row["organisation"], ("meetings", f"/meetings/{programme['id']}/catalogue#p-{row['id']}")
            )
    return found


async def profiles_of(email: str | None) -> list[dict[str, Any]]:
    """The profiles this signed-in email may edit (for its stand page)."""
    address = normalize_email(email or "")
    if not address:
        return []
    orgs = list(await organisation_ids_for(address))
    query = ExhibitorProfile.select(
        ExhibitorProfile.id, ExhibitorProfile.name, ExhibitorProfile.event, ExhibitorProfile.share
    )
    condition = ExhibitorProfile.share.email == address
    if orgs:
        condition = condition | ExhibitorProfile.organisation.is_in(orgs)
    return await query.where(condition)


@dataclass(frozen=True)
class OrganisationProfile:
    """An organisation's exhibitor profile for one edition (for the member space)."""

    id: int
    event_id: int
    event_title: str
    name: str
    activity: str
    website: str
    has_logo: bool


async def profiles_of_organisation(organisation_id: int) -> list[OrganisationProfile]:
    rows = await ExhibitorProfile.select(
        ExhibitorProfile.id,
        ExhibitorProfile.event,
        ExhibitorProfile.name,
        ExhibitorProfile.activity,
        ExhibitorProfile.activity_en,
        ExhibitorProfile.website,
        ExhibitorProfile.logo_type,
        ExhibitorProfile.event.title.as_alias("event_title"),
        ExhibitorProfile.event.title_en.as_alias("event_title_en"),
    ).where(ExhibitorProfile.organisation == organisation_id)
    english = get_locale() == "en"
    return [
        OrganisationProfile(
            id=r["id"],
            event_id=r["event"],
            event_title=(english and r["event_title_en"]) or r["event_title"],
            name=r["name"],
            activity=(english and r["activity_en"]) or r["activity"],
            website=r["website"],
            has_logo=bool(r["logo_type"]),
        )
        for r in sorted(rows, key=lambda r: r["id"], reverse=True)
    ]
