"""What the staff page and the API show of one project: hours and their rate, bills, expert costs."""

from __future__ import annotations

from typing import Any

from members.register import today
from projects import billing, experts, hours, records


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
