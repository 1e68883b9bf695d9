"""Selection records: calls (an edition's rules), entries (films), jurors, declared recusals, rounds,
assignments, scores (one per juror, entry and round), decisions, and the programme built from the
selected films. Lists and rubrics are JSON text (portable between SQLite and PostgreSQL)."""

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
from members.tables import Organisation, Person

CALL_STATUSES = ("draft", "open", "closed")
ELIGIBILITY = ("members", "anyone")
ENTRY_STATUSES = ("received", "eligible", "in_selection", "selected", "not_selected", "withdrawn")
GENRES = ("documentary", "animation", "music_video", "video_art", "fiction", "other")
ROUND_KINDS = ("yes_no", "rubric", "ranking")
ROUND_STATUSES = ("open", "closed")


class Call(Table, tablename="jury_call"):
    """One call for entries of an edition, with its eligibility rules and the fields jurors may see."""

    event = ForeignKey(references=Event, null=True, on_delete=OnDelete.set_null)
    slug = Varchar(length=120, unique=True)
    title = Varchar(length=200)
    title_en = Varchar(length=200, default="")
    edition_year = Integer()
    opens_at = Timestamptz()
    deadline = Timestamptz()
    eligibility = Varchar(length=10, default="members")  # members (in good standing) | anyone
    max_entries_per_organisation = Integer(default=2)
    max_runtime_seconds = Integer(default=20 * 60)
    min_year = Integer(null=True, default=None)  # completed this year or later; None: any year
    hidden_fields = Text(default="[]")  # JSON list of entry fields jurors do not see (blind judging)
    jurors_per_entry = Integer(default=3)
    # staff's wording of the result emails: JSON {"selected"|"not_selected": {"fr"|"en": {"subject", "body"}}}
    result_templates = Text(default="{}")
    # the rubric the call's rounds are rated on unless a round gives its own (JSON [{"name", "weight"}]);
    # "[]": the default rubric. A new edition's call keeps last year's.
    rubric = Text(default="[]")
    status = Varchar(length=10, default="open")
    created_at = Timestamptz(default=TimestamptzNow())


class Entry(Table, tablename="jury_entry"):
    """A submitted film. The screener link and password are for jurors; staff decide the rest."""

    call = ForeignKey(references=Call, on_delete=OnDelete.cascade)
    submitter_email = Varchar(length=254, index=True)
    locale = Varchar(length=5, default="fr")
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.set_null)
    title = Varchar(length=200)
    original_title = Varchar(length=200, default="")
    directors = Varchar(length=300, default="")
    coproducers = Text(default="[]")  # JSON list of {"name": ..., "organisation": id or null}
    # other organisations taking part in the entry (e.g. a hackathon team's members'): JSON list of ids;
    # a juror from one of them is recused like a producer's
    participant_organisations = Text(default="[]")
    genre = Varchar(length=20, default="other")
    runtime_seconds = Integer()
    year = Integer()
    language = Varchar(length=60, default="")
    subtitles = Varchar(length=60, default="")
    synopsis_fr = Text(default="")
    synopsis_en = Text(default="")
    still_name = Varchar(length=200, default="")  # file under VAR_DIR/juries/stills/
    still_type = Varchar(length=40, default="")
    screener_url = Varchar(length=500, default="")
    screener_password = Varchar(length=100, default="")
    rights_cleared = Boolean(default=False)
    status = Varchar(length=20, default="received", index=True)
    # the delivery checklist of the screening copy
    copy_format = Varchar(length=60, default="")
    copy_received = Boolean(default=False)
    copy_checked = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Juror(Table, tablename="jury_juror"):
    call = ForeignKey(references=Call, on_delete=OnDelete.cascade)
    email = Varchar(length=254, index=True)
    name = Varchar(length=200, default="")
    person = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.set_null)
    locale = Varchar(length=5, default="fr")
    active = Boolean(default=True)  # False: dropped (left the jury)
    created_at = Timestamptz(default=TimestamptzNow())


class DeclaredRecusal(Table, tablename="jury_recusal"):
    """A conflict the juror declares (the derived ones come from the member register)."""

    juror = ForeignKey(references=Juror, on_delete=OnDelete.cascade)
    entry = ForeignKey(references=Entry, on_delete=OnDelete.cascade)
    reason = Varchar(length=300)
    created_at = Timestamptz(default=TimestamptzNow())


class Round(Table, tablename="jury_round"):
    call = ForeignKey(references=Call, on_delete=OnDelete.cascade)
    number = Integer(default=1)
    kind = Varchar(length=10, default="rubric")  # yes_no | rubric | ranking
    rubric = Text(default="[]")  # JSON list of {"name": ..., "weight": ...}
    quorum = Integer(default=3)  # ratings per entry for the round to close on its own
    status = Varchar(length=10, default="open")
    closed_at = Timestamptz(null=True, default=None)
    closed_by = Varchar(length=254, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Assignment(Table, tablename="jury_assignment"):
    round = ForeignKey(references=Round, on_delete=OnDelete.cascade)
    juror = ForeignKey(references=Juror, on_delete=OnDelete.cascade)
    entry = ForeignKey(references=Entry, on_delete=OnDelete.cascade)


class Score(Table, tablename="jury_score"):
    """One juror's verdict on one entry in one round; written by upsert, so a retry changes nothing."""

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade)
    juror = ForeignKey(references=Juror, on_delete=OnDelete.cascade)
    entry = ForeignKey(references=Entry, on_delete=OnDelete.cascade)
    verdict = Varchar(length=5, default="")  # yes | maybe | no (yes_no rounds)
    marks = Text(default="{}")  # JSON {criterion: mark} (rubric rounds)
    rank = Integer(null=True, default=None)  # 1 = best (ranking rounds)
    score = Float(null=True, default=None)  # on the 1-10 scale: rubric score, yes 10 / maybe 5.5 / no 1
    comment = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class Decision(Table, tablename="jury_decision"):
    """What staff decided for an entry after a round, and who."""

    round = ForeignKey(references=Round, null=True, on_delete=OnDelete.set_null)
    entry = ForeignKey(references=Entry, on_delete=OnDelete.cascade)
    outcome = Varchar(length=20)  # next_round | selected | not_selected
    decided_by = Varchar(length=254)
    note = Text(default="")
    decided_at = Timestamptz(default=TimestamptzNow())


class ScreeningProgramme(Table, tablename="jury_programme"):
    """The ordered programme of a call; published: its sessions are in the event's programme."""

    call = ForeignKey(references=Call, on_delete=OnDelete.cascade, unique=True)
    starts_at = Timestamptz()
    introduction_seconds = Integer(default=5 * 60)
    gap_seconds = Integer(default=30)
    order = Text(default="[]")  # JSON list of entry ids
    published_at = Timestamptz(null=True, default=None)
    session_uids = Text(default="[]")  # JSON list of the event sessions it published
    rules = Text(default="{}")  # JSON: the builder's settings staff gave (window, pins, opener, closer...)
