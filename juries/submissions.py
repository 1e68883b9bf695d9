"""Film entries: the form's fields, the call's eligibility rules checked on submission (deadline, runtime,
year, entries per organisation, good standing), edits until the deadline, the confirmation email in the
submitter's language, and the still image (type and size checked)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from piccolo.columns.combination import WhereRaw

from juries import eligibility
from juries.calls import get_call
from juries.common import aware, dumps, flag, in_locale, loads, lock, now, row_or_404, text, whole
from juries.tables import ENTRY_STATUSES, GENRES, Call, Entry
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _, get_locale
from lib.jobs import atomic
from lib.settings import get_settings
from lib.templating import fmt_datetime
from members.standing import membership_standing
from members.tables import Organisation

ENTRY_FIELDS = (
    "title",
    "original_title",
    "directors",
    "organisation_id",
    "coproducers",
    "genre",
    "runtime",
    "year",
    "language",
    "subtitles",
    "synopsis_fr",
    "synopsis_en",
    "screener_url",
    "screener_password",
    "rights_cleared",
)
STILL_TYPES = {"image/jpeg": ("jpg", b"\xff\xd8\xff"), "image/png": ("png", b"\x89PNG\r\n\x1a\n")}
STILL_MAX_BYTES = 5 * 1024 * 1024


def parse_runtime(errors: dict[str, str], raw: Any) -> int | None:
    """A runtime given as "12:30" (minutes:seconds) or a whole number of seconds."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        seconds = raw
    elif isinstance(raw, str) and raw.strip():
        parts = raw.strip().split(":")
        if len(parts) == 2 and all(p.isdigit() and len(p) <= 4 for p in parts) and int(parts[1]) < 60:
            seconds = int(parts[0]) * 60 + int(parts[1])
        else:
            errors["runtime"] = _("Give the runtime as minutes:seconds, e.g. 12:30.")
            return None
    else:
        errors["runtime"] = _("Give the runtime as minutes:seconds, e.g. 12:30.")
        return None
    if not 1 <= seconds <= 6 * 3600:
        errors["runtime"] = _("Give the runtime as minutes:seconds, e.g. 12:30.")
        return None
    return seconds


