"""Security headers on every response (issue 10, security 5): CSP without inline script, framing
refused, nosniff, Referrer-Policy, HSTS behind https, and no-store on private pages and files."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import anyio
import pytest
from litestar.testing import TestClient

from tests.auth import login_attendee, login_staff
from tests.ticketing.factories import make_event, make_type

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "web" / "templates"
STATIC_JS = [p for p in (ROOT / "web" / "static").rglob("*.js") if "vendor" not in p.parts]
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def run(fn, *args, **kwargs):
    return anyio.run(lambda: fn(*args, **kwargs))


def csp(response) -> dict[str, list[str]]:
    header = response.headers["content-security-policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


def assert_strict(response) -> None:
    policy = csp(response)
    assert policy["script-src"] == ["'self'"], policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def free_order() -> tuple[str, int]:
    from ticketing import orders

    async def build() -> tuple[str, int]:
        event = await make_event()
        free = await make_type(event, "Invitation", 0)
        placed = await orders.place_order(
            event_id=event.id,
            buyer={"name": "Alice Martin", "email": "alice@example.org"},
            items=[{"ticket_type": free.id, "quantity": 1}],
        )
        return placed.order.token, event.id

    return anyio.run(build)


def test_no_template_or_script_of_the_site_runs_inline_code():
    problems = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern, what in ((INLINE_SCRIPT, "inline <script>"), (INLINE_HANDLER, "inline event handler")):
            for match in pattern.finditer(text):
                line = text[: match.start()].count("\n") + 1
                problems.append(f"{template.relative_to(ROOT)}:{line}: {what}: {match.group(0)[:80]}")
        if "javascript:" in text:
            problems.append(f"{template.relative_to(ROOT)}: javascript: URL")
    for script in STATIC_JS:
        text = script.read_text()
        if re.search(r"\beval\(|new Function\(|setAttribute\(\s*['\"]on", text):
            problems.append(f"{script.relative_to(ROOT)}: eval or inline handler")
    assert not problems, "\n".join(problems)


def test_public_pages_send_the_strict_headers(client):
    token, event_id = free_order()
    for path in ("/", "/events", f"/events/{event_id}/tickets", f"/orders/{token}", "/auth/login", "/nope"):
        r = client.get(path)
        assert_strict(r)
        assert INLINE_SCRIPT.search(r.text) is None, path
        assert INLINE_HANDLER.search(r.text) is None, path
    assert "strict-transport-security" not in client.get("/").headers  # plain-HTTP deployment


def test_json_and_files_send_them_too(client):
    token, _event = free_order()
    for path in (
        "/api/events",
        f"/api/orders/{token}",
        f"/api/orders/{token}/tickets.pdf",
        "/static/js/app.js",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "content-security-policy" in r.headers, path


def test_https_deployments_send_hsts(monkeypatch):
    from lib.settings import get_settings
    from server.app import create_app

    monkeypatch.setenv("BASE_URL", "https://evenements.ledamier.fr")
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    with TestClient(app=app, base_url="https://evenements.ledamier.fr") as c:
        assert c.get("/").headers["strict-transport-security"] == "max-age=31536000"


def test_private_pages_and_files_are_never_stored(client, mailbox):
    token, event_id = free_order()
    private = [
        f"/orders/{token}",
        f"/api/orders/{token}",
        f"/api/orders/{token}/tickets.pdf",
        "/auth/login",
        "/auth/link",
    ]
    for path in private:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["cache-control"] == "no-store", path
    public = client.get("/events")
    assert public.headers.get("cache-control") != "no-store"  # anonymous public pages may be cached
    login_staff(client, role="admin")
    for path in ("/staff", "/staff/events", "/staff/tickets/", "/api/staff/ticketing/orders.csv", "/door"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["cache-control"] == "no-store", path
    # a public page shown to a signed-in visitor names them: no shared cache may keep it
    assert client.get("/events").headers["cache-control"] == "no-store"


def test_personal_pdfs_and_agendas_are_never_stored(client, mailbox):
    from tests.scheduling.test_api import setup

    s = setup()
    from server.app import create_app

    with TestClient(app=create_app(), base_url="http://testserver.local") as staff:
        login_staff(staff, role="staff", email="planner@ledamier.test")
        from tests.conftest import post

        assert post(staff, f"/api/meetings/staff/programmes/{s['prog']}/run").status_code == 200
        assert post(staff, f"/api/meetings/staff/programmes/{s['prog']}/publish").status_code == 200
        pdf = staff.get(f"/staff/meetings/{s['prog']}/table-sheets.pdf")
        assert pdf.status_code == 200 and pdf.headers["cache-control"] == "no-store"
    login_attendee(client, "anne.prod@example.org", mailbox)
    for path in (
        f"/meetings/{s['prog']}/agenda.pdf",
        f"/meetings/{s['prog']}/agenda.ics",
        f"/meetings/{s['prog']}/agenda",
        f"/api/meetings/{s['prog']}/me/agenda.pdf",
        "/me",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["cache-control"] == "no-store", path


def test_payment_page_allows_stripe_and_nothing_inline(client, monkeypatch):
    from ticketing.pages import payment_page_policy

    policy = payment_page_policy()
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert "https://js.stripe.com" in directives["script-src"]
    assert (
        "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    )
    assert {"https://js.stripe.com", "https://hooks.stripe.com"} <= set(directives["frame-src"])
    assert "https://api.stripe.com" in directives["connect-src"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_api_docs_allow_their_inline_bootstrap_by_hash_only(client):
    for path in ("/schema", "/schema/swagger"):
        r = client.get(path)
        assert r.status_code == 200
        policy = csp(r)
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", r.text, re.S)
        for body in inline:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy["script-src"], path
        assert policy["frame-ancestors"] == ["'none'"]
        assert not any("cdn" in s for s in policy["script-src"] + policy["style-src"])


def test_the_admin_site_gets_its_own_policy_without_inline_script(client):
    r = client.get("/admin/")
    assert r.status_code == 200
    policy = csp(r)
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" in policy["style-src"]  # its Vue components bind inline styles
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/devices/public-key"])
def test_device_api_answers_carry_nosniff(client, path):
    assert client.get(path).headers["x-content-type-options"] == "nosniff"
