"""The members JSON API over HTTP (real app, real database, staff signed in through the login form)."""

from __future__ import annotations

import csv
import io

from members.register_csv import COLUMNS
from tests.auth import login_staff
from tests.conftest import post, send

ORG = {"name": "Label Volcan", "college": 1, "revenue_band": "60k-250k", "email_domain": "volcan.fr"}


def create_org(client, **changes):
    r = post(client, "/api/organisations", json={**ORG, **changes})
    assert r.status_code == 201, r.text
    return r.json()


def test_anonymous_and_door_staff_are_refused(client):
    assert client.get("/api/organisations").status_code == 401
    assert client.get("/api/membership/standing?email=a@b.fr").status_code == 401
    assert client.get("/api/membership/export.csv").status_code == 401
    assert post(client, "/api/organisations", json=ORG).status_code == 401
    login_staff(client, role="door")
    assert client.get("/api/people").status_code == 403
    assert post(client, "/api/organisations", json=ORG).status_code == 403


def test_organisation_crud_payment_and_standing(client):
    login_staff(client)
    org = create_org(client)
    assert org["dues_cents"] == 31000 and org["college_name"] == "Musique"
    r = send(client, "PATCH", f"/api/organisations/{org['id']}", json={"city": "Cébazat"})
    assert r.status_code == 200 and r.json()["city"] == "Cébazat" and r.json()["name"] == "Label Volcan"
    create_org(client, name="Studio Image", college=2, email_domain="")
    assert [o["name"] for o in client.get("/api/organisations?college=2").json()] == ["Studio Image"]
    assert [o["name"] for o in client.get("/api/organisations?search=volc").json()] == ["Label Volcan"]

    r = post(client, f"/api/organisations/{org['id']}/payments", json={"year": 2025, "paid_on": "2025-02-10"})
    assert r.status_code == 200 and r.json()["created"] is True and r.json()["dues_cents"] == 31000
    again = post(
        client, f"/api/organisations/{org['id']}/payments", json={"year": 2025, "paid_on": "2025-02-10"}
    )
    assert again.status_code == 200 and again.json()["created"] is False
    detail = client.get(f"/api/organisations/{org['id']}").json()
    assert detail["membership_years"] == [{"year": 2025, "dues_cents": 31000, "paid_on": "2025-02-10"}]

    r = client.get("/api/membership/standing", params={"email": "Staff@Volcan.fr", "on": "2025-06-01"})
    body = r.json()
    assert r.status_code == 200 and body["in_good_standing"] is True
    assert (
        body["organisation"] == {"id": org["id"], "name": "Label Volcan"}
        and body["matched_by"] == "email_domain"
    )
    assert body["message"] == "Membre à jour de sa cotisation pour 2025."
    r = client.get(
        "/api/membership/standing",
        params={"organisation_id": org["id"], "on": "2026-01-05"},
        headers={"Accept-Language": "en"},
    )
    assert (
        r.json()["in_good_standing"] is False and r.json()["message"] == "The 2026 dues have not been paid."
    )
    assert client.get("/api/organisations/999").status_code == 404


def test_people_crud(client):
    login_staff(client)
    org = create_org(client)
    r = post(
        client,
        "/api/people",
        json={
            "first_name": "Anne",
            "last_name": "Dupont",
            "email": "Anne@Volcan.fr",
            "organisation_id": org["id"],
        },
    )
    assert r.status_code == 201, r.text
    person = r.json()
    assert person["email"] == "anne@volcan.fr"
    r = send(
        client, "PATCH", f"/api/people/{person['id']}", json={"role": "Directrice", "organisation_id": None}
    )
    assert r.status_code == 200 and r.json()["role"] == "Directrice" and r.json()["organisation_id"] is None
    assert client.get(f"/api/people/{person['id']}").json()["role"] == "Directrice"
    assert [p["email"] for p in client.get("/api/people?search=dupont").json()] == ["anne@volcan.fr"]
    dup = post(client, "/api/people", json={"first_name": "A", "last_name": "B", "email": "ANNE@volcan.fr"})
    assert dup.status_code == 422 and set(dup.json()["errors"]) == {"email"}


def test_validation_names_the_field_in_french_then_english(client):
    login_staff(client)
    r = post(client, "/api/organisations", json={**ORG, "college": 6})
    assert r.status_code == 422
    assert r.json()["errors"] == {"college": "Collège inconnu (choisissez de 1 à 5)."}
    r = post(client, "/api/organisations", json={**ORG, "college": 6}, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert r.json()["errors"] == {"college": "Unknown college (choose 1 to 5)."}
    org = create_org(client)
    r = send(
        client,
        "PATCH",
        f"/api/organisations/{org['id']}",
        json={"email": "not-an-email", "revenue_band": "x"},
        headers={"Accept-Language": "en"},
    )
    assert r.status_code == 422 and set(r.json()["errors"]) == {"email", "revenue_band"}
    assert r.json()["errors"]["email"] == "This email address is not valid."
    assert client.get(f"/api/organisations/{org['id']}").json()["revenue_band"] == "60k-250k"
    r = post(client, f"/api/organisations/{org['id']}/payments", json={"year": 1800})
    assert r.status_code == 422 and set(r.json()["errors"]) == {"year"}
    assert client.get("/api/membership/standing").status_code == 422


def test_import_export_over_http(client):
    login_staff(client)
    rows = [
        COLUMNS,
        (
            "Label Volcan",
            "1",
            "lt20k",
            "",
            "volcan.fr",
            "",
            "",
            "2025:2025-01-20",
            "Anne",
            "Dupont",
            "anne@volcan.fr",
            "",
        ),
        ("Studio Nord", "2", "gt250k", "", "", "", "", "", "", "", "", ""),
    ]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    r = post(
        client,
        "/api/membership/import",
        files={"file": ("register.csv", out.getvalue().encode(), "text/csv")},
    )
    assert r.status_code == 200, r.text
    assert r.json()["organisations_created"] == 2 and r.json()["people_created"] == 1

    export = client.get("/api/membership/export.csv", params={"format": "plain"})
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    assert not export.content.startswith("\ufeff".encode())  # plain: no BOM (French Excel has one)
    parsed = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [(r["organisation"], r["email"], r["paid_years"]) for r in parsed] == [
        ("Label Volcan", "anne@volcan.fr", "2025:2025-01-20"),
        ("Studio Nord", "", ""),
    ]
    r = post(client, "/api/membership/import", files={"file": ("again.csv", export.content, "text/csv")})
    assert r.status_code == 200 and r.json()["organisations_updated"] == 0 and r.json()["people_updated"] == 0

    bad = export.content.decode("utf-8-sig").replace("Studio Nord,2,", "Studio Nord,7,")
    r = post(
        client,
        "/api/membership/import",
        files={"file": ("bad.csv", bad.encode(), "text/csv")},
        headers={"Accept-Language": "en"},
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"line": 3, "field": "college", "message": "Unknown college (choose 1 to 5)."}
    ]
    assert [o["college"] for o in client.get("/api/organisations").json()] == [1, 2]


def test_import_requires_staff(client):
    r = post(client, "/api/membership/import", files={"file": ("x.csv", b"organisation\r\n", "text/csv")})
    assert r.status_code == 401
