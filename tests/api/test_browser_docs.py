"""The API documentation renders in a real browser with the network cut off (issue 10, "what users hit"
10): headless Debian chromium against the real server; any request to another host is refused and
recorded, and the test fails if one is attempted."""

from __future__ import annotations

import json
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def _offline(page, server_url: str) -> list[str]:
    """Refuse every request that does not go to the server under test; return the list of those refused."""
    local = urlsplit(server_url).netloc
    refused: list[str] = []

    def route(r):
        parts = urlsplit(r.request.url)
        if parts.scheme in ("data", "blob") or parts.netloc == local:
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_swagger_ui_renders_every_operation_offline(live_server, browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    refused = _offline(page, live_server.url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/schema/swagger")
    page.wait_for_selector(".opblock", timeout=20000)
    # Swagger UI builds only the rows near the viewport once a document has 150 tags + operations, so
    # count what it loaded, then scroll to the end and see the last operation drawn.
    spec = json.loads(urllib.request.urlopen(f"{live_server.url}/schema/openapi.json").read())
    in_spec = sum(1 for item in spec["paths"].values() for op in item.values() if isinstance(op, dict))
    loaded = page.evaluate(
        "window.ui.specSelectors.taggedOperations().valueSeq()"
        ".reduce((n, tag) => n + tag.get('operations').size, 0)"
    )
    assert in_spec > 100 and loaded == in_spec
    last = page.evaluate(
        "(() => { const tag = window.ui.specSelectors.taggedOperations().keySeq().last();"
        " const op = window.ui.specSelectors.taggedOperations().get(tag).get('operations').last();"
        " return op.getIn(['operation', 'operationId']); })()"
    )
    deadline = time.monotonic() + 30
    while not page.locator(f"[id$='-{last}']").count() and time.monotonic() < deadline:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(300)
    assert page.locator(f"[id$='-{last}']").count(), f"the last operation ({last}) is never drawn"
    assert "LE DAMIER events API" in page.inner_text(".information-container")
    page.screenshot(path=str(tmp_path / "swagger.png"))
    assert not refused, refused
    assert not errors, errors


def test_scalar_reference_renders_offline(live_server, browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    refused = _offline(page, live_server.url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/schema")
    page.wait_for_selector("text=LE DAMIER events API", timeout=30000)
    page.wait_for_selector("text=Staff sign-in with email and password", timeout=30000)
    page.screenshot(path=str(tmp_path / "scalar.png"))
    assert not refused, refused
    assert not errors, errors
