"""Staff edit the Court d'Ici programme by hand, through the real stack: pin, fix the opener and the closer,
swap, move, reorder (what the drag script posts), remove and add; the figures (total with the gaps and the
introduction against the window, the mix per genre and per organisation, back-to-back warnings) follow
each edit; a draft that breaks a hard rule is saved and shown, and cannot be published until fixed;
publishing the edited draft writes the event's sessions."""

from __future__ import annotations

import re

import anyio
import pytest

from events.tables import Session
from juries.programme_editor import Draft, apply_edit
from juries.tables import Entry, ScreeningProgramme
from lib.errors import ValidationFailed
from tests.conftest import post
from tests.juries.helpers import call_body, court_event, member, sign_in_staff

# title, genre, minutes: 94:00 of films + 5:00 of introduction + 30 s × 8 gaps = 103:00 with the nine first
FILMS = (
    ("Basalte", "documentary", 12),
    ("Cratère", "animation", 10),
    ("Dôme", "music_video", 5),
    ("Estive", "fiction", 15),
    ("Fumerolle", "video_art", 8),
    ("Gour", "documentary", 11),
    ("Lave", "animation", 9),
    ("Maar", "fiction", 14),
    ("Neige", "music_video", 10),
    ("Orgue", "documentary", 13),
)


def _ids(client, call_id: int) -> dict[str, int]:
    return {e["title"]: e["id"] for e in client.get(f"/api/juries/calls/{call_id}/entries").json()}


@pytest.fixture
def court(client):
    event = anyio.run(court_event)
    volcan = anyio.run(lambda: member("Studio Volcan", "volcan.test"))
    arvernes = anyio.run(lambda: member("Images Arvernes", "arvernes.test"))
    sign_in_staff(client)
    call = post(client, "/api/juries/calls", json=call_body(event["id"], max_entries_per_organisation=10))
    assert call.status_code == 201, call.text

    async def films() -> None:
        for i, (title, genre, minutes) in enumerate(FILMS):
            await Entry(
                call=call.json()["id"],
                submitter_email=f"s{i}@volcan.test",
                organisation=(volcan if i % 3 else arvernes).id,
                title=title,
                directors="D",
                genre=genre,
                runtime_seconds=minutes * 60,
                year=2026,
                synopsis_fr=f"Synopsis de {title}.",
                rights_cleared=True,
                status="selected",
            ).save()

    anyio.run(films)
    return event, call.json()["id"]


def test_edits_apply_to_the_order_and_the_pins():
    draft = Draft([1, 2, 3, 4])
    selected = {1, 2, 3, 4, 5}
    assert apply_edit(draft, selected, "up", {"entry": "3"}).order == [1, 3, 2, 4]
    assert apply_edit(draft, selected, "down", {"entry": 1}).order == [2, 1, 3, 4]
    assert apply_edit(draft, selected, "move", {"entry": "4", "position": "1"}).order == [4, 1, 2, 3]
    assert apply_edit(draft, selected, "swap", {"entry": "1", "other": "4"}).order == [4, 2, 3, 1]
    assert apply_edit(draft, selected, "swap", {"entry": "2", "other": "5"}).order == [1, 5, 3, 4]
    assert apply_edit(draft, selected, "reorder", {"order": "4,3,2,1"}).order == [4, 3, 2, 1]
    closer = apply_edit(draft, selected, "closer", {"entry": "2"})
    assert closer.order == [1, 3, 4, 2] and closer.rules == {"closer": 2}
    # a film added goes before the fixed closer; pinned, it is added too
    assert apply_edit(closer, selected, "add", {"entry": "5"}).order == [1, 3, 4, 5, 2]
    pinned = apply_edit(draft, selected, "pin", {"entry": "5"})
    assert pinned.order == [1, 2, 3, 4, 5] and pinned.rules == {"pinned": [5]}
    # removing a pinned opener takes its pin and its place with it
    opener = apply_edit(pinned, selected, "opener", {"entry": "5"})
    assert opener.order == [5, 1, 2, 3, 4] and opener.rules == {"pinned": [5], "opener": 5}
    assert apply_edit(opener, selected, "remove", {"entry": "5"}) == Draft([1, 2, 3, 4], {})
    for action, data, field in (
        ("up", {"entry": "1"}, "entry"),  # already first
        ("down", {"entry": "4"}, "entry"),
        ("up", {"entry": "9"}, "entry"),  # not selected
        ("remove", {"entry": "5"}, "entry"),  # not in the programme
        ("add", {"entry": "1"}, "entry"),  # already in
        ("move", {"entry": "1", "position": "7"}, "position"),
        ("reorder", {"order": "1,2,3"}, "order"),  # not the same films
        ("reorder", {"order": "1,2,3,3"}, "order"),
        ("swap", {"entry": "1", "other": "1"}, "other"),
        ("explode", {}, "action"),
    ):
        with pytest.raises(ValidationFailed) as failed:
            apply_edit(draft, selected, action, data)
        assert field in failed.value.errors, (action, data)


def _figure(page: str, testid: str) -> str:
    found = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(2))).strip()


def _edit(client, call_id: int, **form) -> str:
    r = post(client, f"/staff/juries/{call_id}/programme/edit", data=form)
    assert r.status_code in (200, 422), r.text[:300]
    return r.text


