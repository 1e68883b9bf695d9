"""Hackathon tables: an edition (one Culture Experience Days event) with its call for participants,
participants (accepted or waiting, with their ticket), challenges, teams, submissions (one per team,
judged as entries of a juries Call), mentor slots and their bookings.

Edition.accepted and MentorSlot.team only change through one conditional UPDATE ... RETURNING
(hackathon.registration, hackathon.mentors): capacity is never exceeded and a slot is never booked twice.
Lists (skills, images, the pitch order) are JSON text (portable between SQLite and PostgreSQL).
"""

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events.tables import Event
from juries.tables import Call, Entry
from members.tables import Organisation
from ticketing.tables import Ticket

ROLES = ("artist", "researcher", "technician", "developer", "designer", "other")
PARTICIPANT_STATUSES = ("accepted", "waiting", "withdrawn")


class Edition(Table, tablename="hackathon_edition"):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, unique=True)
    theme = Varchar(length=300, default="")
    theme_en = Varchar(length=300, default="")
    capacity = Integer(default=40)
    accepted = Integer(default=0)  # accepted participants: one conditional UPDATE takes a place
    registration_open = Boolean(default=True)
    min_team_size = Integer(default=4)
    max_team_size = Integer(default=6)
    min_roles = Integer(default=2)
    submission_deadline = Timestamptz(null=True, default=None)
    jury_call = ForeignKey(references=Call, null=True, on_delete=OnDelete.set_null)
    pitch_starts_at = Timestamptz(null=True, default=None)
    pitch_minutes = Integer(default=5)
    pitch_gap_minutes = Integer(default=2)
    pitch_order = Text(default="[]")  # JSON list of submission ids
    results_published = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class Challenge(Table, tablename="hackathon_challenge"):
    edition = ForeignKey(references=Edition, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    title_en = Varchar(length=200, default="")
    description = Text(default="")
    description_en = Text(default="")
    partner = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.set_null)
    partner_name = Varchar(length=200, default="")
    published = Boolean(default=True)


class Team(Table, tablename="hackathon_team"):
    edition = ForeignKey(references=Edition, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=120)
    challenge = ForeignKey(references=Challenge, null=True, on_delete=OnDelete.set_null)
    # random; the invitation link is an HMAC of it (hackathon.teams.invite_token): a new salt revokes the link
    invite_salt = Varchar(length=64, default="")
    formed_by_staff = Boolean(default=False)
    public_consent = Boolean(default=False)  # the team agrees to be shown on the public page
    created_at = Timestamptz(default=TimestamptzNow())


class HackParticipant(Table, tablename="hackathon_participant"):
    edition = ForeignKey(references=Edition, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    email = Varchar(length=254, index=True)
    organisation_name = Varchar(length=200, default="")
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.set_null)
    role = Varchar(length=20, default="other")
    skills = Text(default="[]")  # JSON list of lower-case tags
    bio = Text(default="")
    needs_accessibility = Text(default="")
    needs_diet = Varchar(length=300, default="")
    needs_accommodation = Boolean(default=False)
    together_with = Varchar(length=254, default="")  # an email: staff keep them together when forming teams
    locale = Varchar(length=5, default="fr")
    status = Varchar(length=10, default="waiting", index=True)
    waiting_rank = Integer(null=True, default=None)  # the waiting list's order, given under a named lock
    access_hash = Varchar(length=64, unique=True)  # sha-256 of the personal link's token
    ticket = ForeignKey(references=Ticket, null=True, on_delete=OnDelete.set_null)
    order_token = Varchar(length=64, default="")  # the ticketing order carrying the ticket
    team = ForeignKey(references=Team, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    accepted_at = Timestamptz(null=True, default=None)


class Submission(Table, tablename="hackathon_submission"):
    team = ForeignKey(references=Team, on_delete=OnDelete.cascade, unique=True)
    title = Varchar(length=200)
    challenge = ForeignKey(references=Challenge, null=True, on_delete=OnDelete.set_null)
    pitch = Text(default="")
    prototype_url = Varchar(length=500, default="")
    video_url = Varchar(length=500, default="")
    needs = Text(default="")  # what the team needs to continue
    images = Text(default="[]")  # JSON list of {"name", "type"} under VAR_DIR/hackathon/images/
    entry = ForeignKey(references=Entry, null=True, on_delete=OnDelete.set_null)  # in the jury call
    project_id = Integer(null=True, default=None)  # the accompanied project (projects app)
    submitted_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class MentorSlot(Table, tablename="hackathon_mentor_slot"):
    edition = ForeignKey(references=Edition, on_delete=OnDelete.cascade, index=True)
    mentor_name = Varchar(length=200)
    mentor_email = Varchar(length=254)
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.set_null)
    topic = Varchar(length=200, default="")
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    team = ForeignKey(references=Team, null=True, on_delete=OnDelete.set_null)  # booked by
    booked_at = Timestamptz(null=True, default=None)
