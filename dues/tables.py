"""The dues app's one table: a called year of dues for one organisation, and its invoice."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from members.tables import Organisation
from ticketing.tables import CreditNote, Invoice


class DuesCall(Table, tablename="dues_call"):
    """The dues of one organisation for one year (unique per organisation and year: calling twice
    never issues a second invoice). paid_at set means paid; the register's MembershipYear follows."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.restrict, index=True)
    year = Integer()
    revenue_band = Varchar(length=20)
    invoice = ForeignKey(references=Invoice, on_delete=OnDelete.restrict, null=True, default=None)
    email = Varchar(length=254, default="")
    amount_ht_cents = Integer()
    vat_cents = Integer()
    amount_ttc_cents = Integer()
    called_at = Timestamptz(default=TimestamptzNow())
    paid_at = Timestamptz(null=True, default=None)
    payment_method = Varchar(length=20, default="")  # transfer | card
    payment_intent_id = Varchar(length=100, default="")
    reminders = Integer(default=0)
    reminded_at = Timestamptz(null=True, default=None)
    lapse_notice_at = Timestamptz(null=True, default=None)
    # Cancelled (an organisation that left, dues called by mistake): a credit note for the whole invoice.
    credit_note = ForeignKey(references=CreditNote, on_delete=OnDelete.restrict, null=True, default=None)
    cancel_reason = Varchar(length=300, default="")
