"""A stand invoice paid by card: a PaymentIntent at the local Stripe fake, paid, then synced (idempotent)."""

from __future__ import annotations

import anyio

from stands.tables import BookingShare
from tests.auth import login_attendee
from tests.conftest import post
from tests.stands.factories import hall, member


def test_exhibitor_pays_the_invoice_by_card(client, stripe_fake, mailbox):
    h = anyio.run(lambda: hall())
    org, email = anyio.run(lambda: member("Carte Bleue Prod"))

    async def assign() -> int:
        from stands import booking

        done = await booking.assign(
            h["event"].id, h["stands"][0], {"organisation": org.id}, staff_email="s@x.test"
        )
        return done.shares[0]["id"]

    share_id = anyio.run(assign)
    login_attendee(client, email, mailbox)
    r = post(client, f"/api/stands/shares/{share_id}/card-payment")
    assert r.status_code == 200 and r.json()["client_secret"]
    again = post(client, f"/api/stands/shares/{share_id}/card-payment")
    assert again.json()["client_secret"] == r.json()["client_secret"]  # same PaymentIntent (idempotency key)
    assert post(client, f"/api/stands/shares/{share_id}/card-payment/sync").json() == {"paid": False}
    intent = anyio.run(
        lambda: BookingShare.select(BookingShare.payment_intent_id).where(BookingShare.id == share_id).first()
    )
    stripe_fake.pay(intent["payment_intent_id"])
    assert post(client, f"/api/stands/shares/{share_id}/card-payment/sync").json() == {"paid": True}
    row = anyio.run(
        lambda: (
            BookingShare.select(BookingShare.paid_at, BookingShare.payment_method)
            .where(BookingShare.id == share_id)
            .first()
        )
    )
    assert row["paid_at"] is not None and row["payment_method"] == "card"


def test_someone_else_cannot_pay_or_see_the_share(client, stripe_fake, mailbox):
    h = anyio.run(lambda: hall())
    org, _email = anyio.run(lambda: member("Alpha"))
    _other, other_email = anyio.run(lambda: member("Beta"))

    async def assign() -> int:
        from stands import booking

        return (
            await booking.assign(
                h["event"].id, h["stands"][0], {"organisation": org.id}, staff_email="s@x.test"
            )
        ).shares[0]["id"]

    share_id = anyio.run(assign)
    login_attendee(client, other_email, mailbox)
    assert post(client, f"/api/stands/shares/{share_id}/card-payment").status_code == 404
    assert client.get(f"/stands/shares/{share_id}/invoice.pdf").status_code == 404
