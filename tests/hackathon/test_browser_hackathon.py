"""Culture Experience Days in headless Debian chromium, on the live server with the demo data: a participant
registers on a phone through a team's invitation link and joins the team; the team submits its project;
a juror rates it on the rubric; staff close the round, select it and turn it into an accompanied project."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from tests.juries.test_browser_court import db
from tests.plugin import assert_no_horizontal_overflow

pytestmark = pytest.mark.browser
JUROR = "jury.hackathon@festival.example"


async def _edition_with_a_team() -> dict:
    """A new edition (the demo's is full and judged): two members' people registered, one team of them."""
    from hackathon import editions, registration, teams
    from members.standing import membership_standing
    from members.tables import Organisation, Person
    from tests.ticketing.factories import make_event

    event = await make_event(
        capacity=None,
        days=20,
        kind="ced",
        title="Culture Experience Days 2028",
        title_en="Culture Experience Days 2028",
        slug="ced-2028-browser",
    )
    edition = await editions.create_edition(
        event.id,
        {
            "capacity": 10,
            "min_team_size": 2,
            "max_team_size": 4,
            "submission_deadline": event.starts_at + timedelta(days=2),
        },
    )
    members = []
    for org in await Organisation.objects().order_by(Organisation.id, ascending=False):
        person = await Person.objects().where(Person.organisation == org.id).first()
        if person and (await membership_standing(organisation_id=org.id)).in_good_standing:
            members.append((org, person))
        if len(members) == 2:
            break
    people = [
        (
            await registration.register(
                edition.id,
                {
                    "name": f"{p.first_name} {p.last_name}",
                    "email": p.email,
                    "organisation": o.name,
                    "role": role,
                },
            )
        ).participant
        for (o, p), role in zip(members, ("artist", "developer"), strict=True)
    ]
    created = await teams.create_team(people[0], {"name": "Les Volcans"})
    await teams.join_team(people[1], created.invite_token)
    return {"edition": edition.id, "invite": teams.invite_path(created.invite_token), "team": created.team.id}


async def _open_jury(edition_id: int) -> tuple[int, str]:
    """The jury call with its round open and assigned, and the juror's sign-in link (as invited)."""
    from accounts.services import request_login_link
    from hackathon import judging
    from juries import jurors, rounds

    call = await judging.ensure_call(edition_id)
    await jurors.invite_juror(call.id, {"email": JUROR, "name": "Juré Invité"})
    round_ = await judging.open_round(edition_id)
    await rounds.assign_round(round_.id, 1)
    link = await request_login_link(JUROR, next_url=f"/juries/{call.id}/jury")
    return call.id, link.token


def test_hackathon_from_the_invitation_link_to_the_accompanied_project(live_server, browser_page, tmp_path):
    from hackathon.tables import HackParticipant, Submission
    from projects.tables import Project

    page, base = browser_page, live_server.url
    setup = db(_edition_with_a_team)

    # -- on a phone: the invitation link, the registration, the team
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(base + setup["invite"])
    assert "Les Volcans" in page.content()
    page.get_by_test_id("register-to-join").click()
    page.wait_for_load_state()
    page.get_by_test_id("name").fill("Zoé Lambert")
    page.get_by_test_id("email").fill("zoe.lambert@example.org")
    page.get_by_test_id("role").select_option("designer")
    page.get_by_test_id("skills").fill("ux, scénographie")
    assert_no_horizontal_overflow(page, tmp_path / "register-360.png")
    page.get_by_test_id("register").click()
    page.wait_for_load_state()
    assert "/hackathon/me/" in page.url, page.url
    assert page.get_by_test_id("team-name").inner_text().startswith("Les Volcans")
    zoe = db(
        lambda: HackParticipant.objects().where(HackParticipant.email == "zoe.lambert@example.org").first()
    )
    assert zoe.status == "accepted" and zoe.team == setup["team"]

    # -- the team submits its project from the phone
    page.get_by_test_id("s-title").fill("Lave sonore")
    page.get_by_test_id("s-pitch").fill("Le public sculpte le son du concert avec ses gestes.")
    page.get_by_test_id("s-prototype").fill("https://lave-sonore.example")
    page.get_by_test_id("submit-project").click()
    page.wait_for_load_state()
    assert_no_horizontal_overflow(page, tmp_path / "me-360.png")
    submission = db(lambda: Submission.objects().where(Submission.team == setup["team"]).first())
    assert submission is not None and submission.title == "Lave sonore"

    # -- a juror rates it on the rubric
    call_id, token = db(lambda: _open_jury(setup["edition"]))
    page.context.clear_cookies()
    page.goto(f"{base}/auth/link/{token}")
    page.locator("form button[type='submit']").click()
    page.wait_for_load_state()
    assert f"/juries/{call_id}/jury" in page.url, page.url
    entry_id = page.locator("[data-testid^='save-']").first.get_attribute("data-testid").split("-")[1]
    for criterion, mark in (("innovation", "9"), ("feasibility", "7"), ("impact", "8"), ("team", "8")):
        page.get_by_test_id(f"mark-{entry_id}-{criterion}").fill(mark)
    page.get_by_test_id(f"save-{entry_id}").click()
    page.wait_for_load_state()
    assert page.get_by_test_id(f"saved-{entry_id}").is_visible()

    # -- staff close the round, select the project and accompany it
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/auth/login")
    page.locator("input[name='email']").fill(live_server.admin_email)
    page.locator("input[name='password']").fill(live_server.admin_password)
    page.locator("form[action='/auth/login'] button[type='submit']").click()
    page.wait_for_load_state()
    page.goto(f"{base}/staff/juries/{call_id}")
    page.get_by_test_id("close-round-1").click()
    page.wait_for_load_state()
    page.get_by_test_id("select-1").click()
    page.wait_for_load_state()
    page.goto(f"{base}/staff/hackathon/{setup['edition']}")
    page.get_by_test_id(f"accompany-{submission.id}").click()
    page.wait_for_load_state()
    assert "/staff/projects/" in page.url, page.content()[:3000]
    project = db(lambda: Project.objects().where(Project.title == "Lave sonore").first())
    assert project is not None and project.origin == "hackathon" and project.hackathon_team == "Les Volcans"
    assert "Lave sonore" in page.content()

    # -- staff sign the convention when the project waits for it, log support hours and bill them
    if page.locator("#c-on").count():
        page.locator("#c-on").fill(date.today().isoformat())
        page.locator("form[action$='/accept'] button[type='submit']").click()
        page.wait_for_load_state()
    page.locator("#h-worked_on").fill(date.today().isoformat())
    page.locator("#h-who").fill("Chargée de projets")
    page.locator("#h-what").fill("Atelier de cadrage du prototype")
    page.locator("#h-hours").fill("12")
    page.locator("form[action$='/hours'] button[type='submit']").click()
    page.wait_for_load_state()
    assert "12 h" in page.get_by_test_id("hours-total").inner_text()
    page.locator("form[action$='/bill'] button[type='submit']").click()
    page.wait_for_load_state()
    bill = page.locator("[data-testid^='bill-']").first
    assert bill.is_visible(), page.content()[:3000]
    invoice_link = bill.locator("a[href$='invoice.pdf']").first.get_attribute("href")
    pdf = page.request.get(base + invoice_link)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "35,00" in text  # 12 h: under 35 h, billed at 35 €/h (projects/hours.py)
