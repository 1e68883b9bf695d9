"""The cluster's trade-fair support (DOMAIN.md, "Stands at trade fairs").

When at least FAIR_SUBSIDY_MIN_MEMBERS (2) member organisations in good standing go to the same fair,
each of them gets FAIR_SUBSIDY_PERCENT (50 %) of its accreditation paid, capped at FAIR_SUBSIDY_CAP_CENTS
(300 €) per structure per fair; and the cluster pays FAIR_SHARED_STAND_PERCENT (50 %) of a shared stand,
split among the structures that share it (each eligible sharer gets that part of its own portion).
A structure that is alone at the fair, or not in good standing on the fair's first day, gets nothing,
and the page says which.

`support()` is a pure function of the fair and its participants, so the rule is tested on worked
examples without a database; `fair_support()` reads them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from lib.csv_export import neutralise
from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.jobs import atomic
from lib.settings import get_settings
from members.register import today
from members.standing import membership_standing
from members.tables import Organisation
from stands.floorplan import flag, text, whole
from stands.parties import organisation_ids_for
from stands.tables import TradeFair, TradeFairParticipant


@dataclass(frozen=True)
class Rule:
    percent: int = 50
    cap_cents: int = 30000
    min_members: int = 2
    shared_stand_percent: int = 50

    @classmethod
    def from_settings(cls) -> Rule:
        s = get_settings()
        return cls(
            s.fair_subsidy_percent,
            s.fair_subsidy_cap_cents,
            s.fair_subsidy_min_members,
            s.fair_shared_stand_percent,
        )


@dataclass(frozen=True)
class Going:
    organisation_id: int
    name: str
    in_good_standing: bool
    shares_stand: bool = False


@dataclass(frozen=True)
class StructureSupport:
    organisation_id: int
    name: str
    eligible: bool
    reason: str  # eligible | alone | not_in_good_standing
    explanation: str
    accreditation_cents: int
    accreditation_subsidy_cents: int
    capped: bool
    stand_portion_cents: int
    stand_subsidy_cents: int
    subsidy_cents: int
    remaining_cents: int


@dataclass(frozen=True)
class FairSupport:
    fair_id: int
    name: str
    year: int
    structures: list[StructureSupport]
    members_in_good_standing: int
    total_subsidy_cents: int


def _split(total: int, n: int) -> list[int]:
    """Split cents into n parts that add up exactly (the first parts take the remainder)."""
    if n <= 0:
        return []
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def support(
    *,
    fair_id: int,
    name: str,
    year: int,
    accreditation_cents: int,
    shared_stand_cents: int | None,
    going: list[Going],
    rule: Rule,
) -> FairSupport:
    members = [g for g in going if g.in_good_standing]
    group_ok = len(members) >= rule.min_members
    sharers = [g for g in going if g.shares_stand] if shared_stand_cents else []
    portions = dict(
        zip([g.organisation_id for g in sharers], _split(shared_stand_cents or 0, len(sharers)), strict=True)
    )
    results: list[StructureSupport] = []
    for g in sorted(going, key=lambda g: g.name.casefold()):
        portion = portions.get(g.organisation_id, 0)
        if not g.in_good_standing:
            reason, explanation = (
                "not_in_good_standing",
                _("Not a member in good standing on the first day of the fair: no support."),
            )
        elif not group_ok:
            reason = "alone"
            explanation = _(
                "Alone at this fair: support starts when %(n)s member organisations go together.",
                n=rule.min_members,
            )
        else:
            reason, explanation = "eligible", _("Goes with other members: supported.")
        eligible = reason == "eligible"
        raw = (accreditation_cents * rule.percent + 50) // 100 if eligible else 0
        accreditation_subsidy = min(raw, rule.cap_cents)
        stand_subsidy = (portion * rule.shared_stand_percent + 50) // 100 if eligible else 0
        if eligible and raw > rule.cap_cents:
            explanation = _("Supported, capped at %(cap)s € per structure.", cap=f"{rule.cap_cents / 100:g}")
        subsidy = accreditation_subsidy + stand_subsidy
        results.append(
            StructureSupport(
                organisation_id=g.organisation_id,
                name=g.name,
                eligible=eligible,
                reason=reason,
                explanation=explanation,
                accreditation_cents=accreditation_cents,
                accreditation_subsidy_cents=accreditation_subsidy,
                capped=eligible and raw > rule.cap_cents,
                stand_portion_cents=portion,
                stand_subsidy_cents=stand_subsidy,
                subsidy_cents=subsidy,
                remaining_cents=accreditation_cents + portion - subsidy,
            )
        )
    return FairSupport(fair_id, name, year, results, len(members), sum(r.subsidy_cents for r in results))


# ---- records ------------------------------------------------------------------------------------
def _date(errors: dict[str, str], data: dict[str, Any], name: str) -> date | None:
    raw = data.get(name)
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = _("Enter a valid date.")
        return None


async def save_fair(data: dict[str, Any], fair_id: int | None = None) -> TradeFair:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "name": text(errors, data, "name", length=200, required=True),
        "place": text(errors, data, "place", length=200),
        "starts_on": _date(errors, data, "starts_on"),
        "ends_on": _date(errors, data, "ends_on"),
        "accreditation_cents": whole(errors, data, "accreditation_cents", low=0, high=10_000_000),
        "shared_stand_cents": None,
    }
    if data.get("shared_stand_cents") not in (None, ""):
        values["shared_stand_cents"] = whole(errors, data, "shared_stand_cents", low=0, high=100_000_000)
    if not errors and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The fair cannot end before it starts.")
    if errors:
        raise ValidationFailed(errors)
    if fair_id is None:
        fair = TradeFair(**values)
        await fair.save()
        return fair
    await TradeFair.update(values).where(TradeFair.id == fair_id)
    return await get_fair(fair_id)


async def get_fair(fair_id: int) -> TradeFair:
    fair = await TradeFair.objects().where(TradeFair.id == fair_id).first()
    if fair is None:
        raise NotFound(_("This trade fair does not exist."))
    return fair


async def declare(
    fair_id: int, *, organisation_id: Any, shares_stand: Any = False, declared_by: str = ""
) -> None:
    """A structure says it goes to the fair (again: updates whether it shares the stand)."""
    fair = await get_fair(fair_id)
    errors: dict[str, str] = {}
    org_id = whole(errors, {"organisation": organisation_id}, "organisation", low=1, high=2**31 - 1)
    shares = flag(errors, {"shares_stand": shares_stand}, "shares_stand")
    if errors:
        raise ValidationFailed(errors)
    if not await Organisation.exists().where(Organisation.id == org_id):
        raise ValidationFailed.one("organisation", _("Unknown organisation."))
    async with atomic():
        existing = (
            await TradeFairParticipant.select(TradeFairParticipant.id)
            .where((TradeFairParticipant.fair == fair.id) & (TradeFairParticipant.organisation == org_id))
            .first()
        )
        if existing:
            await TradeFairParticipant.update({TradeFairParticipant.shares_stand: shares}).where(
                TradeFairParticipant.id == existing["id"]
            )
        else:
            await TradeFairParticipant(
                fair=fair.id, organisation=org_id, shares_stand=shares, declared_by=declared_by
            ).save()


async def withdraw(fair_id: int, organisation_id: int) -> None:
    await TradeFairParticipant.delete().where(
        (TradeFairParticipant.fair == fair_id) & (TradeFairParticipant.organisation == organisation_id)
    )


async def fair_support(fair_id: int) -> FairSupport:
    fair = await get_fair(fair_id)
    rows = await TradeFairParticipant.select(
        TradeFairParticipant.organisation,
        TradeFairParticipant.shares_stand,
        TradeFairParticipant.organisation.name.as_alias("name"),
    ).where(TradeFairParticipant.fair == fair.id)
    going = [
        Going(
            r["organisation"],
            r["name"],
            (
                await membership_standing(organisation_id=r["organisation"], on=fair.starts_on)
            ).in_good_standing,
            r["shares_stand"],
        )
        for r in rows
    ]
    return support(
        fair_id=fair.id,
        name=fair.name,
        year=fair.starts_on.year,
        accreditation_cents=fair.accreditation_cents,
        shared_stand_cents=fair.shared_stand_cents,
        going=going,
        rule=Rule.from_settings(),
    )


async def list_fairs(year: int | None = None) -> list[TradeFair]:
    query = TradeFair.objects().order_by(TradeFair.starts_on)
    fairs = await query
    return [f for f in fairs if year is None or f.starts_on.year == year]


async def yearly(year: int) -> list[FairSupport]:
    return [await fair_support(f.id) for f in await list_fairs(year)]


class _Neutral:
    """A csv writer whose text cells cannot run as spreadsheet formulas (lib.csv_export.neutralise)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: list[Any]) -> None:
        self.writer.writerow([neutralise(str(c)) for c in row])


