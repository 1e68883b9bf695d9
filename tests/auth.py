"""Sign-in helpers for tests of any area (they go through the real login form)."""

from __future__ import annotations

from typing import Any

from tests.conftest import post

DEFAULT_PASSWORD = "correct horse battery staple"


async def make_staff(role: str = "staff", email: str | None = None, password: str = DEFAULT_PASSWORD) -> Any:
    from accounts.services import create_staff_user

    email = email or f"{role}@ledamier.test"
    return await create_staff_user(email=email, name=f"Test {role}", password=password, role=role)


def login_staff(client, role: str = "staff", email: str | None = None, password: str = DEFAULT_PASSWORD) -> Any:
    """Create a staff user with this role and sign the client in through POST /auth/login."""
    import anyio

    email = email or f"{role}@ledamier.test"
    user = anyio.run(lambda: make_staff(role=role, email=email, password=password))
    r = post(client, "/auth/login", data={"email": email, "password": password}, follow_redirects=False)
    assert r.status_code in (302, 303), (r.status_code, r.text[:500])
    return user