async def _coproducers(errors: dict[str, str], raw: Any) -> list[dict[str, Any]]:
    """Co-producers: a list of names (members are matched to the register by name) or of
    {"name", "organisation_id"} objects; a comma-separated string in forms."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = [p.strip() for p in raw.split(",") if p.strip()]
    if not isinstance(raw, list) or len(raw) > 20:
        errors["coproducers"] = _("Give a list of co-producers.")
        return []
    out: list[dict[str, Any]] = []
    for item in raw:
        org_id: Any = None
        if isinstance(item, dict):
            name, org_id = item.get("name", ""), item.get("organisation_id")
        else:
            name = item
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            errors["coproducers"] = _("Give a list of co-producers.")
            return []
        org = None
        if isinstance(org_id, int) and not isinstance(org_id, bool) and 0 < org_id < 2**31:
            org = await Organisation.objects().where(Organisation.id == org_id).first()
        if org is None:
            # an exact name, whatever the case (not a LIKE pattern: "%" must not match every member)
            org = (
                await Organisation.objects().where(WhereRaw("lower(name) = lower({})", name.strip())).first()
            )
        out.append({"name": org.name if org else name.strip(), "organisation": org.id if org else None})
    return out


async def clean_entry(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationFailed({k: _("Unknown field.") for k in sorted(unknown)})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}

    def given(field: str) -> bool:
        return not partial or field in data

    for field, required, length in (
        ("title", True, 200),
        ("original_title", False, 200),
        ("directors", True, 300),
        ("language", False, 60),
        ("subtitles", False, 60),
        ("synopsis_fr", True, 3000),
        ("synopsis_en", False, 3000),
        ("screener_url", False, 500),
        ("screener_password", False, 100),
    ):
        if given(field):
            values[field] = text(errors, data, field, required=required, max_length=length)
    url = values.get("screener_url", "")
    if url and not url.startswith(("https://", "http://")):
        errors["screener_url"] = _("Give a web address starting with https://.")
    if given("genre"):
        genre = data.get("genre")
        if genre not in GENRES:
            errors["genre"] = _("Choose a genre from the list.")
        values["genre"] = genre
    if given("runtime"):
        values["runtime_seconds"] = parse_runtime(errors, data.get("runtime"))
    if given("year"):
        values["year"] = whole(errors, data, "year", required=True, low=1900, high=2100)
    if given("rights_cleared"):
        values["rights_cleared"] = flag(errors, data, "rights_cleared")
    if given("coproducers"):
        values["coproducers"] = dumps(await _coproducers(errors, data.get("coproducers")))
    if given("organisation_id"):
        org_id = whole(errors, data, "organisation_id", required=False, low=1)
        if org_id is not None and not await Organisation.exists().where(Organisation.id == org_id):
            errors["organisation_id"] = _("This organisation is not in the member register.")
        values["organisation"] = org_id
    if errors:
        raise ValidationFailed(errors)
    return values


def _check_rules(call: Call, values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    runtime = values.get("runtime_seconds")
    if runtime and runtime > call.max_runtime_seconds:
        errors["runtime"] = _(
            "The film is too long for this call: at most %(minutes)s minutes.",
            minutes=call.max_runtime_seconds // 60,
        )
    year = values.get("year")
    if year is not None:
        if call.min_year is not None and year < call.min_year:
            errors["year"] = _("This call takes films completed in %(year)s or later.", year=call.min_year)
        elif year > call.edition_year:
            errors["year"] = _(
                "The year of completion cannot be after the edition (%(year)s).", year=call.edition_year
            )
    return errors


def _check_open(call: Call) -> None:
    moment = now()
    if call.status != "open" or moment < aware(call.opens_at):
        raise ValidationFailed.one("deadline", _("This call is not open for entries."))
    if moment > aware(call.deadline):
        raise ValidationFailed.one("deadline", _("The deadline of this call has passed."))


async def _check_submitter(call: Call, email: str, organisation_id: int | None) -> int | None:
    """Members-only calls: the submitter's organisation (from the register) must be in good standing,
    and they submit for it, not for another one. Returns the organisation the entry counts for."""
    if call.eligibility != "members":
        return organisation_id
    standing = await membership_standing(email=email, on=now())
    if standing.organisation is None:
        raise ValidationFailed.one("organisation_id", standing.message)
    if organisation_id is not None and organisation_id != standing.organisation.id:
        raise ValidationFailed.one("organisation_id", _("You can submit only for your own organisation."))
    if not standing.in_good_standing:
        raise ValidationFailed.one(
            "organisation_id",
            _("Only members in good standing may submit: %(reason)s", reason=standing.message),
        )
    return standing.organisation.id


async def _check_quota(call: Call, organisation_id: int | None, exclude: int | None = None) -> None:
    if organisation_id is None:
        return
    query = Entry.count().where(
        (Entry.call == call.id) & (Entry.organisation == organisation_id) & (Entry.status != "withdrawn")
    )
    if exclude is not None:
        query = query.where(Entry.id != exclude)
    if await query >= call.max_entries_per_organisation:
        raise ValidationFailed.one(
            "organisation_id",
            _(
                "Your organisation has already submitted %(n)s entries, the most this call accepts.",
                n=call.max_entries_per_organisation,
            ),
        )


def confirmation_email(entry: Entry, call: Call) -> tuple[str, str, str]:
    with in_locale(entry.locale):
        base = get_settings().base_url
        link = f"{base}/juries/{call.id}/entries/{entry.id}"
        subject = _("Your film “%(title)s” is received", title=entry.title)
        body = _(
            "We have received your film “%(title)s” for %(call)s. You can change it until the deadline, "
            "%(deadline)s, and follow its status here:",
            title=entry.title,
            call=call.title_en if entry.locale == "en" and call.title_en else call.title,
            deadline=fmt_datetime(call.deadline),
        )
        hello = _("Hello,")
    text_body = f"{hello}\n\n{body}\n\n{link}\n\n-- \nLE DAMIER\n"
    html = f'<p>{escape(hello)}</p><p>{escape(body)}</p><p><a href="{escape(link)}">{escape(link)}</a></p>'
    return subject, text_body, html


async def submit_entry(call_id: Any, email: str, data: dict[str, Any]) -> Entry:
    """Check the entry and the call's rules, store it and queue the confirmation (one transaction)."""
    if not email:
        raise ValidationFailed.one("email", _("Sign in to submit."))
    call = await get_call(call_id)
    values = await clean_entry(data, partial=False)
    errors = _check_rules(call, values)
    if errors:
        raise ValidationFailed(errors)
    from lib.mail import queue_email

    async with atomic():
        await lock(Call, call.id)
        _check_open(call)
        organisation = await _check_submitter(call, email, values.pop("organisation"))
        await _check_quota(call, organisation)
        entry = Entry(
            call=call.id, submitter_email=email, locale=get_locale(), organisation=organisation, **values
        )
        entry.status = "eligible" if (await eligibility.check(call, entry)).eligible else "received"
        await entry.save()
        await queue_email(email, *confirmation_email(entry, call))
    return entry


async def own_entry(entry_id: Any, email: str | None) -> Entry:
    entry = await row_or_404(Entry, entry_id, _("This entry does not exist."))
    if not email or entry.submitter_email != email:
        raise NotFound(_("This entry does not exist."))
    return entry


