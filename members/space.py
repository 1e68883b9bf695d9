"""The member's space: one page per member organisation, for its people and for staff (issue 15).

Who sees it: staff, and the people who act for the organisation — its Person records, its contact address,
and addresses at its email domain (the rule member prices and dues use). Anyone else gets 404, so a page
never says whether an organisation exists. Who manages its people: staff, the people with the
organisation's admin role (Person.organisation_admin) and its contact address.

What it shows comes from each domain's public read functions, one section each (SECTIONS, in page order).
Documents (invoices and credit notes of every domain) are downloadable only through the space of the
organisation they belong to (document_pdf looks the document up among that organisation's own).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns.combination import WhereRaw

from commissions import billing as commission_billing
from commissions import records as commission_records
from commissions import totals as commission_totals
from dues import calls as dues_calls
from hackathon import summary as hackathon_summary
from juries import submissions
from lib.db import write_transaction
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _
from lib.tokens import normalize_email
from members import people, register, standing
from members.tables import MembershipYear, Organisation, Person
from projects import billing as project_billing
from projects import summary as project_summary
from scheduling import deals
from scheduling import personal as meetings
from stands import billing as stand_billing
from stands import exhibitors, subsidies
from ticketing import personal as ticket_orders


# ---- who is looking ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Viewer:
    staff: bool
    email: str  # the signed-in attendee's address ("" for staff)
    may_manage_people: bool


async def organisation_ids_for(email: str | None) -> list[int]:
    """The organisations an address acts for: its person record's, the one whose contact it is, and the
    ones of its email domain (not for public mail providers), in that order."""
    address = normalize_email(email or "")
    if not address:
        return []
    found: list[int] = []
    person = await people.person_by_email(address)
    if person is not None and person.organisation is not None:
        found.append(person.organisation)
    contact = await Organisation.select(Organisation.id).where(WhereRaw("lower(email) = {}", address))
    domain = register.email_domain_of(address)
    by_domain = (
        []
        if domain in register.PUBLIC_EMAIL_DOMAINS
        else await Organisation.select(Organisation.id).where(WhereRaw("lower(email_domain) = {}", domain))
    )
    for row in [*contact, *by_domain]:
        if row["id"] not in found:
            found.append(row["id"])
    return found


async def viewer_of(organisation_id: int, *, staff: bool, email: str | None) -> Viewer:
    """Who may see this organisation's space (NotFound for anyone else, and for an unknown organisation)."""
    org = await register.get_organisation(organisation_id)
    if staff:
        return Viewer(staff=True, email="", may_manage_people=True)
    address = normalize_email(email or "")
    if not address or org.id not in await organisation_ids_for(address):
        raise NotFound(_("Unknown organisation."))
    person = await people.person_by_email(address)
    admin = (person is not None and person.organisation == org.id and bool(person.organisation_admin)) or (
        address == normalize_email(org.email)
    )
    return Viewer(staff=False, email=address, may_manage_people=admin)


# ---- its people ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Colleague:
    id: int
    first_name: str
    last_name: str
    email: str
    role: str
    admin: bool


async def colleagues(organisation_id: int) -> list[Colleague]:
    rows = await Person.objects().where(Person.organisation == organisation_id)
    return sorted(
        (
            Colleague(p.id, p.first_name, p.last_name, p.email, p.role, bool(p.organisation_admin))
            for p in rows
        ),
        key=lambda c: (c.last_name.casefold(), c.first_name.casefold()),
    )


def _check_manager(viewer: Viewer) -> None:
    if not viewer.may_manage_people:
        raise Conflict(_("Only the organisation's administrators can change its people."))


async def add_colleague(organisation_id: int, viewer: Viewer, data: dict[str, Any]) -> Person:
    """Add a person to the organisation: a new person, or one of the register without an organisation.
    A person of another organisation is refused (staff move people between organisations)."""
    _check_manager(viewer)
    await register.get_organisation(organisation_id)
    fields = {k: data.get(k, "") for k in ("first_name", "last_name", "email", "role")}
    clean, errors = register.clean_person({**fields, "organisation_id": organisation_id})
    if errors:
        raise ValidationFailed(errors)
    async with write_transaction():
        await register.lock_organisation(organisation_id)
        existing = await people.person_by_email(clean["email"])
        if existing is None:
            return await people.create_person(
                first_name=clean["first_name"],
                last_name=clean["last_name"],
                email=clean["email"],
                role=clean.get("role", ""),
                organisation_id=organisation_id,
            )
        if existing.organisation == organisation_id:
            raise ValidationFailed.one(
                "email", _("This person is already one of your organisation's people.")
            )
        if existing.organisation is not None:
            raise ValidationFailed.one(
                "email",
                _("This person belongs to another organisation: ask the cluster's team to move them."),
            )
        await Person.update({Person.organisation: organisation_id}).where(Person.id == existing.id)
        existing.organisation = organisation_id
        return existing


