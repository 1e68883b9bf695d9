"""Infrastructure tables: the durable job outbox and rate-limit counters."""

from piccolo.columns import JSON, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxJob(Table, tablename="outbox_job"):
    """A background job written in the same transaction as the change that causes it.

    status: pending (not yet handed to the broker) -> dispatched -> running -> done | failed; skipped:
    written inside jobs.not_run() (the demo's history), never run.
    """

    id: Serial  # Piccolo adds the primary key; declared for the type checker only

    actor = Varchar(length=100, index=True)
    payload = JSON(default="{}")
    dedup_key = Varchar(length=200, null=True, default=None, unique=True)
    status = Varchar(length=20, default="pending", index=True)
    attempts = Integer(default=0)
    max_attempts = Integer(default=5)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    dispatched_at = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


class RateLimitHit(Table, tablename="rate_limit_hit"):
    """One attempt against a rate-limited action (login, sign-in link), shared by all web workers."""

    key = Varchar(length=200, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    id: Serial
