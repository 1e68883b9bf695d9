"""Stand tables: the hall of an edition, its stands and features, bookings and their shares,
options with stock, exhibitor profiles and badges, and trade fairs outside MIMA.

Geometry is in centimetres (integers) on the hall's metric grid; money in integer cents, HT.
Stand.status and StandOption.taken only change through one conditional UPDATE ... RETURNING
(stands.booking, stands.options), so a stand is never held twice and stock never goes negative.
"""

from piccolo.columns import (
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events.tables import Event
from members.tables import Organisation
from ticketing.tables import CreditNote, Invoice, Ticket

STAND_STATUSES = ("free", "held", "booked", "unavailable")
BOOKING_STATUSES = ("held", "approved", "refused", "expired", "cancelled")
OPEN_SIDES = ("row", "corner", "peninsula", "island")  # 1, 2, 3, 4 open sides
FEATURE_KINDS = ("aisle", "pillar", "door", "stage", "other")
PRICINGS = ("per_m2", "fixed")


class FloorPlan(Table, tablename="stand_floor_plan"):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, unique=True)
    width_cm = Integer(default=4000)
    depth_cm = Integer(default=2500)
    grid_cm = Integer(default=50)  # the editor snaps to this grid
    members_only = Boolean(default=False)
    hold_hours = Integer(null=True, default=None)  # None: the STAND_HOLD_HOURS setting


class StandCategory(Table, tablename="stand_category"):
    plan = ForeignKey(references=FloorPlan, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=120)
    name_en = Varchar(length=120, default="")
    pricing = Varchar(length=10, default="per_m2")  # per_m2 | fixed
    member_price_cents = Integer(default=0)  # HT, per m² or for the stand
    non_member_price_cents = Integer(default=0)
    badges_base = Integer(default=2)
    badges_per_m2 = Integer(default=9)  # +1 badge per this many m² (0: none)


class Stand(Table, tablename="stand"):
    plan = ForeignKey(references=FloorPlan, on_delete=OnDelete.cascade, index=True)
    category = ForeignKey(
        references=StandCategory, on_delete=OnDelete.restrict
    )  # no index: its name would be the table stand_category
    number = Varchar(length=12)
    x_cm = Integer(default=0)
    y_cm = Integer(default=0)
    width_cm = Integer(default=300)
    depth_cm = Integer(default=300)
    open_sides = Varchar(length=10, default="row")
    status = Varchar(length=12, default="free", index=True)


class Feature(Table, tablename="stand_feature"):
    """Aisles and fixed features of the hall (pillars, doors, stage): drawn, never booked."""

    plan = ForeignKey(references=FloorPlan, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=10, default="other")
    label = Varchar(length=60, default="")
    x_cm = Integer(default=0)
    y_cm = Integer(default=0)
    width_cm = Integer(default=100)
    depth_cm = Integer(default=100)


class StandOption(Table, tablename="stand_option"):
    plan = ForeignKey(references=FloorPlan, on_delete=OnDelete.cascade, index=True)
    code = Varchar(length=30)
    name = Varchar(length=120)
    name_en = Varchar(length=120, default="")
    price_cents = Integer(default=0)  # HT, per unit
    stock = Integer(null=True, default=None)  # None: unlimited
    taken = Integer(default=0)


class Booking(Table, tablename="stand_booking"):
    stand = ForeignKey(references=Stand, on_delete=OnDelete.restrict, index=True)
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=12, default="held", index=True)
    source = Varchar(length=10, default="request")  # request | direct (staff assignment)
    free_of_charge = Boolean(default=False)
    requested_by = Varchar(length=254, default="")
    note = Text(default="")
    hold_expires_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    refusal_reason = Text(default="")
    locale = Varchar(length=5, default="fr")


class BookingShare(Table, tablename="stand_booking_share"):
    """One exhibitor of a booking (a shared stand has several; shares in basis points sum to 10000)."""

    booking = ForeignKey(references=Booking, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.restrict, null=True, index=True)
    name = Varchar(length=200)
    email = Varchar(length=254)
    share_bp = Integer(default=10000)
    member_price = Boolean(default=False)
    amount_ht_cents = Integer(default=0)
    vat_cents = Integer(default=0)
    amount_ttc_cents = Integer(default=0)
    invoice = ForeignKey(references=Invoice, on_delete=OnDelete.restrict, null=True, default=None)
    credit_note = ForeignKey(references=CreditNote, on_delete=OnDelete.restrict, null=True, default=None)
    payment_method = Varchar(length=12, default="")  # "" | card | transfer
    paid_at = Timestamptz(null=True, default=None)
    payment_intent_id = Varchar(length=100, null=True, default=None, unique=True)


class BookingOption(Table, tablename="stand_booking_option"):
    booking = ForeignKey(references=Booking, on_delete=OnDelete.cascade, index=True)
    option = ForeignKey(references=StandOption, on_delete=OnDelete.restrict, index=True)
    quantity = Integer(default=1)
    unit_price_cents = Integer(default=0)


class WaitingEntry(Table, tablename="stand_waiting_entry"):
    category = ForeignKey(references=StandCategory, on_delete=OnDelete.cascade, index=True)
    email = Varchar(length=254)
    name = Varchar(length=200, default="")
    status = Varchar(length=10, default="waiting", index=True)  # waiting | notified | withdrawn
    created_at = Timestamptz(default=TimestamptzNow())
    notified_at = Timestamptz(null=True, default=None)


class ExhibitorProfile(Table, tablename="stand_exhibitor"):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=True, index=True)
    share = ForeignKey(references=BookingShare, on_delete=OnDelete.cascade, unique=True)
    name = Varchar(length=200)
    college = Integer(null=True, default=None)
    activity = Text(default="")
    activity_en = Text(default="")
    website = Varchar(length=300, default="")
    logo = Bytea(null=True, default=None)
    logo_type = Varchar(length=20, default="")
    showcase_url = Varchar(length=300, default="")


class Badge(Table, tablename="stand_badge"):
    share = ForeignKey(references=BookingShare, on_delete=OnDelete.cascade, index=True)
    ticket = ForeignKey(references=Ticket, on_delete=OnDelete.restrict, unique=True)
    name = Varchar(length=200)


class TradeFair(Table, tablename="stand_trade_fair"):
    name = Varchar(length=200)
    place = Varchar(length=200, default="")
    starts_on = Date()
    ends_on = Date()
    accreditation_cents = Integer(default=0)  # per structure
    shared_stand_cents = Integer(null=True, default=None)  # the whole shared stand, if there is one


class TradeFairParticipant(Table, tablename="stand_trade_fair_participant"):
    fair = ForeignKey(references=TradeFair, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    shares_stand = Boolean(default=False)
    declared_by = Varchar(length=254, default="")
    declared_at = Timestamptz(default=TimestamptzNow())
