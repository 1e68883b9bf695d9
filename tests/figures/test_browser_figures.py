"""The year's figures in headless Debian chromium on the demo: staff open the dashboard from the back
office on a phone, pick a year, see the charts, and download the activity report, read back with pypdf:
it carries the same numbers as the page."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.plugin import assert_no_horizontal_overflow

pytestmark = pytest.mark.browser


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


def test_staff_open_the_dashboard_and_download_the_activity_report(live_server, browser_page, tmp_path):
    base = live_server.url
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/auth/login?next=/staff")
    page.locator("input[name='email']").fill(live_server.admin_email)
    page.locator("input[name='password']").fill(live_server.admin_password)
    page.locator("form[action='/auth/login'] button[type='submit']").click()
    page.wait_for_url(f"{base}/staff")
    page.locator("[data-testid=quick-figures]").click()
    page.wait_for_url(f"{base}/staff/figures*")
    page.locator("#figures-year").fill("2027")  # the demo's MIMA 2027
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**year=2027*")
    assert "Les chiffres de 2027" in page.locator("h1").inner_text()
    assert page.locator("[data-testid=section-events]").is_visible()
    assert page.locator("svg.figure-chart").count() >= 1
    assert_no_horizontal_overflow(page, tmp_path / "figures-360.png")

    shown = {}
    for tile in page.locator("[data-testid^=metric-]").all():
        label = normalise(tile.locator("dt").inner_text())
        shown[label] = normalise(tile.locator("dd").inner_text())
    assert "Billets vendus" in shown and "Recettes (HT)" in shown

    with page.expect_download() as info:
        page.locator("[data-testid=download-report]").click()
    download = info.value
    assert download.suggested_filename == "rapport-activite-2027.pdf"
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    text = normalise(" ".join(p.extract_text() for p in reader.pages))
    assert "Rapport d’activité 2027" in text
    for label, number in shown.items():
        assert f"{label} {number}" in text, (label, number)
