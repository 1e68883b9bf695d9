"""When an entry is eligible. The hard rules (deadline, runtime, year, entries per organisation, good
standing) refuse a submission outright; what is left can be fixed by the submitter and keeps the entry
"received" until it is: the rights for the screening cleared, and, for members-only calls, the producing
organisation still in good standing. An entry whose checks pass is "eligible"; only eligible entries
enter the selection when the first round opens (received → eligible → in selection → selected / not
selected)."""

from __future__ import annotations

from dataclasses import dataclass

from juries.common import now
from juries.tables import Call, Entry
from lib.i18n import _
from members.standing import membership_standing

# The statuses eligibility may move between; later ones belong to the selection.
BEFORE_SELECTION = ("received", "eligible")
# The submitter's path, shown on the entry's page.
PATH = ("received", "eligible", "in_selection", "selected")


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    gaps: tuple[str, ...]  # what keeps the entry from being eligible, in the submitter's words


async def check(call: Call, entry: Entry) -> Eligibility:
    gaps: list[str] = []
    if not entry.rights_cleared:
        gaps.append(_("The rights for the screening are not cleared yet: tick the box once they are."))
    if call.eligibility == "members":
        standing = await membership_standing(email=entry.submitter_email, on=now())
        if not standing.in_good_standing:
            gaps.append(_("Only members in good standing may submit: %(reason)s", reason=standing.message))
    return Eligibility(not gaps, tuple(gaps))


async def refresh(call: Call, entry: Entry) -> str:
    """Set the entry eligible or back to received by its checks (only before the selection starts);
    the status it has afterwards."""
    if entry.status not in BEFORE_SELECTION:
        return entry.status
    status = "eligible" if (await check(call, entry)).eligible else "received"
    if status != entry.status:
        await Entry.update({Entry.status: status}).where(
            (Entry.id == entry.id) & Entry.status.is_in(list(BEFORE_SELECTION))
        )
        entry.status = status
    return status
