"""What the staff page and the API show of one project: hours and their rate, bills, expert costs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from members.register import today
from projects import billing, experts, hours, records
from projects.tables import ProjectCarrier
from ticketing.tables import Invoice


async def project_summary(project_id: int) -> dict[str, Any]:
    project = await records.get_project(project_id)
    total = await hours.total_minutes(project.id)
    rate = hours.rate_for(total)
    billed = await billing.billed_ht(project.id)
    year = today().year
    cover = await experts.year_cover(project.id, year)
    bills = []
    for bill in await billing.bills_of(project.id):
        bills.append(
            {
                "id": bill.id,
                "total_minutes": bill.total_minutes,
                "rate_cents": bill.rate_cents,
                "whole_ht_cents": bill.whole_ht_cents,
                "previously_billed_ht_cents": bill.previously_billed_ht_cents,
                "amount_ht_cents": bill.amount_ht_cents,
                "shares": [
                    {
                        "id": s.id,
                        "organisation": s.organisation,
                        "share_bp": s.share_bp,
                        "amount_ht_cents": s.amount_ht_cents,
                        "vat_cents": s.vat_cents,
                        "amount_ttc_cents": s.amount_ttc_cents,
                        "invoice": s.invoice,
                    }
                    for s in await billing.shares_of(bill.id)
                ],
            }
        )
    costs = [experts.cost_json(c) for c in await experts.costs_of(project.id)]
    return {
        "project": await records.project_json(project),
        "hours": {
            "total_minutes": total,
            "rate_cents": rate.rate_cents,
            "whole_ht_cents": rate.whole_ht_cents,
            "billed_ht_cents": billed,
            "to_bill_ht_cents": max(0, rate.whole_ht_cents - billed),
            "rule": hours.bracket_rule_text(),
            "entries": [
                {
                    "id": e.id,
                    "worked_on": e.worked_on.isoformat(),
                    "who": e.who,
                    "what": e.what,
                    "minutes": e.minutes,
                }
                for e in await hours.entries(project.id)
            ],
        },
        "bills": bills,
        "experts": {
            "costs": costs,
            "year": year,
            "cap_cents": cover.cap_cents,
            "covered_this_year_cents": cover.covered_cents,
            "left_this_year_cents": cover.left_cents,
        },
    }


@dataclass(frozen=True)
class OrganisationBill:
    share_id: int
    billed_on: date
    total_minutes: int
    rate_cents: int
    amount_ht_cents: int
    amount_ttc_cents: int
    invoice_number: str


@dataclass(frozen=True)
class OrganisationExpertCost:
    expert: str
    invoiced_on: date
    amount_ht_cents: int
    covered_cents: int


@dataclass(frozen=True)
class OrganisationProject:
    """A project the organisation carries, as its member space shows it: support hours and their rate,
    its own part of each bill (with the invoice), and the expert costs with what the cluster covers."""

    id: int
    title: str
    status: str
    convention_on: date | None
    ends_on: date | None
    share_bp: int
    total_minutes: int
    rate_cents: int
    bills: list[OrganisationBill]
    expert_costs: list[OrganisationExpertCost]
    covered_this_year_cents: int
    cap_cents: int


async def projects_of_organisation(organisation_id: int) -> list[OrganisationProject]:
    carried = await ProjectCarrier.select(ProjectCarrier.project, ProjectCarrier.share_bp).where(
        ProjectCarrier.organisation == organisation_id
    )
    year = today().year
    out = []
    for row in carried:
        project = await records.get_project(row["project"])
        total = await hours.total_minutes(project.id)
        bills = []
        for bill in await billing.bills_of(project.id):
            for share in await billing.shares_of(bill.id):
                if share.organisation != organisation_id:
                    continue
                number = ""
                if share.invoice is not None:
                    invoice = await Invoice.select(Invoice.number).where(Invoice.id == share.invoice).first()
                    number = invoice["number"] if invoice else ""
                bills.append(
                    OrganisationBill(
                        share_id=share.id,
                        billed_on=bill.created_at.date(),
                        total_minutes=bill.total_minutes,
                        rate_cents=bill.rate_cents,
                        amount_ht_cents=share.amount_ht_cents,
                        amount_ttc_cents=share.amount_ttc_cents,
                        invoice_number=number,
                    )
                )
        cover = await experts.year_cover(project.id, year)
        out.append(
            OrganisationProject(
                id=project.id,
                title=project.title,
                status=project.status,
                convention_on=project.convention_on,
                ends_on=project.ends_on,
                share_bp=row["share_bp"],
                total_minutes=total,
                rate_cents=hours.rate_for(total).rate_cents,
                bills=bills,
                expert_costs=[
                    OrganisationExpertCost(c.expert, c.invoiced_on, c.amount_ht_cents, c.covered_cents)
                    for c in await experts.costs_of(project.id)
                ],
                covered_this_year_cents=cover.covered_cents,
                cap_cents=cover.cap_cents,
            )
        )
    return sorted(out, key=lambda p: p.id, reverse=True)
