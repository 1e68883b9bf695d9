"""JSON API for organisations, people and membership (thin: rules live in members.register and
members.register_csv). Staff only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_422_UNPROCESSABLE_ENTITY
from msgspec import UNSET, UnsetType

from accounts.guards import staff_guard
from lib import csv_export
from members import people as member_people
from members import register, register_csv
from members import standing as member_standing
from members.tables import COLLEGES, MembershipYear, Organisation, Person


# ---- payloads ------------------------------------------------------------------------------------------
class OrganisationCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    college: int
    revenue_band: str = "lt20k"
    email: str = ""
    email_domain: str = ""
    city: str = ""
    website: str = ""
    description: str = ""


class OrganisationPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: str | UnsetType = UNSET
    college: int | UnsetType = UNSET
    revenue_band: str | UnsetType = UNSET
    email: str | UnsetType = UNSET
    email_domain: str | UnsetType = UNSET
    city: str | UnsetType = UNSET
    website: str | UnsetType = UNSET
    description: str | UnsetType = UNSET


class PersonCreate(msgspec.Struct, forbid_unknown_fields=True):
    first_name: str
    last_name: str
    email: str
    organisation_id: int | None = None
    role: str = ""
    phone: str = ""
    locale: str = "fr"


class PersonPatch(msgspec.Struct, forbid_unknown_fields=True):
    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    email: str | UnsetType = UNSET
    organisation_id: int | None | UnsetType = UNSET
    role: str | UnsetType = UNSET
    phone: str | UnsetType = UNSET
    locale: str | UnsetType = UNSET


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    year: int
    paid_on: date | None = None  # default: today (Europe/Paris)


@dataclass
class ImportForm:
    file: UploadFile


def _set_fields(data: msgspec.Struct) -> dict[str, Any]:
    return {f: getattr(data, f) for f in data.__struct_fields__ if getattr(data, f) is not UNSET}


# ---- responses -----------------------------------------------------------------------------------------
class MembershipYearOut(msgspec.Struct):
    year: int
    dues_cents: int
    paid_on: date | None


class OrganisationOut(msgspec.Struct):
    id: int
    name: str
    college: int
    college_name: str
    revenue_band: str
    dues_cents: int  # yearly dues HT for the current band
    email: str
    email_domain: str
    city: str
    website: str
    description: str
    membership_years: list[MembershipYearOut]


class PersonOut(msgspec.Struct):
    id: int
    first_name: str
    last_name: str
    email: str
    organisation_id: int | None
    role: str
    phone: str
    locale: str


class PaymentOut(msgspec.Struct):
    organisation_id: int
    year: int
    dues_cents: int
    paid_on: date
    created: bool


class OrganisationRefOut(msgspec.Struct):
    id: int
    name: str


class StandingOut(msgspec.Struct):
    in_good_standing: bool
    organisation: OrganisationRefOut | None
    year: int
    on: date
    reason: str
    message: str
    matched_by: str | None
    paid_on: date | None


class RowErrorOut(msgspec.Struct):
    line: int  # line number in the file (the header is line 1)
    field: str  # CSV column, or "header" / "file"
    message: str  # in the request's language


class ImportRejectedOut(msgspec.Struct):
    status_code: int
    detail: str
    errors: list[RowErrorOut]


class ValidationErrorOut(msgspec.Struct):
    status_code: int
    detail: str
    errors: dict[str, str]  # field -> message in the request's language


VALIDATION_RESPONSE = {
    422: ResponseSpec(
        data_container=ValidationErrorOut, description="Bad input: message per field", generate_examples=False
    )
}


class ImportOut(msgspec.Struct):
    organisations_created: int
    organisations_updated: int
    people_created: int
    people_updated: int
    payments_recorded: int
    rows: int


def organisation_out(org: Organisation, years: list[MembershipYear]) -> OrganisationOut:
    return OrganisationOut(
        id=org.id,
        name=org.name,
        college=org.college,
        college_name=COLLEGES.get(org.college, ""),
        revenue_band=org.revenue_band,
        dues_cents=register.dues_table().get(org.revenue_band, 0),
        email=org.email,
        email_domain=org.email_domain,
        city=org.city,
        website=org.website,
        description=org.description,
        membership_years=[MembershipYearOut(y.year, y.dues_cents, y.paid_on) for y in years],
    )


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.id,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        organisation_id=person.organisation,
        role=person.role,
        phone=person.phone,
        locale=person.locale,
    )


async def _organisation_detail(org: Organisation) -> OrganisationOut:
    return organisation_out(org, await member_standing.membership_years(org.id))


# ---- controllers ---------------------------------------------------------------------------------------
class OrganisationController(Controller):
    path = "/api/organisations"
    tags = ["members"]
    guards = [staff_guard]

    @get("/", operation_id="listOrganisations", summary="Member organisations (search, college filter)")
    async def list_organisations(
        self,
        search: str | None = None,
        college: int | None = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 200,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> list[OrganisationOut]:
        orgs = await register.list_organisations(search=search, college=college, limit=limit, offset=offset)
        years = await member_standing.membership_years_by_org([o.id for o in orgs])
        return [organisation_out(o, years.get(o.id, [])) for o in orgs]

    @get("/{organisation_id:int}", operation_id="getOrganisation", summary="One organisation and its years")
    async def get_organisation(self, organisation_id: int) -> OrganisationOut:
        return await _organisation_detail(await register.get_organisation(organisation_id))

    @post(
        "/",
        operation_id="createOrganisation",
        responses=VALIDATION_RESPONSE,
        summary="Create a member organisation",
        status_code=HTTP_201_CREATED,
    )
    async def create_organisation(self, data: OrganisationCreate) -> OrganisationOut:
        org = await register.create_organisation(**msgspec.structs.asdict(data))
        return await _organisation_detail(org)

    @patch(
        "/{organisation_id:int}",
        operation_id="updateOrganisation",
        responses=VALIDATION_RESPONSE,
        summary="Change some fields",
    )
    async def update_organisation(self, organisation_id: int, data: OrganisationPatch) -> OrganisationOut:
        org = await register.update_organisation(organisation_id, _set_fields(data))
        return await _organisation_detail(org)

    @post(
        "/{organisation_id:int}/payments",
        operation_id="recordMembershipPayment",
        responses=VALIDATION_RESPONSE,
        summary="Record a year's dues as paid (idempotent per organisation and year)",
        status_code=HTTP_200_OK,
    )
    async def record_payment(self, organisation_id: int, data: PaymentIn) -> PaymentOut:
        payment = await member_standing.record_membership_payment(organisation_id, data.year, data.paid_on)
        return PaymentOut(
            organisation_id=payment.organisation_id,
            year=payment.year,
            dues_cents=payment.dues_cents,
            paid_on=payment.paid_on,
            created=payment.created,
        )


class PersonController(Controller):
    path = "/api/people"
    tags = ["members"]
    guards = [staff_guard]

    @get(
        "/", operation_id="listPeople", summary="People of member organisations (search, organisation filter)"
    )
    async def list_people(
        self,
        search: str | None = None,
        organisation_id: int | None = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 200,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> list[PersonOut]:
        people = await member_people.list_people(
            search=search, organisation_id=organisation_id, limit=limit, offset=offset
        )
        return [person_out(p) for p in people]

    @get("/{person_id:int}", operation_id="getPerson", summary="One person")
    async def get_person(self, person_id: int) -> PersonOut:
        return person_out(await member_people.get_person(person_id))

    @post(
        "/",
        operation_id="createPerson",
        responses=VALIDATION_RESPONSE,
        summary="Create a person",
        status_code=HTTP_201_CREATED,
    )
    async def create_person(self, data: PersonCreate) -> PersonOut:
        return person_out(await member_people.create_person(**msgspec.structs.asdict(data)))

    @patch(
        "/{person_id:int}",
        operation_id="updatePerson",
        responses=VALIDATION_RESPONSE,
        summary="Change some fields",
    )
    async def update_person(self, person_id: int, data: PersonPatch) -> PersonOut:
        return person_out(await member_people.update_person(person_id, _set_fields(data)))


class MembershipController(Controller):
    path = "/api/membership"
    tags = ["members"]
    guards = [staff_guard]

    @get(
        "/standing",
        operation_id="membershipStanding",
        responses=VALIDATION_RESPONSE,
        summary="Is this email or organisation a member in good standing on a date?",
    )
    async def standing(
        self,
        email: str | None = None,
        organisation_id: int | None = None,
        on: date | None = None,
    ) -> StandingOut:
        s = await member_standing.membership_standing(email=email, organisation_id=organisation_id, on=on)
        return StandingOut(
            in_good_standing=s.in_good_standing,
            organisation=OrganisationRefOut(s.organisation.id, s.organisation.name)
            if s.organisation
            else None,
            year=s.year,
            on=s.on,
            reason=s.reason,
            message=s.message,
            matched_by=s.matched_by,
            paid_on=s.paid_on,
        )

    @post(
        "/import",
        operation_id="importMemberRegister",
        summary="Import the member register CSV (all or nothing; 422 with a row-level report)",
        status_code=HTTP_200_OK,
        responses={
            200: ResponseSpec(
                data_container=ImportOut, description="Imported: counts", generate_examples=False
            ),
            422: ResponseSpec(
                data_container=ImportRejectedOut,
                description="Bad rows: every problem by line and column; nothing was changed",
                generate_examples=False,
            ),
        },
    )
    async def import_register(
        self, data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)]
    ) -> Response[Any]:
        content = await data.file.read()
        try:
            result = await register_csv.import_csv(content)
        except register_csv.ImportRejected as exc:
            return Response(
                {
                    "status_code": HTTP_422_UNPROCESSABLE_ENTITY,
                    "detail": str(exc),
                    "errors": exc.as_dicts(),
                },
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(msgspec.structs.asdict(ImportOut(**result.__dict__)), status_code=HTTP_200_OK)

    @get(
        "/export.csv",
        operation_id="exportMemberRegister",
        summary="The member register as CSV (format=excel: French Excel, the default; format=plain: the "
        "column names and codes, comma-separated, no BOM). The import reads both back.",
        media_type="text/csv",
    )
    async def export_register(
        self,
        format: str | None = None,  # noqa: A002 (the query parameter's name)
        delimiter: str | None = None,
    ) -> Response[bytes]:
        content = await register_csv.export_file(csv_export.dialect_from_query(format, delimiter))
        return csv_export.response(content, "member-register.csv")


ROUTES: list[Any] = [OrganisationController, PersonController, MembershipController]