async def _own_person(organisation_id: int, person_id: int) -> Person:
    person = (
        await Person.objects()
        .where((Person.id == person_id) & (Person.organisation == organisation_id))
        .first()
    )
    if person is None:
        raise NotFound(_("Unknown person."))
    return person


async def remove_colleague(organisation_id: int, viewer: Viewer, person_id: int) -> None:
    """Unlink a person from the organisation (the person stays in the register, with their tickets).
    An administrator cannot remove themselves: another administrator or staff does."""
    _check_manager(viewer)
    async with write_transaction():
        await register.lock_organisation(organisation_id)
        person = await _own_person(organisation_id, person_id)
        if not viewer.staff and normalize_email(person.email) == viewer.email:
            raise Conflict(_("You cannot remove yourself: ask another administrator or the cluster's team."))
        await Person.update({Person.organisation: None, Person.organisation_admin: False}).where(
            Person.id == person.id
        )


async def set_admin(organisation_id: int, viewer: Viewer, person_id: int, admin: bool) -> None:
    _check_manager(viewer)
    async with write_transaction():
        await register.lock_organisation(organisation_id)
        person = await _own_person(organisation_id, person_id)
        if not admin and not viewer.staff and normalize_email(person.email) == viewer.email:
            raise Conflict(_("You cannot remove your own administrator role."))
        await Person.update({Person.organisation_admin: admin}).where(Person.id == person.id)


# ---- its records, section by section --------------------------------------------------------------------
@dataclass(frozen=True)
class StandingSummary:
    standing: standing.Standing
    years: list[MembershipYear]
    dues: list[dues_calls.DuesRow]


@dataclass(frozen=True)
class Meetings:
    participations: list[meetings.MyParticipation]
    deals: list[deals.OrganisationDeal]


async def _emails(organisation_id: int) -> list[str]:
    org = await register.get_organisation(organisation_id)
    rows = await Person.select(Person.email).where(Person.organisation == organisation_id)
    return sorted(
        {normalize_email(r["email"]) for r in rows} | ({normalize_email(org.email)} if org.email else set())
    )


async def _standing(organisation_id: int) -> StandingSummary:
    return StandingSummary(
        standing=await standing.membership_standing(organisation_id=organisation_id),
        years=await standing.membership_years(organisation_id),
        dues=await dues_calls.calls_of_organisation(organisation_id),
    )


async def _orders(organisation_id: int) -> list[ticket_orders.OrganisationOrder]:
    return await ticket_orders.orders_of_emails(await _emails(organisation_id))


async def _meetings(organisation_id: int) -> Meetings:
    found: list[meetings.MyParticipation] = []
    for email in await _emails(organisation_id):  # each of its people's own participations
        found += await meetings.participations_for_email(email)
    return Meetings(found, await deals.deals_of_organisation(organisation_id))


@dataclass(frozen=True)
class Stands:
    shares: list[stand_billing.OrganisationStand]
    profiles: list[exhibitors.OrganisationProfile]


async def _stands(organisation_id: int) -> Stands:
    return Stands(
        await stand_billing.stands_of_organisation(organisation_id),
        await exhibitors.profiles_of_organisation(organisation_id),
    )


@dataclass(frozen=True)
class Commissions:
    records: list[commission_records.CommissionRecord]  # newest first
    by_year: dict[int, commission_totals.Amounts]  # expected / invoiced / paid, cancelled ones left out


async def _commissions(organisation_id: int) -> Commissions:
    rows = await commission_records.commissions_of(organisation_id)
    return Commissions(rows, commission_totals.summarise(rows).by_year)


@dataclass(frozen=True)
class Section:
    """One part of the space: its anchor, its title, its template partial and what it loads."""

    key: str
    title: Callable[[], str]
    template: str  # under web/templates/
    load: Callable[[int], Awaitable[Any]]
    staff_only: bool = False


