"""Helpers for ticketing tests: members, orders over HTTP, PDFs read back, attachments."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from members.tables import MembershipYear, Organisation
from tests.conftest import post


async def make_member_org(domain: str = "label-auvergne.fr", paid: bool = True) -> Organisation:
    org = Organisation(name=f"Org {domain}", email_domain=domain, college=1)
    await org.save()
    if paid:
        await MembershipYear(
            organisation=org.id,
            year=date.today().year,
            dues_cents=22000,
            paid_on=date(date.today().year, 1, 2),
        ).save()
    return org


def order(
    client,
    event_id: int,
    items: list[dict],
    *,
    buyer: dict | None = None,
    attendees=None,
    headers=None,
    **extra,
):
    body = {
        "buyer": buyer or {"name": "Alice Martin", "email": "alice@example.org", "organisation": "Studio A"},
        "items": items,
        **extra,
    }
    if attendees is not None:
        body["attendees"] = attendees
    return post(client, f"/api/events/{event_id}/orders", json=body, headers=headers or {})


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def attachment(msg, filename_part: str) -> bytes:
    for part in msg.iter_attachments():
        if filename_part in (part.get_filename() or ""):
            return part.get_content()
    raise AssertionError(
        f"no attachment {filename_part!r} in {[p.get_filename() for p in msg.iter_attachments()]}"
    )


async def staff_login(client, role: str = "staff") -> None:
    """Create a staff user and sign in through the real login form (async tests)."""
    from tests.auth import DEFAULT_PASSWORD, make_staff

    email = f"{role}@ledamier.test"
    await make_staff(role=role, email=email)
    r = post(
        client, "/auth/login", data={"email": email, "password": DEFAULT_PASSWORD}, follow_redirects=False
    )
    assert r.status_code in (302, 303), (r.status_code, r.text[:300])
