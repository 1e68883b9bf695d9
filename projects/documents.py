"""Documents kept with a project: the convention PDF (and others), checked to be a PDF by its first bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from lib.errors import NotFound, ValidationFailed
from lib.i18n import _
from lib.settings import get_settings
from projects.records import get_project
from projects.tables import ProjectDocument

KINDS = ("convention", "other")


@dataclass(frozen=True)
class DocumentView:
    id: int
    kind: str
    filename: str
    size: int
    uploaded_at: datetime


def _safe_name(name: str) -> str:
    """A file name a download header can carry: letters, digits, dots, dashes and underscores."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", (name or "").rsplit("/", 1)[-1]).strip("._") or "document"
    return base[:150] if base.lower().endswith(".pdf") else base[:146] + ".pdf"


async def add_document(
    project_id: int, filename: str, content: bytes, kind: str = "convention"
) -> DocumentView:
    await get_project(project_id)
    limit = get_settings().project_document_max_bytes
    if kind not in KINDS:
        raise ValidationFailed.one("kind", _("Unknown kind of document."))
    if not content:
        raise ValidationFailed.one("document", _("Choose a PDF file."))
    if len(content) > limit:
        raise ValidationFailed.one(
            "document", _("The document is too large (at most %(mb)s MB).", mb=limit // 1_000_000)
        )
    if not content.startswith(b"%PDF-"):
        raise ValidationFailed.one("document", _("The document must be a PDF file."))
    row = ProjectDocument(
        project=project_id, kind=kind, filename=_safe_name(filename), content=content, size=len(content)
    )
    await row.save()
    return DocumentView(row.id, row.kind, row.filename, row.size, row.uploaded_at)


async def documents_of(project_id: int) -> list[DocumentView]:
    rows = (
        await ProjectDocument.select(
            ProjectDocument.id,
            ProjectDocument.kind,
            ProjectDocument.filename,
            ProjectDocument.size,
            ProjectDocument.uploaded_at,
        )
        .where(ProjectDocument.project == project_id)
        .order_by(ProjectDocument.id)
    )
    return [DocumentView(r["id"], r["kind"], r["filename"], r["size"], r["uploaded_at"]) for r in rows]


async def document(project_id: int, document_id: int) -> tuple[str, bytes]:
    row = (
        await ProjectDocument.select(ProjectDocument.filename, ProjectDocument.content)
        .where((ProjectDocument.id == document_id) & (ProjectDocument.project == project_id))
        .first()
    )
    if row is None:
        raise NotFound(_("This document does not exist."))
    return row["filename"], bytes(row["content"])
