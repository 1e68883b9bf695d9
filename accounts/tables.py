from piccolo.columns import Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
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
    # Set for a staff member's sign-in link (offered while password sign-in is locked): using it opens a
    # staff session for this account, not an attendee one.
    staff_user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, null=True, default=None)


class WebSession(Table, tablename="web_session"):
    """A signed-in browser (staff or attendee), shared by every web worker through the database.

    The cookie carries a random key; only its sha256 is stored, so a copy of the table opens no
    session. Deleting the row ends the session at once (sign-out, sign-out everywhere, password
    change, deactivation).
    """

    key_hash = Varchar(length=64, unique=True)
    staff_user = ForeignKey(
        references=StaffUser, on_delete=OnDelete.cascade, null=True, default=None, index=True
    )
    attendee_email = Varchar(length=254, null=True, default=None, index=True)
    user_agent = Varchar(length=200, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)
