"""Read-only hackathon counts for the year's figures (figures/): per edition, participants accepted (by
role), teams, projects submitted, selected by the jury and accompanied by the cluster; grouped in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from hackathon.tables import Edition


@dataclass(frozen=True)
class HackathonFigures:
    edition_id: int
    event_id: int
    participants: int  # accepted
    teams: int
    submitted: int
    selected: int
    accompanied: int
    by_role: dict[str, int] = field(default_factory=dict)  # accepted participants per role


def _ids(values: list[int]) -> str:
    return ", ".join(str(int(v)) for v in values)


async def hackathons_of_events(event_ids: list[int]) -> list[HackathonFigures]:
    if not event_ids:
        return []
    editions = await Edition.raw(
        f"SELECT id, event, jury_call FROM hackathon_edition WHERE event IN ({_ids(event_ids)}) ORDER BY id"
    )
    if not editions:
        return []
    ids = _ids([e["id"] for e in editions])
    roles: dict[int, dict[str, int]] = {}
    for r in await Edition.raw(
        "SELECT edition, role, COUNT(*) AS n FROM hackathon_participant "
        f"WHERE edition IN ({ids}) AND status = 'accepted' GROUP BY edition, role"
    ):
        roles.setdefault(int(r["edition"]), {})[r["role"]] = int(r["n"])
    teams = {
        int(r["edition"]): int(r["n"])
        for r in await Edition.raw(
            f"SELECT edition, COUNT(*) AS n FROM hackathon_team WHERE edition IN ({ids}) GROUP BY edition"
        )
    }
    projects: dict[int, tuple[int, int, int]] = {}
    for r in await Edition.raw(
        "SELECT t.edition AS edition, COUNT(*) AS submitted, "
        "COALESCE(SUM(CASE WHEN e.status = 'selected' AND e.call = ed.jury_call THEN 1 ELSE 0 END), 0) "
        "AS selected, "
        "COALESCE(SUM(CASE WHEN s.project_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS accompanied "
        "FROM hackathon_submission s JOIN hackathon_team t ON t.id = s.team "
        "JOIN hackathon_edition ed ON ed.id = t.edition LEFT JOIN jury_entry e ON e.id = s.entry "
        f"WHERE t.edition IN ({ids}) GROUP BY t.edition"
    ):
        projects[int(r["edition"])] = (int(r["submitted"]), int(r["selected"]), int(r["accompanied"]))
    result = []
    for e in editions:
        edition_id = int(e["id"])
        by_role = roles.get(edition_id, {})
        submitted, selected, accompanied = projects.get(edition_id, (0, 0, 0))
        result.append(
            HackathonFigures(
                edition_id=edition_id,
                event_id=int(e["event"]),
                participants=sum(by_role.values()),
                teams=teams.get(edition_id, 0),
                submitted=submitted,
                selected=selected,
                accompanied=accompanied,
                by_role=by_role,
            )
        )
    return result
