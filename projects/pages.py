"""Staff pages of the accompanied projects (thin: the rules live in the projects.* capability modules).

/staff/projects: the projects (active, queued, closed) and the form to create one;
/staff/projects/{id}: carriers, hours (log), bills (bill, invoices), expert costs (record), accept / close.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from accounts.guards import staff_guard
from lib.errors import DomainError, ValidationFailed
from lib.settings import get_settings
from members.tables import Organisation
from projects import billing, capacity, documents, experts, hours, milestones, records, summary
from web.controllers.staff_common import form_data, render

CARRIER_SLOTS = 4


def _page(template: str, status_code: int = 200, **context: Any) -> Template:
    page = render(template, status_code=status_code, **context)
    page.media_type = MediaType.HTML
    return page


def _back(url: str) -> Redirect:
    return Redirect(path=url, status_code=HTTP_303_SEE_OTHER)


def _error_text(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed):
        return "; ".join(exc.errors.values())
    return str(exc)


def _creation_data(form: dict[str, str]) -> dict[str, Any]:
    carriers = []
    for n in range(1, CARRIER_SLOTS + 1):
        org = form.get(f"carrier_{n}", "")
        if not org:
            continue
        share = form.get(f"share_{n}", "").replace(",", ".")
        carriers.append({"organisation": int(org) if org.isdigit() else -1, "share_percent": share or None})
    return {
        **{k: v for k, v in form.items() if not k.startswith(("carrier_", "share_"))},
        "carriers": carriers,
        "queue_if_full": form.get("queue_if_full") == "1",
    }


class StaffProjectPages(Controller):
    path = "/staff/projects"
    include_in_schema = False
    guards = [staff_guard]

    async def _index(self, status_code: int = 200, **context: Any) -> Template:
        projects = await records.list_projects()
        return _page(
            "projects/staff_index.html",
            status_code=status_code,
            projects=projects,
            due={p.id for p in projects if capacity.is_due_to_close(p)},
            active=sum(1 for p in projects if p.status == "active"),
            max_active=get_settings().projects_max_active,
            organisations=await Organisation.select(Organisation.id, Organisation.name).order_by(
                Organisation.name
            ),
            slots=range(1, CARRIER_SLOTS + 1),
            **context,
        )

    @get("/", name="staff-projects")
    async def index(self, request: Request) -> Template:
        return await self._index(flash=request.query_params.get("flash"))

    @post("/", name="staff-projects-create")
    async def create(self, request: Request) -> Template | Redirect:
        form = await form_data(request)
        try:
            created = await records.create_project(_creation_data(form))
        except ValidationFailed as exc:
            return await self._index(status_code=422, errors=exc.errors, data=form)
        except DomainError as exc:
            return await self._index(status_code=409, errors={"capacity": _error_text(exc)}, data=form)
        return _back(f"/staff/projects/{created.project.id}")

    async def _detail(self, project_id: int, status_code: int = 200, **context: Any) -> Template:
        shown = await summary.project_summary(project_id)
        names = {r["id"]: r["name"] for r in await Organisation.select(Organisation.id, Organisation.name)}
        return _page(
            "projects/staff_project.html",
            status_code=status_code,
            s=shown,
            p=shown["project"],
            names=names,
            milestones=await milestones.milestones_of(project_id),
            documents=await documents.documents_of(project_id),
            **context,
        )

    @get("/{project_id:int}", name="staff-project")
    async def detail(self, project_id: int) -> Template:
        return await self._detail(project_id)

    @post("/{project_id:int}/hours", name="staff-project-hours")
    async def log(self, request: Request, project_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            await hours.log_hours(project_id, form)
        except ValidationFailed as exc:
            return await self._detail(project_id, 422, errors=exc.errors, data=form)
        return _back(f"/staff/projects/{project_id}")

    @post("/{project_id:int}/milestones", name="staff-project-milestones")
    async def add_milestone(self, request: Request, project_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            await milestones.add_milestone(project_id, form)
        except ValidationFailed as exc:
            return await self._detail(project_id, 422, errors=exc.errors, data=form)
        return _back(f"/staff/projects/{project_id}")

    @post("/{project_id:int}/milestones/{milestone_id:int}/done", name="staff-project-milestone-done")
    async def milestone_done(self, project_id: int, milestone_id: int) -> Template | Redirect:
        try:
            await milestones.mark_done(project_id, milestone_id)
        except DomainError as exc:
            return await self._detail(project_id, exc.status_code, errors={"milestone": _error_text(exc)})
        return _back(f"/staff/projects/{project_id}")

    @post("/{project_id:int}/documents", name="staff-project-documents")
    async def upload_document(
        self,
        project_id: int,
        data: dict[str, Any] = Body(media_type=RequestEncodingType.MULTI_PART),  # noqa: B008
    ) -> Template | Redirect:
        upload = data.get("document")
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        filename = upload.filename if isinstance(upload, UploadFile) else ""
        kind = data.get("kind") if isinstance(data.get("kind"), str) else "convention"
        try:
            await documents.add_document(project_id, filename, content, kind)
        except ValidationFailed as exc:
            return await self._detail(project_id, 422, errors=exc.errors)
        return _back(f"/staff/projects/{project_id}")

    @get("/{project_id:int}/documents/{document_id:int}", name="staff-project-document")
    async def download_document(self, project_id: int, document_id: int) -> Response[bytes]:
        filename, content = await documents.document(project_id, document_id)
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @post("/{project_id:int}/experts", name="staff-project-experts")
    async def expert(self, request: Request, project_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            await experts.record(project_id, form)
        except ValidationFailed as exc:
            return await self._detail(project_id, 422, errors=exc.errors, data=form)
        return _back(f"/staff/projects/{project_id}")

    @post("/{project_id:int}/bill", name="staff-project-bill")
    async def bill(self, project_id: int) -> Template | Redirect:
        try:
            await billing.bill_project(project_id)
        except DomainError as exc:
            return await self._detail(project_id, exc.status_code, errors={"bill": _error_text(exc)})
        return _back(f"/staff/projects/{project_id}")

    @post("/{project_id:int}/accept", name="staff-project-accept")
    async def accept(self, request: Request, project_id: int) -> Template | Redirect:
        form = await form_data(request)
        try:
            convention_on = records.parse_date(form.get("convention_on"))
        except ValueError:
            convention_on = None
        try:
            await capacity.activate(project_id, convention_on)
        except DomainError as exc:
            return await self._detail(project_id, exc.status_code, errors={"status": _error_text(exc)})
        return _back(f"/staff/projects/{project_id}")

    @post("/{project_id:int}/close", name="staff-project-close")
    async def close(self, project_id: int) -> Template | Redirect:
        try:
            await capacity.close(project_id)
        except DomainError as exc:
            return await self._detail(project_id, exc.status_code, errors={"status": _error_text(exc)})
        return _back(f"/staff/projects/{project_id}")


ROUTES: list[Any] = [StaffProjectPages]
