"""The periodic clean-up of stored ticket PDFs: cancelled tickets, replaced renderings and long-past
events go; the PDF a buyer would download now stays (the same file, not rendered again)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from events.tables import Event
from lib.jobs import wait_idle
from lib.settings import get_settings
from tests.conftest import post, send
from tests.ticketing.factories import make_event, make_type
from tests.ticketing.helpers import order
from ticketing import jobs as ticketing_jobs
from ticketing.document_cleanup import remove_unneeded_ticket_pdfs
from ticketing.tables import Order


def stored() -> dict[str, float]:
    folder = get_settings().var_dir / "documents"
    return {p.name: p.stat().st_mtime for p in folder.glob("tickets-*.pdf")} if folder.exists() else {}


def age_all(hours: float) -> None:
    """Make every stored ticket PDF `hours` older than it is."""
    for path in (get_settings().var_dir / "documents").glob("tickets-*.pdf"):
        then = path.stat().st_mtime - hours * 3600
        os.utime(path, (then, then))


async def download(client, token: str) -> str:
    """Download the order's tickets; the stored file it was served from (the order's newest)."""
    r = client.get(f"/api/orders/{token}/tickets.pdf")
    assert r.status_code == 200, r.text
    await wait_idle()  # (the confirmation email's job may store the same file)
    row = await Order.select(Order.id, Order.event).where(Order.token == token).first()
    prefix = f"tickets-{row['event']}-{row['id']}-fr-"
    mine = {name: mtime for name, mtime in stored().items() if name.startswith(prefix)}
    return max(mine, key=mine.__getitem__)


def _order(client, event_id: int, type_id: int, who: str, n: int = 1) -> dict:
    r = order(
        client,
        event_id,
        [{"ticket_type": type_id, "quantity": n}],
        buyer={"name": who, "email": f"{who.lower()}@example.org"},
        attendees=[{"name": f"{who} {i}"} for i in range(n)] if n > 1 else None,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_only_pdfs_nobody_needs_are_removed(client):
    event = await make_event(50)
    free = await make_type(event, "Invité", 0)
    kept = _order(client, event.id, free.id, "Kept", 2)
    kept_first = await download(client, kept["token"])
    renamed = send(
        client,
        "PATCH",
        f"/api/orders/{kept['token']}/tickets/{kept['tickets'][0]['id']}",
        json={"name": "Kept Renamed"},
    )
    assert renamed.status_code == 200, renamed.text
    age_all(3)  # the first rendering is older than the one after the rename
    kept_now = await download(client, kept["token"])
    cancelled = _order(client, event.id, free.id, "Gone")
    cancelled_pdf = await download(client, cancelled["token"])
    assert post(client, f"/api/orders/{cancelled['token']}/cancel").status_code == 200

    past = await make_event(50)
    past_type = await make_type(past, "Invité", 0)
    long_ago = _order(client, past.id, past_type.id, "Past")
    recent = _order(client, past.id, past_type.id, "Late")
    past_pdf = await download(client, long_ago["token"])
    ended = datetime.now(UTC) - timedelta(days=get_settings().ticket_pdf_keep_days + 1)
    await Event.update({Event.starts_at: ended - timedelta(hours=3), Event.ends_at: ended}).where(
        Event.id == past.id
    )
    age_all(2)
    # a rendering under way (younger than an hour) is never touched, whatever its event
    recent_pdf = await download(client, recent["token"])
    old_format = get_settings().var_dir / "documents" / f"tickets-{'a' * 32}.pdf"
    old_format.write_bytes(b"%PDF-1.4 from an older version")
    then = time.time() - 7200
    os.utime(old_format, (then, then))

    result = await remove_unneeded_ticket_pdfs()
    left = stored()
    assert kept_now in left and recent_pdf in left
    assert kept_first not in left  # replaced by the rendering after the rename
    assert cancelled_pdf not in left  # its ticket was cancelled
    assert past_pdf not in left  # its event ended more than TICKET_PDF_KEEP_DAYS ago
    assert not old_format.exists()
    assert result.removed >= 4

    # the buyer's download is the stored file itself, not a new rendering
    mtime = left[kept_now]
    assert await download(client, kept["token"]) == kept_now
    assert stored()[kept_now] == mtime
    # and a second run has nothing more to do
    assert (await remove_unneeded_ticket_pdfs()).removed == 0


async def test_the_housekeeping_runs_it_once_an_hour(client, monkeypatch):
    event = await make_event(50)
    free = await make_type(event, "Invité", 0)
    gone = _order(client, event.id, free.id, "Gone")
    pdf = await download(client, gone["token"])
    assert post(client, f"/api/orders/{gone['token']}/cancel").status_code == 200
    age_all(2)
    monkeypatch.setattr(ticketing_jobs, "_last_cleanup", 0.0)
    await ticketing_jobs.remove_unneeded_ticket_pdfs()
    assert pdf not in stored()
    again = _order(client, event.id, free.id, "Again")
    second = await download(client, again["token"])
    assert post(client, f"/api/orders/{again['token']}/cancel").status_code == 200
    age_all(2)
    await ticketing_jobs.remove_unneeded_ticket_pdfs()  # within the hour: not again
    assert second in stored()
