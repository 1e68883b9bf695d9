"""The built-in section, chart and money providers: each reads one domain through its public read
functions (`<domain>.statistics`) and turns the counts into labelled metrics and tables."""

from __future__ import annotations

from typing import TypeVar

from checkin.statistics import admitted_by_event
from dues.statistics import dues_of_year, dues_paid_by_year
from events.statistics import EventRow, held_events, members_of_year
from figures.model import Chart, Column, FigureTable, Metric, Section, Series
from figures.registry import Scope, chart_provider, money_source, section_provider
from hackathon.registration import role_label
from hackathon.statistics import hackathons_of_events
from hackathon.tables import ROLES
from juries.statistics import films_of_year
from lib.i18n import _, get_locale
from lib.templating import fmt_date
from members.register import REVENUE_BAND_LABELS, REVENUE_BANDS
from projects.statistics import ProjectFigures, project_money_by_year, projects_of_year
from scheduling.statistics import MeetingFigures, meetings_by_event
from stands.statistics import FairFigures, StandFigures, fairs_by_year, stands_by_event
from ticketing.statistics import TicketCounts, tickets_by_event
from web.labels import college_label, event_kind_label

T = TypeVar("T")
NO_TICKETS = TicketCounts(0, 0)
NO_MEETINGS = MeetingFigures()
NO_STANDS = StandFigures(0, 0)


def event_title(event: EventRow) -> str:
    return event.title_en if get_locale() == "en" and event.title_en else event.title


def rate_bp(part: int, whole: int) -> int:
    """part / whole in basis points, rounded half up (0 when there is nothing to divide)."""
    return (part * 20000 + whole) // (2 * whole) if whole else 0


# ---- shared reads (one query each per computation) ----------------------------------------------------
async def history_events(scope: Scope) -> list[EventRow]:
    """The published events of the history years (the edition itself when the scope is one edition)."""
    if not scope.whole_year:
        return list(scope.events)

    async def read() -> list[EventRow]:
        years = set(scope.history_years)
        return [e for e in await held_events() if e.year in years]

    return await scope.once("history_events", read)


async def history_meetings(scope: Scope) -> dict[int, MeetingFigures]:
    events = await history_events(scope)
    return await scope.once("history_meetings", lambda: meetings_by_event([e.id for e in events]))


async def history_tickets(scope: Scope) -> dict[int, TicketCounts]:
    events = await history_events(scope)
    return await scope.once("history_tickets", lambda: tickets_by_event([e.id for e in events]))


async def history_stands(scope: Scope) -> dict[int, StandFigures]:
    events = await history_events(scope)
    return await scope.once("history_stands", lambda: stands_by_event([e.id for e in events]))


def in_scope(scope: Scope, by_event: dict[int, T]) -> dict[int, T]:
    """The scope's events out of a history read (the history years include the scope's)."""
    ids = set(scope.event_ids)
    return {k: v for k, v in by_event.items() if k in ids}


# The scope's own counts come out of the history reads the money lines need anyway: one aggregate over
# the ten years instead of a second one over the year.
async def tickets(scope: Scope) -> dict[int, TicketCounts]:
    return in_scope(scope, await history_tickets(scope))


async def meetings(scope: Scope) -> dict[int, MeetingFigures]:
    return in_scope(scope, await history_meetings(scope))


async def stands(scope: Scope) -> dict[int, StandFigures]:
    return in_scope(scope, await history_stands(scope))


async def admitted(scope: Scope) -> dict[int, int]:
    return await scope.once("admitted", lambda: admitted_by_event(scope.event_ids))


async def fairs(scope: Scope, year: int) -> list[FairFigures]:
    """The fairs of a year of the scope's history (all history years are read at once)."""
    years = scope.history_years if year in scope.history_years else (year,)
    by_year = await scope.once(f"fairs:{years}", lambda: fairs_by_year(years))
    return by_year[year]


async def project_money(scope: Scope) -> dict[int, tuple[int, int]]:
    return await scope.once("project_money", lambda: project_money_by_year(list(scope.history_years)))


async def projects(scope: Scope, year: int) -> ProjectFigures:
    return await scope.once(f"projects:{year}", lambda: projects_of_year(year))


def per_year(events: list[EventRow], years: tuple[int, ...], amount: dict[int, int]) -> dict[int, int]:
    out = dict.fromkeys(years, 0)
    for e in events:
        if e.year in out:
            out[e.year] += amount.get(e.id, 0)
    return out


