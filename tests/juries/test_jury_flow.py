"""Jurors, recusals, assignment, blind judging, rounds of each kind, results, decisions, the programme and
its publication into the event (page and .ics), the catalogue PDF: through the real stack."""

from __future__ import annotations

import io

import anyio
import pytest
from pypdf import PdfReader

from juries.tables import Assignment, Entry, Score
from tests.conftest import post, send
from tests.juries.helpers import GENRES, call_body, court_event, film, member, sign_in, sign_in_staff
from tests.juries.test_submissions import png

HIDDEN_PRODUCER = "Studio Volcan Secret"


def _setup(client, mailbox, films: int = 8, jurors_per_entry: int = 2):
    """A call with `films` entries from two members, 4 jurors (one of them from the producing member)."""
    event = anyio.run(court_event)
    anyio.run(lambda: member(HIDDEN_PRODUCER, "volcan.test", people=("juror.volcan@volcan.test",)))
    anyio.run(lambda: member("Images Arvernes", "arvernes.test"))
    anyio.run(lambda: member("Puy Prod", "puy.test"))
    sign_in_staff(client)
    call = post(
        client,
        "/api/juries/calls",
        json=call_body(event["id"], jurors_per_entry=jurors_per_entry, max_entries_per_organisation=10),
    ).json()
    client.cookies.clear()
    entry_ids = []
    for submitter, prefix in (("anne@volcan.test", "V"), ("bea@arvernes.test", "A")):
        sign_in(client, submitter, mailbox)
        for i in range(films // 2):
            body = film(f"{prefix}{i} film", genre=GENRES[i % len(GENRES)], runtime=f"{8 + i}:15")
            body["directors"] = f"Hidden Director {prefix}{i}"
            if prefix == "A" and i == 0:
                body["coproducers"] = [
                    "puy prod",
                    "Some Outside Company",
                    "%",
                ]  # "%" is a name, not a pattern
            r = post(client, f"/api/juries/calls/{call['id']}/submissions", json=body)
            assert r.status_code == 201, r.text
            entry_ids.append(r.json()["id"])
            if i == 0:  # a still, for the catalogue
                still = send(
                    client,
                    "PUT",
                    f"/api/juries/me/entries/{entry_ids[-1]}/still",
                    content=png(8, 6),
                    headers={"content-type": "image/png"},
                )
                assert still.status_code == 200, still.text
        client.cookies.clear()
    sign_in_staff(client)
    emails = ["juror.volcan@volcan.test", "guest1@example.org", "guest2@example.org", "juror@puy.test"]
    jurors = {}
    for email in emails:
        r = post(
            client,
            f"/api/juries/calls/{call['id']}/jurors",
            json={"email": email, "name": email.split("@")[0]},
        )
        assert r.status_code == 201, r.text
        jurors[email] = r.json()
    return event, call, entry_ids, jurors


def test_invitation_recusals_assignment_and_blind_fields(client, mailbox):
    event, call, entries, jurors = _setup(client, mailbox)
    invite = mailbox.wait_for("guest1@example.org")[-1]
    assert "jury" in invite["Subject"].lower() or "jury" in invite.get_body(("plain",)).get_content().lower()
    recusals = client.get(f"/api/juries/calls/{call['id']}/recusals").json()
    volcan = jurors["juror.volcan@volcan.test"]["id"]
    puy = jurors["juror@puy.test"]["id"]
    kinds = {(r["juror_id"], r["entry_id"]): r["kind"] for r in recusals}
    assert all(
        kinds[(volcan, e)] == "producer" for e in entries[:4]
    )  # the juror's organisation produced them
    assert kinds[(puy, entries[4])] == "coproducer"
    assert len(kinds) == 5
    # rounds of rubric kind, assigned by the engine: k jurors each, no recused pair
    r = post(client, f"/api/juries/calls/{call['id']}/rounds", json={"kind": "rubric"})
    assert r.status_code == 201, r.text
    round_id = r.json()["id"]
    r = post(client, f"/api/juries/rounds/{round_id}/assign", json={})
    assert r.status_code == 200, r.text
    assert r.json()["max_load"] - r.json()["min_load"] <= 1
    pairs = anyio.run(
        lambda: Assignment.select(Assignment.juror, Assignment.entry).where(Assignment.round == round_id)
    )
    per_entry: dict[int, int] = {}
    for p in pairs:
        assert (p["juror"], p["entry"]) not in kinds
        per_entry[p["entry"]] = per_entry.get(p["entry"], 0) + 1
    assert per_entry == {e: 2 for e in entries}
    # a juror sees only their entries, and never a hidden field: API and page
    sign_in(client, "guest1@example.org", mailbox)
    api = client.get(f"/api/juries/jury/{call['id']}")
    assert api.status_code == 200, api.text
    mine = {i["entry"]["id"] for i in api.json()["entries"]}
    assert mine == {p["entry"] for p in pairs if p["juror"] == jurors["guest1@example.org"]["id"]}
    page = client.get(f"/juries/{call['id']}/jury")
    assert page.status_code == 200
    for body in (api.text, page.text):
        assert HIDDEN_PRODUCER not in body and "Hidden Director" not in body and "Puy Prod" not in body
        assert "producer" not in api.json()["entries"][0]["entry"]
    assert "Synopsis de" in page.text
    # a conflict declared on the page takes the film off the juror's list
    declared_on_page = sorted(mine)[-1]
    r = post(client, f"/juries/{call['id']}/jury/recusals/{declared_on_page}", data={"reason": ""})
    assert r.status_code == 200 and 'data-testid="error-reason"' in r.text
    r = post(client, f"/juries/{call['id']}/jury/recusals/{declared_on_page}", data={"reason": "Ma sœur"})
    assert r.status_code == 200 and f'data-testid="entry-{declared_on_page}"' not in r.text
    mine.discard(declared_on_page)
    # a recusal declared by the juror
    some = next(iter(mine))
    r = post(client, f"/api/juries/jury/{call['id']}/entries/{some}/recusal", json={"reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    r = post(
        client,
        f"/api/juries/jury/{call['id']}/entries/{some}/recusal",
        json={"reason": "My cousin directed it"},
    )
    assert r.status_code == 201
    score_url = f"/api/juries/jury/{call['id']}/rounds/{round_id}/entries/{some}/score"
    marks = {"artistic_quality": 5, "fit_with_buyers": 5, "technical_quality": 5}
    assert send(client, "PUT", score_url, json={"marks": marks}).status_code == 409
    assert some not in {
        i["entry"]["id"] for i in client.get(f"/api/juries/jury/{call['id']}").json()["entries"]
    }
    # someone who is not a juror sees nothing
    sign_in(client, "nobody@example.org", mailbox)
    assert client.get(f"/api/juries/jury/{call['id']}").status_code == 404


def _rate_all(client, mailbox, call, jurors, round_id, body_for):
    for email in jurors:
        sign_in(client, email, mailbox)
        work = client.get(f"/api/juries/jury/{call['id']}").json()
        for item in work["entries"]:
            entry_id = item["entry"]["id"]
            r = send(
                client,
                "PUT",
                f"/api/juries/jury/{call['id']}/rounds/{round_id}/entries/{entry_id}/score",
                json=body_for(email, entry_id),
            )
            if r.status_code == 409:  # the round closed itself once its quorum was met
                return
            assert r.status_code == 200, r.text


def test_rubric_round_scores_results_and_programme(client, mailbox, backend):
    event, call, entries, jurors = _setup(client, mailbox, films=12)
    round_id = post(
        client, f"/api/juries/calls/{call['id']}/rounds", json={"kind": "rubric", "quorum": 3}
    ).json()["id"]
    assert post(client, f"/api/juries/rounds/{round_id}/assign", json={}).status_code == 200
    sign_in(client, "guest1@example.org", mailbox)
    work = client.get(f"/api/juries/jury/{call['id']}").json()
    first = work["entries"][0]["entry"]["id"]
    url = f"/api/juries/jury/{call['id']}/rounds/{round_id}/entries/{first}/score"
    bad = send(client, "PUT", url, json={"marks": {"artistic_quality": 11, "fit_with_buyers": 5}})
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"marks.artistic_quality", "marks.technical_quality"}
    good = {"marks": {"artistic_quality": 8, "fit_with_buyers": 6, "technical_quality": 5}, "comment": "Beau"}
    for _ in range(3):  # retried writes: one score
        r = send(client, "PUT", url, json=good)
        assert r.status_code == 200, r.text
    assert r.json()["score"] == pytest.approx((8 * 3 + 6 * 2 + 5) / 6)
    count = anyio.run(lambda: Score.count().where((Score.round == round_id) & (Score.entry == first)))
    assert count == 1
    not_mine = next(e for e in entries if e not in {i["entry"]["id"] for i in work["entries"]})
    r = send(
        client, "PUT", f"/api/juries/jury/{call['id']}/rounds/{round_id}/entries/{not_mine}/score", json=good
    )
    assert r.status_code == 404

    quality = {e: 3 + (i * 7) % 7 for i, e in enumerate(entries)}
    leniency = {
        "guest1@example.org": 2,
        "guest2@example.org": -2,
        "juror@puy.test": 0,
        "juror.volcan@volcan.test": 1,
    }

    def body_for(email, entry_id):
        mark = max(1, min(10, quality[entry_id] + leniency[email]))
        return {"marks": {"artistic_quality": mark, "fit_with_buyers": mark, "technical_quality": mark}}

    _rate_all(client, mailbox, call, list(jurors), round_id, body_for)
    client.cookies.clear()
    sign_in_staff(client, "staff2@ledamier.test")
    close = post(client, f"/api/juries/rounds/{round_id}/close")
    assert close.status_code in (200, 409)
    results = client.get(f"/api/juries/rounds/{round_id}/results").json()
    assert results["round"]["status"] == "closed"
    assert len(results["entries"]) == 12 and results["explanation"]
    assert all(e["ratings"] == 2 for e in results["entries"])
    # scores cannot change once closed
    sign_in(client, "guest1@example.org", mailbox)
    assert send(client, "PUT", url, json=good).status_code == 409
    client.cookies.clear()
    sign_in_staff(client, "staff3@ledamier.test")
    decision = post(client, f"/api/juries/rounds/{round_id}/decision", json={"outcome": "selected", "top": 9})
    assert decision.status_code == 200, decision.text
    assert decision.json()["decided_by"] == "staff3@ledamier.test"
    assert len(decision.json()["chosen"]) >= 9
    # the programme: ~100 minutes would need more films; ask for the window these films can fill
    chosen = decision.json()["chosen"]
    stills = [e["id"] for e in client.get(f"/api/juries/calls/{call['id']}/entries").json() if e["has_still"]]
    assert stills == [entries[0], entries[6]] and set(stills) <= set(chosen)
    built = post(
        client,
        f"/api/juries/calls/{call['id']}/programme/build",
        # the two films with a still are pinned in: the catalogue must show their images
        json={
            "window_min_minutes": 60,
            "window_max_minutes": 130,
            "target_minutes": 100,
            "pinned": stills,
        },
    )
    assert built.status_code == 200, built.text
    alternatives = built.json()["alternatives"]
    assert alternatives and all(60 * 60 <= a["total_seconds"] <= 130 * 60 for a in alternatives)
    order = alternatives[0]["order"]
    assert set(order) <= set(chosen)
    saved = send(
        client,
        "PUT",
        f"/api/juries/calls/{call['id']}/programme",
        json={"order": order, "window_min_minutes": 60, "window_max_minutes": 130},
    )
    assert saved.status_code == 200 and saved.json()["ok"], saved.text
    published = post(client, f"/api/juries/calls/{call['id']}/programme/publish")
    assert published.status_code == 200, published.text
    assert len(published.json()["sessions"]) == len(order) + 1
    page = client.get(f"/events/{event['slug']}")
    ics = client.get(f"/events/{event['slug']}/programme.ics")
    titles = [s["title"] for s in published.json()["sessions"][1:]]
    for title in titles:
        assert title in page.text
        assert title in ics.text
    # published again: replaced, not doubled
    assert post(client, f"/api/juries/calls/{call['id']}/programme/publish").status_code == 200
    assert (
        client.get(f"/events/{event['slug']}/programme.ics").text.count("BEGIN:VEVENT") == len(order) + 2
    )  # and the event itself
    # the buyers' web catalogue, in French and English
    web = client.get(f"/juries/{call['id']}/catalogue")
    assert web.status_code == 200 and all(t in web.text for t in titles) and "Synopsis de" in web.text
    english = client.get(f"/juries/{call['id']}/catalogue?lang=en")
    assert "Synopsis of" in english.text and "Directed by" in english.text
    # the catalogue PDF, read back
    pdf = client.get(f"/api/juries/calls/{call['id']}/catalogue.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"].startswith("application/pdf")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == len(order) + 1  # a cover and one sheet per film
    text = "\n".join(p.extract_text() for p in reader.pages)
    for title in titles:
        assert title in text
    assert HIDDEN_PRODUCER in text  # buyers see the producer's contact
    # one image on each sheet of a film with a still (the 8×6 PNG uploaded), none on the others
    with_still = [i for i, e in enumerate(order, start=1) if e in stills]
    assert len(with_still) == 2
    for i, sheet in enumerate(reader.pages[1:], start=1):
        assert len(sheet.images) == (1 if i in with_still else 0), i
        if i in with_still:
            assert sheet.images[0].image.size == (8, 6)
    # a still dropped: its sheet goes without the image (the check above is not vacuous)
    anyio.run(lambda: Entry.update({Entry.still_name: ""}).where(Entry.id == stills[0]))
    dropped = PdfReader(io.BytesIO(client.get(f"/api/juries/calls/{call['id']}/catalogue.pdf").content))
    assert sum(len(p.images) for p in dropped.pages) == 1
    assert not dropped.pages[order.index(stills[0]) + 1].images
    # result emails in each submitter's language, once
    assert post(client, f"/api/juries/calls/{call['id']}/result-emails").json()["sent"] == 12
    assert post(client, f"/api/juries/calls/{call['id']}/result-emails").json()["sent"] == 12
    mailbox.wait_for("anne@volcan.test", count=1)


def test_yes_no_and_ranking_rounds(client, mailbox):
    event, call, entries, jurors = _setup(client, mailbox, films=6)
    round_id = post(
        client, f"/api/juries/calls/{call['id']}/rounds", json={"kind": "yes_no", "quorum": 2}
    ).json()["id"]
    assert post(client, f"/api/juries/rounds/{round_id}/assign", json={}).status_code == 200
    bad = {"verdict": "perhaps"}
    sign_in(client, "guest2@example.org", mailbox)
    work = client.get(f"/api/juries/jury/{call['id']}").json()
    e0 = work["entries"][0]["entry"]["id"]
    r = send(client, "PUT", f"/api/juries/jury/{call['id']}/rounds/{round_id}/entries/{e0}/score", json=bad)
    assert r.status_code == 422 and "verdict" in r.json()["errors"]
    _rate_all(
        client, mailbox, call, list(jurors), round_id, lambda email, e: {"verdict": "yes" if e % 2 else "no"}
    )
    client.cookies.clear()
    sign_in_staff(client)
    results = client.get(f"/api/juries/rounds/{round_id}/results").json()
    assert results["round"]["status"] == "closed" and results["round"]["closed_by"] == "quorum"
    top = [e for e in results["entries"] if e["verdicts"] and e["verdicts"]["yes"] == 2]
    assert {e["entry_id"] for e in top} == {e for e in entries if e % 2}
    assert (
        post(
            client, f"/api/juries/rounds/{round_id}/decision", json={"outcome": "next_round", "threshold": 10}
        ).status_code
        == 200
    )
    # a ranking round on the entries moved on
    r2 = post(client, f"/api/juries/calls/{call['id']}/rounds", json={"kind": "ranking", "quorum": 2})
    assert r2.status_code == 201, r2.text
    round2 = r2.json()["id"]
    assigned = post(client, f"/api/juries/rounds/{round2}/assign", json={"k": 2})
    assert assigned.status_code == 200, assigned.text

    def by_id(email, e):
        return {"rank": sorted(x for x in entries if x % 2).index(e) + 1}

    _rate_all(client, mailbox, call, list(jurors), round2, by_id)
    client.cookies.clear()
    sign_in_staff(client)
    post(client, f"/api/juries/rounds/{round2}/close")
    ranking = client.get(f"/api/juries/rounds/{round2}/results").json()
    assert [e["entry_id"] for e in ranking["entries"]][0] == min(x for x in entries if x % 2)
    assert "methods_agree" in ranking and ranking["explanation"]


def test_staff_only(client, mailbox):
    assert client.get("/api/juries/calls").status_code == 401
    assert client.get("/juries/1/catalogue").status_code == 404  # nothing published
    sign_in(client, "guest@example.org", mailbox)
    assert client.get("/api/juries/calls").status_code in (401, 403)


def test_staff_page_invites_opens_a_round_and_lists_recusals(client, mailbox):
    event, call, entries, jurors = _setup(client, mailbox, films=4)
    page = client.get(f"/staff/juries/{call['id']}")
    assert page.status_code == 200 and 'data-testid="recusals"' in page.text
    assert "V0 film" in page.text  # staff see who is recused from what
    r = post(
        client,
        f"/staff/juries/{call['id']}/jurors",
        data={"email": "not-an-email", "name": "", "locale": "fr"},
    )
    assert r.status_code == 200 and 'data-testid="error-email"' in r.text
    r = post(
        client,
        f"/staff/juries/{call['id']}/jurors",
        data={"email": "new@example.org", "name": "New", "locale": "en"},
    )
    assert r.status_code == 200 and "new@example.org" in r.text
    invite = mailbox.wait_for("new@example.org")[-1]
    assert invite["Subject"].startswith("You are invited to the jury")
    r = post(client, f"/staff/juries/{call['id']}/rounds", data={"kind": "yes_no", "k": "2"})
    assert r.status_code == 200 and 'data-testid="close-round-1"' in r.text
    assert anyio.run(lambda: Assignment.count()) == 8
    assert client.get(f"/staff/juries/{call['id']}", follow_redirects=False).status_code == 200
    client.cookies.clear()
    assert client.get(f"/staff/juries/{call['id']}", follow_redirects=False).status_code in (302, 303, 401)


def test_result_emails_use_the_templates_staff_wrote(client, mailbox):
    from juries.tables import Entry

    event, call, entries, jurors = _setup(client, mailbox, films=2)
    bad = send(
        client, "PUT", f"/api/juries/calls/{call['id']}/result-templates", json={"selected": {"de": {}}}
    )
    assert bad.status_code == 422 and "selected.de" in bad.json()["errors"]
    bad = send(
        client,
        "PUT",
        f"/api/juries/calls/{call['id']}/result-templates",
        json={"selected": {"fr": {"subject": "", "body": "x"}}},
    )
    assert bad.status_code == 422 and "selected.fr.subject" in bad.json()["errors"]
    templates = {
        "selected": {"fr": {"subject": "Bravo pour {title}", "body": "{title} sera projeté à {call}."}},
        "not_selected": {"fr": {"subject": "{title} : merci", "body": "Pas cette fois."}},
    }
    assert (
        send(client, "PUT", f"/api/juries/calls/{call['id']}/result-templates", json=templates).status_code
        == 200
    )
    anyio.run(lambda: Entry.update({Entry.status: "selected"}).where(Entry.id == entries[0]))
    anyio.run(lambda: Entry.update({Entry.status: "not_selected"}).where(Entry.id == entries[1]))
    assert post(client, f"/api/juries/calls/{call['id']}/result-emails").json() == {"sent": 2}
    subjects = {m["Subject"] for m in mailbox.wait_for("anne@volcan.test", count=3)}
    subjects |= {m["Subject"] for m in mailbox.wait_for("bea@arvernes.test", count=3)}
    assert "Bravo pour V0 film" in subjects and "A0 film : merci" in subjects