# The member space's sections, in page order; a domain plugs in with a Section(key, title,
# "members/space/_<key>.html", loader).
SECTIONS: list[Section] = [
    Section("standing", lambda: _("Membership and dues"), "members/space/_standing.html", _standing),
    Section("people", lambda: _("Our people"), "members/space/_people.html", colleagues),
    Section("orders", lambda: _("Tickets and orders"), "members/space/_orders.html", _orders),
    Section("stands", lambda: _("Stands and exhibitor profile"), "members/space/_stands.html", _stands),
    Section("meetings", lambda: _("Speed-meetings and deals"), "members/space/_meetings.html", _meetings),
    Section("commissions", lambda: _("Commissions"), "members/space/_commissions.html", _commissions),
    Section(
        "films",
        lambda: _("Film submissions"),
        "members/space/_films.html",
        submissions.entries_of_organisation,
    ),
    Section(
        "hackathons",
        lambda: _("Hackathon teams"),
        "members/space/_hackathons.html",
        hackathon_summary.hackathons_of_organisation,
    ),
    Section(
        "projects",
        lambda: _("Accompanied projects"),
        "members/space/_projects.html",
        project_summary.projects_of_organisation,
    ),
    Section(
        "subsidies",
        lambda: _("Trade-fair support"),
        "members/space/_subsidies.html",
        subsidies.subsidies_of_organisation,
    ),
]


@dataclass(frozen=True)
class LoadedSection:
    key: str
    title: str
    template: str
    data: Any


@dataclass(frozen=True)
class Space:
    organisation: Organisation
    viewer: Viewer
    sections: list[LoadedSection] = field(default_factory=list)


async def space_of(organisation_id: int, viewer: Viewer) -> Space:
    org = await register.get_organisation(organisation_id)
    loaded = [
        LoadedSection(s.key, s.title(), s.template, await s.load(org.id))
        for s in SECTIONS
        if viewer.staff or not s.staff_only
    ]
    return Space(org, viewer, loaded)


# ---- its documents ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Document:
    kind: str  # see RENDERERS
    ref: int  # what the domain's renderer takes (a dues call, an order, a stand share, a bill share)
    number: str


RENDERERS: dict[str, Callable[[int], Awaitable[tuple[str, bytes]]]] = {
    "dues-invoice": dues_calls.invoice_pdf,
    "dues-credit-note": dues_calls.credit_note_pdf,
    "order-invoice": ticket_orders.order_invoice_pdf,
    "order-credit-note": ticket_orders.order_credit_note_pdf,
    "stand-invoice": stand_billing.invoice_pdf,
    "stand-credit-note": stand_billing.credit_note_pdf,
    "project-invoice": project_billing.share_pdf,
    "commission-invoice": commission_billing.invoice_pdf,
    "commission-credit-note": commission_billing.credit_note_pdf,
}


async def documents_of(organisation_id: int) -> list[Document]:
    """Every invoice and credit note addressed to the organisation (or bought by its people)."""
    found: list[Document] = []
    for row in await dues_calls.calls_of_organisation(organisation_id):
        found += [Document("dues-invoice", row.id, row.invoice_number)] if row.invoice_number else []
        found += (
            [Document("dues-credit-note", row.id, row.credit_note_number)] if row.credit_note_number else []
        )
    for order in await _orders(organisation_id):
        found += [Document("order-invoice", order.id, order.invoice_number)] if order.invoice_number else []
        found += (
            [Document("order-credit-note", order.id, order.credit_note_number)]
            if order.credit_note_number
            else []
        )
    for share in await stand_billing.stands_of_organisation(organisation_id):
        found += (
            [Document("stand-invoice", share.share_id, share.invoice_number)] if share.invoice_number else []
        )
        found += (
            [Document("stand-credit-note", share.share_id, share.credit_note_number)]
            if share.credit_note_number
            else []
        )
    for c in await commission_records.commissions_of(organisation_id):
        found += [Document("commission-invoice", c.id, c.invoice_number)] if c.invoice_number else []
        found += (
            [Document("commission-credit-note", c.id, c.credit_note_number)] if c.credit_note_number else []
        )
    for project in await project_summary.projects_of_organisation(organisation_id):
        found += [
            Document("project-invoice", b.share_id, b.invoice_number)
            for b in project.bills
            if b.invoice_number
        ]
    return found


async def document_pdf(organisation_id: int, kind: str, ref: int) -> tuple[str, bytes]:
    """(number, PDF) of one of the organisation's own documents; NotFound for any other."""
    if kind not in RENDERERS or not any(
        d.kind == kind and d.ref == ref for d in await documents_of(organisation_id)
    ):
        raise NotFound(_("This document does not exist."))
    return await RENDERERS[kind](ref)
