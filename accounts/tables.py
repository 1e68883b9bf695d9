from piccolo.columns import Boolean, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

ROLES = ("admin", "staff", "door")


class StaffUser(Table, tablename="staff_user"):
    email = Varchar(length=254, unique=True)
    name = Varchar(length=200)
    password_hash = Text()
    role = Varchar(length=10, default="staff")  # admin | staff | door
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_login_at = Timestamptz(null=True, default=None)


class LoginLink(Table, tablename="login_link"):
    """A one-time sign-in link for attendees and participants; only the token's hash is stored."""

    token_hash = Varchar(length=64, unique=True)
    email = Varchar(length=254, index=True)
    next_url = Varchar(length=500, default="/")
    locale = Varchar(length=5, default="fr")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
