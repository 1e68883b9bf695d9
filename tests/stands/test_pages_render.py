"""Every stands page renders for its audience in French and English (no template error, no 500)."""

from __future__ import annotations

import anyio
import pytest

from tests.auth import login_attendee, login_staff
from tests.stands.factories import hall, member


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pages_render_signed_in_and_as_staff(client, mailbox, lang):
    h = anyio.run(lambda: hall())
    org, email = anyio.run(lambda: member("Zed"))

    async def assign():
        from stands import booking

        await booking.assign(h["event"].id, h["stands"][1], {"organisation": org.id}, staff_email="s@x.test")

    anyio.run(assign)
    event_id = h["event"].id
    for path in (
        f"/stands/{event_id}",
        f"/stands/{event_id}/exhibitors",
        f"/stands/{event_id}/stand/{h['stands'][0]}",
    ):
        assert client.get(f"{path}?lang={lang}").status_code == 200, path
    login_attendee(client, email, mailbox)
    for path in (f"/stands/{event_id}/stand/{h['stands'][0]}", "/stands/bookings", f"/stands/{event_id}"):
        r = client.get(f"{path}?lang={lang}")
        assert r.status_code == 200, (path, r.text[:300])
    client.cookies.clear()
    login_staff(client)
    for path in (
        f"/staff/stands/{event_id}",
        "/staff/stands",
        "/staff/stands/fairs",
        f"/staff/stands/{event_id}/badges.csv",
    ):
        r = client.get(f"{path}?lang={lang}")
        assert r.status_code == 200, (path, r.text[:300])
