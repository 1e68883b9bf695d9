"""Member register CSV: import, export, round trip, row-level report, all-or-nothing."""

from __future__ import annotations

from datetime import date

import pytest

from members import register, standing
from members.register_csv import COLUMNS, ImportRejected, export_csv, import_csv
from members.tables import MembershipYear, Organisation, Person

HEADER = ",".join(COLUMNS)
GOOD = "\r\n".join(
    [
        HEADER,
        "Label Volcan,1,20k-60k,contact@volcan.fr,volcan.fr,Clermont-Ferrand,https://volcan.fr,"
        "2025:2025-02-01;2026,Anne,Dupont,Anne.Dupont@volcan.fr,Directrice",
        "Label Volcan,1,20k-60k,contact@volcan.fr,volcan.fr,Clermont-Ferrand,https://volcan.fr,"
        "2025:2025-02-01;2026,Marc,Petit,marc@volcan.fr,Chargé de production",
        "Studio Nord,2,lt20k,,,Cébazat,,,,,,",
        ",,,,,,,,Solo,Artiste,solo@example.org,Musicienne",
        "",
    ]
)


async def snapshot() -> tuple:
    orgs = await Organisation.select(
        Organisation.id,
        Organisation.name,
        Organisation.college,
        Organisation.revenue_band,
        Organisation.email,
        Organisation.email_domain,
        Organisation.city,
        Organisation.website,
    ).order_by(Organisation.id)
    years = await MembershipYear.select(
        MembershipYear.organisation, MembershipYear.year, MembershipYear.dues_cents, MembershipYear.paid_on
    ).order_by(MembershipYear.id)
    people = await Person.select(
        Person.id, Person.first_name, Person.last_name, Person.email, Person.organisation, Person.role
    ).order_by(Person.id)
    return orgs, years, people


async def test_import_happy_path():
    result = await import_csv(GOOD.encode())
    assert (result.organisations_created, result.people_created, result.payments_recorded) == (2, 3, 2)
    assert result.rows == 4
    volcan = await Organisation.objects().where(Organisation.name == "Label Volcan").first()
    assert (volcan.college, volcan.revenue_band, volcan.email_domain) == (1, "20k-60k", "volcan.fr")
    years = await standing.membership_years(volcan.id)
    assert [(y.year, y.dues_cents, y.paid_on) for y in years] == [
        (2025, 27000, date(2025, 2, 1)),
        (2026, 27000, date(2026, 1, 1)),
    ]
    anne = await Person.objects().where(Person.email == "anne.dupont@volcan.fr").first()
    assert (anne.organisation, anne.role) == (volcan.id, "Directrice")
    solo = await Person.objects().where(Person.email == "solo@example.org").first()
    assert solo.organisation is None
    assert await standing.is_member_in_good_standing(email="anne.dupont@volcan.fr", on=date(2025, 3, 1))


async def test_export_then_import_changes_nothing():
    await import_csv(GOOD.encode())
    org = await register.create_organisation(name="Sans Personne", college=5, revenue_band="gt250k")
    await standing.record_membership_payment(org.id, 2024, date(2024, 12, 20))
    before = await snapshot()
    exported = await export_csv()
    lines = exported.strip().split("\r\n")
    assert lines[0] == HEADER
    assert len(lines) == 1 + 3 + 1 + 1  # 3 people with an organisation, 1 empty organisation, 1 person alone
    assert any(line.startswith("Sans Personne,5,gt250k,") and "2024:2024-12-20" in line for line in lines)
    result = await import_csv(exported.encode())
    assert (
        result.organisations_created,
        result.organisations_updated,
        result.people_created,
        result.people_updated,
        result.payments_recorded,
    ) == (0, 0, 0, 0, 0)
    assert await snapshot() == before
    assert await export_csv() == exported


