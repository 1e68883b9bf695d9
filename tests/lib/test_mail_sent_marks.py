"""Sent marks (lib.mail): a message handed to the SMTP server is recognised by its Message-ID, and the
housekeeping forgets the marks once no retry can come."""

from __future__ import annotations

import os
import time

from lib import mail


async def test_marks_are_found_then_forgotten_after_a_week(monkeypatch):
    mail._sent_marks_dir().mkdir(parents=True, exist_ok=True)
    old, new = "<old-mark@ledamier.fr>", "<new-mark@ledamier.fr>"
    for message_id in (old, new):
        mail._mark_sent(message_id)
    assert mail.already_sent(old) and mail.already_sent(new) and not mail.already_sent("<other@x>")
    then = time.time() - (mail.SENT_MARK_DAYS * 86400 + 60)
    os.utime(mail._mark_path(old), (then, then))
    monkeypatch.setattr(mail, "_marks_swept_at", 0.0)
    await mail.forget_old_sent_marks()
    assert not mail.already_sent(old) and mail.already_sent(new)
    mail._unmark_sent(new)
    assert not mail.already_sent(new)
