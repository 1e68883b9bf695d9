"""Demo dues: the current year called for every organisation of the register; those whose year the shared
demo already records as paid are paid by transfer on that day, the others wait (and can be reminded)."""

from __future__ import annotations

from dues import calls
from dues.tables import DuesCall
from members.tables import MembershipYear


async def load() -> str | None:
    """Nothing happens when the current year is already called."""
    year = calls.paris_today().year
    if await DuesCall.exists().where(DuesCall.year == year):
        return None
    result = await calls.call_year(year)
    paid_on = {
        r["organisation"]: r["paid_on"]
        for r in await MembershipYear.select(MembershipYear.organisation, MembershipYear.paid_on).where(
            (MembershipYear.year == year) & MembershipYear.paid_on.is_not_null()
        )
    }
    paid = 0
    for row in await calls.list_year(year):
        if row.organisation_id in paid_on:
            await calls.mark_paid(row.id, "transfer", paid_on[row.organisation_id])
            paid += 1
    return f"Dues {year}: {len(result.issued)} invoices called, {paid} paid."
