"""Project records. Money in cents (HT unless named otherwise), hours in minutes, shares in basis points."""

from piccolo.columns import Bytea, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from members.tables import Organisation
from ticketing.tables import Invoice

STATUSES = ("queued", "active", "closed")
ORIGINS = ("staff", "hackathon")


class Project(Table, tablename="project"):
    """An accompanied project. `queued`: waiting for a free place; `active`: accompanied; `closed`."""

    title = Varchar(length=200)
    description = Text(default="")
    lead_name = Varchar(length=200, default="")
    lead_email = Varchar(length=254, default="")
    origin = Varchar(length=10, default="staff")  # staff | hackathon
    # A plain reference for now (the hackathon domain will link its editions and teams).
    hackathon_edition = Varchar(length=200, default="")
    hackathon_team = Varchar(length=200, default="")
    status = Varchar(length=10, default="queued")
    convention_on = Date(null=True, default=None)  # the first agreement: the 2 years run from it
    ends_on = Date(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    activated_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)


class ProjectCarrier(Table, tablename="project_carrier"):
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.restrict)
    share_bp = Integer(default=0)  # agreed share of the bills, basis points (sum 10000 per project)


class HoursEntry(Table, tablename="project_hours"):
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade)
    worked_on = Date()
    who = Varchar(length=200)
    what = Text(default="")
    minutes = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class ProjectBill(Table, tablename="project_bill"):
    """One billing of the support hours: the project's whole total at its bracket's rate, less what
    earlier bills already charged."""

    project = ForeignKey(references=Project, on_delete=OnDelete.restrict)
    total_minutes = Integer()
    rate_cents = Integer()
    whole_ht_cents = Integer()  # total hours × the bracket's rate
    previously_billed_ht_cents = Integer(default=0)
    amount_ht_cents = Integer()  # this bill: whole − previously billed
    created_at = Timestamptz(default=TimestamptzNow())


class ProjectBillShare(Table, tablename="project_bill_share"):
    bill = ForeignKey(references=ProjectBill, on_delete=OnDelete.restrict)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.restrict)
    share_bp = Integer()
    amount_ht_cents = Integer()
    vat_cents = Integer()
    amount_ttc_cents = Integer()
    invoice = ForeignKey(references=Invoice, null=True, on_delete=OnDelete.restrict)


class ExpertCost(Table, tablename="project_expert_cost"):
    """An expert's invoice: the cluster covers a share of it, within the project's yearly cap."""

    project = ForeignKey(references=Project, on_delete=OnDelete.cascade)
    expert = Varchar(length=200)
    reference = Varchar(length=100, default="")
    invoiced_on = Date()
    amount_ht_cents = Integer()
    covered_cents = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class Milestone(Table, tablename="project_milestone"):
    """A step of an accompanied project with its due date; the lead contact is reminded before it is due."""

    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    due_on = Date()
    done_on = Date(null=True, default=None)
    reminded_on = Date(null=True, default=None)  # set by the one reminder it gets (projects.milestones)
    created_at = Timestamptz(default=TimestamptzNow())


class ProjectDocument(Table, tablename="project_document"):
    """A PDF kept with a project: its convention (the agreement the 2 years run from) or another document."""

    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=12, default="convention")  # convention | other
    filename = Varchar(length=200)
    content = Bytea()
    size = Integer()
    uploaded_at = Timestamptz(default=TimestamptzNow())
