"""The member register as a CSV file: export, and import back (a round trip changes nothing).

One row per person, with their organisation's columns repeated, plus one row for each organisation that
has no people. Columns (header names in English, in this order):

=============  =========================================================================================
organisation   organisation name (the key: organisations are matched by name, ignoring case)
college        1 Musique, 2 Image, 3 Prestataires et activités support, 4 Enseignement supérieur et
               Recherche, 5 Collectivités et institutions (the number)
revenue_band   lt20k (< 20 k€), 20k-60k, 60k-250k, gt250k (> 250 k€): sets the yearly dues
org_email      the organisation's contact email (optional)
email_domain   e.g. ledamier.fr: people with an address at this domain get member prices (optional)
city           optional
website        optional
paid_years     years whose dues are paid, separated by ';' - each "YYYY" or "YYYY:YYYY-MM-DD" with the
               payment date (export always writes the date; "YYYY" alone means paid on 1 January)
first_name     the person's first name (empty, with last_name/email/role, on an organisation-only row)
last_name      the person's last name
email          the person's email (the key: people are matched by email, ignoring case)
role           the person's role in the organisation (optional)
=============  =========================================================================================

A row with an empty organisation is a person without an organisation.

Export (lib.csv_export): French Excel by default - translated headers, the college and revenue band
in words, ';' and a BOM - or plain (format=plain): the column names and codes above, ','.

Import: UTF-8 with or without BOM; ',' or ';' (French Excel) as delimiter, detected from the header line;
headers as column names or as the Excel export writes them (French or English), colleges and revenue
bands as codes or in words; cells the export neutralised against formulas ("'=...") are read back as
written. So whatever the export writes, the import reads back unchanged.
Every row is validated first and every problem reported as (line number, column, message); any bad row
means nothing changes at all. Otherwise organisations are upserted by name and people by email, and the
listed paid years recorded, in one transaction. Import only adds and updates: organisations, people and
paid years missing from the file are left as they are.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from lib import csv_export, i18n
from lib.csv_export import restore
from lib.db import is_unique_violation, write_transaction
from lib.errors import Conflict, DomainError
from lib.i18n import _
from members import register, standing
from members.tables import COLLEGES, MembershipYear, Organisation, Person
from web import labels

COLUMNS = (
    "organisation",
    "college",
    "revenue_band",
    "org_email",
    "email_domain",
    "city",
    "website",
    "paid_years",
    "first_name",
    "last_name",
    "email",
    "role",
)
ORG_COLUMNS = COLUMNS[:8]
PERSON_COLUMNS = COLUMNS[8:]
# service field name -> CSV column
ORG_FIELD_TO_COLUMN = {
    "name": "organisation",
    "college": "college",
    "revenue_band": "revenue_band",
    "email": "org_email",
    "email_domain": "email_domain",
    "city": "city",
    "website": "website",
}
PERSON_FIELD_TO_COLUMN = {
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "role": "role",
}
MAX_BYTES = 5 * 1024 * 1024


# ---- export ----------------------------------------------------------------------------------------
def format_paid_years(rows: list[MembershipYear]) -> str:
    paid = sorted((r.year, r.paid_on) for r in rows if r.paid_on is not None)
    seen: set[int] = set()
    parts = []
    for year, paid_on in paid:
        if year not in seen:  # the earliest payment date of a year
            seen.add(year)
            parts.append(f"{year}:{paid_on.isoformat()}")
    return ";".join(parts)


async def export_rows() -> list[dict[str, str]]:
    orgs = await Organisation.objects().order_by(Organisation.name)
    years = await standing.membership_years_by_org([o.id for o in orgs])
    people = (
        await Person.objects().order_by(Person.last_name).order_by(Person.first_name).order_by(Person.email)
    )
    by_org: dict[int | None, list[Person]] = {}
    for person in people:
        by_org.setdefault(person.organisation, []).append(person)

    def org_part(org: Organisation | None) -> dict[str, str]:
        if org is None:
            return dict.fromkeys(ORG_COLUMNS, "")
        return {
            "organisation": org.name,
            "college": str(org.college),
            "revenue_band": org.revenue_band,
            "org_email": org.email,
            "email_domain": org.email_domain,
            "city": org.city,
            "website": org.website,
            "paid_years": format_paid_years(years.get(org.id, [])),
        }

    def person_part(person: Person | None) -> dict[str, str]:
        if person is None:
            return dict.fromkeys(PERSON_COLUMNS, "")
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "role": person.role,
        }

    rows: list[dict[str, str]] = []
    for org in orgs:
        members = by_org.get(org.id) or [None]
        rows += [{**org_part(org), **person_part(p)} for p in members]
    known = {o.id for o in orgs}
    for org_id, members in by_org.items():
        if org_id is None or org_id not in known:
            rows += [{**org_part(None), **person_part(p)} for p in members]
    return rows


def column_labels() -> dict[str, str]:
    """Column -> its header in the French Excel export (current language)."""
    return {
        "organisation": _("Organisation"),
        "college": _("College"),
        "revenue_band": _("Revenue band"),
        "org_email": _("Organisation email"),
        "email_domain": _("Email domain"),
        "city": _("City"),
        "website": _("Website"),
        "paid_years": _("Paid years"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "email": _("Email"),
        "role": _("Role"),
    }


def export_columns() -> list[csv_export.Column]:
    headers = column_labels()
    kinds: dict[str, Any] = {
        "college": ("code", lambda code: labels.college_label(int(code))),
        "revenue_band": ("code", labels.revenue_band_label),
    }
    return [csv_export.Column(c, headers[c], *kinds.get(c, ("text", None))) for c in COLUMNS]


async def export_file(dialect: csv_export.Dialect = csv_export.Dialect.EXCEL) -> bytes:
    """The whole register in a CSV dialect: French Excel (translated headers, college and revenue band
    in words) or plain (the column names and codes above). import_csv reads both back."""
    return csv_export.write(export_columns(), await export_rows(), dialect)


async def export_csv() -> str:
    """The register as plain CSV text (the column names and codes; see export_file for Excel)."""
    return (await export_file(csv_export.Dialect.PLAIN)).decode("utf-8")


# ---- import ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


class ImportRejected(DomainError):
    """The file has bad rows: nothing was changed. `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(_("The file has %(n)s error(s); nothing was imported.", n=len(errors)))

    def as_dicts(self) -> list[dict[str, Any]]:
        return [asdict(e) for e in self.errors]


@dataclass
class ImportResult:
    organisations_created: int = 0
    organisations_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    payments_recorded: int = 0
    rows: int = 0


@dataclass
class _OrgRow:
    line: int
    values: dict[str, Any]  # clean organisation fields
    paid: dict[int, date] = field(default_factory=dict)


@dataclass
class _PersonRow:
    line: int
    values: dict[str, Any]  # clean person fields (no organisation_id)
    organisation_key: str | None


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRejected([RowError(1, "file", _("The file is too large (at most 5 MB)."))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [RowError(line, "file", _('The file is not UTF-8 text: save it as "CSV UTF-8".'))]
        ) from exc


def _key(text: str) -> str:
    """A header or label compared loosely: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.casefold() if ch.isalnum() or ch in "<>")


def _in_every_locale(build: Any) -> list[Any]:
    results = []
    for locale in i18n.LOCALES:
        token = i18n.current_locale.set(locale)
        try:
            results.append(build())
        finally:
            i18n.current_locale.reset(token)
    return results


def header_aliases() -> dict[str, str]:
    """Loose header -> column: the column names, and the Excel headers in French and English."""
    aliases = {_key(c): c for c in COLUMNS}
    for headers in _in_every_locale(column_labels):
        aliases.update({_key(label): column for column, label in headers.items()})
    return aliases


def code_aliases() -> dict[str, dict[str, str]]:
    """Per coded column, loose label -> code: what the French Excel export writes instead of codes."""
    colleges: dict[str, str] = {}
    for names in _in_every_locale(lambda: {n: labels.college_label(n) for n in COLLEGES}):
        colleges.update({_key(label): str(n) for n, label in names.items()})
    colleges.update({_key(name): str(n) for n, name in COLLEGES.items()})
    bands = {_key(labels.revenue_band_label(b)): b for b in register.REVENUE_BANDS}
    bands.update({_key(label): b for b, label in register.REVENUE_BAND_LABELS.items()})
    return {"college": colleges, "revenue_band": bands}


def sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def parse_paid_years(raw: str) -> tuple[dict[int, date], str | None]:
    """ "2025;2026:2026-02-10" -> {2025: 2025-01-01, 2026: 2026-02-10}, or an error message."""
    paid: dict[int, date] = {}
    for part in (p.strip() for p in raw.replace(",", ";").split(";")):
        if not part:
            continue
        year_text, _sep, date_text = part.partition(":")
        year_text, date_text = year_text.strip(), date_text.strip()
        if not (year_text.isdigit() and len(year_text) == 4):
            return {}, _('"%(value)s" is not a year (write 2025 or 2025:2025-03-01).', value=part)
        year = int(year_text)
        message = register.year_error(year)
        if message:
            return {}, message
        if date_text:
            try:
                paid_on = date.fromisoformat(date_text)
            except ValueError:
                return {}, _('"%(value)s" is not a date (write 2025-03-01).', value=date_text)
        else:
            paid_on = date(year, 1, 1)
        message = register.paid_on_error(paid_on)
        if message:
            return {}, message
        if year in paid:
            return {}, _("The year %(year)s is listed twice.", year=year)
        paid[year] = paid_on
    return paid, None


def _parse(text: str) -> tuple[dict[str, _OrgRow], list[_PersonRow], list[RowError], int]:
    """Validate every row without touching the database."""
    errors: list[RowError] = []
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return {}, [], [RowError(1, "file", _("The file is empty."))], 0
    except csv.Error as exc:
        return {}, [], [RowError(1, "file", _("Malformed CSV: %(error)s", error=str(exc)))], 0
    aliases = header_aliases()
    names = [aliases.get(_key(restore(h)), h.strip().lower()) if h.strip() else "" for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h and h not in COLUMNS]
    if missing:
        errors.append(RowError(1, "header", _("Missing columns: %(columns)s.", columns=", ".join(missing))))
    if unknown:
        errors.append(RowError(1, "header", _("Unknown columns: %(columns)s.", columns=", ".join(unknown))))
    if errors:
        return {}, [], errors, 0
    index = {name: names.index(name) for name in COLUMNS}
    codes = code_aliases()

    orgs: dict[str, _OrgRow] = {}
    people: list[_PersonRow] = []
    emails: dict[str, int] = {}
    domains: dict[str, tuple[str, int]] = {}
    count = 0
    line = reader.line_num
    while True:
        start = line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, "file", _("Malformed CSV: %(error)s", error=str(exc))))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank line
        count += 1
        if len(record) > len(names) and any(c.strip() for c in record[len(names) :]):
            errors.append(RowError(start, "file", _("This row has more cells than the header.")))
            continue
        row = {c: restore(record[i] if i < len(record) else "").strip() for c, i in index.items()}
        for column, known in codes.items():  # "Collège 2 – Image" / "< 20 k€" from the Excel export
            row[column] = known.get(_key(row[column]), row[column]) if row[column] else ""
        row_errors: list[RowError] = []
        org_key: str | None = None

        if row["organisation"] or any(row[c] for c in ORG_COLUMNS[1:]):
            raw = {field: row[column] for field, column in ORG_FIELD_TO_COLUMN.items()}
            clean, org_errors = register.clean_organisation(raw)
            row_errors += [RowError(start, ORG_FIELD_TO_COLUMN[f], m) for f, m in org_errors.items()]
            paid, paid_error = parse_paid_years(row["paid_years"])
            if paid_error:
                row_errors.append(RowError(start, "paid_years", paid_error))
            if "name" not in org_errors:
                org_key = clean["name"].casefold()
                previous = orgs.get(org_key)
                if previous is None and not org_errors and not paid_error:
                    orgs[org_key] = _OrgRow(start, clean, paid)
                    domain = clean["email_domain"]
                    if domain and domain in domains and domains[domain][0] != org_key:
                        row_errors.append(
                            RowError(
                                start,
                                "email_domain",
                                _(
                                    "Line %(line)s gives this email domain to another organisation.",
                                    line=domains[domain][1],
                                ),
                            )
                        )
                    elif domain:
                        domains[domain] = (org_key, start)
                elif previous is not None and not org_errors and not paid_error:
                    for f, column in ORG_FIELD_TO_COLUMN.items():
                        if f != "name" and previous.values[f] != clean[f]:
                            row_errors.append(
                                RowError(
                                    start,
                                    column,
                                    _(
                                        "Differs from line %(line)s for the same organisation.",
                                        line=previous.line,
                                    ),
                                )
                            )
                    if paid != previous.paid:
                        row_errors.append(
                            RowError(
                                start,
                                "paid_years",
                                _(
                                    "Differs from line %(line)s for the same organisation.",
                                    line=previous.line,
                                ),
                            )
                        )

        if any(row[c] for c in PERSON_COLUMNS):
            raw = {field: row[column] for field, column in PERSON_FIELD_TO_COLUMN.items()}
            clean, person_errors = register.clean_person(raw)
            row_errors += [RowError(start, PERSON_FIELD_TO_COLUMN[f], m) for f, m in person_errors.items()]
            email = clean["email"]
            if "email" not in person_errors:
                if email in emails:
                    row_errors.append(
                        RowError(
                            start, "email", _("This email is already on line %(line)s.", line=emails[email])
                        )
                    )
                else:
                    emails[email] = start
            if not person_errors:
                people.append(_PersonRow(start, clean, org_key))
        errors += row_errors
    if count == 0 and not errors:
        errors.append(RowError(1, "file", _("The file has no rows.")))
    return orgs, people, errors, count


async def import_csv(data: bytes | str) -> ImportResult:
    """Validate the whole file, then upsert it in one transaction; ImportRejected (nothing changed) on any
    bad row."""
    text = data if isinstance(data, str) else decode(data)
    text = text.lstrip("\ufeff")
    orgs, people, errors, count = _parse(text)
    if errors:
        raise ImportRejected(
            sorted(errors, key=lambda e: (e.line, COLUMNS.index(e.field) if e.field in COLUMNS else -1))
        )
    try:
        return await _write(orgs, people, count)
    except Exception as exc:
        if is_unique_violation(exc):  # a concurrent writer created the same name or email
            raise Conflict(_("The register changed during the import; please try again.")) from exc
        raise


async def _write(orgs: dict[str, _OrgRow], people: list[_PersonRow], count: int) -> ImportResult:
    result = ImportResult(rows=count)
    async with write_transaction():
        existing = await Organisation.objects()
        by_name = {o.name.casefold(): o for o in existing}
        # email domains must stay unique across the register after the import
        final_domains: dict[str, str] = {}
        for org in existing:
            if org.name.casefold() not in orgs and org.email_domain:
                final_domains[org.email_domain.lower()] = org.name.casefold()
        db_errors: list[RowError] = []
        for key, row in orgs.items():
            domain = row.values["email_domain"]
            if domain and final_domains.get(domain, key) != key:
                db_errors.append(
                    RowError(
                        row.line, "email_domain", _("Another organisation already uses this email domain.")
                    )
                )
        if db_errors:
            raise ImportRejected(db_errors)

        ids: dict[str, int] = {}
        for key, row in orgs.items():
            org = by_name.get(key)
            if org is None:
                org = Organisation(**row.values)
                await org.save()
                result.organisations_created += 1
            else:
                changed = [f for f, v in row.values.items() if getattr(org, f) != v]
                if changed:
                    for f in changed:
                        setattr(org, f, row.values[f])
                    await org.save(columns=[getattr(Organisation, f) for f in changed])
                    result.organisations_updated += 1
            ids[key] = org.id
            for year, paid_on in sorted(row.paid.items()):
                payment = await standing.record_membership_payment(org.id, year, paid_on)
                result.payments_recorded += int(payment.changed)

        persons = {p.email.lower(): p for p in await Person.objects()}
        for row in people:
            values = {
                **row.values,
                "organisation": ids[row.organisation_key] if row.organisation_key else None,
            }
            person = persons.get(row.values["email"])
            if person is None:
                await Person(**values).save()
                result.people_created += 1
            else:
                changed = [f for f, v in values.items() if getattr(person, f) != v]
                if changed:
                    for f in changed:
                        setattr(person, f, values[f])
                    await person.save(columns=[getattr(Person, f) for f in changed])
                    result.people_updated += 1
    return result


__all__ = [
    "COLUMNS",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "export_csv",
    "export_file",
    "export_rows",
    "import_csv",
]
