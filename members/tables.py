"""The member register's tables: organisations, their yearly dues and their people.

Table names are those the events app created (organisation, membership_year, person), so databases made
before the register became an app keep their rows (see piccolo_migrations).
"""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

COLLEGES = {
    1: "Musique",
    2: "Image",
    3: "Prestataires et activités support",
    4: "Enseignement supérieur et Recherche",
    5: "Collectivités et institutions",
}


class Organisation(Table, tablename="organisation"):
    name = Varchar(length=200, unique=True)
    college = Integer(default=1)  # 1..5, see COLLEGES
    revenue_band = Varchar(length=20, default="lt20k")  # see members.register.REVENUE_BANDS
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
    # May add and remove the organisation's people in its member space (its contact address may too).
    organisation_admin = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
