"""A member's trade-fair page (/stands/fairs): upcoming fairs, declare / withdraw, what its structure gets
(or would get) and the plain reason when it is nothing; a fair that is over can no longer be changed."""

from __future__ import annotations

from datetime import timedelta

from members.register import today
from stands import subsidies
from stands.tables import TradeFairParticipant
from tests.auth import login_attendee
from tests.conftest import post
from tests.stands.factories import fair_day, member


async def _fair(name: str = "Midem", accreditation_cents: int = 40000, **kw) -> int:
    fair = await subsidies.save_fair(
        {
            "name": name,
            "place": "Cannes",
            "starts_on": kw.get("starts_on", fair_day()).isoformat(),
            "ends_on": kw.get("ends_on", fair_day(32)).isoformat(),
            "accreditation_cents": accreditation_cents,
            "shared_stand_cents": kw.get("shared_stand_cents", ""),
        }
    )
    return fair.id


async def test_member_declares_sees_its_support_and_withdraws(client, mailbox):
    alpha, a = await member("Alpha")
    beta, _b = await member("Beta")
    fair_id = await _fair(accreditation_cents=40000, shared_stand_cents=100000)
    past = await _fair(
        "Old fair", starts_on=today() - timedelta(days=10), ends_on=today() - timedelta(days=9)
    )
    login_attendee(client, a, mailbox)

    page = client.get("/stands/fairs")
    assert page.status_code == 200 and "Midem" in page.text and "Old fair" not in page.text
    # not going yet, alone: what it would get, and why it is nothing
    assert "Votre aide si vous y allez" in page.text and "Seule structure" in page.text
    past_answer = post(client, f"/stands/fairs/{past}/going")
    assert "Ce salon est terminé" in past_answer.text
    assert not await TradeFairParticipant.exists().where(TradeFairParticipant.fair == past)

    page = post(client, f"/stands/fairs/{fair_id}/going", data={"shares_stand": "1"})
    assert "votre structure va à ce salon" in page.text and "Seule structure" in page.text
    assert 'data-testid="withdraw"' in page.text

    await subsidies.declare(fair_id, organisation_id=beta.id)
    page = client.get("/stands/fairs?lang=en")
    # 50 % of 400 € = 200 € + half of the 1,000 € shared stand, which Alpha alone shares: 500 €
    assert "€700.00" in page.text or "700.00" in page.text
    assert "Goes with other members" in page.text
    [line] = [f for f in await subsidies.member_fairs(a) if f.fair.id == fair_id]
    assert line.going and line.shares_stand and line.members_going == 1
    assert (line.support.subsidy_cents, line.support.remaining_cents) == (70000, 70000)

    assert "no longer goes to this fair" in post(client, f"/stands/fairs/{fair_id}/withdraw").text
    assert not await TradeFairParticipant.exists().where(
        (TradeFairParticipant.fair == fair_id) & (TradeFairParticipant.organisation == alpha.id)
    )
    page = client.get("/stands/fairs")
    [line] = [f for f in await subsidies.member_fairs(a) if f.fair.id == fair_id]
    assert not line.going and line.support.subsidy_cents == 20000  # if it goes again, with Beta


async def test_not_in_good_standing_is_told_why(client, mailbox):
    _late, late_email = await member("Retard", paid=False)
    await member("Gamma")
    fair_id = await _fair()
    login_attendee(client, late_email, mailbox)
    post(client, f"/stands/fairs/{fair_id}/going")
    page = client.get("/stands/fairs")
    assert "Pas adhérent à jour" in page.text
    [line] = await subsidies.member_fairs(late_email)
    assert line.going and line.support.subsidy_cents == 0 and line.support.reason == "not_in_good_standing"
    assert line.support.remaining_cents == 40000


async def test_an_address_without_organisation_is_told_and_changes_nothing(client, mailbox):
    fair_id = await _fair()
    login_attendee(client, "nobody@nowhere.example", mailbox)
    page = client.get("/stands/fairs")
    assert page.status_code == 200 and "aucune structure adhérente" in page.text
    r = post(client, f"/stands/fairs/{fair_id}/going", follow_redirects=False)
    assert r.status_code == 303 and "error=" in r.headers["location"]
    assert await TradeFairParticipant.count() == 0
    client.cookies.clear()
    assert client.get("/stands/fairs", follow_redirects=False).status_code in (302, 303)
