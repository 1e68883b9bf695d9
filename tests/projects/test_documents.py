"""The convention PDF kept with a project: staff upload it (anything but a PDF is refused, naming the field and
storing nothing), download it back byte for byte; nobody else reaches it."""

from __future__ import annotations

from html import unescape

import anyio

from lib.pdf import new_pdf, output
from projects.tables import ProjectDocument
from tests.auth import login_staff
from tests.conftest import post
from tests.projects.factories import project


def _pdf_bytes() -> bytes:
    pdf = new_pdf()
    pdf.add_page()
    pdf.cell(text="Convention d'accompagnement")
    return output(pdf)


def test_staff_upload_the_convention_and_download_it_back(client):
    shown = anyio.run(project)
    url = f"/staff/projects/{shown.id}"
    assert client.get(f"{url}/documents/1").status_code in (401, 403, 303)  # not signed in
    login_staff(client)
    refused = post(
        client, f"{url}/documents", files={"document": ("convention.docx", b"PK\x03\x04 not a pdf")}
    )
    assert refused.status_code == 422 and "Le document doit être un fichier PDF." in unescape(refused.text)
    assert anyio.run(lambda: ProjectDocument.count()) == 0
    content = _pdf_bytes()
    sent = post(
        client,
        f"{url}/documents",
        data={"kind": "convention"},
        files={"document": ("Convention signée 2026.pdf", content, "application/pdf")},
    )
    assert sent.status_code in (200, 303)
    [doc] = anyio.run(lambda: ProjectDocument.objects().where(ProjectDocument.project == shown.id))
    assert doc.filename == "Convention_sign_e_2026.pdf" and doc.kind == "convention"
    page = client.get(url)
    assert f"{url}/documents/{doc.id}" in page.text
    download = client.get(f"{url}/documents/{doc.id}")
    assert download.status_code == 200 and download.content == content
    assert download.headers["content-type"].startswith("application/pdf")
    assert client.get(f"/staff/projects/{shown.id}/documents/{doc.id + 1}").status_code == 404
