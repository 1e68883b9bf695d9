"""Staff back office for the member register: organisations, their people, dues payments, CSV.

Thin page controllers over members.register and members.register_csv: the services validate
(college, revenue band, emails, years...) and the pages show their errors next to each field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Response, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from accounts.guards import staff_guard
from lib import csv_export
from lib.errors import Conflict, ValidationFailed
from lib.i18n import _
from members import people as member_people
from members import register, register_csv, standing
from members.tables import COLLEGES, Organisation, Person
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


ROUTES: list[Any] = [StaffMembersController]
