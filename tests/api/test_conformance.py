"""HTTP answers the document and the protocol promise, beyond what schemathesis checks on its own."""

from __future__ import annotations


def test_options_lists_every_method_of_the_path(client):
    # Litestar rebuilt the route for each handler of a path but kept the first OPTIONS handler: Allow said
    # "GET, OPTIONS" on /api/events/{id}, which also takes PATCH.
    r = client.options("/api/events/1")
    assert r.status_code == 204
    assert r.headers["allow"] == "GET, OPTIONS, PATCH"
    r = client.options("/api/events/1/sessions/2")
    assert r.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"
