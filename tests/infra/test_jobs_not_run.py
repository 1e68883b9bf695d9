"""Jobs written inside `lib.jobs.not_run()` (the demo's history) are recorded as skipped and never run:
loading the demo sends no email and renders no document, so a fresh server's worker is free at once."""

from __future__ import annotations

from lib.jobs import atomic, not_run, sweep, wait_idle
from lib.mail import queue_email
from lib.tables import OutboxJob
from tests.ticketing.factories import make_event, make_type
from ticketing.orders import place_order


async def test_a_job_written_inside_not_run_is_skipped_and_the_next_one_still_goes(jobs_worker, mailbox):
    with not_run():
        async with atomic():
            await queue_email("history@example.org", "Ancienne commande", "Texte")
    async with atomic():
        await queue_email("today@example.org", "Bonjour", "Texte")
    await sweep(lost_in_memory=True)  # what a server starting on this database does
    [msg] = mailbox.wait_for("today@example.org")
    assert msg["Subject"] == "Bonjour"
    await wait_idle()
    assert mailbox.to("history@example.org") == []
    statuses = await OutboxJob.select(OutboxJob.status).order_by(OutboxJob.id)
    assert [r["status"] for r in statuses] == ["skipped", "done"]


async def test_an_order_placed_inside_not_run_writes_its_email_job_as_skipped():
    # On PostgreSQL a free order is one statement that writes the job row itself (not through enqueue).
    event = await make_event(10)
    free = await make_type(event, "Invité", 0)
    with not_run():
        placed = await place_order(
            event_id=event.id,
            buyer={"name": "Alice", "email": "alice@example.org"},
            items=[{"ticket_type": free.id, "quantity": 1}],
            attendees=[{"name": "Alice", "email": "alice@example.org"}],
        )
    assert placed.order.status == "confirmed"
    jobs = await OutboxJob.select(OutboxJob.actor, OutboxJob.status)
    assert jobs == [{"actor": "ticketing.order_email", "status": "skipped"}]
