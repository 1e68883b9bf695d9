"""Every HTML page at 360 px (a small phone) in headless chromium: nothing wider than the screen.

The pages come from the app's own route table, so a new page cannot escape the check: each GET route
is either visited (with the parameter values below) or named in NOT_PAGES with the reason. The data is
the demo (loaded by the live-server fixture) plus what the services add here so that every page has
content: an order with a ticket, a speed-meeting run (a grid), a paired door device, sign-in links.

Each page is visited as who would see it (anonymous visitor, signed-in attendee, staff admin) and
screenshotted at 360 px and 1366 px into /tmp/css-shots/ (outside the repository) for a human look.
"""

from __future__ import annotations

import re
from pathlib import Path

import anyio
import pytest

from tests.plugin import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/css-shots")
ATTENDEE = "camille.roux@label-volcanique.example"  # a demo producer of the MIMA speed-meeting

# GET routes that are not HTML pages someone reads in a browser.
NOT_PAGES: dict[str, str] = {
    "/door-sw.js": "the door's service worker (JavaScript)",
    "/staff/checkin/events/{event_id:int}/counters": "htmx fragment inside the staff door page",
    "/stands/logo/{profile_id:int}": "an exhibitor's logo (image)",
    "/juries/stills/{entry_id:int}": "a film's still (image)",
    "/staff/figures/csv/{table:str}": "a table of the year's figures (CSV file)",
    "/staff/projects/{project_id:int}/documents/{document_id:int}": "a project's document (PDF file)",
    "/juries/{call_id:int}/catalogue/stills/{entry_id:int}": "a film's still in the public catalogue (image)",
    "/hackathon/{edition_id:int}/images/{name:str}": "a hackathon project's image",
}
# Pages whose honest answer on the demo is a refusal (400/404): their error page is checked like any other.
REFUSAL_IS_THE_PAGE = {
    "/tickets/confirm/{token:str}",  # a made-up confirmation link
    "/juries/{call_id:int}/catalogue",  # the demo's Court d'Ici programme is not published yet
}
# Content-Security-Policy violations (an inline <style> or style="" the policy blocks) fail too: the
# page would look different from what its template says.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""
FILE_SUFFIX = re.compile(r"\.(ics|pdf|csv|js|png|json)$")


def page_routes() -> set[str]:
    """The GET routes of the app that answer HTML pages (not the API, files, docs or static files)."""
    from litestar.routes import HTTPRoute

    from server.app import create_app

    paths = set()
    for route in create_app().routes:
        if not isinstance(route, HTTPRoute):
            continue
        if not any("GET" in h.http_methods for h in route.route_handlers):
            continue
        path = route.path
        if path.startswith(("/api/", "/static/", "/schema")) or FILE_SUFFIX.search(path):
            continue
        paths.add(path)
    return paths


