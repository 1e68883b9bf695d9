"""Member register pages over HTTP: list with standing badge, organisation page, people, payments,
CSV import with its row-level report (nothing imported on a bad row) and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from members import register, standing
from members.tables import MembershipYear, Organisation, Person
from tests.auth import login_staff
from tests.backoffice.helpers import field_error, input_value, run, text_of, translated
from tests.conftest import post

HEADER = "organisation,college,revenue_band,org_email,email_domain,city,website,paid_years,first_name,last_name,email,role"


def this_year() -> int:
    return register.today().year


def make_orgs() -> tuple[Organisation, Organisation]:
    async def build() -> tuple[Organisation, Organisation]:
        paid = await register.create_organisation(
            name="Studio Volcan",
            college=2,
            revenue_band="20k-60k",
            city="Clermont-Ferrand",
            email_domain="studiovolcan.fr",
        )
        await standing.record_membership_payment(
            paid.id, register.today().year, date(register.today().year, 1, 2)
        )
        unpaid = await register.create_organisation(
            name="Label Puy", college=1, revenue_band="lt20k", city="Riom"
        )
        return paid, unpaid

    return run(build)


def counts() -> tuple[int, int, int]:
    async def count() -> tuple[int, int, int]:
        return await Organisation.count(), await Person.count(), await MembershipYear.count()

    return run(count)


def test_member_pages_render_for_staff(client) -> None:
    paid, unpaid = make_orgs()
    login_staff(client)
    for url in ["/staff/members", "/staff/members/new", f"/staff/members/{paid.id}", "/staff/members/import"]:
        r = client.get(url)
        assert r.status_code == 200, url
    r = client.get("/staff/members")
    assert f'data-testid="standing-{paid.id}" data-standing="yes"' in r.text
    assert f'data-testid="standing-{unpaid.id}" data-standing="no"' in r.text
    assert "À jour" in text_of(r.text)


def test_member_pages_refused_to_anonymous_and_door(client) -> None:
    paid, _ = make_orgs()
    urls = [
        "/staff/members",
        f"/staff/members/{paid.id}",
        "/staff/members/import",
        "/staff/members/export.csv",
    ]
    for url in urls:
        assert client.get(url, follow_redirects=False).status_code in (401, 303), url
    login_staff(client, role="door")
    for url in urls:
        assert client.get(url).status_code == 403, url
    r = post(client, f"/staff/members/{paid.id}/payments", data={"year": "2020"})
    assert r.status_code == 403
    assert counts() == (2, 0, 1)


def test_search_and_college_filter(client) -> None:
    paid, unpaid = make_orgs()
    login_staff(client)
    r = client.get("/staff/members?q=volcan")
    assert f'org-row-{paid.id}"' in r.text and f'org-row-{unpaid.id}"' not in r.text
    r = client.get("/staff/members?college=1")
    assert f'org-row-{unpaid.id}"' in r.text and f'org-row-{paid.id}"' not in r.text
    r = client.get("/staff/members?q=riom&college=2")
    assert 'data-testid="no-organisations"' in r.text


def test_create_and_edit_organisation(client) -> None:
    login_staff(client)
    form = {
        "name": "Cinéma Combray",
        "college": "2",
        "revenue_band": "60k-250k",
        "email": "",
        "email_domain": "combray.fr",
        "city": "Thiers",
        "website": "",
        "description": "",
    }
    r = post(client, "/staff/members/new", data=form, follow_redirects=False)
    assert r.status_code == 303
    org = run(lambda: Organisation.objects().first())
    assert (org.name, org.college, org.revenue_band) == ("Cinéma Combray", 2, "60k-250k")
    page = client.get(r.headers["location"])
    assert "310,00" in text_of(page.text)  # dues for 60-250 k€

    # an unknown college is refused, the input kept, nothing changed
    r = post(client, f"/staff/members/{org.id}", data={**form, "college": "9", "city": "Vichy"})
    assert r.status_code == 400
    assert field_error(r.text, "college") == translated("Unknown college (choose 1 to 5).", "fr")
    assert input_value(r.text, "city") == "Vichy"
    assert run(lambda: Organisation.objects().first()).city == "Thiers"

    r = post(client, f"/staff/members/{org.id}", data={**form, "city": "Vichy"}, follow_redirects=False)
    assert r.status_code == 303
    assert run(lambda: Organisation.objects().first()).city == "Vichy"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_add_person_with_bad_email_then_good(client, lang: str) -> None:
    paid, _ = make_orgs()
    login_staff(client)
    suffix = "?lang=en" if lang == "en" else ""
    url = f"/staff/members/{paid.id}/people{suffix}"
    person = {
        "first_name": "Anne",
        "last_name": "Martin",
        "email": "pas-un-email",
        "role": "Productrice",
        "phone": "",
        "locale": "fr",
    }
    r = post(client, url, data=person)
    assert r.status_code == 400
    assert field_error(r.text, "email") == translated("This email address is not valid.", lang)
    assert input_value(r.text, "first_name") == "Anne"
    assert counts()[1] == 0
    r = post(client, url, data={**person, "email": "anne@studiovolcan.fr"}, follow_redirects=True)
    assert r.status_code == 200
    assert "anne@studiovolcan.fr" in r.text
    saved = run(lambda: Person.objects().first())
    assert saved.organisation == paid.id and saved.role == "Productrice"


def test_record_payment_makes_organisation_in_good_standing(client) -> None:
    _, unpaid = make_orgs()
    login_staff(client)
    page = client.get(f"/staff/members/{unpaid.id}")
    assert 'data-standing="no"' in page.text
    url = f"/staff/members/{unpaid.id}/payments"
    r = post(client, url, data={"year": "1850", "paid_on": ""})
    assert r.status_code == 400 and field_error(r.text, "year")
    r = post(client, url, data={"year": str(this_year()), "paid_on": "2999-01-01"})
    assert r.status_code == 400 and field_error(r.text, "paid_on")
    assert counts()[2] == 1
    r = post(client, url, data={"year": str(this_year()), "paid_on": ""}, follow_redirects=True)
    assert r.status_code == 200
    assert 'data-testid="standing" data-standing="yes"' in r.text
    assert run(standing.is_member_in_good_standing, organisation_id=unpaid.id)
    row = run(lambda: MembershipYear.objects().where(MembershipYear.organisation == unpaid.id).first())
    assert row.dues_cents == 22000 and row.paid_on == register.today()


def upload(client, content: str, lang: str = "fr"):
    suffix = "?lang=en" if lang == "en" else ""
    return post(
        client,
        "/staff/members/import" + suffix,
        files={"file": ("adherents.csv", content.encode("utf-8"), "text/csv")},
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_import_with_a_bad_row_shows_report_and_imports_nothing(client, lang: str) -> None:
    login_staff(client)
    content = "\n".join(
        [
            HEADER,
            "Studio Volcan,2,20k-60k,,studiovolcan.fr,Clermont-Ferrand,,2026,Anne,Martin,anne@studiovolcan.fr,Productrice",
            "Label Puy,7,lt20k,,,Riom,,,Paul,Durand,paul@labelpuy.fr,",
        ]
    )
    r = upload(client, content, lang)
    assert r.status_code == 400
    assert 'data-testid="import-report"' in r.text
    assert 'data-line="3" data-field="college"' in r.text
    assert translated("Unknown college (choose 1 to 5).", lang) in text_of(r.text)
    assert counts() == (0, 0, 0)


def test_import_ok_shows_counts_and_export_downloads(client) -> None:
    login_staff(client)
    content = "\n".join(
        [
            HEADER,
            f"Studio Volcan,2,20k-60k,,studiovolcan.fr,Clermont-Ferrand,,{this_year()},Anne,Martin,anne@studiovolcan.fr,Productrice",
            f"Studio Volcan,2,20k-60k,,studiovolcan.fr,Clermont-Ferrand,,{this_year()},Marc,Roux,marc@studiovolcan.fr,Monteur",
            "Label Puy,1,lt20k,,,Riom,,,,,,",
        ]
    )
    r = upload(client, content)
    assert r.status_code == 200, r.text[-2000:]
    assert 'data-testid="import-result"' in r.text
    text = text_of(r.text)
    assert "3 ligne(s)" in text or "3" in text
    assert counts() == (2, 2, 1)

    r = client.get("/staff/members/export.csv?format=plain")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row["email"] for row in rows} == {"anne@studiovolcan.fr", "marc@studiovolcan.fr", ""}
    assert {row["organisation"] for row in rows} == {"Studio Volcan", "Label Puy"}
    # the export imports back unchanged
    r = upload(client, r.content.decode("utf-8-sig"))
    assert r.status_code == 200 and counts() == (2, 2, 1)


def test_import_without_file_is_a_field_error(client) -> None:
    login_staff(client)
    r = post(client, "/staff/members/import", files={"file": ("vide.csv", b"", "text/csv")})
    assert r.status_code == 400
    assert field_error(r.text, "file")


def test_dashboard_counts_members_in_good_standing(client) -> None:
    make_orgs()
    login_staff(client)
    r = client.get("/staff")
    assert r.status_code == 200
    assert f"1 structures sur 2 ont payé leur cotisation {this_year()}." in text_of(r.text)


def test_unknown_organisation_is_an_html_404(client) -> None:
    login_staff(client)
    r = client.get("/staff/members/999", headers={"accept": "text/html"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")


def test_export_for_french_excel_uses_semicolons(client) -> None:
    make_orgs()
    login_staff(client)
    for url in ("/staff/members/export.csv?delimiter=semicolon", "/staff/members/export.csv"):
        r = client.get(url)
        assert r.status_code == 200
        header = r.content.decode("utf-8-sig").splitlines()[0]
        assert header.startswith("Structure;Collège;Tranche de CA;")
