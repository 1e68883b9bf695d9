"""The project rules on worked examples (DOMAIN.md "Projects"; issue 14): the carriers, 4 at once,
2 years, the hours brackets and their bills, the expert-cost cap."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from lib.errors import Conflict, ValidationFailed
from lib.i18n import set_locale
from members.register import today
from projects import billing, capacity, experts, hours, records
from projects.tables import Project, ProjectBillShare
from tests.projects.factories import project, two_members
from tests.stands.factories import member
from ticketing.tables import Invoice


async def test_a_project_needs_two_carriers_of_which_two_members_in_good_standing():
    alpha, _ = await member("Alpha")
    late, _ = await member("Retard", paid=False)
    other, _ = await member("Autre", paid=False)
    base = {"title": "Opéra VR", "lead_name": "Camille", "lead_email": "c@alpha.example"}
    with pytest.raises(ValidationFailed) as alone:
        await records.create_project({**base, "carriers": [{"organisation": alpha.id}]})
    assert "au moins 2 structures" in alone.value.errors["carriers"]
    with pytest.raises(ValidationFailed) as one_member:
        await records.create_project(
            {
                **base,
                "carriers": [
                    {"organisation": alpha.id},
                    {"organisation": late.id},
                    {"organisation": other.id},
                ],
            }
        )
    assert "adhérents à jour" in one_member.value.errors["carriers"]
    assert "Alpha" in one_member.value.errors["carriers"]
    assert await Project.count() == 0
    beta, _ = await member("Beta")
    created = await records.create_project(
        {
            **base,
            "carriers": [{"organisation": alpha.id}, {"organisation": beta.id}, {"organisation": late.id}],
        }
    )
    assert created.project.status == "active" and created.queued_message is None
    shares = [c.share_bp for c in await records.carriers_of(created.project.id)]
    assert shares == [3334, 3333, 3333]


async def test_bad_input_names_the_field_in_french():
    set_locale("fr")
    with pytest.raises(ValidationFailed) as bad:
        await records.create_project(
            {"title": "", "lead_email": "pas-un-email", "origin": "hackathon", "carriers": []}
        )
    errors = bad.value.errors
    assert set(errors) >= {"title", "lead_name", "lead_email", "hackathon_edition", "carriers"}
    assert errors["title"] == "Indiquez le titre du projet."
    ids = await two_members()
    with pytest.raises(ValidationFailed) as shares:
        await records.create_project(
            {
                "title": "X",
                "lead_name": "C",
                "lead_email": "c@alpha.example",
                "carriers": [
                    {"organisation": ids[0], "share_percent": 70},
                    {"organisation": ids[1], "share_percent": 20},
                ],
            }
        )
    assert "100" in shares.value.errors["carriers"]


async def test_the_cluster_accompanies_at_most_four_at_once_and_a_fifth_waits_in_the_queue():
    ids = await two_members()
    for n in range(4):
        await project(f"Projet {n}", carriers=ids)
    with pytest.raises(Conflict) as full:
        await project("Cinquième", carriers=ids)
    assert "4" in str(full.value) and "file" in str(full.value)
    assert await Project.count() == 4  # the refused creation wrote nothing
    queued = await records.create_project(
        {
            "title": "Cinquième",
            "lead_name": "C",
            "lead_email": "c@alpha.example",
            "carriers": [{"organisation": i} for i in ids],
            "queue_if_full": True,
        }
    )
    assert queued.project.status == "queued" and queued.queued_message
    with pytest.raises(Conflict):
        await capacity.activate(queued.project.id)
    first = (await records.list_projects())[0]
    await capacity.close(first.id)
    accepted = await capacity.activate(queued.project.id, today())
    assert accepted.status == "active" and accepted.ends_on is not None
    assert await capacity.active_count() == 4


async def test_two_years_from_the_convention_then_due_to_close_and_closed():
    convention = today() - timedelta(days=800)
    old = await project("Ancien", convention_on=convention.isoformat())
    fresh = await project("Récent")
    assert old.ends_on == capacity.end_of_accompaniment(convention)
    assert capacity.end_of_accompaniment(date(2024, 2, 29)) == date(2026, 2, 28)
    assert capacity.is_due_to_close(old) and not capacity.is_due_to_close(fresh)
    assert capacity.is_due_to_close(fresh, on=fresh.convention_on.replace(year=fresh.convention_on.year + 2))
    assert await capacity.close_due() == [old.id]
    assert (await records.get_project(old.id)).status == "closed"
    assert (await records.get_project(fresh.id)).status == "active"


@pytest.mark.parametrize(
    ("total_hours", "rate_cents", "whole_cents"),
    [(34, 3500, 119000), (35, 3200, 112000), (50, 3200, 160000), (51, 3000, 153000)],
)
def test_hours_brackets_bill_the_whole_total_at_its_bracket_rate(total_hours, rate_cents, whole_cents):
    rate = hours.rate_for(total_hours * 60)
    assert (rate.rate_cents, rate.whole_ht_cents) == (rate_cents, whole_cents)


async def test_hours_logged_then_billed_split_among_carriers_with_gapless_numbers_read_back():
    set_locale("fr")
    ids = await two_members()
    p = await project("Expo sonore", carriers=ids)
    await records.carriers_of(p.id)
    for day, h in ((1, "20"), (2, "14")):
        await hours.log_hours(
            p.id, {"worked_on": f"2026-11-{day:02d}", "who": "Léa", "what": "Design", "hours": h}
        )
    assert await hours.total_minutes(p.id) == 34 * 60
    first = await billing.bill_project(p.id)
    assert first.bill.amount_ht_cents == 119000 and first.bill.rate_cents == 3500
    assert [s.amount_ht_cents for s in first.shares] == [59500, 59500]
    assert [s.vat_cents for s in first.shares] == [11900, 11900]
    with pytest.raises(Conflict):  # nothing new to bill
        await billing.bill_project(p.id)
    await hours.log_hours(p.id, {"worked_on": "2026-11-03", "who": "Léa", "hours": "17"})
    second = await billing.bill_project(p.id)  # 51 h × 30 € = 1,530 € less the 1,190 € already billed
    assert second.bill.whole_ht_cents == 153000 and second.bill.amount_ht_cents == 34000
    numbers = [
        (await Invoice.objects().where(Invoice.id == s.invoice).first()).number
        for s in [*first.shares, *second.shares]
    ]
    sequences = [int(n.split("-")[1]) for n in numbers]
    assert sequences == list(range(sequences[0], sequences[0] + 4))
    number, pdf = await billing.share_pdf(second.shares[0].id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert number == numbers[2] and number in text
    assert "Alpha Studio" in text and "51 h" in text
    assert "170,00" in text  # this carrier's half of 340 € HT
    assert "30" in text and "tranche" in text  # the bracket rule is on the bill


async def test_uneven_shares_add_up_to_the_bill():
    assert billing.split(100001, [3334, 3333, 3333]) == [33341, 33330, 33330]
    assert sum(billing.split(99999, [5000, 5000])) == 99999


async def test_expert_cap_across_two_invoices_in_one_year_and_a_new_year():
    p = await project("Clip interactif")
    year = today().year
    first = await experts.record(
        p.id, {"expert": "Studio Son", "invoiced_on": f"{year}-03-01", "amount_eur": "2000"}
    )
    assert first.covered_cents == 100000  # 50 % of 2,000 €
    second = await experts.record(
        p.id, {"expert": "Studio Son", "invoiced_on": f"{year}-06-01", "amount_eur": "2000,00"}
    )
    assert second.covered_cents == 50000  # only 500 € left under the 1,500 € cap
    assert experts.cost_json(second)["remaining_cents"] == 150000
    cover = await experts.year_cover(p.id, year)
    assert (cover.covered_cents, cover.left_cents) == (150000, 0)
    new_year = await experts.record(
        p.id, {"expert": "Studio Son", "invoiced_on": f"{year + 1}-01-10", "amount_eur": "800"}
    )
    assert new_year.covered_cents == 40000  # a new year, a new cap
    with pytest.raises(ValidationFailed) as bad:
        await experts.record(p.id, {"expert": "", "invoiced_on": "demain", "amount_eur": "-3"})
    assert set(bad.value.errors) == {"expert", "invoiced_on", "amount_eur"}


async def test_hackathon_origin_is_kept_as_a_reference():
    p = await project(
        "Appli festival",
        origin="hackathon",
        hackathon_edition="Culture Experience Days 2027",
        hackathon_team="Les Lumineux",
    )
    body = await records.project_json(p)
    assert body["origin"] == "hackathon" and body["hackathon_team"] == "Les Lumineux"
    assert await ProjectBillShare.count() == 0


async def test_absurd_numbers_are_refused_by_field_not_by_a_crash():
    p = await project("Bornes")
    for hours_value in ("inf", "nan", "1e400", "-2"):
        with pytest.raises(ValidationFailed) as bad:
            await hours.log_hours(p.id, {"worked_on": "2026-11-02", "who": "Léa", "hours": hours_value})
        assert set(bad.value.errors) == {"hours"}
    with pytest.raises(ValidationFailed) as bad_amount:
        await experts.record(p.id, {"expert": "X", "invoiced_on": "2026-11-02", "amount_eur": "inf"})
    assert set(bad_amount.value.errors) == {"amount_eur"}
    with pytest.raises(ValidationFailed) as huge:
        await records.create_project(
            {
                "title": "T",
                "lead_name": "C",
                "lead_email": "c@alpha.example",
                "carriers": [{"organisation": 2**40}, {"organisation": 1, "share_percent": "inf"}],
            }
        )
    assert set(huge.value.errors) == {"carriers"}