@pytest.fixture
def site(live_server) -> dict:  # before the browser starts: Playwright runs its own event loop
    async def build() -> dict:
        from accounts.services import request_login_link
        from checkin import services as door
        from events.tables import Event
        from events.tables import Session as EventSession
        from juries.tables import Call, Entry, Juror
        from members.tables import Organisation
        from projects.tables import Project
        from scheduling import planning
        from scheduling.tables import MeetingProgramme
        from stands.tables import FloorPlan, Stand
        from ticketing.orders import place_order
        from ticketing.tables import TicketType

        event = await Event.objects().where(Event.slug == "mima-2027").first()
        types = await TicketType.objects().where(TicketType.event == event.id).order_by(TicketType.id)
        paid = next(t for t in types if t.price_cents > 0 and not t.staff_only)
        session = await EventSession.objects().where(EventSession.event == event.id).first()
        org = await Organisation.objects().order_by(Organisation.id).first()
        placed = await place_order(
            event_id=event.id,
            buyer={"name": "Camille Roux", "email": ATTENDEE, "organisation": "Label Volcanique"},
            items=[{"ticket_type": paid.id, "quantity": 1}],
        )
        programme = await MeetingProgramme.objects().where(MeetingProgramme.event == event.id).first()
        await planning.run(programme.id, time_limit=20)
        device, _token = await door.authorise_device(event.id, "Téléphone 1, entrée principale")
        pairing = await door.issue_pairing(event.id, device.id)
        sign_in = await request_login_link(ATTENDEE, next_url="/me")
        shown_link = await request_login_link(ATTENDEE, next_url="/me")
        call = await Call.objects().where(Call.slug == "le-court-dici-2027").first()
        entry = await Entry.objects().where(Entry.call == call.id).order_by(Entry.id).first()
        juror = await Juror.objects().where(Juror.call == call.id).order_by(Juror.id).first()
        plan = await FloorPlan.objects().where(FloorPlan.event == event.id).first()
        stand = await Stand.objects().where(Stand.plan == plan.id).order_by(Stand.id).first()
        project = await Project.objects().order_by(Project.id).first()
        from hackathon.common import new_token
        from hackathon.tables import Edition, HackParticipant, Team
        from hackathon.teams import invite_token

        edition = await Edition.objects().first()
        member = await HackParticipant.objects().where(HackParticipant.team.is_not_null()).first()
        personal, digest = new_token()  # the demo's personal links were emailed: give one a known link
        await HackParticipant.update({HackParticipant.access_hash: digest}).where(
            HackParticipant.id == member.id
        )
        team = await Team.objects().where(Team.id == member.team).first()
        # the juror and the film's submitter sign in by their own links
        juror_link = await request_login_link(juror.email, next_url="/me")
        submitter_link = await request_login_link(entry.submitter_email, next_url="/me")
        # a sale opening in an hour behind its waiting room (the visitor takes a place)
        from datetime import UTC, datetime, timedelta

        from ticketing import waiting_room

        rush = await Event.objects().where(Event.slug != event.slug).order_by(Event.id).first()
        opens = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        await waiting_room.configure(rush.id, {"opens_at": opens, "admit_per_second": 20})
        return {
            "queue_event_id": rush.id,
            "event_id": event.id,
            "slug": event.slug,
            "session_id": session.id,
            "type_id": paid.id,
            "org_id": org.id,
            "token": placed.order.token,
            "programme_id": programme.id,
            "code": pairing.code,
            "sign_in": sign_in.token,
            "link": shown_link.token,
            "call_id": call.id,
            "entry_id": entry.id,
            "stand_id": stand.id,
            "sign_in_juror": juror_link.token,
            "sign_in_submitter": submitter_link.token,
            "project_id": project.id,
            "edition_id": edition.id,
            "personal": personal,
            "invite": invite_token(team),
        }

    return anyio.run(build)


