"""Who carries a project: at least 2 organisations, of which at least 2 members in good standing
(DOMAIN.md; PROJECT_MIN_MEMBERS), with agreed shares of the bills that add up to 100 %."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lib.i18n import _
from lib.settings import get_settings
from members.standing import membership_standing
from members.tables import Organisation

WHOLE_BP = 10000
MAX_ID = 2**31 - 1  # an id column's range: larger numbers name no organisation


@dataclass(frozen=True)
class Carrier:
    organisation_id: int
    share_bp: int


@dataclass(frozen=True)
class CarrierStanding:
    organisation_id: int
    name: str
    share_bp: int
    in_good_standing: bool
    message: str


def parse_carriers(raw: Any) -> tuple[list[Carrier], str | None]:
    """[{"organisation": id, "share_percent": 50}, ...] → carriers, or a translated error.
    Without any share: equal shares (the remainder to the first carriers)."""
    if not isinstance(raw, list) or not raw:
        return [], _("Give the organisations that carry the project.")
    ids: list[int] = []
    shares: list[int | None] = []
    for item in raw:
        if not isinstance(item, dict):
            return [], _("Each carrier is an organisation with its share.")
        org = item.get("organisation")
        if isinstance(org, bool) or not isinstance(org, int) or not 0 < org <= MAX_ID:
            return [], _("Each carrier needs an organisation.")
        if org in ids:
            return [], _("An organisation carries the project only once.")
        ids.append(org)
        percent = item.get("share_percent")
        if percent is None or percent == "":
            shares.append(None)
            continue
        try:
            bp = round(float(percent) * 100)
        except (TypeError, ValueError, OverflowError):
            return [], _("A share is a percentage between 0 and 100.")
        if not 0 <= bp <= WHOLE_BP:
            return [], _("A share is a percentage between 0 and 100.")
        shares.append(bp)
    if all(s is None for s in shares):
        base, extra = divmod(WHOLE_BP, len(ids))
        shares = [base + (1 if i < extra else 0) for i in range(len(ids))]
    elif any(s is None for s in shares) or sum(s or 0 for s in shares) != WHOLE_BP:
        return [], _("The carriers' shares must add up to 100 %.")
    return [Carrier(o, int(s or 0)) for o, s in zip(ids, shares, strict=True)], None


async def standings(carriers: list[Carrier], on: date) -> list[CarrierStanding]:
    found = []
    for carrier in carriers:
        org = await Organisation.objects().where(Organisation.id == carrier.organisation_id).first()
        standing = await membership_standing(organisation_id=carrier.organisation_id, on=on)
        found.append(
            CarrierStanding(
                carrier.organisation_id,
                org.name if org else "",
                carrier.share_bp,
                standing.in_good_standing,
                standing.message,
            )
        )
    return found


async def carriers_error(carriers: list[Carrier], on: date) -> str | None:
    """None when the carriers may carry a project on `on`; otherwise why not (translated)."""
    minimum = get_settings().project_min_members
    if len(carriers) < 2:
        return _("A project is carried by at least 2 organisations.")
    found = await standings(carriers, on)
    unknown = [c.organisation_id for c, s in zip(carriers, found, strict=True) if not s.name]
    if unknown:
        return _("Unknown organisation: %(id)s.", id=unknown[0])
    members = sum(1 for s in found if s.in_good_standing)
    if members < minimum:
        return _(
            "At least %(minimum)s carriers must be members in good standing on %(date)s; "
            "%(count)s are (%(names)s).",
            minimum=minimum,
            date=on.strftime("%d/%m/%Y"),
            count=members,
            names=", ".join(s.name for s in found if s.in_good_standing) or "—",
        )
    return None
