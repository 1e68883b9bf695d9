"""Projects JSON API for staff (thin: the rules live in projects.records/capacity/hours/billing/experts)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accounts.guards import staff_guard
from lib.errors import ValidationFailed
from lib.i18n import _
from projects import billing, capacity, experts, hours, records, summary


class StaffProjectsController(Controller):
    path = "/api/projects"
    guards = [staff_guard]
    tags = ["projects"]

    @post("/", operation_id="createProject", status_code=HTTP_201_CREATED)
    async def create(self, data: dict[str, Any]) -> dict[str, Any]:
        created = await records.create_project(data)
        body = await records.project_json(created.project)
        body["queued_message"] = created.queued_message
        return body

    @get("/", operation_id="listProjects")
    async def list_all(self) -> list[dict[str, Any]]:
        return [await records.project_json(p) for p in await records.list_projects()]

    @get("/{project_id:int}", operation_id="getProject")
    async def get_one(self, project_id: int) -> dict[str, Any]:
        return await summary.project_summary(project_id)

    @post("/{project_id:int}/accept", operation_id="acceptProject", status_code=HTTP_200_OK)
    async def accept(self, project_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        convention_on = None
        if isinstance(data, dict):
            try:
                convention_on = records.parse_date(data.get("convention_on"))
            except (TypeError, ValueError):
                raise ValidationFailed.one("convention_on", _("A date as YYYY-MM-DD.")) from None
        return await records.project_json(await capacity.activate(project_id, convention_on))

    @post("/{project_id:int}/close", operation_id="closeProject", status_code=HTTP_200_OK)
    async def close(self, project_id: int) -> dict[str, Any]:
        return await records.project_json(await capacity.close(project_id))

    @post("/{project_id:int}/hours", operation_id="logProjectHours", status_code=HTTP_201_CREATED)
    async def log(self, project_id: int, data: dict[str, Any]) -> dict[str, Any]:
        entry = await hours.log_hours(project_id, data)
        return {
            "id": entry.id,
            "minutes": entry.minutes,
            "total_minutes": await hours.total_minutes(project_id),
        }

    @post("/{project_id:int}/experts", operation_id="recordExpertCost", status_code=HTTP_201_CREATED)
    async def expert(self, project_id: int, data: dict[str, Any]) -> dict[str, Any]:
        return experts.cost_json(await experts.record(project_id, data))

    @post("/{project_id:int}/bills", operation_id="billProject", status_code=HTTP_201_CREATED)
    async def bill(self, project_id: int) -> dict[str, Any]:
        result = await billing.bill_project(project_id)
        return {
            "id": result.bill.id,
            "amount_ht_cents": result.bill.amount_ht_cents,
            "shares": [
                {"id": s.id, "invoice": s.invoice, "amount_ht_cents": s.amount_ht_cents}
                for s in result.shares
            ],
        }

    @get(
        "/bill-shares/{share_id:int}/invoice.pdf",
        operation_id="getProjectInvoicePdf",
        media_type="application/pdf",
    )
    async def invoice_pdf(self, share_id: int) -> Response[bytes]:
        number, content = await billing.share_pdf(share_id)
        return Response(
            content,
            media_type="application/pdf",
            headers={"content-disposition": f'attachment; filename="{number}.pdf"'},
        )


ROUTES: list[Any] = [StaffProjectsController]
