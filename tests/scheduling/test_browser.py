"""End to end in headless Debian chromium against the real server: a producer signs in with a one-time
link read from the real SMTP mailbox and picks wishes in the catalogue; staff run and publish the
schedule; the producer sees the agenda and downloads its .ics."""

from __future__ import annotations

import re

import anyio
import pytest
from icalendar import Calendar

from scheduling import services
from tests.auth import link_from_message
from tests.scheduling.factories import participant, programme


@pytest.fixture
def meeting_data(live_server) -> dict:  # before the browser starts: Playwright runs its own loop
    async def build() -> dict:
        prog = await programme(tables=3, slots=4)
        p = await participant(prog, "Anne Prod", "producer", organisation_name="Studio Volcan")
        b1 = await participant(prog, "Bea Buyer", "buyer", organisation_name="Festival Été", genres="Jazz")
        b2 = await participant(
            prog, "Bob Buyer", "buyer", organisation_name="Médiathèque Jaude", genres="Cinéma"
        )
        await services.set_wish(b1, p.id, "would_like")
        return {"prog": prog.id, "b1": b1.id, "b2": b2.id}

    return anyio.run(build)


@pytest.mark.browser
def test_producer_wishes_staff_publish_producer_downloads_ics(
    live_server, meeting_data, browser_page, mailbox
):
    s = meeting_data
    prog, url, page = s["prog"], live_server.url, browser_page

    # the producer signs in with a one-time link
    page.goto(f"{url}/meetings/{prog}")
    assert "/auth/link" in page.url
    page.fill("#email", "anne.prod@example.org")
    page.get_by_role("button", name=re.compile("lien", re.I)).click()
    [msg] = mailbox.wait_for("anne.prod@example.org")
    page.goto(url + link_from_message(msg))
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(f"{url}/meetings/{prog}")
    page.get_by_test_id("catalogue-link").click()
    page.wait_for_url(re.compile(r".*/catalogue.*"))
    page.get_by_test_id(f"priority-{s['b1']}").select_option("must")
    page.get_by_test_id(f"wish-{s['b1']}").click()
    page.get_by_test_id(f"wished-{s['b1']}").wait_for()
    page.get_by_test_id(f"priority-{s['b2']}").select_option("if_possible")
    page.get_by_test_id(f"wish-{s['b2']}").click()
    assert "Incontournable" in page.get_by_test_id(f"wished-{s['b1']}").inner_text()
    assert "Si possible" in page.get_by_test_id(f"wished-{s['b2']}").inner_text()

    # staff run and publish, in their own browser context
    staff = page.context.browser.new_context(locale="fr-FR")
    try:
        admin = staff.new_page()
        admin.goto(f"{url}/auth/login?next=/staff/meetings/{prog}")
        admin.fill("#email", live_server.admin_email)
        admin.fill("#password", live_server.admin_password)
        admin.get_by_role("button", name=re.compile("connecter", re.I)).click()
        admin.wait_for_url(f"{url}/staff/meetings/{prog}")
        admin.get_by_test_id("run").click()
        admin.wait_for_load_state()
        assert admin.get_by_test_id("last-run").count() == 1, admin.content()[-3000:]
        assert "2 rendez-vous" in admin.get_by_test_id("flash").inner_text()
        admin.get_by_test_id("publish").click()  # a confirmation page first, with the count
        assert "3 participants" in admin.get_by_test_id("publish-preview").inner_text()
        admin.get_by_test_id("confirm-submit").click()  # the box is required: the browser refuses
        assert admin.get_by_test_id("confirm-form").count() == 1
        admin.get_by_test_id("confirm-box").check()
        admin.get_by_test_id("confirm-submit").click()
        assert "3 agendas" in admin.get_by_test_id("flash").inner_text()
        admin.get_by_test_id("nav-grid").click()
        assert "Conflits : 0" in admin.get_by_test_id("conflict-count").inner_text()
    finally:
        staff.close()

    # the agenda email is out, and the producer reads the agenda and downloads the .ics
    mailbox.wait_for("anne.prod@example.org", count=2)
    page.goto(f"{url}/meetings/{prog}/agenda")
    agenda = page.get_by_test_id("agenda").inner_text()
    assert "Festival Été" in agenda and "Médiathèque Jaude" in agenda
    with page.expect_download() as info:
        page.get_by_test_id("agenda-ics").click()
    cal = Calendar.from_ical(open(info.value.path(), "rb").read())
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert len(summaries) == 2
    assert any("Festival Été" in x for x in summaries) and any("Médiathèque Jaude" in x for x in summaries)
