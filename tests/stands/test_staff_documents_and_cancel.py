"""Issue 12's Done-means gaps: the printable plan (A3, stand numbers and exhibitor names) and the set-up
sheet (stand, options, badges) read back with pypdf, and the exhibitors' own cancellation window
(STAND_FREE_CANCELLATION_DAYS) refused with a message naming the field, changing nothing."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from lib.errors import ValidationFailed
from stands import badges, booking
from stands.tables import Booking, Stand
from tests.auth import DEFAULT_PASSWORD, make_staff
from tests.conftest import post
from tests.stands.factories import hall, member


def _text(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), reader


async def test_plan_pdf_is_a3_with_numbers_and_names_and_setup_sheet_lists_everything(client):
    h = await hall(stands=3)
    org, email = await member("Volcans Films")
    held = await booking.request_stand(
        h["event"].id,
        h["stands"][1],
        email=email,
        data={"options": [{"option": h["socket"]["id"], "quantity": 2}]},
    )
    await booking.approve(held.id)
    share_id = held.shares[0]["id"]
    await badges.issue(share_id, ["Alex Volcans", "Sam Volcans"], email=email)
    staff = await make_staff()
    r = post(
        client,
        "/auth/login",
        data={"email": staff.email, "password": DEFAULT_PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code in (302, 303), r.text[:300]

    r = client.get(f"/staff/stands/{h['event'].id}/plan.pdf")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/pdf"
    text, reader = _text(r.content)
    box = reader.pages[0].mediabox
    assert sorted((round(float(box.width)), round(float(box.height)))) == [842, 1191]  # A3 in points
    for expected in ("A1", "A2", "A3", "Volcans Films"):
        assert expected in text

    r = client.get(f"/staff/stands/{h['event'].id}/setup/{share_id}/sheet.pdf")
    assert r.status_code == 200
    text, _reader = _text(r.content)
    for expected in ("Volcans Films", "A2", "Alex Volcans", "Sam Volcans"):
        assert expected in text
    assert "2" in text and h["socket"]["name"] in text
    # a share of another edition is not found under this one
    other = await hall(stands=1)
    assert client.get(f"/staff/stands/{other['event'].id}/setup/{share_id}/sheet.pdf").status_code == 404


async def test_exhibitor_cannot_cancel_an_approved_stand_inside_the_window(monkeypatch):
    monkeypatch.setenv("STAND_FREE_CANCELLATION_DAYS", "30")
    from lib.settings import get_settings

    get_settings.cache_clear()
    try:
        soon = await hall(stands=2, days=10)  # the edition starts in 10 days
        _org, email = await member("Tardif")
        held = await booking.request_stand(soon["event"].id, soon["stands"][0], email=email, data={})
        await booking.approve(held.id)
        with pytest.raises(ValidationFailed) as err:
            await booking.cancel(held.id, by_staff=False, email=email)
        assert "booking" in err.value.errors and "30" in err.value.errors["booking"]
        assert (await Booking.objects().where(Booking.id == held.id).first()).status == "approved"
        assert (await Stand.objects().where(Stand.id == soon["stands"][0]).first()).status == "booked"
        # staff still can; a mere hold can always be let go by the exhibitor
        await booking.cancel(held.id, by_staff=True)
        again = await booking.request_stand(soon["event"].id, soon["stands"][1], email=email, data={})
        assert (await booking.cancel(again.id, by_staff=False, email=email)).status == "cancelled"

        later = await hall(stands=1, days=60)
        far = await booking.request_stand(later["event"].id, later["stands"][0], email=email, data={})
        await booking.approve(far.id)
        assert (await booking.cancel(far.id, by_staff=False, email=email)).status == "cancelled"
    finally:
        get_settings.cache_clear()