# ---- a member's own page: the upcoming fairs, declare / withdraw -------------------------------------
@dataclass(frozen=True)
class MemberFair:
    fair: TradeFair
    going: bool
    shares_stand: bool
    members_going: int  # other structures in good standing that go (not named: that is staff's view)
    support: StructureSupport  # the structure's line: what it gets if it goes (or gets, when going)


async def member_organisation(email: str | None) -> int:
    """The organisation a signed-in email speaks for, or a 422 naming the email."""
    orgs = await organisation_ids_for(email)
    if not orgs:
        raise ValidationFailed.one("email", _("This address is not linked to a member organisation."))
    return min(orgs)


async def _upcoming(fair_id: int) -> TradeFair:
    fair = await get_fair(fair_id)
    if fair.ends_on < today():
        raise ValidationFailed.one("fair", _("This trade fair is over: it can no longer be changed."))
    return fair


async def member_fairs(email: str | None) -> list[MemberFair]:
    """The fairs that are not over, each with what this email's structure gets there: going or not (then
    what it would get if it went), its support, remaining cost and the plain reason when it is nothing."""
    org_id = await member_organisation(email)
    org = await Organisation.objects().where(Organisation.id == org_id).first()
    assert org is not None
    fairs = [f for f in await list_fairs() if f.ends_on >= today()]
    out = []
    for fair in fairs:
        current = await fair_support(fair.id)
        mine = next((r for r in current.structures if r.organisation_id == org_id), None)
        row = (
            await TradeFairParticipant.select(TradeFairParticipant.shares_stand)
            .where((TradeFairParticipant.fair == fair.id) & (TradeFairParticipant.organisation == org_id))
            .first()
        )
        if mine is None:  # not going yet: what it would get with the structures that go
            standing = await membership_standing(organisation_id=org_id, on=fair.starts_on)
            going = [
                Going(r.organisation_id, r.name, r.reason != "not_in_good_standing", False)
                for r in current.structures
            ]
            preview = support(
                fair_id=fair.id,
                name=fair.name,
                year=fair.starts_on.year,
                accreditation_cents=fair.accreditation_cents,
                shared_stand_cents=None,
                going=[*going, Going(org_id, org.name, standing.in_good_standing, False)],
                rule=Rule.from_settings(),
            )
            mine = next(r for r in preview.structures if r.organisation_id == org_id)
        others = sum(
            1
            for r in current.structures
            if r.organisation_id != org_id and r.reason != "not_in_good_standing"
        )
        out.append(
            MemberFair(
                fair=fair,
                going=row is not None,
                shares_stand=bool(row and row["shares_stand"]),
                members_going=others,
                support=mine,
            )
        )
    return out


