"""Commission totals per member, per source and per year: expected (every commission not cancelled),
invoiced (invoiced or paid, not cancelled) and paid, HT in cents."""

from __future__ import annotations

from dataclasses import dataclass, field

from commissions import records
from commissions.records import CommissionRecord


@dataclass(frozen=True)
class Amounts:
    count: int = 0
    expected_cents: int = 0
    invoiced_cents: int = 0
    paid_cents: int = 0


@dataclass(frozen=True)
class TotalsRow:
    organisation_id: int | None
    organisation: str
    source: str
    year: int
    amounts: Amounts


@dataclass(frozen=True)
class Totals:
    year: int | None
    rows: list[TotalsRow]  # one per (member, source, year), by year, member, source
    by_source: dict[str, Amounts] = field(default_factory=dict)
    by_year: dict[int, Amounts] = field(default_factory=dict)
    overall: Amounts = Amounts()


def _add(a: Amounts, r: CommissionRecord) -> Amounts:
    if r.status == "cancelled":
        return a
    invoiced = r.status in ("invoiced", "paid")
    return Amounts(
        a.count + 1,
        a.expected_cents + r.commission_cents,
        a.invoiced_cents + (r.commission_cents if invoiced else 0),
        a.paid_cents + (r.commission_cents if r.status == "paid" else 0),
    )


def summarise(rows: list[CommissionRecord], year: int | None = None) -> Totals:
    """The totals of some records (pure: the staff page and the API use it on their filtered rows)."""
    groups: dict[tuple[int, str, int | None, str], Amounts] = {}
    by_source: dict[str, Amounts] = {s: Amounts() for s in records.SOURCES}
    by_year: dict[int, Amounts] = {}
    overall = Amounts()
    for r in rows:
        if r.status == "cancelled":
            continue
        key = (r.year, r.organisation.casefold(), r.organisation_id, r.source)
        groups[key] = _add(groups.get(key, Amounts()), r)
        by_source[r.source] = _add(by_source.get(r.source, Amounts()), r)
        by_year[r.year] = _add(by_year.get(r.year, Amounts()), r)
        overall = _add(overall, r)
    names = {r.organisation_id: r.organisation for r in rows}
    out = [
        TotalsRow(org_id, names.get(org_id, ""), source, y, amounts)
        for (y, _name, org_id, source), amounts in sorted(
            groups.items(), key=lambda kv: (-kv[0][0], kv[0][1], records.SOURCES.index(kv[0][3]))
        )
    ]
    return Totals(year, out, by_source, dict(sorted(by_year.items())), overall)


async def totals(
    year: int | None = None, *, organisation_id: int | None = None, source: str | None = None
) -> Totals:
    """Totals per member, source and year (every year when `year` is None)."""
    rows = await records.list_records(year=year, organisation_id=organisation_id, source=source)
    return summarise(rows, year)