def visits(s: dict) -> dict[str, tuple[str, str]]:
    """Route -> (who visits it, concrete URL). who: public, attendee, juror, submitter or staff."""
    e, p, c = s["event_id"], s["programme_id"], s["call_id"]
    return {
        "/stands/{event_id:int}": ("public", f"/stands/{e}"),
        "/stands/{event_id:int}/exhibitors": ("public", f"/stands/{e}/exhibitors"),
        "/stands/{event_id:int}/stand/{stand_id:int}": ("attendee", f"/stands/{e}/stand/{s['stand_id']}"),
        "/stands/bookings": ("attendee", "/stands/bookings"),
        "/stands/fairs": ("attendee", "/stands/fairs"),
        "/staff/stands": ("staff", "/staff/stands"),
        "/staff/stands/fairs": ("staff", "/staff/stands/fairs"),
        "/staff/dues": ("staff", "/staff/dues"),
        "/dues": ("attendee", "/dues"),
        "/commissions": ("attendee", "/commissions"),
        "/staff/commissions": ("staff", "/staff/commissions"),
        "/staff/stands/{event_id:int}": ("staff", f"/staff/stands/{e}"),
        "/juries/{call_id:int}/catalogue": ("public", f"/juries/{c}/catalogue"),
        "/juries/{call_id:int}/submit": ("submitter", f"/juries/{c}/submit"),
        "/juries/{call_id:int}/entries/{entry_id:int}": ("submitter", f"/juries/{c}/entries/{s['entry_id']}"),
        "/juries/{call_id:int}/jury": ("juror", f"/juries/{c}/jury"),
        "/staff/juries": ("staff", "/staff/juries"),
        "/staff/juries/{call_id:int}": ("staff", f"/staff/juries/{c}"),
        "/staff/juries/{call_id:int}/programme": ("staff", f"/staff/juries/{c}/programme"),
        "/staff/projects": ("staff", "/staff/projects"),
        "/hackathon/{edition_id:int}": ("public", f"/hackathon/{s['edition_id']}"),
        "/hackathon/{edition_id:int}/results": ("public", f"/hackathon/{s['edition_id']}/results"),
        "/hackathon/me/{token:str}": ("public", f"/hackathon/me/{s['personal']}"),
        "/hackathon/join/{invite:str}": ("public", f"/hackathon/join/{s['invite']}"),
        "/staff/hackathon": ("staff", "/staff/hackathon"),
        "/staff/hackathon/{edition_id:int}": ("staff", f"/staff/hackathon/{s['edition_id']}"),
        "/staff/hackathon/{edition_id:int}/formation": (
            "staff",
            f"/staff/hackathon/{s['edition_id']}/formation",
        ),
        "/staff/hackathon/{edition_id:int}/pitch": ("staff", f"/staff/hackathon/{s['edition_id']}/pitch"),
        "/staff/figures": ("staff", "/staff/figures?year=2027"),
        "/staff/projects/{project_id:int}": ("staff", f"/staff/projects/{s['project_id']}"),
        "/": ("public", "/"),
        "/events": ("public", "/events"),
        "/events/{slug:str}": ("public", f"/events/{s['slug']}"),
        "/events/{event_id:int}/tickets": ("public", f"/events/{e}/tickets"),
        "/events/{event_id:int}/queue": ("public", f"/events/{s['queue_event_id']}/queue"),
        "/orders/{token:str}": ("public", f"/orders/{s['token']}"),
        "/orders/{token:str}/pay": ("public", f"/orders/{s['token']}/pay"),
        "/orders/{token:str}/return": ("public", f"/orders/{s['token']}/return"),
        "/tickets/confirm/{token:str}": ("public", "/tickets/confirm/no-such-confirmation-link"),
        "/auth/login": ("public", "/auth/login"),
        "/auth/link": ("public", "/auth/link"),
        "/auth/link/{token:str}": ("public", f"/auth/link/{s['link']}"),
        "/door": ("public", "/door"),
        "/door/pair": ("public", "/door/pair"),
        "/door/pair/{code:str}": ("public", f"/door/pair/{s['code']}"),
        "/me": ("attendee", "/me"),
        "/meetings": ("attendee", "/meetings"),
        "/meetings/{programme_id:int}": ("attendee", f"/meetings/{p}"),
        "/meetings/{programme_id:int}/agenda": ("attendee", f"/meetings/{p}/agenda"),
        "/meetings/{programme_id:int}/catalogue": ("attendee", f"/meetings/{p}/catalogue"),
        "/meetings/{programme_id:int}/register": ("attendee", f"/meetings/{p}/register"),
        "/staff": ("staff", "/staff"),
        "/staff/users": ("staff", "/staff/users"),
        "/staff/events": ("staff", "/staff/events"),
        "/staff/events/new": ("staff", "/staff/events/new"),
        "/staff/events/{event_id:int}": ("staff", f"/staff/events/{e}"),
        "/staff/events/{event_id:int}/edit": ("staff", f"/staff/events/{e}/edit"),
        "/staff/events/{event_id:int}/duplicate": ("staff", f"/staff/events/{e}/duplicate"),
        "/staff/events/{event_id:int}/programme": ("staff", f"/staff/events/{e}/programme"),
        "/staff/events/{event_id:int}/sessions/{session_id:int}/edit": (
            "staff",
            f"/staff/events/{e}/sessions/{s['session_id']}/edit",
        ),
        "/staff/events/{event_id:int}/sales": ("staff", f"/staff/events/{e}/sales"),
        "/staff/events/{event_id:int}/ticket-types/{type_id:int}": (
            "staff",
            f"/staff/events/{e}/ticket-types/{s['type_id']}",
        ),
        "/staff/members": ("staff", "/staff/members"),
        "/staff/members/new": ("staff", "/staff/members/new"),
        "/staff/members/import": ("staff", "/staff/members/import"),
        "/staff/members/{org_id:int}": ("staff", f"/staff/members/{s['org_id']}"),
        "/members/space": ("attendee", "/members/space"),
        "/members/space/{organisation_id:int}": ("attendee", f"/members/space/{s['org_id']}"),
        "/staff/tickets": ("staff", "/staff/tickets"),
        "/staff/tickets/events/{event_id:int}": ("staff", f"/staff/tickets/events/{e}"),
        "/staff/checkin": ("staff", "/staff/checkin"),
        "/staff/checkin/events/{event_id:int}": ("staff", f"/staff/checkin/events/{e}"),
        "/staff/meetings": ("staff", "/staff/meetings"),
        "/staff/meetings/{programme_id:int}": ("staff", f"/staff/meetings/{p}"),
        "/staff/meetings/{programme_id:int}/participants": ("staff", f"/staff/meetings/{p}/participants"),
        "/staff/meetings/{programme_id:int}/grid": ("staff", f"/staff/meetings/{p}/grid"),
        "/staff/meetings/{programme_id:int}/deals": ("staff", f"/staff/meetings/{p}/deals"),
        "/staff/meetings/{programme_id:int}/run": ("staff", f"/staff/meetings/{p}/run"),
        "/staff/meetings/{programme_id:int}/publish": ("staff", f"/staff/meetings/{p}/publish"),
    }