async def update_entry(entry_id: Any, email: str | None, data: dict[str, Any]) -> Entry:
    entry = await own_entry(entry_id, email)
    call = await get_call(entry.call)
    values = await clean_entry(data, partial=True)
    merged = {"runtime_seconds": entry.runtime_seconds, "year": entry.year, **values}
    errors = _check_rules(call, merged)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        await lock(Call, call.id)
        _check_open(call)
        if entry.status not in eligibility.BEFORE_SELECTION:
            raise Conflict(_("The selection has started: this entry can no longer be changed."))
        if "organisation" in values:
            values["organisation"] = await _check_submitter(
                call, entry.submitter_email, values["organisation"]
            )
            await _check_quota(call, values["organisation"], exclude=entry.id)
        values["updated_at"] = now()
        await Entry.update(values).where(Entry.id == entry.id)
        await eligibility.refresh(call, await own_entry(entry.id, email))
    return await own_entry(entry.id, email)


def stills_dir() -> Path:
    path = get_settings().var_dir / "juries" / "stills"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def save_still(entry_id: Any, email: str | None, content_type: str, content: bytes) -> Entry:
    """A JPEG or PNG of at most 5 MB; the bytes must be what the type says."""
    entry = await own_entry(entry_id, email)
    kind = STILL_TYPES.get((content_type or "").split(";")[0].strip().lower())
    if kind is None:
        raise ValidationFailed.one("still", _("The still must be a JPEG or PNG image."))
    if len(content) > STILL_MAX_BYTES:
        raise ValidationFailed.one("still", _("The still must be at most 5 MB."))
    extension, magic = kind
    if not content.startswith(magic):
        raise ValidationFailed.one("still", _("This file is not the image its type says."))
    name = f"{entry.id}.{extension}"
    target = stills_dir() / name
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(content)
    tmp.replace(target)
    await Entry.update(
        {Entry.still_name: name, Entry.still_type: content_type, Entry.updated_at: now()}
    ).where(Entry.id == entry.id)
    return await own_entry(entry.id, email)


def still_bytes(entry: Entry) -> bytes | None:
    if not entry.still_name:
        return None
    path = stills_dir() / entry.still_name
    return path.read_bytes() if path.exists() else None


async def entries_of_call(call_id: int, statuses: tuple[str, ...] = ENTRY_STATUSES) -> list[Entry]:
    return (
        await Entry.objects()
        .where((Entry.call == call_id) & Entry.status.is_in(list(statuses)))
        .order_by(Entry.id)
    )


async def entries_of_submitter(email: str | None) -> list[Entry]:
    if not email:
        return []
    return await Entry.objects().where(Entry.submitter_email == email).order_by(Entry.id)


async def entry_json(entry: Entry) -> dict[str, Any]:
    producer = ""
    if entry.organisation:
        org = await Organisation.objects().where(Organisation.id == entry.organisation).first()
        producer = org.name if org else ""
    return {
        "id": entry.id,
        "call_id": entry.call,
        "status": entry.status,
        "title": entry.title,
        "original_title": entry.original_title,
        "directors": entry.directors,
        "organisation_id": entry.organisation,
        "producer": producer,
        "coproducers": [c["name"] for c in loads(entry.coproducers, [])],
        "genre": entry.genre,
        "runtime_seconds": entry.runtime_seconds,
        "year": entry.year,
        "language": entry.language,
        "subtitles": entry.subtitles,
        "synopsis_fr": entry.synopsis_fr,
        "synopsis_en": entry.synopsis_en,
        "has_still": bool(entry.still_name),
        "screener_url": entry.screener_url,
        "screener_password": entry.screener_password,
        "rights_cleared": entry.rights_cleared,
    }


@dataclass(frozen=True)
class OrganisationEntry:
    """A film an organisation submitted to a call (for the member space)."""

    id: int
    call_id: int
    call_title: str
    title: str
    runtime_seconds: int
    status: str
    submitter_email: str
    created_at: Any


async def entries_of_organisation(organisation_id: int) -> list[OrganisationEntry]:
    rows = await Entry.select(
        Entry.id,
        Entry.call,
        Entry.title,
        Entry.runtime_seconds,
        Entry.status,
        Entry.submitter_email,
        Entry.created_at,
        Entry.call.title.as_alias("call_title"),
        Entry.call.title_en.as_alias("call_title_en"),
    ).where(Entry.organisation == organisation_id)
    english = get_locale() == "en"
    return [
        OrganisationEntry(
            id=r["id"],
            call_id=r["call"],
            call_title=(english and r["call_title_en"]) or r["call_title"],
            title=r["title"],
            runtime_seconds=r["runtime_seconds"],
            status=r["status"],
            submitter_email=r["submitter_email"],
            created_at=r["created_at"],
        )
        for r in sorted(rows, key=lambda r: r["id"], reverse=True)
    ]
