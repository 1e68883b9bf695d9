"""PDF tickets are rendered once: the confirmation email's job renders and stores them, the download
serves that same file; what the tickets show changing (an attendee renamed) renders them anew."""

from __future__ import annotations

import asyncio

from lib.settings import get_settings
from tests.conftest import send
from tests.ticketing.factories import cles_event, make_type
from tests.ticketing.helpers import attachment, order, pdf_text


def stored() -> list[str]:
    folder = get_settings().var_dir / "documents"
    return sorted(p.name for p in folder.glob("tickets-*.pdf")) if folder.exists() else []


async def test_tickets_pdf_is_rendered_once_and_again_when_it_changes(client, mailbox):
    event, _member, _public = await cles_event()
    free = await make_type(event, "Invité", 0)
    before = stored()
    r = order(
        client, event.id, [{"ticket_type": free.id, "quantity": 1}], attendees=[{"name": "Léa Première"}]
    )
    assert r.status_code == 201, r.text
    body = r.json()
    [msg] = mailbox.wait_for("alice@example.org")
    emailed = attachment(msg, "tickets.pdf")
    [new] = [name for name in stored() if name not in before]

    # A second later, a fresh rendering would carry another creation date: the download is the
    # stored file, byte for byte.
    await asyncio.sleep(1.1)
    download = client.get(f"/api/orders/{body['token']}/tickets.pdf")
    assert download.status_code == 200
    assert download.content == emailed
    assert [name for name in stored() if name not in before] == [new]

    tid = body["tickets"][0]["id"]
    r = send(client, "PATCH", f"/api/orders/{body['token']}/tickets/{tid}", json={"name": "Léa Renommée"})
    assert r.status_code == 200, r.text
    renamed = client.get(f"/api/orders/{body['token']}/tickets.pdf")
    assert renamed.status_code == 200 and renamed.content != emailed
    assert "Léa Renommée" in pdf_text(renamed.content)
    assert len([name for name in stored() if name not in before]) == 2
