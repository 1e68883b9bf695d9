"""Membership services on the real database: dues, good standing, validation (French by default)."""

from __future__ import annotations

from datetime import UTC, date

import pytest

from lib.errors import ValidationFailed
from lib.settings import load_settings
from members import people, register, standing
from members.tables import MembershipYear, Organisation, Person


async def make_org(name: str = "Label Volcan", band: str = "lt20k", domain: str = "", college: int = 1):
    return await register.create_organisation(
        name=name, college=college, revenue_band=band, email_domain=domain
    )


@pytest.mark.parametrize(
    ("band", "euros"), [("lt20k", 220), ("20k-60k", 270), ("60k-250k", 310), ("gt250k", 350)]
)
async def test_dues_per_band_are_recorded_with_the_payment(band, euros):
    org = await make_org(band=band)
    payment = await standing.record_membership_payment(org.id, 2025, date(2025, 3, 1))
    assert payment.dues_cents == euros * 100
    [row] = await MembershipYear.objects().where(MembershipYear.organisation == org.id)
    assert (row.year, row.dues_cents, row.paid_on) == (2025, euros * 100, date(2025, 3, 1))


def test_dues_are_configurable_from_the_environment(monkeypatch):
    monkeypatch.setenv("MEMBERSHIP_DUES_EUR", "200, 250,300.50,400")
    assert load_settings().membership_dues_cents == (20000, 25000, 30050, 40000)
    monkeypatch.setenv("MEMBERSHIP_DUES_EUR", "200,250")
    with pytest.raises(ValueError, match="MEMBERSHIP_DUES_EUR"):
        load_settings()
    monkeypatch.delenv("MEMBERSHIP_DUES_EUR")
    assert load_settings().membership_dues_cents == (22000, 27000, 31000, 35000)


async def test_payment_is_idempotent_per_organisation_and_year():
    org = await make_org(band="20k-60k")
    first = await standing.record_membership_payment(org.id, 2025, date(2025, 2, 1))
    again = await standing.record_membership_payment(org.id, 2025, date(2025, 2, 1))
    assert (first.created, again.created, again.changed) == (True, False, False)
    corrected = await standing.record_membership_payment(org.id, 2025, date(2025, 2, 3))
    assert corrected.changed and not corrected.created
    rows = await MembershipYear.objects().where(MembershipYear.organisation == org.id)
    assert [(r.year, r.paid_on) for r in rows] == [(2025, date(2025, 2, 3))]


async def test_standing_paid_current_year():
    org = await make_org()
    await standing.record_membership_payment(org.id, 2025, date(2025, 1, 15))
    s = await standing.membership_standing(organisation_id=org.id, on=date(2025, 6, 1))
    assert s.in_good_standing and s.reason == "paid" and s.year == 2025
    assert s.organisation == standing.OrganisationRef(org.id, "Label Volcan")
    assert s.paid_on == date(2025, 1, 15)
    assert s.message == "Membre à jour de sa cotisation pour 2025."
    assert await standing.is_member_in_good_standing(organisation_id=org.id, on=date(2025, 1, 15))


async def test_standing_only_last_year_paid_is_not_good():
    org = await make_org()
    await standing.record_membership_payment(org.id, 2024, date(2024, 1, 15))
    s = await standing.membership_standing(organisation_id=org.id, on=date(2025, 6, 1))
    assert not s.in_good_standing and s.reason == "not_paid"
    assert await standing.is_member_in_good_standing(organisation_id=org.id, on=date(2024, 12, 31))


async def test_standing_paid_after_the_date_is_not_good_on_that_date():
    org = await make_org()
    await standing.record_membership_payment(org.id, 2025, date(2025, 4, 10))
    before = await standing.membership_standing(organisation_id=org.id, on=date(2025, 4, 9))
    assert not before.in_good_standing and before.reason == "paid_after_date"
    assert await standing.is_member_in_good_standing(organisation_id=org.id, on=date(2025, 4, 10))


async def test_an_unpaid_year_row_is_not_good_standing():
    org = await make_org()
    await MembershipYear(organisation=org.id, year=2025, dues_cents=22000, paid_on=None).save()
    s = await standing.membership_standing(organisation_id=org.id, on=date(2025, 6, 1))
    assert s.reason == "not_paid"


async def test_standing_by_person_email_case_insensitive():
    org = await make_org()
    await people.create_person(
        first_name="Anne", last_name="Dupont", email="Anne.Dupont@Example.org", organisation_id=org.id
    )
    await standing.record_membership_payment(org.id, 2025, date(2025, 1, 2))
    s = await standing.membership_standing(email="ANNE.DUPONT@example.ORG", on=date(2025, 5, 5))
    assert s.in_good_standing and s.matched_by == "person" and s.organisation.id == org.id
    person = await Person.objects().first()
    assert person.email == "anne.dupont@example.org"


async def test_standing_by_email_domain_for_staff_of_a_member_organisation():
    org = await make_org(domain="@Volcan-Records.fr")
    assert org.email_domain == "volcan-records.fr"
    await standing.record_membership_payment(org.id, 2025, date(2025, 1, 2))
    s = await standing.membership_standing(email="new.hire@VOLCAN-records.fr", on=date(2025, 5, 5))
    assert s.in_good_standing and s.matched_by == "email_domain" and s.organisation.name == "Label Volcan"
    other = await standing.membership_standing(
        email="someone@volcan-records.fr.evil.com", on=date(2025, 5, 5)
    )
    assert not other.in_good_standing


