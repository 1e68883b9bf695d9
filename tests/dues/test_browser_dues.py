"""Dues in headless Debian chromium on the demo: staff call next year's dues (one button), record a transfer;
a member's person signs in by email link on a phone and sees its organisation's dues, paid, invoice PDF
read back."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.checkin.test_browser_door import in_thread
from tests.plugin import assert_no_horizontal_overflow
from tests.stands.test_browser_stands import _link

pytestmark = pytest.mark.browser


async def _person() -> tuple[str, str]:
    from members.tables import Organisation, Person

    person = await Person.objects().where(Person.organisation.is_not_null()).order_by(Person.id).first()
    org = await Organisation.objects().where(Organisation.id == person.organisation).first()
    return person.email, org.name


def test_staff_call_next_year_and_a_member_sees_it_paid(live_server, browser_page, mailbox, tmp_path):
    from dues import calls

    base = live_server.url
    year = calls.paris_today().year + 1
    email, org_name = in_thread(_person)

    staff = browser_page.context.browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    spage = staff.new_page()
    spage.goto(f"{base}/auth/login?next=/staff/dues?year={year}")
    spage.locator("input[name='email']").fill(live_server.admin_email)
    spage.locator("input[name='password']").fill(live_server.admin_password)
    spage.locator("form[action='/auth/login'] button[type='submit']").click()
    spage.wait_for_url(f"{base}/staff/dues*")
    assert "n’ont pas encore été appelées" in spage.content()
    spage.locator("[data-testid=call-dues]").click()
    spage.wait_for_url("**flash=called")
    row = spage.locator("tr[data-testid^=dues-]", has_text=org_name)
    assert "Impayée" in row.inner_text()
    row.locator("button", has_text="Virement reçu").click()
    spage.wait_for_url("**flash=paid")
    assert "Payée" in spage.locator("tr[data-testid^=dues-]", has_text=org_name).inner_text()
    staff.close()

    page = browser_page
    page.goto(f"{base}/auth/link?next=/dues")
    page.locator("#email").fill(email)
    already = len(mailbox.to(email))
    page.locator("form[action='/auth/link'] button[type='submit']").click()
    page.goto(base + _link(mailbox, email, already))
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(f"{base}/dues*")
    card = page.locator("section[data-testid^=my-dues-]", has_text=f"{org_name} · {year}")
    assert "Payée" in card.inner_text()
    assert_no_horizontal_overflow(page, tmp_path / "dues-360.png")
    href = card.locator("a").first.get_attribute("href")
    pdf = page.request.get(base + href)
    assert pdf.status == 200
    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert f"Cotisation {year}" in text and org_name in text and "Payée le" in text
