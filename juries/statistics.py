"""Read-only film counts for the year's figures (figures/): entries submitted (not withdrawn) and selected
per call of an edition year, grouped in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from juries.tables import Call


@dataclass(frozen=True)
class CallFigures:
    call_id: int
    title: str
    title_en: str
    event_id: int | None
    submitted: int
    selected: int


async def films_of_year(year: int, event_id: int | None = None) -> list[CallFigures]:
    where = f"c.event = {int(event_id)}" if event_id is not None else f"c.edition_year = {int(year)}"
    rows = await Call.raw(
        "SELECT c.id AS id, c.title AS title, c.title_en AS title_en, c.event AS event, "
        "COALESCE(SUM(CASE WHEN e.status <> 'withdrawn' THEN 1 ELSE 0 END), 0) AS submitted, "
        "COALESCE(SUM(CASE WHEN e.status = 'selected' THEN 1 ELSE 0 END), 0) AS selected "
        f"FROM jury_call c LEFT JOIN jury_entry e ON e.call = c.id WHERE {where} "
        "GROUP BY c.id, c.title, c.title_en, c.event ORDER BY c.id"
    )
    return [
        CallFigures(
            int(r["id"]),
            r["title"],
            r["title_en"] or "",
            r["event"],
            int(r["submitted"]),
            int(r["selected"]),
        )
        for r in rows
    ]