async def test_import_updates_by_name_and_email():
    await import_csv(GOOD.encode())
    changed = GOOD.replace("Label Volcan,1,20k-60k", "LABEL VOLCAN,1,60k-250k").replace(
        "Chargé de production", "Administrateur"
    )
    result = await import_csv(changed.encode())
    assert (result.organisations_created, result.organisations_updated) == (0, 1)
    assert (result.people_created, result.people_updated) == (0, 1)
    assert await Organisation.count() == 2
    volcan = await Organisation.objects().where(Organisation.name == "LABEL VOLCAN").first()
    assert volcan.revenue_band == "60k-250k"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("Label Rouge,9,lt20k,,,,,,Jean,Rouge,jean@rouge.fr,", "college"),
        ("Label Rouge,1,lt20k,,,,,,Jean,Rouge,jean-at-rouge.fr,", "email"),
        ("Label Rouge,1,lt20k,,,,,,,Rouge,jean@rouge.fr,", "first_name"),
        (",1,lt20k,,,,,,Jean,Rouge,jean@rouge.fr,", "organisation"),
        ("Label Rouge,1,lt20k,,,,,,Jean,Rouge,ANNE.DUPONT@volcan.fr,", "email"),
        ("Label Rouge,1,lt20k,,,,,25;2026,Jean,Rouge,jean@rouge.fr,", "paid_years"),
        ("Label Rouge,1,lt20k,,,,,2026:2026-13-01,Jean,Rouge,jean@rouge.fr,", "paid_years"),
        ("Label Rouge,1,huge,,,,,,Jean,Rouge,jean@rouge.fr,", "revenue_band"),
        (
            "Label Volcan,2,20k-60k,contact@volcan.fr,volcan.fr,Clermont-Ferrand,https://volcan.fr,2025:2025-02-01;2026,J,R,j@r.fr,",
            "college",
        ),
    ],
)
async def test_one_malformed_row_is_reported_and_nothing_changes(row, field):
    await import_csv(GOOD.encode())
    before = await snapshot()
    lines = GOOD.split("\r\n")
    bad_file = "\r\n".join([*lines[:3], row, *lines[3:]])  # the bad row is line 4
    with pytest.raises(ImportRejected) as err:
        await import_csv(bad_file.replace("Directrice", "Présidente").encode())
    assert [(e.line, e.field) for e in err.value.errors] == [(4, field)], err.value.errors
    assert err.value.errors[0].message
    assert await snapshot() == before


async def test_every_bad_row_is_reported_in_french():
    bad = "\r\n".join(
        [
            HEADER,
            "Label Rouge,9,lt20k,,,,,,Jean,Rouge,jean@rouge.fr,",
            "Label Bleu,1,lt20k,,,,,,Paul,Bleu,pas-un-email,",
            "Label Vert,1,lt20k,,,,,,Eve,Vert,jean@rouge.fr,",
        ]
    )
    with pytest.raises(ImportRejected) as err:
        await import_csv(bad.encode())
    report = [(e.line, e.field, e.message) for e in err.value.errors]
    assert report == [
        (2, "college", "Collège inconnu (choisissez de 1 à 5)."),
        (3, "email", "Cette adresse e-mail n’est pas valide."),
        (4, "email", "Cette adresse e-mail figure déjà à la ligne 2."),
    ]
    assert await Organisation.count() == 0 and await Person.count() == 0


async def test_semicolon_delimiter_and_bom_from_french_excel():
    text = GOOD.replace(",", ";").replace("2025:2025-02-01;2026", '"2025:2025-02-01;2026"')
    data = "\ufeff".encode() + text.encode("utf-8")
    result = await import_csv(data)
    assert (result.organisations_created, result.people_created) == (2, 3)
    studio = await Organisation.objects().where(Organisation.name == "Studio Nord").first()
    assert studio.city == "Cébazat"
    assert [y.year for y in await standing.membership_years((await Organisation.objects().first()).id)]


async def test_email_domain_conflict_with_an_existing_organisation():
    await register.create_organisation(name="Existing", college=1, email_domain="volcan.fr")
    with pytest.raises(ImportRejected) as err:
        await import_csv(GOOD.encode())
    assert {(e.line, e.field) for e in err.value.errors} == {(2, "email_domain")}
    assert await Organisation.count() == 1 and await Person.count() == 0


async def test_missing_columns_and_encoding():
    with pytest.raises(ImportRejected) as err:
        await import_csv(b"organisation,college\r\nX,1\r\n")
    assert err.value.errors[0].line == 1 and err.value.errors[0].field == "header"
    with pytest.raises(ImportRejected) as err:
        await import_csv(GOOD.encode("cp1252"))
    assert err.value.errors[0].field == "file"
    with pytest.raises(ImportRejected) as err:
        await import_csv(HEADER.encode())
    assert err.value.errors[0].field == "file"
