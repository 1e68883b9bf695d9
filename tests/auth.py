"""Sign-in helpers for tests of any area (they go through the real login form)."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import post

DEFAULT_PASSWORD = "correct horse battery staple"


async def make_staff(role: str = "staff", email: str | None = None, password: str = DEFAULT_PASSWORD) -> Any:
    from accounts.services import create_staff_user

    email = email or f"{role}@ledamier.test"
    return await create_staff_user(email=email, name=f"Test {role}", password=password, role=role)


def login_staff(
    client, role: str = "staff", email: str | None = None, password: str = DEFAULT_PASSWORD
) -> Any:
    """Create a staff user with this role and sign the client in through POST /auth/login."""
    import anyio

    email = email or f"{role}@ledamier.test"
    user = anyio.run(lambda: make_staff(role=role, email=email, password=password))
    r = post(client, "/auth/login", data={"email": email, "password": password}, follow_redirects=False)
    assert r.status_code in (302, 303), (r.status_code, r.text[:500])
    return user


LINK_RE = re.compile(r"https?://[^\s\"'<>]+(/auth/link/[A-Za-z0-9_\-]+)")


def link_from_message(msg: Any) -> str:
    """The path of the one-time sign-in link carried by an email (/auth/link/<token>)."""
    part = msg.get_body(preferencelist=("plain",)) if hasattr(msg, "get_body") else msg
    match = LINK_RE.search(part.get_content())
    assert match, "no sign-in link in the email"
    return match.group(1)


def request_link(client, email: str, mailbox, next: str | None = None, headers: dict | None = None) -> str:
    """Ask for a sign-in link through the form and return its path, read from the email received."""
    already = len(mailbox.to(email))
    data = {"email": email, **({"next": next} if next else {})}
    r = post(client, "/auth/link", data=data, headers=headers or {})
    assert r.status_code == 200, (r.status_code, r.text[:500])
    # Other mail to the same person (an agenda, a ticket) may arrive meanwhile: take the new message
    # that carries a sign-in link (checked as each message arrives).
    found: list[Any] = []

    def has_link(_messages: list[Any]) -> bool:
        for msg in reversed(mailbox.to(email)[already:]):
            part = msg.get_body(preferencelist=("plain",))
            if part is not None and LINK_RE.search(part.get_content()):
                found.append(msg)
                return True
        return False

    try:
        mailbox.wait_until(has_link, timeout=20)
    except AssertionError:
        raise AssertionError(f"no sign-in link emailed to {email}") from None
    return link_from_message(found[0])


def login_attendee(client, email: str, mailbox, next: str | None = None) -> str:
    """Sign an attendee in through the real email: request a link, read it from the SMTP mailbox,
    open the confirmation page and press its button. Returns the path redirected to."""
    path = request_link(client, email, mailbox, next=next)
    page = client.get(path)
    assert page.status_code == 200, (page.status_code, page.text[:500])
    r = post(client, path, follow_redirects=False)
    assert r.status_code in (302, 303), (r.status_code, r.text[:500])
    return r.headers["location"]
