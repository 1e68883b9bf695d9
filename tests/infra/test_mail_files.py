"""Without SMTP_URL, emails are written as .eml files in var/outbox/ (a separate process, the real job)."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from lib.tables import OutboxJob
from tests.processes import child_env, run_python

SEND_WITHOUT_SMTP = """
import asyncio
from lib import jobs
from lib.mail import queue_email

PDF = b"%PDF-1.4\\n" + bytes(range(256)) + b"\\n%%EOF"
ICS = "BEGIN:VCALENDAR\\r\\nSUMMARY:Les Clés pour réussir\\r\\nEND:VCALENDAR\\r\\n".encode()

async def main():
    worker = jobs.EmbeddedWorker()
    await worker.start()
    async with jobs.atomic():
        await queue_email(
            "Zoé Müller <zoe@example.org>",
            "Votre billet — Les Clés pour réussir : « Financer sa tournée » à l'Épicentre",
            "Bonjour Zoé,\\nvotre billet est joint. À bientôt !",
            html="<p>Bonjour Zoé, <strong>à bientôt</strong> !</p>",
            attachments=[("billet-épicentre.pdf", "application/pdf", PDF), ("séance.ics", "text/calendar", ICS)],
        )
    await jobs.wait_idle()
    await worker.stop()

asyncio.run(main())
"""


async def test_email_without_smtp_is_written_as_eml_file(tmp_path: Path, mailbox):
    var_dir = tmp_path / "var"
    result = run_python(SEND_WITHOUT_SMTP, child_env(SMTP_URL=None, VAR_DIR=str(var_dir)))
    assert result.returncode == 0, result.stderr
    [job] = await OutboxJob.select()
    assert job["status"] == "done"

    files = sorted((var_dir / "outbox").iterdir())
    assert [f.suffix for f in files] == [".eml"]  # one file, no temporary file left behind
    msg = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Votre billet — Les Clés pour réussir : « Financer sa tournée » à l'Épicentre"
    assert msg["To"].addresses[0].display_name == "Zoé Müller"
    assert msg["To"].addresses[0].addr_spec == "zoe@example.org"
    assert msg["From"].addresses[0].addr_spec == "evenements@ledamier.fr"
    assert files[0].stem == msg["Message-ID"].strip("<>").split("@")[0]
    assert msg.get_body(("plain",)).get_content() == "Bonjour Zoé,\nvotre billet est joint. À bientôt !\n"
    assert "<strong>à bientôt</strong>" in msg.get_body(("html",)).get_content()
    attachments = {a.get_filename(): a for a in msg.iter_attachments()}
    assert set(attachments) == {"billet-épicentre.pdf", "séance.ics"}
    pdf = attachments["billet-épicentre.pdf"]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == b"%PDF-1.4\n" + bytes(range(256)) + b"\n%%EOF"
    ics = attachments["séance.ics"]
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_content() == "BEGIN:VCALENDAR\r\nSUMMARY:Les Clés pour réussir\r\nEND:VCALENDAR\r\n"
    # non-ASCII headers are RFC 2047 encoded in the file
    assert files[0].read_bytes().split(b"\n\n", 1)[0].isascii()
    assert mailbox.to("zoe@example.org") == []  # nothing went over SMTP


async def test_same_message_over_smtp_keeps_accents_and_attachments(jobs_worker, mailbox):
    from lib.jobs import atomic, wait_idle
    from lib.mail import queue_email

    async with atomic():
        await queue_email(
            "Zoé Müller <zoe@example.org>",
            "Culture Experience Days 2027 : votre réservation à Clermont-Ferrand",
            "Merci Zoé !",
            attachments=[("reçu.pdf", "application/pdf", b"%PDF-1.4 \xe9\xff")],
        )
    await wait_idle()
    [msg] = mailbox.wait_for("zoe@example.org")
    assert msg["Subject"] == "Culture Experience Days 2027 : votre réservation à Clermont-Ferrand"
    assert msg["To"].addresses[0].display_name == "Zoé Müller"
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "reçu.pdf" and att.get_content() == b"%PDF-1.4 \xe9\xff"
    assert msg.get_body(("plain",)).get_content().rstrip() == "Merci Zoé !"
