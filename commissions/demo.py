"""Demo commissions: a collective market won for three members (one invoiced and paid, one invoiced, one
confirmed), business brought to one member at a raised rate with its reason, and the speed-meeting deals'
records (those reported so far; the demo's MIMA 2027 programme is still at the wish phase, so its deals
appear as members report them). Everything goes through the services, so the demo obeys the rules."""

from __future__ import annotations

from datetime import timedelta

from commissions import billing, records
from commissions.tables import CollectiveMarket, Commission
from members.tables import Organisation


async def load() -> str | None:
    """Nothing happens when a collective market exists already or fewer than four organisations exist."""
    if await CollectiveMarket.exists():
        return None
    orgs = await Organisation.objects().order_by(Organisation.id).limit(4)
    if len(orgs) < 4:
        return None
    today = records.today()
    market = await records.record_market(
        {
            "title": "Habillage sonore et vidéo des Journées européennes du patrimoine",
            "buyer": "Clermont Auvergne Métropole",
            "reference": f"MAPA-{today.year}-017",
            "won_on": (today - timedelta(days=75)).isoformat(),
            "shares": [
                {"organisation": orgs[0].id, "amount": 1800000},
                {"organisation": orgs[1].id, "amount": 950000},
                {"organisation": orgs[2].id, "amount": 420000},
            ],
        }
    )
    first, second, third = market.records
    for record in (first, second, third):
        await records.confirm(record.id)
    await billing.invoice(first.id)
    await billing.mark_paid(first.id, "transfer")
    await billing.invoice(second.id)
    business = await records.record_business(
        {
            "organisation": orgs[3].id,
            "buyer": "Festival Europavox",
            "description": "Captation vidéo de trois concerts",
            "amount": 640000,
            "won_on": (today - timedelta(days=20)).isoformat(),
            "rate_percent": "12",
            "rate_reason": "Le cluster a monté le dossier et coordonné les trois équipes",
        }
    )
    deals = await Commission.count().where(Commission.source == "deal")
    return (
        f"Commissions: a collective market for 3 members ({len(market.records)} records), business brought "
        f"to {business.organisation} at 12 %, {deals} speed-meeting deal record(s)."
    )