# ---- sections ----------------------------------------------------------------------------------------
@section_provider("members")
async def members_section(scope: Scope) -> Section | None:
    if not scope.whole_year:
        return None
    counts = await members_of_year(scope.year)
    dues = await dues_of_year(scope.year)
    by_college = {c: 0 for c in range(1, 6)}
    by_band = dict.fromkeys(REVENUE_BANDS, 0)
    for c in counts:
        by_college[c.college] = by_college.get(c.college, 0) + c.organisations
        by_band[c.revenue_band] = by_band.get(c.revenue_band, 0) + c.organisations
    total = sum(by_college.values())
    return Section(
        "members",
        _("Members"),
        (
            Metric("members", _("Member organisations in good standing"), total),
            Metric("dues_called", _("Dues called"), dues.called),
            Metric("dues_paid", _("Dues paid"), dues.paid),
            Metric("dues_paid_ht", _("Dues received (excl. VAT)"), dues.paid_ht_cents, "money"),
        ),
        (
            FigureTable(
                "members_by_college",
                _("Members by college"),
                (Column("college", _("College"), "text"), Column("organisations", _("Organisations"))),
                tuple((college_label(c), n) for c, n in by_college.items()),
            ),
            FigureTable(
                "members_by_revenue",
                _("Members by revenue band"),
                (Column("band", _("Revenue band"), "text"), Column("organisations", _("Organisations"))),
                tuple((REVENUE_BAND_LABELS.get(b, b), n) for b, n in by_band.items()),
            ),
        ),
        note=_(
            "The register records each organisation's revenue band, not its jobs or exact revenue: "
            "the bands are shown."
        ),
    )


@section_provider("events")
async def events_section(scope: Scope) -> Section | None:
    sold, door, meets, booked = (
        await tickets(scope),
        await admitted(scope),
        await meetings(scope),
        await stands(scope),
    )
    rows = []
    for e in scope.events:
        t, m, s = sold.get(e.id, NO_TICKETS), meets.get(e.id, NO_MEETINGS), booked.get(e.id, NO_STANDS)
        came = door.get(e.id, 0)
        rows.append(
            (
                event_title(e),
                fmt_date(e.starts_at, "short"),
                event_kind_label(e.kind),
                t.sold,
                came,
                t.sold - came,
                rate_bp(came, t.sold),
                m.held,
                m.deals,
                s.booked,
                t.revenue_ht_cents,
            )
        )
    total_sold = sum(r[3] for r in rows)
    total_came = sum(r[4] for r in rows)
    return Section(
        "events",
        _("Events and attendance"),
        (
            Metric("events", _("Events held"), len(rows)),
            Metric("tickets", _("Tickets sold"), total_sold),
            Metric("admitted", _("Checked in at the door"), total_came),
            Metric("no_shows", _("No-shows"), total_sold - total_came),
            Metric("attendance", _("Attendance rate"), rate_bp(total_came, total_sold), "percent"),
            Metric("ticket_revenue", _("Ticket revenue (excl. VAT)"), sum(r[10] for r in rows), "money"),
        ),
        (
            FigureTable(
                "events",
                _("Figures per event"),
                (
                    Column("event", _("Event"), "text"),
                    Column("date", _("Date"), "text"),
                    Column("kind", _("Kind"), "text"),
                    Column("tickets", _("Tickets sold")),
                    Column("admitted", _("Checked in at the door")),
                    Column("no_shows", _("No-shows")),
                    Column("attendance", _("Attendance"), "percent"),
                    Column("meetings_held", _("Meetings held")),
                    Column("deals", _("Deals")),
                    Column("stands", _("Stands booked")),
                    Column("revenue", _("Ticket revenue (excl. VAT)"), "money"),
                ),
                tuple(rows),
            ),
        ),
        note=_("Attendance counts the sold tickets checked in at the event entrance; the rest are no-shows."),
    )


@section_provider("meetings")
async def meetings_section(scope: Scope) -> Section | None:
    meets = await meetings(scope)
    rows = [
        (event_title(e), m.meetings, m.held, m.no_shows, m.deals, m.deal_amount_cents)
        for e in scope.events
        if (m := meets.get(e.id)) is not None
    ]
    return Section(
        "meetings",
        _("Speed-meetings"),
        (
            Metric("meetings", _("Meetings scheduled"), sum(r[1] for r in rows)),
            Metric("held", _("Meetings held"), sum(r[2] for r in rows)),
            Metric("no_shows", _("No-shows"), sum(r[3] for r in rows)),
            Metric("deals", _("Deals"), sum(r[4] for r in rows)),
            Metric("deal_amount", _("Amount of the deals (excl. VAT)"), sum(r[5] for r in rows), "money"),
        ),
        (
            FigureTable(
                "meetings",
                _("Speed-meetings per edition"),
                (
                    Column("event", _("Event"), "text"),
                    Column("meetings", _("Meetings scheduled")),
                    Column("held", _("Held")),
                    Column("no_shows", _("No-shows")),
                    Column("deals", _("Deals")),
                    Column("amount", _("Amount (excl. VAT)"), "money"),
                ),
                tuple(rows),
            ),
        ),
    )


