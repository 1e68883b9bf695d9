"""Conflicts of interest. Derived from the member register: a juror is recused from an entry when the
juror's organisation produced, co-produced or takes part in it (Entry.participant_organisations), or
when the juror submitted it. Declared: any other conflict the juror states, with a reason. Both are listed
for staff and respected by the assignment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from juries.common import loads, row_or_404, text
from juries.tables import DeclaredRecusal, Entry, Juror
from lib.errors import ValidationFailed
from lib.i18n import _

PRODUCER, COPRODUCER, SUBMITTER, DECLARED = "producer", "coproducer", "submitter", "declared"
PARTICIPANT = (
    "participant"  # the juror's organisation takes part in the entry (Entry.participant_organisations)
)


@dataclass(frozen=True)
class Recusal:
    juror: int
    entry: int
    kind: str  # producer | coproducer | participant | submitter | declared
    reason: str


def derived(juror: Juror, entry: Entry) -> Recusal | None:
    if juror.email == entry.submitter_email:
        return Recusal(juror.id, entry.id, SUBMITTER, _("The juror submitted this entry."))
    if juror.organisation is None:
        return None
    if entry.organisation == juror.organisation:
        return Recusal(juror.id, entry.id, PRODUCER, _("The juror's organisation produced this film."))
    if any(c.get("organisation") == juror.organisation for c in loads(entry.coproducers, [])):
        return Recusal(juror.id, entry.id, COPRODUCER, _("The juror's organisation co-produced this film."))
    if juror.organisation in loads(entry.participant_organisations, []):
        return Recusal(
            juror.id,
            entry.id,
            PARTICIPANT,
            _("Someone from the juror's organisation takes part in this entry."),
        )
    return None


async def recusals_of_call(call_id: int) -> list[Recusal]:
    jurors = await Juror.objects().where(Juror.call == call_id).order_by(Juror.id)
    entries = await Entry.objects().where(Entry.call == call_id).order_by(Entry.id)
    out = [r for j in jurors for e in entries if (r := derived(j, e)) is not None]
    declared = await DeclaredRecusal.objects().where(
        DeclaredRecusal.juror.is_in([j.id for j in jurors] or [0])
    )
    out += [Recusal(d.juror, d.entry, DECLARED, d.reason) for d in declared]
    return out


def recused_pairs(recusals: list[Recusal]) -> frozenset[tuple[int, int]]:
    return frozenset((r.juror, r.entry) for r in recusals)


async def declare(juror: Juror, entry_id: Any, data: dict[str, Any]) -> Recusal:
    errors: dict[str, str] = {}
    reason = text(errors, data, "reason", required=True, max_length=300)
    if errors:
        raise ValidationFailed(errors)
    entry = await row_or_404(Entry, entry_id, _("This entry does not exist."))
    if entry.call != juror.call:
        raise ValidationFailed.one("entry_id", _("This entry does not exist."))
    if not await DeclaredRecusal.exists().where(
        (DeclaredRecusal.juror == juror.id) & (DeclaredRecusal.entry == entry.id)
    ):
        await DeclaredRecusal(juror=juror.id, entry=entry.id, reason=reason).save()
    return Recusal(juror.id, entry.id, DECLARED, reason)


def recusal_json(r: Recusal) -> dict[str, Any]:
    return {"juror_id": r.juror, "entry_id": r.entry, "kind": r.kind, "reason": r.reason}