async def declare_as_member(fair_id: int, *, email: str | None, shares_stand: Any = False) -> None:
    """A member's people say their structure goes to a fair that is not over (again: updates the stand)."""
    org_id = await member_organisation(email)
    fair = await _upcoming(fair_id)
    await declare(fair.id, organisation_id=org_id, shares_stand=shares_stand, declared_by=email or "")


async def withdraw_as_member(fair_id: int, *, email: str | None) -> None:
    org_id = await member_organisation(email)
    fair = await _upcoming(fair_id)
    await withdraw(fair.id, org_id)


def support_csv(supports: list[FairSupport]) -> str:
    """One line per structure per fair, then a total per fair (for the funders); amounts in euros."""
    out = io.StringIO()
    writer = _Neutral(csv.writer(out, delimiter=";"))
    writer.writerow(
        [
            _("Fair"),
            _("Year"),
            _("Organisation"),
            _("Eligible"),
            _("Reason"),
            _("Accreditation"),
            _("Accreditation support"),
            _("Shared stand portion"),
            _("Shared stand support"),
            _("Support"),
            _("Remaining cost"),
        ]
    )
    euros = lambda c: f"{c / 100:.2f}".replace(".", ",")  # noqa: E731
    for s in supports:
        for r in s.structures:
            writer.writerow(
                [
                    s.name,
                    s.year,
                    r.name,
                    _("yes") if r.eligible else _("no"),
                    r.explanation,
                    euros(r.accreditation_cents),
                    euros(r.accreditation_subsidy_cents),
                    euros(r.stand_portion_cents),
                    euros(r.stand_subsidy_cents),
                    euros(r.subsidy_cents),
                    euros(r.remaining_cents),
                ]
            )
        writer.writerow(
            [s.name, s.year, _("Total"), "", "", "", "", "", "", euros(s.total_subsidy_cents), ""]
        )
    writer.writerow(
        [_("Total"), "", "", "", "", "", "", "", "", euros(sum(s.total_subsidy_cents for s in supports)), ""]
    )
    return out.getvalue()


@dataclass(frozen=True)
class OrganisationSubsidy:
    """What one organisation gets for one trade fair it declared (for the member space)."""

    fair_id: int
    fair: str
    place: str
    starts_on: date
    ends_on: date
    support: StructureSupport


async def subsidies_of_organisation(organisation_id: int) -> list[OrganisationSubsidy]:
    """The trade fairs this organisation declared going to, with its support under the rule, newest first."""
    rows = await TradeFairParticipant.select(TradeFairParticipant.fair).where(
        TradeFairParticipant.organisation == organisation_id
    )
    out = []
    for fair_id in sorted({r["fair"] for r in rows}):
        fair = await get_fair(fair_id)
        mine = [s for s in (await fair_support(fair_id)).structures if s.organisation_id == organisation_id]
        if mine:
            out.append(
                OrganisationSubsidy(fair.id, fair.name, fair.place, fair.starts_on, fair.ends_on, mine[0])
            )
    return sorted(out, key=lambda s: s.starts_on, reverse=True)
