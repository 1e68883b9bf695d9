"""HTML pages travel gzipped to clients that accept it (a 300-stand plan is 168 KB of HTML, 13 KB
gzipped); JSON, files and clients without gzip get the bytes as they are."""

from __future__ import annotations

import anyio

from tests.stands.factories import hall
from tests.ticketing.factories import make_event


def test_an_html_page_is_gzipped_for_a_client_that_accepts_it(client):
    h = anyio.run(lambda: hall(stands=10))
    path = f"/stands/{h['event'].id}"
    page = client.get(path, headers={"accept-encoding": "gzip, deflate, br"})
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "gzip" and "accept-encoding" in page.headers["vary"].lower()
    assert int(page.headers["content-length"]) == page.num_bytes_downloaded < len(page.content) / 3
    assert 'data-testid="stand-list"' in page.text and "</html>" in page.text  # decoded: the whole page
    assert page.headers["content-security-policy"] and page.headers["x-frame-options"] == "DENY"

    for refusing in ("identity", "gzip;q=0", "br"):
        plain = client.get(path, headers={"accept-encoding": refusing})
        assert "content-encoding" not in plain.headers, refusing
        assert int(plain.headers["content-length"]) == len(plain.content) and "</html>" in plain.text


def test_json_and_files_are_sent_as_they_are(client):
    anyio.run(lambda: make_event())
    for path in ("/api/events", "/static/js/app.js", "/calendar/events.ics"):
        r = client.get(path, headers={"accept-encoding": "gzip"})
        assert r.status_code == 200, path
        assert "content-encoding" not in r.headers, path


def test_the_api_docs_pages_still_allow_their_own_scripts(client):
    # SecurityHeaders rewrites these pages' CSP from their body: it must see the page before gzip does
    for path in ("/schema", "/schema/swagger"):
        docs = client.get(path, headers={"accept-encoding": "gzip"})
        assert docs.status_code == 200, path
        assert "<script" in docs.text and "</html>" in docs.text, path
        inline = "<script>" in docs.text or "<script type" in docs.text.replace("src=", "")
        assert not inline or "'sha256-" in docs.headers["content-security-policy"], path
