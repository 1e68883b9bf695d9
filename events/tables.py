"""Events, programme, organisations, people and membership records."""

from piccolo.columns import (
    Boolean,
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

COLLEGES = {
    1: "Musique",
    2: "Image",
    3: "Prestataires et activités support",
    4: "Enseignement supérieur et Recherche",
    5: "Collectivités et institutions",
}

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


class Organisation(Table, tablename="organisation"):
    name = Varchar(length=200, unique=True)
    college = Integer(default=1)  # 1..5, see COLLEGES
    revenue_band = Varchar(length=20, default="lt20k")  # see events.membership.REVENUE_BANDS
    email = Varchar(length=254, default="")
    email_domain = Varchar(length=100, default="", index=True)  # staff with this domain count as members
    city = Varchar(length=100, default="")
    website = Varchar(length=300, default="")
    description = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class MembershipYear(Table, tablename="membership_year"):
    """One year of membership dues; paid_on set means paid (good standing for that calendar year)."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade)
    year = Integer()
    dues_cents = Integer()  # HT
    paid_on = Date(null=True, default=None)


class Person(Table, tablename="person"):
    first_name = Varchar(length=100)
    last_name = Varchar(length=100)
    email = Varchar(length=254, unique=True)
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.set_null)
    role = Varchar(length=150, default="")  # job title within the organisation
    phone = Varchar(length=40, default="")
    locale = Varchar(length=5, default="fr")
    created_at = Timestamptz(default=TimestamptzNow())


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
