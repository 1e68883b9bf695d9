"""Outgoing email as outbox jobs: aiosmtplib to SMTP_URL, or .eml files in var/outbox/ without SMTP."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import aiosmtplib

from lib.jobs import enqueue, job_handler, periodic
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
        tmp = path.with_name(f".{name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
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
    message_id = msg["Message-ID"]
    async with smtp:  # connects (and authenticates); QUIT on the way out
        assert smtp.protocol is not None
        smtp.protocol.execute_data_command = partial(  # type: ignore[method-assign]
            _data_marked_sent, smtp.protocol, message_id
        )
        await smtp.send_message(msg)
        if accepted:
            await accepted()


# --- "sent" marks: what makes a replayed email job recognise that its message already left -----------
#
# The SMTP server takes a message when it reads the final "." of DATA. The mark is written in the same
# moment: a file created (one syscall, kept by the kernel whatever happens to the process) right before
# the "." goes into the socket (the next syscall), once the rest of the message has left the process.
# A worker killed after the mark has handed the "." to the kernel, which still sends it: the server
# takes the message, and the replayed job finds the mark and does not send it again. What is left: a
# kill between the two syscalls (microseconds: the message is then lost, never sent twice), and a server
# refusing the "." while the worker dies before it reads the refusal.


def _sent_marks_dir() -> Path:
    return get_settings().var_dir / "mail-sent"


def _mark_path(message_id: str) -> Path:
    return _sent_marks_dir() / hashlib.sha256(message_id.encode()).hexdigest()[:40]


def already_sent(message_id: str | None) -> bool:
    """Whether the SMTP server was handed this message's final "." already (by any attempt)."""
    return bool(message_id) and _mark_path(str(message_id)).exists()


def _mark_sent(message_id: str) -> None:
    os.close(os.open(_mark_path(message_id), os.O_WRONLY | os.O_CREAT, 0o600))


def _unmark_sent(message_id: str) -> None:
    _mark_path(message_id).unlink(missing_ok=True)


SENT_MARK_DAYS = 7  # far beyond the last retry of a job (JOB_MAX_ATTEMPTS with backoff)
_marks_swept_at = 0.0


@periodic
async def forget_old_sent_marks() -> None:
    """Sent marks older than SENT_MARK_DAYS go (checked at most once an hour per process)."""
    global _marks_swept_at
    import time

    now = time.time()
    if _marks_swept_at and now - _marks_swept_at < 3600:
        return
    _marks_swept_at = now
    folder = _sent_marks_dir()
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < now - SENT_MARK_DAYS * 86400:
                path.unlink()


async def _data_marked_sent(
    protocol: Any, message_id: str, message: bytes, timeout: float | None = None
) -> Any:
    """aiosmtplib's SMTPProtocol.execute_data_command (3.x/4.x), with the final "." written only after
    the rest of the message left the process and the sent mark is on disk, in two consecutive syscalls."""
    from aiosmtplib.errors import SMTPDataError, SMTPServerDisconnected
    from aiosmtplib.protocol import PERIOD_REGEX, normalize_message_line_endings
    from aiosmtplib.status import SMTPStatus

    if protocol._command_lock is None:
        raise SMTPServerDisconnected("Server not connected")
    body = PERIOD_REGEX.sub(b"..", normalize_message_line_endings(message))
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    _sent_marks_dir().mkdir(parents=True, exist_ok=True)
    async with protocol._command_lock:
        protocol._response_pending = True
        protocol.write(b"DATA\r\n")
        start = await protocol.read_response(timeout=timeout)
        if start.code != SMTPStatus.start_input:
            raise SMTPDataError(start.code, start.message)
        protocol._response_pending = True
        protocol.write(body)
        # (asyncio has no event for "write buffer empty", only for "below the high-water mark")
        while protocol.transport is not None and protocol.transport.get_write_buffer_size():  # noqa: ASYNC110
            await asyncio.sleep(0.001)  # the whole message in the kernel's hands, then:
        _mark_sent(message_id)
        protocol.write(b".\r\n")  # no await in between: nothing else runs in this thread meanwhile
        try:
            response = await protocol.read_response(timeout=timeout)
        except BaseException:
            # No answer while this process lives (timeout, connection reset): the outcome is unknown,
            # so the job is retried and may send a second copy (the same Message-ID) rather than none.
            _unmark_sent(message_id)
            raise
        if response.code != SMTPStatus.completed:
            _unmark_sent(message_id)  # refused: a retry must send it
            raise SMTPDataError(response.code, response.message)
    return response


@job_handler("send_email", fast_lane=True)
async def send_email_job(payload: dict[str, Any]) -> None:
    from lib.jobs import completion_ready

    msg = build_message(payload)
    if already_sent(msg["Message-ID"]):
        # An earlier attempt handed the whole message to the SMTP server and died before its done mark.
        log.warning("email %s was already sent by an earlier attempt: not sent again", msg["Message-ID"])
        return
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
