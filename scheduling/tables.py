"""Speed-meeting records: the programme of an event (phases, grid, tables), participants and their
profiles, wishes, declines, availability, the meetings the scheduler produced, runs with their unmet
wishes, and after the event the reports and deals (their commissions live in commissions/)."""

from piccolo.columns import (
    Boolean,
    Float,
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
from members.tables import Person

PROGRAMME_STATUSES = ("draft", "wishes_open", "scheduled", "published")
SIDES = ("producer", "buyer")
COMMISSION_STATUSES = ("proposed", "confirmed")


class MeetingProgramme(Table, tablename="meeting_programme"):
    """The speed-meeting of one event: phase dates, meeting length, limits and tables."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, unique=True)
    status = Varchar(length=20, default="draft")
    wishes_open_at = Timestamptz(null=True, default=None)
    wishes_close_at = Timestamptz(null=True, default=None)
    publish_at = Timestamptz(null=True, default=None)
    meeting_minutes = Integer(default=20)
    max_meetings = Integer(default=8)  # per participant (a participant may have an override)
    wish_limit = Integer(default=10)  # wishes per participant
    tables = Integer(default=20)
    reserved_tables = Integer(default=0)  # the last tables, kept free for staff's hand moves
    accessible_tables = Varchar(length=200, default="1")  # comma-separated table numbers
    commission_rate_bp = Integer(default=1000)  # basis points: 1000 = 10 %
    # basis points of the unconstrained optimum total wish weight the fair schedule may give up to
    # raise the worst-off participant's share: 100 = 1 %; NULL = strict fairness, no limit
    fairness_budget_bp = Integer(null=True, default=100)
    published_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class MeetingDay(Table, tablename="meeting_day"):
    """One block of the grid: from start to end, cut into meetings of the programme's length.
    breaks: JSON list of [start, end] ISO datetimes (UTC) inside the block."""

    programme = ForeignKey(references=MeetingProgramme, on_delete=OnDelete.cascade)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    breaks = Text(default="[]")


class Participant(Table, tablename="meeting_participant"):
    programme = ForeignKey(references=MeetingProgramme, on_delete=OnDelete.cascade)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade)
    side = Varchar(length=10)  # producer | buyer
    organisation_name = Varchar(length=200, default="")
    role = Varchar(length=150, default="")
    offer = Text(default="")  # what a producer presents / a buyer programs
    looking_for = Text(default="")
    genres = Varchar(length=300, default="")  # comma-separated tags
    formats = Varchar(length=300, default="")
    audiences = Varchar(length=300, default="")
    territory = Varchar(length=150, default="")
    needs_accessible = Boolean(default=False)
    max_meetings = Integer(null=True, default=None)
    late = Boolean(default=False)  # registered after the schedule was published
    agenda_digest = Varchar(length=64, default="")  # fingerprint of the agenda last emailed
    created_at = Timestamptz(default=TimestamptzNow())


class Availability(Table, tablename="meeting_unavailability"):
    """A block during which the participant cannot meet anyone (arrives late, leaves early...)."""

    participant = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    note = Varchar(length=200, default="")


class Wish(Table, tablename="meeting_wish"):
    source = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    target = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    priority = Integer(default=2)  # 3 must, 2 would like, 1 if possible
    created_at = Timestamptz(default=TimestamptzNow())


class Decline(Table, tablename="meeting_decline"):
    source = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    target = ForeignKey(references=Participant, on_delete=OnDelete.cascade)


class Meeting(Table, tablename="meeting"):
    programme = ForeignKey(references=MeetingProgramme, on_delete=OnDelete.cascade)
    producer = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    buyer = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    table_number = Integer()
    pinned = Boolean(default=False)
    published = Boolean(default=False)
    uid = Varchar(length=64, unique=True)  # iCalendar UID
    sequence = Integer(default=0)  # iCalendar SEQUENCE, bumped when the meeting moves
    created_at = Timestamptz(default=TimestamptzNow())


class ScheduleRun(Table, tablename="meeting_run"):
    programme = ForeignKey(references=MeetingProgramme, on_delete=OnDelete.cascade)
    kind = Varchar(length=10, default="full")  # full | late
    status = Varchar(length=60, default="")
    meetings = Integer(default=0)
    total_weight = Float(default=0.0)
    min_share = Float(null=True, default=None)
    # the best total without the fairness rule, and the budget the run used (basis points; NULL = strict)
    best_total_weight = Float(null=True, default=None)
    fairness_budget_bp = Integer(null=True, default=None)
    seconds = Float(default=0.0)
    created_at = Timestamptz(default=TimestamptzNow())


class UnmetWish(Table, tablename="meeting_unmet_wish"):
    run = ForeignKey(references=ScheduleRun, on_delete=OnDelete.cascade)
    source = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    target = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    priority = Integer()
    reason = Varchar(length=20)  # declined | no_common_slot | capacity | frozen


class MeetingReport(Table, tablename="meeting_report"):
    """One side's report after the event: did the meeting take place, did a deal come out of it."""

    meeting = ForeignKey(references=Meeting, on_delete=OnDelete.cascade)
    participant = ForeignKey(references=Participant, on_delete=OnDelete.cascade)
    took_place = Boolean()
    deal = Boolean(default=False)
    deal_nature = Varchar(length=300, default="")
    amount_cents = Integer(null=True, default=None)  # HT
    created_at = Timestamptz(default=TimestamptzNow())