def test_staff_edit_the_programme_and_the_figures_follow(client, court):
    event, call_id = court
    ids = _ids(client, call_id)
    empty = client.get(f"/staff/juries/{call_id}/programme")
    assert empty.status_code == 200 and "Ajouter un film sélectionné" in empty.text
    # the first nine films in the given order, as an alternative "edited by hand" would start
    order = [ids[t] for t, _g, _m in FILMS[:9]]
    page = _edit(client, call_id, action="use", order=",".join(map(str, order)))
    assert "103:00" in _figure(page, "total") and "95:00" in _figure(page, "total")
    assert 'data-testid="all-rules-met"' in page
    assert "Documentaire: 2" in _figure(page, "genre-mix")
    assert _figure(page, "organisation-mix") == "Studio Volcan: 6 Images Arvernes: 3"
    slots = re.findall(r'data-testid="slot-\d+"', page)
    assert len(slots) == 9
    # two documentaries back to back: a warning, still publishable
    page = _edit(client, call_id, action=f"down:{ids['Basalte']}")
    page = _edit(client, call_id, action="move", entry=str(ids["Gour"]), position="3")
    assert "Documentaire" in _figure(page, "warnings") and "« Basalte »" in _figure(page, "warnings")
    assert 'data-testid="blocking"' not in page
    assert 'data-testid="publish-draft" disabled' not in page
    # the drag script's reorder restores a good order
    page = _edit(client, call_id, action="reorder", order=",".join(map(str, order)))
    assert 'data-testid="warnings"' not in page
    # adding a tenth film runs past the window: saved as a draft, shown plainly, not publishable
    page = _edit(client, call_id, action="add", entry=str(ids["Orgue"]))
    assert "116:30" in _figure(page, "total")
    assert "116:30" in _figure(page, "blocking") and "105:00" in _figure(page, "blocking")
    assert 'data-testid="publish-draft" disabled' in page
    saved = anyio.run(lambda: ScreeningProgramme.objects().first())
    assert ids["Orgue"] in __import__("json").loads(saved.order)
    refused = post(client, f"/staff/juries/{call_id}/programme/publish", data={})
    assert refused.status_code == 422 and 'data-testid="error-order"' in refused.text
    assert anyio.run(lambda: Session.count().where(Session.event == event["id"])) == 0
    api = post(client, f"/api/juries/calls/{call_id}/programme/publish")
    assert api.status_code == 422 and "116:30" in api.json()["errors"]["order"]
    # swap the long film for a shorter one from outside, fix the opener and the closer, pin
    page = _edit(client, call_id, action=f"remove:{ids['Orgue']}")
    assert "103:00" in _figure(page, "total") and 'data-testid="blocking"' not in page
    page = _edit(client, call_id, action="swap", entry=str(ids["Estive"]), other=str(ids["Orgue"]))
    assert "101:00" in _figure(page, "total") and 'data-testid="all-rules-met"' in page
    page = _edit(client, call_id, action=f"closer:{ids['Dôme']}")
    page = _edit(client, call_id, action=f"opener:{ids['Cratère']}")
    page = _edit(client, call_id, action=f"pin:{ids['Maar']}")
    assert (
        'data-testid="opener"' in page and 'data-testid="closer"' in page and 'data-testid="pinned"' in page
    )
    view = re.findall(r'<li id="film-(\d+)"', page)
    assert int(view[0]) == ids["Cratère"] and int(view[-1]) == ids["Dôme"]
    assert "101:00" in _figure(page, "total")
    # moving the opener away breaks a hard rule, named with the film's title
    page = _edit(client, call_id, action=f"down:{ids['Cratère']}")
    assert "« Cratère »" in _figure(page, "blocking") and "ouverture" in _figure(page, "blocking")
    page = _edit(client, call_id, action=f"up:{ids['Cratère']}")
    # bad input names the field and changes nothing
    before = anyio.run(lambda: ScreeningProgramme.objects().first()).order
    bad = post(client, f"/staff/juries/{call_id}/programme/edit", data={"action": "move", "entry": "x"})
    assert bad.status_code == 422 and 'data-testid="error-entry"' in bad.text
    assert anyio.run(lambda: ScreeningProgramme.objects().first()).order == before
    # English page
    english = client.get(f"/staff/juries/{call_id}/programme?lang=en")
    assert "Running order" in english.text and "Per organisation" in english.text
    # the rebuild keeps the pins: the alternatives open and close with the fixed films
    rebuilt = post(client, f"/staff/juries/{call_id}/programme/build", data={})
    assert rebuilt.status_code == 200 and 'data-testid="alternative-1"' in rebuilt.text
    first = rebuilt.text.split('data-testid="alternative-1"')[1].split("</ol>")[0]
    titles = re.findall(r"<li>(.*?) \(", first)
    assert titles[0] == "Cratère" and titles[-1] == "Dôme" and "Maar" in titles
    # removing a pinned film takes its pin away: shorter than the window now, said plainly
    page = _edit(client, call_id, action=f"remove:{ids['Maar']}")
    assert 'data-testid="pinned"' not in page and "86:30" in _figure(page, "blocking")
