"""Events, venues and programme (the member register is members.tables)."""

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from members.tables import Person

EVENT_KINDS = (
    "mima",
    "court_dici",
    "cles",
    "ced",
    "general_assembly",
    "breakfast",
    "training",
    "thematic_meeting",
    "apero_projet",
    "networking",
    "other",
)
EVENT_STATUSES = ("draft", "published", "cancelled")
SESSION_KINDS = (
    "showcase",
    "screening",
    "round_table",
    "workshop",
    "speed_meeting",
    "networking",
    "hackathon_phase",
    "talk",
    "other",
)


class Venue(Table, tablename="venue"):
    name = Varchar(length=200)
    address = Varchar(length=300, default="")
    postal_code = Varchar(length=10, default="")
    city = Varchar(length=100, default="")


class Room(Table, tablename="room"):
    venue = ForeignKey(references=Venue, on_delete=OnDelete.cascade)
    name = Varchar(length=200)
    capacity = Integer(null=True, default=None)


class Event(Table, tablename="event"):
    slug = Varchar(length=120, unique=True)
    kind = Varchar(length=30, default="other")
    title = Varchar(length=200)
    title_en = Varchar(length=200, default="")
    description = Text(default="")
    description_en = Text(default="")
    venue = ForeignKey(references=Venue, null=True, on_delete=OnDelete.set_null)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    capacity = Integer(null=True, default=None)
    status = Varchar(length=12, default="draft", index=True)
    edition_year = Integer(null=True, default=None)
    uid = Varchar(length=64, unique=True)  # iCalendar UID, stable across regenerations
    sequence = Integer(default=0)  # iCalendar SEQUENCE, bumped on every change
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Session(Table, tablename="event_session"):
    """One item of an event's programme."""

    event = ForeignKey(references=Event, on_delete=OnDelete.cascade)
    room = ForeignKey(references=Room, null=True, on_delete=OnDelete.set_null)
    kind = Varchar(length=30, default="other")
    title = Varchar(length=200)
    title_en = Varchar(length=200, default="")
    description = Text(default="")
    description_en = Text(default="")
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    uid = Varchar(length=64, unique=True)
    sequence = Integer(default=0)
    cancelled = Boolean(default=False)


class SessionPerson(Table, tablename="session_person"):
    """A speaker, performer or moderator of a session (linked to their organisation via Person)."""

    session = ForeignKey(references=Session, on_delete=OnDelete.cascade)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade)
    role = Varchar(length=20, default="speaker")  # speaker | performer | moderator