@section_provider("stands")
async def stands_section(scope: Scope) -> Section | None:
    booked = await stands(scope)
    rows = [
        (event_title(e), s.booked, s.revenue_ht_cents)
        for e in scope.events
        if (s := booked.get(e.id)) is not None
    ]
    metrics = [
        Metric("booked", _("Stands booked"), sum(r[1] for r in rows)),
        Metric("revenue", _("Stand revenue (excl. VAT)"), sum(r[2] for r in rows), "money"),
    ]
    tables = [
        FigureTable(
            "stands",
            _("Stands per event"),
            (
                Column("event", _("Event"), "text"),
                Column("booked", _("Stands booked")),
                Column("revenue", _("Revenue (excl. VAT)"), "money"),
            ),
            tuple(rows),
        )
    ]
    if scope.whole_year:
        fair_rows = [
            (f.name, f.structures, f.supported, f.subsidy_cents) for f in await fairs(scope, scope.year)
        ]
        metrics += [
            Metric("fairs", _("Trade fairs with members"), len(fair_rows)),
            Metric("fair_structures", _("Structures supported at trade fairs"), sum(r[2] for r in fair_rows)),
            Metric("fair_subsidies", _("Trade-fair support paid"), sum(r[3] for r in fair_rows), "money"),
        ]
        tables.append(
            FigureTable(
                "trade_fairs",
                _("Trade fairs"),
                (
                    Column("fair", _("Trade fair"), "text"),
                    Column("structures", _("Structures")),
                    Column("supported", _("Supported")),
                    Column("subsidy", _("Support paid"), "money"),
                ),
                tuple(fair_rows),
            )
        )
    return Section("stands", _("Stands and trade fairs"), tuple(metrics), tuple(tables))


@section_provider("films")
async def films_section(scope: Scope) -> Section | None:
    calls = await films_of_year(scope.year, scope.event.id if scope.event else None)
    rows = [
        (c.title_en if get_locale() == "en" and c.title_en else c.title, c.submitted, c.selected)
        for c in calls
    ]
    return Section(
        "films",
        _("Films"),
        (
            Metric("submitted", _("Films submitted"), sum(r[1] for r in rows)),
            Metric("selected", _("Films selected"), sum(r[2] for r in rows)),
        ),
        (
            FigureTable(
                "films",
                _("Films per call"),
                (
                    Column("call", _("Call for films"), "text"),
                    Column("submitted", _("Submitted")),
                    Column("selected", _("Selected")),
                ),
                tuple(rows),
            ),
        ),
    )


@section_provider("hackathons")
async def hackathons_section(scope: Scope) -> Section | None:
    editions = await hackathons_of_events(scope.event_ids)
    if not editions:
        return None
    titles = {e.id: event_title(e) for e in scope.events}
    roles = {r: sum(h.by_role.get(r, 0) for h in editions) for r in ROLES}
    return Section(
        "hackathons",
        _("Hackathons"),
        (
            Metric("participants", _("Hackathon participants"), sum(h.participants for h in editions)),
            Metric("teams", _("Teams"), sum(h.teams for h in editions)),
            Metric("submitted", _("Projects submitted"), sum(h.submitted for h in editions)),
            Metric("selected", _("Projects selected by the jury"), sum(h.selected for h in editions)),
            Metric(
                "accompanied", _("Projects taken on by the cluster"), sum(h.accompanied for h in editions)
            ),
        ),
        (
            FigureTable(
                "hackathons",
                _("Hackathons"),
                (
                    Column("event", _("Event"), "text"),
                    Column("participants", _("Participants")),
                    Column("teams", _("Teams")),
                    Column("submitted", _("Projects")),
                    Column("selected", _("Selected")),
                    Column("accompanied", _("Accompanied")),
                ),
                tuple(
                    (
                        titles.get(h.event_id, ""),
                        h.participants,
                        h.teams,
                        h.submitted,
                        h.selected,
                        h.accompanied,
                    )
                    for h in editions
                ),
            ),
            FigureTable(
                "hackathon_roles",
                _("Hackathon participants by role"),
                (Column("role", _("Role"), "text"), Column("participants", _("Participants"))),
                tuple((role_label(r), n) for r, n in roles.items() if n),
            ),
        ),
    )


