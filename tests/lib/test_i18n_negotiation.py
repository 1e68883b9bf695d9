"""Accept-Language negotiation honours q-weights (Babel's negotiate_locale on the weighted list)."""

import pytest

from lib.i18n import accepted_languages, negotiate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en;q=0.5, fr;q=0.9", "fr"),  # order in the header is not preference: the weights are
        ("fr;q=0.1, en-GB;q=0.8", "en"),
        ("de-DE, en-US;q=0.7, fr;q=0.6", "en"),  # German unavailable: the next best
        ("en;q=0, fr", "fr"),  # q=0: not acceptable
        ("en;q=0", "fr"),  # nothing acceptable: the default
        ("EN-us", "en"),
        ("en;q=abc, fr;q=0.2", "fr"),  # a malformed weight counts as 0
        ("*", "fr"),
        ("", "fr"),
    ],
)
def test_accept_language_weights(header, expected):
    assert negotiate(None, None, header) == expected


def test_query_and_cookie_win_over_the_header():
    assert negotiate("en", "fr", "fr") == "en"
    assert negotiate(None, "en", "fr;q=1") == "en"
    assert negotiate("xx", None, "en") == "en"


def test_ties_keep_the_header_order():
    assert accepted_languages("de;q=0.8, en;q=0.8, fr;q=0.9") == ["fr", "de", "en"]


def test_pages_follow_the_weighted_header(client):
    r = client.get("/events", headers={"Accept-Language": "fr;q=0.2, en;q=0.9"})
    assert r.status_code == 200
    assert '<html lang="en"' in r.text
    r = client.get("/events", headers={"Accept-Language": "en;q=0.2, fr;q=0.9"})
    assert '<html lang="fr"' in r.text
