"""The demo data has one accompanied project, carried by two members, with hours billed and an expert cost."""

from __future__ import annotations

from projects.tables import ExpertCost, Project, ProjectBillShare


async def test_demo_has_one_accompanied_project(demo_data):  # noqa: ARG001
    [project] = await Project.objects()
    assert project.status == "active" and project.origin == "hackathon"
    assert await ProjectBillShare.count() == 2  # one invoice per carrier
    cost = await ExpertCost.objects().first()
    assert cost is not None and cost.covered_cents == 90000  # 50 % of 1,800 €
