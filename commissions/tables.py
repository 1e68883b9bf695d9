"""The commissions app's tables: a collective market won together, and the commission records (one per member
and piece of business, whatever its source)."""

from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from members.tables import Organisation
from scheduling.tables import Meeting, MeetingProgramme
from ticketing.tables import CreditNote, Invoice


class CollectiveMarket(Table, tablename="commission_market"):
    """A call for tenders the cluster answered with several members and won: one commission per member."""

    title = Varchar(length=200)
    buyer = Varchar(length=200)
    reference = Varchar(length=100, default="")
    won_on = Date()
    created_at = Timestamptz(default=TimestamptzNow())


class Commission(Table, tablename="commission"):
    """The cluster's commission on one member's piece of business. source: deal (a speed-meeting deal,
    meeting set), market (a collective market, market set) or business (brought to one member).
    status: expected -> confirmed (staff) -> invoiced -> paid; cancelled (with a credit note once invoiced).
    Amounts HT in cents; rate in basis points (1000 = 10 %); a rate other than the default has a reason."""

    source = Varchar(length=12, default="deal")
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.restrict, index=True)
    programme = ForeignKey(references=MeetingProgramme, null=True, on_delete=OnDelete.set_null)
    meeting = ForeignKey(references=Meeting, null=True, on_delete=OnDelete.set_null, unique=True)
    market = ForeignKey(references=CollectiveMarket, null=True, on_delete=OnDelete.restrict)
    buyer = Varchar(length=200, default="")
    description = Varchar(length=300, default="")
    won_on = Date()
    amount_cents = Integer()
    rate_bp = Integer(default=1000)
    rate_reason = Varchar(length=300, default="")
    commission_cents = Integer()
    status = Varchar(length=12, default="expected")
    confirmed_at = Timestamptz(null=True, default=None)
    invoice = ForeignKey(references=Invoice, null=True, default=None, on_delete=OnDelete.restrict)
    invoiced_at = Timestamptz(null=True, default=None)
    email = Varchar(length=254, default="")
    paid_at = Timestamptz(null=True, default=None)
    payment_method = Varchar(length=20, default="")  # transfer | card | cheque
    # The Stripe PaymentIntent started for the invoice's TTC (one per invoice: a second click resumes it).
    payment_intent_id = Varchar(length=100, default="")
    credit_note = ForeignKey(references=CreditNote, null=True, default=None, on_delete=OnDelete.restrict)
    cancelled_at = Timestamptz(null=True, default=None)
    cancel_reason = Varchar(length=300, default="")
    reminders = Integer(default=0)
    reminded_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
