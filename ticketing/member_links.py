"""Using a member's confirmation link: the operation that moves an order (or a ticket transfer) on once
every member address it names is proven. It sits above orders and member_proof, which both stay free
of each other's operations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from accounts.services import LinkInvalid
from lib.errors import Conflict
from lib.i18n import _
from lib.jobs import atomic
from members.standing import membership_standing
from ticketing import orders
from ticketing.member_proof import WAITING_FOR_PROOF, check, link_problem, peek
from ticketing.tables import MemberConfirmation, Order


@dataclass(frozen=True)
class Outcome:
    kind: str  # order | transfer
    email: str
    order_status: str  # the order's status after this confirmation
    waiting_for: int  # member addresses still to confirm (kind order)


async def confirm(token: str) -> Outcome:
    """Use a confirmation link once; when it was the order's last one, the order moves on (confirmed,
    or waiting for payment when the member price is not free)."""
    pending = await check(token)
    row = pending.row
    standing = await membership_standing(email=row.email)
    if not standing.in_good_standing:
        raise LinkInvalid(
            _(
                "%(email)s is not recognised as a member in good standing (%(reason)s) Ask the team to approve "
                "the member price.",
                email=row.email,
                reason=standing.message,
            )
        )
    now = datetime.now(UTC)
    async with atomic():
        # Lock the order first: two members confirming at once cannot both see the other one missing.
        locked = await Order.raw(
            "UPDATE ticketing_order SET status = status WHERE id = {} RETURNING status", row.order
        )
        status = locked[0]["status"] if locked else ""
        claimed = (
            await MemberConfirmation.update({MemberConfirmation.confirmed_at: now})
            .where(
                (MemberConfirmation.id == row.id)
                & MemberConfirmation.confirmed_at.is_null()
                & MemberConfirmation.superseded_at.is_null()
                & (MemberConfirmation.expires_at > now)
            )
            .returning(MemberConfirmation.id)
        )
        if not claimed:
            raise LinkInvalid(
                link_problem(await peek(token), now) or _("This confirmation link is not valid.")
            )
        if row.kind == "transfer":
            if status not in ("confirmed", "pending_payment"):
                raise Conflict(_("This booking is not waiting for a confirmation any more."))
            await orders.apply_transfer(row)
            return Outcome("transfer", row.email, status, 0)
        if status not in WAITING_FOR_PROOF:
            raise Conflict(_("This booking is not waiting for a confirmation any more."))
        waiting = await MemberConfirmation.count().where(
            (MemberConfirmation.order == row.order)
            & (MemberConfirmation.kind == "order")
            & MemberConfirmation.confirmed_at.is_null()
            & MemberConfirmation.superseded_at.is_null()
        )
        if waiting == 0:
            status = await orders.member_price_proven(row.order, from_statuses=WAITING_FOR_PROOF)
    return Outcome("order", row.email, status, waiting)