@section_provider("projects")
async def projects_section(scope: Scope) -> Section | None:
    if not scope.whole_year:
        return None
    p = await projects(scope, scope.year)
    return Section(
        "projects",
        _("Accompanied projects"),
        (
            Metric("accompanied", _("Projects accompanied"), p.accompanied),
            Metric("hours", _("Support hours"), p.minutes, "hours"),
            Metric("billed", _("Support billed (excl. VAT)"), p.billed_ht_cents, "money"),
            Metric("expert_costs", _("Expert costs (excl. VAT)"), p.expert_costs_cents, "money"),
            Metric(
                "expert_covered", _("Expert costs covered by the cluster"), p.expert_covered_cents, "money"
            ),
        ),
    )


@section_provider("commissions")
async def commissions_section(scope: Scope) -> Section | None:
    meets = await meetings(scope)
    return Section(
        "commissions",
        _("Commissions"),
        (
            Metric("deals", _("Speed-meeting deals"), sum(m.deals for m in meets.values())),
            Metric(
                "proposed",
                _("Commissions awaiting confirmation"),
                sum(m.commission_proposed_cents for m in meets.values()),
                "money",
            ),
            Metric(
                "confirmed",
                _("Commissions confirmed"),
                sum(m.commission_confirmed_cents for m in meets.values()),
                "money",
            ),
        ),
        note=_("Commissions on the deals reported after the speed-meetings."),
    )


# ---- money by source, HT ----------------------------------------------------------------------------
@money_source("tickets", lambda: _("Tickets"), "in")
async def ticket_money(scope: Scope, years: tuple[int, ...]) -> dict[int, int]:
    sold = await history_tickets(scope)
    return per_year(await history_events(scope), years, {k: v.revenue_ht_cents for k, v in sold.items()})


@money_source("stands", lambda: _("Stands"), "in")
async def stand_money(scope: Scope, years: tuple[int, ...]) -> dict[int, int]:
    booked = await history_stands(scope)
    return per_year(await history_events(scope), years, {k: v.revenue_ht_cents for k, v in booked.items()})


@money_source("dues", lambda: _("Membership dues"), "in")
async def dues_money(scope: Scope, years: tuple[int, ...]) -> dict[int, int]:
    if not scope.whole_year:
        return dict.fromkeys(years, 0)
    return await dues_paid_by_year(list(years))


@money_source("project_support", lambda: _("Project support"), "in")
async def project_support_money(scope: Scope, years: tuple[int, ...]) -> dict[int, int]:
    if not scope.whole_year:
        return dict.fromkeys(years, 0)
    by_year = await project_money(scope)
    return {y: by_year[y][0] for y in years}


@money_source("commissions", lambda: _("Commissions"), "in")
async def commission_money(scope: Scope, years: tuple[int, ...]) -> dict[int, int]:
    meets = await history_meetings(scope)
    return per_year(
        await history_events(scope), years, {k: v.commission_confirmed_cents for k, v in meets.items()}
    )


@money_source("trade_fairs", lambda: _("Trade-fair support"), "out")
async def fair_money(scope: Scope, years: tuple[int, ...]) -> dict[int, int]:
    if not scope.whole_year:
        return dict.fromkeys(years, 0)
    return {y: sum(f.subsidy_cents for f in await fairs(scope, y)) for y in years}


@money_source("experts", lambda: _("Expert costs covered"), "out")
async def expert_money(scope: Scope, years: tuple[int, ...]) -> dict[int, int]:
    if not scope.whole_year:
        return dict.fromkeys(years, 0)
    by_year = await project_money(scope)
    return {y: by_year[y][1] for y in years}


# ---- charts -----------------------------------------------------------------------------------------
@chart_provider("attendance")
async def attendance_chart(scope: Scope) -> Chart | None:
    sold, door = await tickets(scope), await admitted(scope)
    events = [e for e in scope.events if sold.get(e.id)]
    if not events:
        return None
    return Chart(
        "attendance",
        _("Attendance per event"),
        tuple(event_title(e) for e in events),
        (
            Series(_("Tickets sold"), tuple(sold[e.id].sold for e in events)),
            Series(_("Checked in at the door"), tuple(door.get(e.id, 0) for e in events)),
        ),
    )


@chart_provider("deals")
async def deals_chart(scope: Scope) -> Chart | None:
    meets = await history_meetings(scope)
    events = [e for e in await history_events(scope) if e.id in meets]
    if not events:
        return None
    return Chart(
        "deals",
        _("Deals per speed-meeting edition"),
        tuple(event_title(e) for e in events),
        (
            Series(_("Meetings held"), tuple(meets[e.id].held for e in events)),
            Series(_("Deals"), tuple(meets[e.id].deals for e in events)),
        ),
    )
