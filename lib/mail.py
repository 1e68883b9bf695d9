"""Outgoing email as outbox jobs: aiosmtplib to SMTP_URL, or .eml files in var/outbox/ without SMTP."""

from __future__ import annotations

import base64
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Any
from urllib.parse import unquote, urlparse

import aiosmtplib

from lib.jobs import enqueue, job_handler
from lib.settings import get_settings

log = logging.getLogger(__name__)


async def queue_email(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
    dedup_key: str | None = None,
) -> int | None:
    """Queue an email (call inside the transaction of the change that causes it).

    attachments: (filename, mime type "type/subtype", content); text/* content is UTF-8.
    The Message-ID is fixed here, so a job that is ever delivered twice (a crash between the SMTP
    transaction and the job's done mark) carries the same Message-ID both times.
    """
    payload: dict[str, Any] = {
        "message_id": f"<{uuid.uuid4().hex}@{_mail_domain()}>",
        "to": to,
        "subject": subject,
        "text": text,
        "html": html,
        "attachments": [
            {"filename": name, "mime": mime, "data": base64.b64encode(data).decode()}
            for name, mime, data in (attachments or [])
        ],
    }
    return await enqueue("send_email", payload, dedup_key=dedup_key)


def _mail_domain() -> str:
    address = parseaddr(get_settings().mail_from)[1]
    return address.rpartition("@")[2] or "ledamier.fr"


def build_message(payload: dict[str, Any]) -> EmailMessage:
    settings = get_settings()
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = payload["to"]
    msg["Subject"] = payload["subject"]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = payload.get("message_id") or f"<{uuid.uuid4().hex}@{_mail_domain()}>"
    msg.set_content(payload["text"])
    if payload.get("html"):
        msg.add_alternative(payload["html"], subtype="html")
    for att in payload.get("attachments", []):
        maintype, subtype = att["mime"].split("/", 1)
        # Text attachments (.ics, .csv...) are UTF-8: say so, or readers decode them as ASCII.
        params = {"charset": "utf-8"} if maintype == "text" else None
        msg.add_attachment(
            base64.b64decode(att["data"]),
            maintype=maintype,
            subtype=subtype,
            filename=att["filename"],
            params=params,
        )
    return msg


async def deliver(msg: EmailMessage, accepted: Callable[[], Awaitable[object]] | None = None) -> None:
    """Send one message. accepted: awaited as soon as the server has taken the message, before the
    connection's QUIT (the email job marks itself done there: the shorter the time between the
    server's "250" and that mark, the smaller the chance that a worker killed in between sends the
    message again when its job is replayed)."""
    settings = get_settings()
    if not settings.smtp_url:
        # One file per Message-ID, written atomically: a replayed job rewrites the same file.
        settings.outbox_dir.mkdir(parents=True, exist_ok=True)
        name = msg["Message-ID"].strip("<>").split("@")[0]
        path = settings.outbox_dir / f"{name}.eml"
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        tmp.write_bytes(msg.as_bytes())
        os.replace(tmp, path)
        if accepted:
            await accepted()
        return
    url = urlparse(settings.smtp_url)
    use_tls = url.scheme == "smtps"
    smtp = aiosmtplib.SMTP(
        hostname=url.hostname or "127.0.0.1",
        port=url.port or (465 if use_tls else 25),
        username=unquote(url.username) if url.username else None,
        password=unquote(url.password) if url.password else None,
        use_tls=use_tls,
        start_tls=True if url.scheme == "smtp+starttls" else None if not use_tls else False,
        timeout=30,
    )
    async with smtp:  # connects (and authenticates); QUIT on the way out
        await smtp.send_message(msg)
        if accepted:
            await accepted()


@job_handler("send_email")
async def send_email_job(payload: dict[str, Any]) -> None:
    from lib.jobs import completion_ready

    msg = build_message(payload)
    # The job's done mark is ready to go before the message leaves (its connection open): between the
    # server's "250" and the committed mark there is one round trip, the only moment where a worker
    # killed would send the message again when the job is replayed.
    async with completion_ready() as complete:
        sent = False

        async def accepted() -> None:
            nonlocal sent
            await complete()
            sent = True

        try:
            await deliver(msg, accepted=accepted)
        except Exception:
            if not sent:
                raise
            log.warning("email %s was sent; closing the SMTP connection failed", msg["Message-ID"])
