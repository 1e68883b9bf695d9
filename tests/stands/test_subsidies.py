"""The trade-fair support rule on worked examples (DOMAIN.md: 50 %, capped at 300 €, 2 members)."""

from __future__ import annotations

from stands import subsidies
from stands.subsidies import Going, Rule
from tests.stands.factories import fair_day, member

RULE = Rule()


def run(accreditation: int, going: list[Going], shared: int | None = None) -> subsidies.FairSupport:
    return subsidies.support(
        fair_id=1,
        name="MIDEM",
        year=2027,
        accreditation_cents=accreditation,
        shared_stand_cents=shared,
        going=going,
        rule=RULE,
    )


def test_two_members_get_half_of_their_accreditation():
    result = run(40000, [Going(1, "Alpha", True), Going(2, "Beta", True)])
    assert [r.subsidy_cents for r in result.structures] == [20000, 20000]
    assert [r.remaining_cents for r in result.structures] == [20000, 20000]
    assert result.total_subsidy_cents == 40000


def test_the_cap_is_300_euros_per_structure():
    result = run(90000, [Going(1, "Alpha", True), Going(2, "Beta", True)])
    alpha = result.structures[0]
    assert alpha.accreditation_subsidy_cents == 30000 and alpha.capped  # 50 % would be 450 €
    assert alpha.remaining_cents == 60000
    assert "300" in alpha.explanation


def test_a_lone_member_gets_nothing_and_is_told_why():
    result = run(40000, [Going(1, "Alpha", True), Going(2, "Retard", False)])
    alpha, late = result.structures
    assert alpha.subsidy_cents == 0 and alpha.reason == "alone"
    assert late.subsidy_cents == 0 and late.reason == "not_in_good_standing"
    assert result.total_subsidy_cents == 0


def test_half_the_shared_stand_split_among_its_sharers():
    going = [Going(1, "Alpha", True, True), Going(2, "Beta", True, True), Going(3, "Gamma", True, False)]
    result = run(20000, going, shared=300001)
    alpha, beta, gamma = result.structures
    assert alpha.stand_portion_cents + beta.stand_portion_cents == 300001
    assert alpha.stand_subsidy_cents == (150001 * 50 + 50) // 100
    assert gamma.stand_portion_cents == 0 and gamma.subsidy_cents == 10000
    assert alpha.subsidy_cents == 10000 + alpha.stand_subsidy_cents


async def test_fair_support_reads_standing_on_the_fair_day_and_sums_the_year():
    fair = await subsidies.save_fair(
        {
            "name": "Sunny Side of the Doc",
            "place": "La Rochelle",
            "starts_on": fair_day().isoformat(),
            "ends_on": fair_day(33).isoformat(),
            "accreditation_cents": 70000,
        }
    )
    a, _ = await member("Alpha")
    b, _ = await member("Beta")
    c, _ = await member("Retard", paid=False)
    for org in (a, b, c):
        await subsidies.declare(fair.id, organisation_id=org.id)
    support = await subsidies.fair_support(fair.id)
    by_name = {r.name: r for r in support.structures}
    assert by_name["Alpha"].subsidy_cents == 30000 and by_name["Beta"].subsidy_cents == 30000
    assert by_name["Retard"].subsidy_cents == 0
    csv_text = subsidies.support_csv(await subsidies.yearly(fair.starts_on.year))
    assert "600,00" in csv_text