def shot_name(url: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", url.split("?")[0]).strip("_") or "home"


def test_every_page_fits_a_360px_phone(live_server, site):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make system-deps installs it)")
    plan = visits(site)
    routes = page_routes()
    unplanned = routes - set(plan) - set(NOT_PAGES)
    assert not unplanned, f"pages with no visit planned (add them to visits() or NOT_PAGES): {unplanned}"
    gone = set(plan) - routes
    assert not gone, f"visits planned for routes that no longer exist: {gone}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    overflow: list[str] = []
    broken: list[str] = []
    blocked: list[str] = []

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = {}
            for who in ("public", "attendee", "juror", "submitter", "staff"):
                # the attendee's phone prefers dark: the site stays in its own (light) colours
                scheme = "dark" if who == "attendee" else "light"
                context = browser.new_context(
                    locale="fr-FR", viewport={"width": 360, "height": 740}, color_scheme=scheme
                )
                context.add_init_script(WATCH_CSP)
                page = context.new_page()
                page.set_default_timeout(15000)
                pages[who] = page
            # the attendee signs in with a one-time link, the staff member with the password
            attendee = pages["attendee"]
            attendee.goto(f"{base}/auth/link/{site['sign_in']}")
            attendee.get_by_role("button", name="Continuer").click()
            attendee.wait_for_url(f"{base}/me")
            for who in ("juror", "submitter"):
                pages[who].goto(f"{base}/auth/link/{site['sign_in_' + who]}")
                pages[who].get_by_role("button", name="Continuer").click()
                pages[who].wait_for_url(f"{base}/me")
            staff = pages["staff"]
            staff.goto(f"{base}/auth/login?next=/staff")
            staff.fill("#email", live_server.admin_email)
            staff.fill("#password", live_server.admin_password)
            staff.get_by_role("button", name=re.compile("connecter", re.I)).click()
            staff.wait_for_url(f"{base}/staff")

            for route, (who, url) in sorted(plan.items(), key=lambda item: item[1]):
                page = pages[who]
                page.set_viewport_size({"width": 360, "height": 740})
                response = page.goto(base + url)
                page.wait_for_load_state("load")
                status = response.status if response else 0
                if status >= 400 and not (status in (400, 404) and route in REFUSAL_IS_THE_PAGE):
                    broken.append(f"{url} ({who}): HTTP {status}")
                if who != "public" and "/auth/" in page.url:
                    broken.append(f"{url} ({who}): sent to sign in ({page.url})")
                for violation in page.evaluate("window.__csp || []"):
                    blocked.append(f"{url} ({who}): {violation}")
                widths = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                name = shot_name(url)
                page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
                if widths[0] > widths[1]:
                    overflow.append(f"{url} ({who}): {widths[0]} px wide at {widths[1]} px")
                page.set_viewport_size({"width": 1366, "height": 900})
                page.screenshot(path=str(SHOTS / f"{name}-1366.png"), full_page=True)
                wide = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                if wide[0] > wide[1]:
                    overflow.append(f"{url} ({who}): {wide[0]} px wide at {wide[1]} px")
        finally:
            browser.close()

    assert not broken, "pages that did not open:\n" + "\n".join(broken)
    assert not blocked, "Content-Security-Policy violations:\n" + "\n".join(blocked)
    assert not overflow, "pages wider than the screen:\n" + "\n".join(overflow)
