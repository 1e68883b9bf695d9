"""After the event: each side reports whether the meeting took place and any deal (nature, amount);
a deal becomes a commission record of the commissions app (the programme's rate, 10 % by default as
DOMAIN.md says) that staff confirm there or here; the edition's figures (meetings held, no-shows, deals,
commissions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from commissions import records
from commissions.records import CommissionRecord
from commissions.tables import Commission
from lib.db import write_transaction
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from members.tables import Person
from scheduling.fields import utc
from scheduling.planning import get_meeting
from scheduling.programmes import get_programme
from scheduling.tables import Meeting, MeetingReport, Participant


def _amount(value: Any) -> int | None:
    """Euros ("1500", "1 500,50") or an int of cents for the API -> cents; None when empty."""
    return records.optional_amount_cents(value, "amount")


async def report(
    meeting_id: int,
    participant: Participant,
    took_place: bool,
    deal: bool = False,
    deal_nature: str = "",
    amount: Any = None,
    now: datetime | None = None,
) -> MeetingReport:
    """One side's report (a second report of the same side replaces the first). A deal with an amount
    creates or updates the meeting's proposed commission; a confirmed commission no longer changes."""
    meeting = await get_meeting(meeting_id)
    if participant.id not in (meeting.producer, meeting.buyer):
        raise NotFound(_("This meeting does not exist."))
    if not meeting.published:
        raise ValidationFailed({"__all__": _("This meeting is not published.")})
    if (now or datetime.now(UTC)) < utc(meeting.starts_at):
        raise ValidationFailed({"took_place": _("You can report on a meeting once it has started.")})
    amount_cents = _amount(amount) if deal else None
    nature = (deal_nature or "").strip()
    errors: dict[str, str] = {}
    if deal and not took_place:
        errors["deal"] = _("A deal needs the meeting to have taken place.")
    if deal and not nature:
        errors["deal_nature"] = _("Describe the deal.")
    if deal and (amount_cents is None or amount_cents <= 0):
        errors["amount"] = _("Enter the amount of the deal (excl. VAT).")
    if len(nature) > 300:
        errors["deal_nature"] = _("At most %(limit)d characters.", limit=300)
    if errors:
        raise ValidationFailed(errors)
    programme = await get_programme(meeting.programme)
    async with write_transaction():
        await MeetingReport.delete().where(
            (MeetingReport.meeting == meeting.id) & (MeetingReport.participant == participant.id)
        )
        row = MeetingReport(
            meeting=meeting.id,
            participant=participant.id,
            took_place=bool(took_place),
            deal=bool(deal),
            deal_nature=nature,
            amount_cents=amount_cents,
        )
        await row.save()
        if deal and amount_cents:
            producer = await Participant.objects().where(Participant.id == meeting.producer).first()
            buyer = await Participant.objects().where(Participant.id == meeting.buyer).first()
            person = await Person.objects().where(Person.id == producer.person).first()
            await records.record_deal(
                meeting_id=meeting.id,
                programme_id=programme.id,
                organisation_id=person.organisation if person else None,
                buyer=buyer.organisation_name if buyer else "",
                description=nature,
                amount_cents=amount_cents,
                rate_bp=programme.commission_rate_bp,
            )
    return row


async def reports_of(participant_id: int) -> dict[int, dict[str, Any]]:
    rows = await MeetingReport.select().where(MeetingReport.participant == participant_id)
    return {r["meeting"]: r for r in rows}


async def confirm(
    commission_id: int, rate_bp: Any = None, amount: Any = None, rate_reason: Any = None
) -> CommissionRecord:
    """Staff confirm a deal's commission, possibly with another rate (raised where the cluster coordinated
    heavily: a reason is then required) or a corrected amount (commissions.records.confirm)."""
    return await records.confirm(
        commission_id, {"rate_bp": rate_bp, "amount": amount, "rate_reason": rate_reason}
    )