async def test_person_whose_own_organisation_is_unpaid_still_matches_their_domain_member():
    unpaid = await make_org(name="Freelance")
    member = await make_org(name="Studio Nord", domain="studionord.fr")
    await standing.record_membership_payment(member.id, 2025, date(2025, 1, 2))
    await people.create_person(
        first_name="Léa", last_name="Roux", email="lea@studionord.fr", organisation_id=unpaid.id
    )
    s = await standing.membership_standing(email="lea@studionord.fr", on=date(2025, 3, 3))
    assert s.in_good_standing and s.organisation.id == member.id


async def test_standing_unknown_email_and_unlinked_person():
    await make_org(domain="member.fr")
    s = await standing.membership_standing(email="nobody@elsewhere.fr", on=date(2025, 5, 5))
    assert (s.in_good_standing, s.reason, s.organisation) == (False, "unknown_email", None)
    await people.create_person(first_name="Solo", last_name="Artist", email="solo@elsewhere.fr")
    s = await standing.membership_standing(email="solo@elsewhere.fr", on=date(2025, 5, 5))
    assert s.reason == "not_linked"
    s = await standing.membership_standing(organisation_id=999, on=date(2025, 5, 5))
    assert s.reason == "unknown_organisation"
    with pytest.raises(ValidationFailed) as err:
        await standing.membership_standing(email="not-an-email")
    assert set(err.value.errors) == {"email"}


async def test_unknown_college_is_rejected_in_french_naming_the_field():
    with pytest.raises(ValidationFailed) as err:
        await register.create_organisation(name="Collège Six", college=6)
    assert err.value.errors == {"college": "Collège inconnu (choisissez de 1 à 5)."}
    assert await Organisation.count() == 0


async def test_organisation_validation_names_every_bad_field():
    with pytest.raises(ValidationFailed) as err:
        await register.create_organisation(
            name="  ", college=2, revenue_band="huge", email="nope", email_domain="gmail.com"
        )
    assert set(err.value.errors) == {"name", "revenue_band", "email", "email_domain"}
    assert err.value.errors["name"] == "Le nom est obligatoire."
    await make_org(name="Label Volcan", domain="volcan.fr")
    with pytest.raises(ValidationFailed) as err:
        await register.create_organisation(name="label volcan", college=1, email_domain="VOLCAN.fr")
    assert set(err.value.errors) == {"name", "email_domain"}
    assert await Organisation.count() == 1


async def test_update_organisation_and_person():
    org = await make_org()
    other = await make_org(name="Other")
    updated = await register.update_organisation(org.id, {"college": 3, "website": "volcan.fr"})
    assert (updated.college, updated.website) == (3, "https://volcan.fr")
    with pytest.raises(ValidationFailed) as err:
        await register.update_organisation(org.id, {"name": "OTHER"})
    assert "name" in err.value.errors
    person = await people.create_person(first_name="A", last_name="B", email="a@b.fr", organisation_id=org.id)
    await people.create_person(first_name="C", last_name="D", email="c@d.fr")
    with pytest.raises(ValidationFailed) as err:
        await people.update_person(person.id, {"email": "C@D.fr", "organisation_id": 12345})
    assert set(err.value.errors) == {"email", "organisation_id"}
    moved = await people.update_person(person.id, {"organisation_id": other.id, "role": "Directrice"})
    assert (moved.organisation, moved.role) == (other.id, "Directrice")


async def test_person_validation():
    with pytest.raises(ValidationFailed) as err:
        await people.create_person(first_name="", last_name="Dupont", email="bad@", locale="de")
    assert set(err.value.errors) == {"first_name", "email", "locale"}
    assert err.value.errors["email"] == "Cette adresse e-mail n’est pas valide."


async def test_payment_validation():
    org = await make_org()
    with pytest.raises(ValidationFailed) as err:
        await standing.record_membership_payment(org.id, 1999, date(2999, 1, 1))
    assert set(err.value.errors) == {"year", "paid_on"}
    assert await MembershipYear.count() == 0


async def test_list_and_search():
    await make_org(name="Label Volcan", college=1)
    await make_org(name="Studio Image", college=2)
    assert [o.name for o in await register.list_organisations(search="volc")] == ["Label Volcan"]
    assert [o.name for o in await register.list_organisations(college=2)] == ["Studio Image"]
    with pytest.raises(ValidationFailed):
        await register.list_organisations(college=7)


async def test_concurrent_payments_for_one_year_leave_one_row():
    import asyncio

    org = await make_org()
    results = await asyncio.gather(
        *(standing.record_membership_payment(org.id, 2025, date(2025, 3, 1)) for _ in range(5))
    )
    assert sum(r.created for r in results) == 1
    assert await MembershipYear.count().where(MembershipYear.organisation == org.id) == 1


async def test_standing_on_an_instant_uses_the_paris_calendar_day():
    from datetime import datetime

    org = await make_org()
    await standing.record_membership_payment(org.id, 2026, date(2026, 1, 1))
    # 31 Dec 2025 23:30 UTC is already 1 January 2026 in Paris
    instant = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
    s = await standing.membership_standing(organisation_id=org.id, on=instant)
    assert s.in_good_standing and s.year == 2026
