"""Door check-in tables: authorised devices and every scan that concerns a real ticket.

One ticket, one winning check-in per admission point: a partial UNIQUE index on
checkin(ticket, session_key) WHERE status = 'ok' (created in the migration), written with
INSERT ... ON CONFLICT DO NOTHING, so concurrent doors cannot both win. scan_id is UNIQUE too:
a retried request (same client-generated id) finds its first result instead of counting twice.
"""

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from accounts.tables import StaffUser
from events.tables import Event, Session
from ticketing.tables import Ticket

CHECKIN_STATUSES = ("ok", "duplicate", "undone", "rejected")
FLAG_REASONS = (
    "duplicate",  # the ticket was already admitted (another door, or offline on two devices)
    "superseded",  # an earlier offline scan arrived later and won
    "cancelled_after_sync",  # admitted offline, cancelled after the device downloaded its list
    "cancelled",
    "refunded",
    "unpaid",
    "wrong_event",
)


class Device(Table, tablename="checkin_device"):
    """A phone or scanner authorised by staff for one event (optionally one session)."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(references=Session, null=True, default=None, on_delete=OnDelete.set_null)
    name = Varchar(length=100)
    door = Varchar(length=100, default="")
    token_hash = Varchar(length=64, unique=True)  # sha256 hex of the bearer token, shown once
    created_by = ForeignKey(references=StaffUser, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
    last_sync_at = Timestamptz(null=True, default=None)  # last contact of any kind
    list_synced_at = Timestamptz(null=True, default=None)  # last ticket list download
    # The one pending pairing of the device: sha256 of a one-time code (the link /door/pair/<code>),
    # valid until pairing_expires_at. Pairing a phone with it gives the phone a new token (the previous
    # one stops working) and clears it; staff can issue a new one at any time (checkin.services).
    pairing_hash = Varchar(length=64, null=True, default=None)  # unique: an index of the migration
    pairing_expires_at = Timestamptz(null=True, default=None)
    paired_at = Timestamptz(null=True, default=None)  # last pairing of a phone


class CheckIn(Table, tablename="checkin"):
    ticket = ForeignKey(references=Ticket, on_delete=OnDelete.cascade, index=True)
    # The ticket's event (Event.id), indexed with status by the migration's (event, status) index. A plain
    # integer, not a foreign key: the constraint made every insert lock the one event row (see the
    # 2026-11-25T12:20 migration); the ticket foreign key removes check-ins with their event's tickets.
    event = Integer(null=True, default=None)
    session_key = Integer(default=0)  # 0: the event entrance; else the Session id
    scan_id = Varchar(length=64, unique=True)
    device = Integer(null=True, default=None)  # Device.id (no foreign key, as for event; devices are revoked)
    door = Varchar(length=100, default="")
    staff = ForeignKey(references=StaffUser, null=True, default=None, on_delete=OnDelete.set_null)
    scanned_at = Timestamptz()  # the device's clock
    received_at = Timestamptz(default=TimestamptzNow())
    status = Varchar(length=12, default="ok")  # see CHECKIN_STATUSES
    offline = Boolean(default=False)
    flag = Varchar(length=24, default="")  # non-empty: reported to staff (see FLAG_REASONS)
    reviewed_at = Timestamptz(null=True, default=None)
    reviewed_by = ForeignKey(references=StaffUser, null=True, default=None, on_delete=OnDelete.set_null)
    undone_by = ForeignKey(references=StaffUser, null=True, default=None, on_delete=OnDelete.set_null)
    undone_at = Timestamptz(null=True, default=None)