async def commissions(programme_id: int) -> list[dict[str, Any]]:
    """The programme's deal commissions, with the producer's and buyer's names."""
    rows = (
        await Commission.select(
            Commission.all_columns(),
            Commission.organisation.name.as_alias("organisation_name"),
            Commission.meeting.producer.organisation_name.as_alias("producer"),
            Commission.meeting.buyer.organisation_name.as_alias("buyer_name"),
        )
        .where(Commission.programme == programme_id)
        .order_by(Commission.id)
    )
    for r in rows:
        r["deal_nature"] = r["description"]
        r["buyer"] = r.pop("buyer_name") or r["buyer"]
    return rows


async def figures(programme_id: int) -> dict[str, int]:
    """Per edition: published meetings, held (a side says it took place), no-shows (reported as not
    held and nobody says otherwise), unreported, deals and amounts, commissions proposed/confirmed."""
    meetings = await Meeting.select(Meeting.id).where(
        (Meeting.programme == programme_id) & Meeting.published.eq(True)
    )
    ids = [m["id"] for m in meetings]
    reports = await MeetingReport.select().where(MeetingReport.meeting.is_in(ids or [0]))
    by_meeting: dict[int, list[dict[str, Any]]] = {}
    for r in reports:
        by_meeting.setdefault(r["meeting"], []).append(r)
    held = sum(1 for i in ids if any(r["took_place"] for r in by_meeting.get(i, [])))
    no_shows = sum(1 for i in ids if by_meeting.get(i) and not any(r["took_place"] for r in by_meeting[i]))
    rows = await Commission.select().where(
        (Commission.programme == programme_id) & (Commission.status != "cancelled")
    )
    return {
        "meetings": len(ids),
        "held": held,
        "no_shows": no_shows,
        "unreported": len(ids) - held - no_shows,
        "deals": len(rows),
        "deal_amount_cents": sum(r["amount_cents"] for r in rows),
        # "proposed": expected, not yet confirmed by staff; "confirmed": confirmed, invoiced or paid.
        "commission_proposed_cents": sum(r["commission_cents"] for r in rows if r["status"] == "expected"),
        "commission_confirmed_cents": sum(r["commission_cents"] for r in rows if r["status"] != "expected"),
    }


@dataclass(frozen=True)
class OrganisationDeal:
    """A deal one of an organisation's people reported after a speed-meeting (for the member space)."""

    meeting_id: int
    programme_id: int
    starts_at: datetime
    reported_by: str
    other_side: str
    nature: str
    amount_cents: int | None


async def deals_of_organisation(organisation_id: int) -> list[OrganisationDeal]:
    """The deals the organisation's people reported (one line per meeting and reporting side), newest first."""
    rows = await MeetingReport.select(
        MeetingReport.meeting,
        MeetingReport.deal_nature,
        MeetingReport.amount_cents,
        MeetingReport.participant.person.first_name.as_alias("first_name"),
        MeetingReport.participant.person.last_name.as_alias("last_name"),
        MeetingReport.participant.id.as_alias("participant_id"),
        MeetingReport.meeting.programme.as_alias("programme_id"),
        MeetingReport.meeting.starts_at.as_alias("starts_at"),
        MeetingReport.meeting.producer.as_alias("producer"),
        MeetingReport.meeting.buyer.as_alias("buyer"),
    ).where(MeetingReport.deal.eq(True) & (MeetingReport.participant.person.organisation == organisation_id))
    other_ids = {r["buyer"] if r["participant_id"] == r["producer"] else r["producer"] for r in rows}
    others = {
        p["id"]: p["organisation_name"] or f"{p['first_name']} {p['last_name']}"
        for p in (
            await Participant.select(
                Participant.id,
                Participant.organisation_name,
                Participant.person.first_name.as_alias("first_name"),
                Participant.person.last_name.as_alias("last_name"),
            ).where(Participant.id.is_in(sorted(other_ids)))
            if other_ids
            else []
        )
    }
    out = [
        OrganisationDeal(
            meeting_id=r["meeting"],
            programme_id=r["programme_id"],
            starts_at=r["starts_at"],
            reported_by=f"{r['first_name']} {r['last_name']}",
            other_side=others.get(r["buyer"] if r["participant_id"] == r["producer"] else r["producer"], ""),
            nature=r["deal_nature"],
            amount_cents=r["amount_cents"],
        )
        for r in rows
    ]
    return sorted(out, key=lambda d: d.starts_at, reverse=True)
