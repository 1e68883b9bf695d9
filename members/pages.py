"""The register's pages: the staff back office (organisations, their people, dues payments, CSV) and
each organisation's member space (/members/space/<id>, for its people and staff).

Thin page controllers over members.register, members.register_csv and members.space: the services
validate (college, revenue band, emails, years...) and the pages show their errors next to each field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Response, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from accounts.guards import STAFF_ROLES, attendee_email, current_staff, staff_guard
from commissions import billing as commission_billing
from dues import pages as dues_pages
from juries import pages as juries_pages
from lib import csv_export
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _, get_locale
from members import people as member_people
from members import register, register_csv, space, standing
from members.tables import COLLEGES, Organisation, Person
from scheduling import fields as meeting_fields
from stands import booking as stand_booking
from web import labels
from web.controllers.staff_common import EXCEPTION_HANDLERS, FormErrors, form_data, render, see_other

ORGANISATION_FORM_FIELDS = register.ORGANISATION_FIELDS
PERSON_FORM_FIELDS = ("first_name", "last_name", "email", "role", "phone", "locale")


def college_options() -> list[tuple[int, str]]:
    return [(number, labels.college_label(number)) for number in COLLEGES]


def band_options() -> list[tuple[str, str]]:
    """Revenue bands with the yearly dues they imply."""
    from lib.templating import fmt_money

    return [
        (
            band,
            _(
                "%(band)s — %(amount)s excl. VAT",
                band=register.REVENUE_BAND_LABELS[band],
                amount=fmt_money(cents),
            ),
        )
        for band, cents in register.dues_table().items()
    ]


def organisation_values(org: Organisation | None) -> dict[str, Any]:
    if org is None:
        return {"college": "1", "revenue_band": "lt20k"}
    return {
        name: "" if getattr(org, name) is None else str(getattr(org, name))
        for name in ORGANISATION_FORM_FIELDS
    }


async def standing_by_org(orgs: list[Organisation], on: date) -> dict[int, Any]:
    return {org.id: await standing.membership_standing(organisation_id=org.id, on=on) for org in orgs}


async def organisation_page(
    org: Organisation,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    person_values: dict[str, Any] | None = None,
    person_errors: dict[str, str] | None = None,
    payment_values: dict[str, Any] | None = None,
    payment_errors: dict[str, str] | None = None,
    flash: str = "",
) -> Template:
    today = register.today()
    failed = bool(errors or person_errors or payment_errors)
    return render(
        "members/staff_organisation.html",
        status_code=HTTP_400_BAD_REQUEST if failed else 200,
        org=org,
        values=values if values is not None else organisation_values(org),
        errors=errors or {},
        people=await member_people.list_people(organisation_id=org.id),
        person_values=person_values or {"locale": "fr"},
        person_errors=person_errors or {},
        years=list(reversed(await standing.membership_years(org.id))),
        payment_values=payment_values or {"year": str(today.year), "paid_on": today.isoformat()},
        payment_errors=payment_errors or {},
        standing=await standing.membership_standing(organisation_id=org.id, on=today),
        dues=register.dues_cents(org.revenue_band),
        band_labels=register.REVENUE_BAND_LABELS,
        colleges=college_options(),
        bands=band_options(),
        flash=flash,
    )


class StaffMembersController(Controller):
    path = "/staff/members"
    guards = [staff_guard]
    include_in_schema = False
    tags = ["staff pages"]
    exception_handlers = EXCEPTION_HANDLERS

    @get("/", operation_id="staff_members_list")
    async def members_list(self, q: str = "", college: str = "") -> Template:
        college_number = register.parse_college(college) if college else None
        orgs = await register.list_organisations(search=q or None, college=college_number)
        today = register.today()
        people = await Person.select(Person.organisation).where(Person.organisation.is_not_null())
        people_count: dict[int, int] = {}
        for row in people:
            people_count[row["organisation"]] = people_count.get(row["organisation"], 0) + 1
        return render(
            "members/staff_list.html",
            orgs=orgs,
            people_count=people_count,
            standing=await standing_by_org(orgs, today),
            year=today.year,
            q=q,
            college=str(college_number or ""),
            colleges=college_options(),
            band_labels=register.REVENUE_BAND_LABELS,
        )

    @get("/new", operation_id="staff_member_new")
    async def member_new(self) -> Template:
        return render(
            "members/staff_organisation_new.html",
            values=organisation_values(None),
            colleges=college_options(),
            bands=band_options(),
        )

    @post("/new", operation_id="staff_member_create")
    async def member_create(self, request: Request) -> Template | Redirect:
        data = await form_data(request)
        fields = {name: data.get(name, "") for name in ORGANISATION_FORM_FIELDS}
        try:
            org = await register.create_organisation(**fields)
        except ValidationFailed as exc:
            return render(
                "members/staff_organisation_new.html",
                status_code=HTTP_400_BAD_REQUEST,
                values=data,
                errors=exc.errors,
                colleges=college_options(),
                bands=band_options(),
            )
        return see_other(f"/staff/members/{org.id}?done=created")

    @get("/{org_id:int}", operation_id="staff_member_show")
    async def member_show(self, org_id: int, done: str = "") -> Template:
        org = await register.get_organisation(org_id)
        flash = {
            "created": _("The organisation has been created."),
            "saved": _("The organisation has been saved."),
            "person": _("The person has been added."),
            "payment": _("The payment has been recorded."),
        }.get(done, "")
        return await organisation_page(org, flash=flash)

    @post("/{org_id:int}", operation_id="staff_member_update")
    async def member_update(self, org_id: int, request: Request) -> Template | Redirect:
        org = await register.get_organisation(org_id)
        data = await form_data(request)
        changes = {name: data.get(name, "") for name in ORGANISATION_FORM_FIELDS}
        try:
            await register.update_organisation(org.id, changes)
        except ValidationFailed as exc:
            return await organisation_page(org, values=data, errors=exc.errors)
        return see_other(f"/staff/members/{org.id}?done=saved")

    @post("/{org_id:int}/people", operation_id="staff_member_add_person")
    async def member_add_person(self, org_id: int, request: Request) -> Template | Redirect:
        org = await register.get_organisation(org_id)
        data = await form_data(request)
        fields = {name: data.get(name, "") for name in PERSON_FORM_FIELDS}
        try:
            await member_people.create_person(organisation_id=org.id, **fields)
        except ValidationFailed as exc:
            return await organisation_page(org, person_values=data, person_errors=exc.errors)
        return see_other(f"/staff/members/{org.id}?done=person#people")

    @post("/{org_id:int}/payments", operation_id="staff_member_record_payment")
    async def member_record_payment(self, org_id: int, request: Request) -> Template | Redirect:
        org = await register.get_organisation(org_id)
        data = await form_data(request)
        errors = FormErrors()
        year = errors.take_int(data, "year", required=True)
        paid_on = errors.take_date(data, "paid_on", required=False)
        if not errors and year is not None:
            try:
                await standing.record_membership_payment(org.id, year, paid_on)
            except ValidationFailed as exc:
                errors.update(exc.errors)
            else:
                return see_other(f"/staff/members/{org.id}?done=payment#payments")
        return await organisation_page(org, payment_values=data, payment_errors=errors)

    # ---- CSV register ----------------------------------------------------------------------------
    @get("/import", operation_id="staff_members_import_form")
    async def import_form(self) -> Template:
        return render("members/staff_import.html", columns=register_csv.COLUMNS)

    @post("/import", operation_id="staff_members_import")
    async def import_upload(self, request: Request) -> Template:
        form = await request.form()
        upload = form.get("file")
        context: dict[str, Any] = {"columns": register_csv.COLUMNS}
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        if not content:
            context["errors"] = {"file": _("Choose a CSV file to import.")}
            return render("members/staff_import.html", status_code=HTTP_400_BAD_REQUEST, **context)
        try:
            result = await register_csv.import_csv(content)
        except register_csv.ImportRejected as exc:
            context["report"] = exc.errors
            context["summary"] = str(exc)
            return render("members/staff_import.html", status_code=HTTP_400_BAD_REQUEST, **context)
        except Conflict as exc:
            context["errors"] = {"file": str(exc)}
            return render("members/staff_import.html", status_code=409, **context)
        context["result"] = result
        return render("members/staff_import.html", **context)

    @get("/export.csv", operation_id="staff_members_export")
    async def export(
        self,
        format: str | None = None,  # noqa: A002 (the query parameter's name)
        delimiter: str | None = None,
    ) -> Response[bytes]:
        dialect = csv_export.dialect_from_query(format, delimiter)
        content = await register_csv.export_file(dialect)
        return csv_export.response(content, f"adherents-le-damier-{register.today().isoformat()}.csv")


# ---- the member space --------------------------------------------------------------------------------
SPACE = "/members/space"


def _sign_in(next_url: str) -> Redirect:
    return see_other(f"/auth/link?next={next_url}")


async def _is_staff(request: Request) -> bool:
    staff = await current_staff(request)
    return staff is not None and staff.role in STAFF_ROLES


async def _viewer(request: Request, organisation_id: int) -> space.Viewer | None:
    """The viewer, None when nobody is signed in (NotFound for someone the organisation is not theirs)."""
    staff = await _is_staff(request)
    email = attendee_email(request)
    if not staff and not email:
        return None
    return await space.viewer_of(organisation_id, staff=staff, email=email)


def _decimal(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if get_locale() == "fr" else text


def hours_label(minutes: int) -> str:
    """Minutes as hours: "10", "2,5" (French) or "2.5"."""
    return _decimal(minutes / 60)


def percent_label(basis_points: int) -> str:
    return _decimal(basis_points / 100)


def _project_status_label(status: str) -> str:
    return {"queued": _("waiting in the queue"), "active": _("accompanied"), "closed": _("closed")}.get(
        status, status
    )


def _space_notice(done: str | None) -> str:
    return {
        "added": _("The person was added to your organisation."),
        "removed": _("The person no longer belongs to your organisation."),
        "admin": _("The administrator role was changed."),
    }.get(done or "", "")


async def _space_page(
    organisation_id: int,
    viewer: space.Viewer,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    done: str | None = None,
) -> Template:
    loaded = await space.space_of(organisation_id, viewer)
    return render(
        "members/space/page.html",
        status_code=status_code,
        space=loaded,
        org=loaded.organisation,
        viewer=viewer,
        college_label=lambda n: COLLEGES.get(n, ""),
        band_label=lambda b: register.REVENUE_BAND_LABELS.get(b, b),
        errors=errors or {},
        values=values or {},
        notice=_space_notice(done),
        dues_status_label=dues_pages.status_label,
        booking_status_label=stand_booking.status_label,
        entry_status_label=lambda status: juries_pages.ENTRY_STATUS_LABELS.get(status, lambda: status)(),
        project_status_label=_project_status_label,
        commission_status_label=commission_billing.status_label,
        commission_source_label=commission_billing.source_label,
        side_label=meeting_fields.side_label,
        hours_label=hours_label,
        percent_label=percent_label,
    )


class MemberSpacePages(Controller):
    path = SPACE
    include_in_schema = False
    tags = ["Member space"]

    @get("/", name="member-space-home")
    async def home(self, request: Request) -> Template | Redirect:
        if await _is_staff(request):
            return see_other("/staff/members")
        email = attendee_email(request)
        if not email:
            return _sign_in(SPACE)
        ids = await space.organisation_ids_for(email)
        if len(ids) == 1:
            return see_other(f"{SPACE}/{ids[0]}")
        orgs = [await register.get_organisation(i) for i in ids]
        return render("members/space/choose.html", orgs=orgs, email=email)

    @get("/{organisation_id:int}", name="member-space")
    async def page(
        self, request: Request, organisation_id: int, done: str | None = None
    ) -> Template | Redirect:
        viewer = await _viewer(request, organisation_id)
        if viewer is None:
            return _sign_in(f"{SPACE}/{organisation_id}")
        return await _space_page(organisation_id, viewer, done=done)

    @post("/{organisation_id:int}/people", name="member-space-add-person")
    async def add_person(self, request: Request, organisation_id: int) -> Template | Redirect:
        viewer = await _viewer(request, organisation_id)
        if viewer is None:
            return _sign_in(f"{SPACE}/{organisation_id}")
        form = await form_data(request)
        try:
            await space.add_colleague(organisation_id, viewer, form)
        except ValidationFailed as exc:
            return await _space_page(
                organisation_id, viewer, errors=exc.errors, status_code=HTTP_400_BAD_REQUEST, values=form
            )
        except Conflict as exc:
            return await _space_page(organisation_id, viewer, errors={"__all__": str(exc)}, status_code=409)
        return see_other(f"{SPACE}/{organisation_id}?done=added#people")

    @post("/{organisation_id:int}/people/{person_id:int}/remove", name="member-space-remove-person")
    async def remove_person(
        self, request: Request, organisation_id: int, person_id: int
    ) -> Template | Redirect:
        viewer = await _viewer(request, organisation_id)
        if viewer is None:
            return _sign_in(f"{SPACE}/{organisation_id}")
        try:
            await space.remove_colleague(organisation_id, viewer, person_id)
        except Conflict as exc:
            return await _space_page(organisation_id, viewer, errors={"__all__": str(exc)}, status_code=409)
        return see_other(f"{SPACE}/{organisation_id}?done=removed#people")

    @post("/{organisation_id:int}/people/{person_id:int}/admin", name="member-space-person-admin")
    async def person_admin(
        self, request: Request, organisation_id: int, person_id: int
    ) -> Template | Redirect:
        viewer = await _viewer(request, organisation_id)
        if viewer is None:
            return _sign_in(f"{SPACE}/{organisation_id}")
        form = await form_data(request)
        try:
            await space.set_admin(organisation_id, viewer, person_id, form.get("admin") == "1")
        except Conflict as exc:
            return await _space_page(organisation_id, viewer, errors={"__all__": str(exc)}, status_code=409)
        return see_other(f"{SPACE}/{organisation_id}?done=admin#people")

    @get("/{organisation_id:int}/documents/{kind:str}/{ref:int}/document.pdf", name="member-space-document")
    async def document(self, request: Request, organisation_id: int, kind: str, ref: int) -> Response[bytes]:
        viewer = await _viewer(request, organisation_id)
        if viewer is None:
            raise NotFound(_("This document does not exist."))
        number, pdf = await space.document_pdf(organisation_id, kind, ref)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"content-disposition": f'inline; filename="{number}.pdf"'},
        )


ROUTES: list[Any] = [StaffMembersController, MemberSpacePages]
