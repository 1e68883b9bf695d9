"""The year's figures through the real stack: a worked year built through the domains, the dashboard's
numbers against the hand-computed ones, the activity report PDF read back with pypdf, the CSV exports,
and who may see them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from figures import compute
from lib.i18n import current_locale
from tests.figures.worked import EXPECTED, YEAR, build
from tests.ticketing.helpers import staff_login


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


@pytest.fixture
async def worked(mailbox):  # noqa: ARG001 (the dues and agendas are emailed)
    return await build()


async def test_the_worked_year_gives_the_hand_computed_figures(worked):
    assert worked["statuses"].count("ok") == 4  # 3 at MIMA, 1 at the workshop; a duplicate and a refusal
    figures = await compute.year_figures(YEAR)
    for section, values in EXPECTED.items():
        got = {key: figures.section(section).value(key) for key in values}
        assert got == values, section
    college = figures.table("members_by_college")
    assert college.column("organisations") == [1, 2, 0, 0, 0]
    per_event = figures.table("events")
    assert per_event.column("tickets") == [4, 2] and per_event.column("admitted") == [3, 1]
    assert per_event.column("no_shows") == [1, 1] and per_event.column("deals") == [2, 0]
    money = dict(
        zip(figures.table("money").column("source"), figures.table("money").column("amount"), strict=True)
    )
    assert money == {
        "Billets": 8000,
        "Stands": 45000,
        "Cotisations": 35000,
        "Accompagnement de projets": 43750,
        "Commissions": 4800,
        "Aide aux salons": 40000,
        "Frais d’experts pris en charge": 50000,
    }
    history = figures.table("money_history")
    assert history.rows[-1][0] == str(YEAR) and len(history.rows) == 10
    assert {c.key for c in figures.charts} == {"attendance", "deals", "money_in", "money_out"}
    assert figures.chart("attendance").series[1].values == (3, 1)


async def test_one_edition_has_its_own_figures(worked):
    figures = await compute.year_figures(YEAR, worked["mima"])
    assert not figures.has("members") and not figures.has("projects")
    assert figures.section("events").value("tickets") == 4
    assert figures.section("events").value("no_shows") == 1
    assert figures.section("meetings").value("deals") == 2
    assert figures.section("money").value("in") == 8000 + 45000 + 4800
    assert "trade_fairs" not in [t.key for t in figures.tables()]


async def test_the_dashboard_and_the_report_agree(client, worked):
    await staff_login(client)
    page = client.get(f"/staff/figures?year={YEAR}")
    assert page.status_code == 200
    text = normalise(page.text)
    assert "Les chiffres de" in text and 'data-testid="chart-attendance"' in page.text
    assert "<svg" in page.text and "<script" not in page.text.split("<main", 1)[-1].split("</main>")[0]
    report = client.get(f"/staff/figures/report.pdf?year={YEAR}")
    assert report.status_code == 200 and report.headers["content-type"] == "application/pdf"
    pdf = normalise(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages))
    assert f"Rapport d’activité {YEAR}" in pdf and "DRAC" in pdf and "Assemblée générale" in pdf
    token = current_locale.set("fr")
    try:
        figures = await compute.year_figures(YEAR)
        from figures.format import value

        shown = [(m.label, normalise(value(m.value, m.kind))) for s in figures.sections for m in s.metrics]
    finally:
        current_locale.reset(token)
    for label, number in shown:
        # the same figure, formatted the same way, on the page and in the PDF
        assert f"<dt>{label}</dt><dd>{number}</dd>" in normalise(page.text).replace("&#39;", "'"), label
        assert number in pdf, (label, number)
    for must in ("1 365,50 €", "900,00 €", "66,7 %", "12 h 30", f"MIMA {YEAR}"):
        assert must in pdf, must
        assert must in text, must


async def test_a_hackathon_year_from_participants_to_the_project_taken_on(client):
    from hackathon import accompany, judging, submissions, teams
    from hackathon.registration import role_label
    from hackathon.tables import HackParticipant
    from juries import results
    from juries.tables import Entry, Round
    from tests.hackathon.factories import edition, register
    from tests.stands.factories import member

    _alpha, alpha_email = await member("Studio Alpha")
    await member("Label Beta")
    ed = await edition(capacity=4, days=10)
    people = [(await register(ed, 1, email=alpha_email)).participant]
    people.append((await register(ed, 2, organisation="Label Beta")).participant)
    people += [(await register(ed, i)).participant for i in (3, 4, 5)]  # the fifth waits: capacity 4
    fresh = [await HackParticipant.objects().where(HackParticipant.id == p.id).first() for p in people]
    assert [p.status for p in fresh] == ["accepted"] * 4 + ["waiting"]
    submitted = []
    for a, b, name in ((fresh[0], fresh[1], "Alpha"), (fresh[2], fresh[3], "Gamma")):
        created = await teams.create_team(a, {"name": name})
        await teams.join_team(b, created.invite_token)
        a = await HackParticipant.objects().where(HackParticipant.id == a.id).first()
        submitted.append(
            await submissions.save_submission(a, {"title": f"Projet {name}", "pitch": "Un pitch."})
        )
    await judging.ensure_call(ed.id)
    round_ = await judging.open_round(ed.id)
    await Round.update({Round.status: "closed"}).where(Round.id == round_.id)
    alpha_entry = await Entry.objects().where(Entry.title == "Projet Alpha").first()
    await results.decide(round_.id, {"entry_ids": [alpha_entry.id]}, by="staff@ledamier.test")
    await accompany.accompany(submitted[0].id)

    figures = await compute.year_figures(YEAR)
    section = figures.section("hackathons")
    got = {k: section.value(k) for k in ("participants", "teams", "submitted", "selected", "accompanied")}
    assert got == {"participants": 4, "teams": 2, "submitted": 2, "selected": 1, "accompanied": 1}
    assert figures.table("hackathons").column("participants") == [4]
    # the factory's roles: 1 developer, 2 designer, 3 researcher, 4 technician (5, an artist, waits)
    roles = figures.table("hackathon_roles")
    assert dict(zip(roles.column("role"), roles.column("participants"), strict=True)) == {
        role_label(r): 1 for r in ("researcher", "technician", "developer", "designer")
    }
    await staff_login(client)
    page = normalise(client.get(f"/staff/figures?year={YEAR}").text)
    assert "<dt>Participants au hackathon</dt><dd>4</dd>" in page
    assert "<dt>Projets accompagnés par le cluster</dt><dd>1</dd>" in page
    report = client.get(f"/staff/figures/report.pdf?year={YEAR}")
    pdf = normalise(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.content)).pages))
    assert "Participants au hackathon" in pdf and "Projets accompagnés par le cluster" in pdf


async def test_every_table_downloads_as_csv_with_formulas_neutralised(client, worked):
    from events.tables import Event

    await Event.update({Event.title: '=HYPERLINK("http://x")'}).where(Event.id == worked["cles"])
    await staff_login(client)
    page = client.get(f"/staff/figures?year={YEAR}")
    links = sorted(set(re.findall(r'href="(/staff/figures/csv/[a-z_]+\.csv\?year=\d+)"', page.text)))
    assert len(links) >= 9
    for link in links:
        r = client.get(link)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), link
    events = client.get(f"/staff/figures/csv/events.csv?year={YEAR}").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(events), delimiter=";"))
    assert rows[0][:4] == ["Événement", "Date", "Type", "Billets vendus"]
    assert rows[1][3:6] == ["4", "3", "1"] and rows[1][-1] == "80,00"
    assert rows[2][0].startswith("'=HYPERLINK")
    plain = client.get(f"/staff/figures/csv/money.csv?year={YEAR}&format=plain").text
    assert (
        plain.splitlines()[0] == "source,direction,amount"
        and "Commissions,In,48.00" in plain
        or "48.00" in plain
    )
    assert client.get(f"/staff/figures/csv/nothing.csv?year={YEAR}").status_code == 404


async def test_bad_input_is_refused_with_the_field_named(client):
    await staff_login(client)
    r = client.get("/staff/figures?year=deux-mille")
    assert r.status_code == 422 and "Indiquez une année de 2000 à 2100." in r.text
    r = client.get("/staff/figures/report.pdf?year=1800")
    assert r.status_code in (400, 422) and "year" in r.text
    assert client.get("/staff/figures?event=999999").status_code == 404
    r = client.get("/staff/figures?event=abc")
    assert r.status_code == 422 and "Choisissez un événement" in r.text
    assert client.get("/staff/figures?lang=en").status_code == 200


async def test_only_staff_see_the_figures(client, mailbox):
    from tests.auth import login_attendee

    for url in ("/staff/figures", "/staff/figures/report.pdf", "/staff/figures/csv/summary.csv"):
        assert client.get(url, follow_redirects=False).status_code in (302, 303, 401), url
    login_attendee(client, "someone@example.org", mailbox)
    for url in ("/staff/figures", "/staff/figures/report.pdf", "/staff/figures/csv/summary.csv"):
        assert client.get(url, follow_redirects=False).status_code in (302, 303, 401, 403), url
