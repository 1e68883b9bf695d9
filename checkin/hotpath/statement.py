"""The redeem hot path's statement: authenticate the device, read the ticket and insert the winning
check-in in one round trip (PostgreSQL with the production connection pool)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from checkin.hotpath.pool import HotPool
from checkin.services.answers import (
    ADMISSIBLE_ORDER_STATUSES,
    ALREADY,
    INVALID,
    OK,
    UNPAID,
    WRONG_EVENT,
    classify,
    result,
)
from checkin.services.redeem import already_answer
from lib.db import engine
from lib.tokens import hash_token

_ADMISSIBLE = ", ".join(f"'{s}'" for s in ADMISSIBLE_ORDER_STATUSES)  # constants, never user input

# w (the current winner) is looked up only when this scan did not win: NOT EXISTS (SELECT 1 FROM ins) is a
# one-time filter, so the common case skips that lookup (its joins cost as much as the insert).
FAST_SQL = f"""
WITH d AS (
  SELECT id, event, COALESCE(session, 0) AS session_key, door FROM checkin_device
  WHERE token_hash = $1 AND revoked_at IS NULL
), t AS (
  SELECT t.id, t.public_id, t.event, t.status, t.attendee_name, t.attendee_organisation, t.ticket_type,
         tt.name AS type_name, tt.name_en AS type_name_en, o.status AS order_status
  FROM ticket t JOIN ticketing_order o ON o.id = t."order" JOIN ticket_type tt ON tt.id = t.ticket_type
  WHERE t.id = $2
), ins AS (
  INSERT INTO checkin (ticket, event, session_key, scan_id, device, door, staff, scanned_at, received_at,
                       status, offline, flag)
  SELECT t.id, t.event, d.session_key, $3, d.id, COALESCE(NULLIF($4, ''), d.door), $5, $6, now(), 'ok',
         false, ''
  FROM t, d
  WHERE t.event = d.event AND t.status = 'valid' AND t.order_status IN ({_ADMISSIBLE})
  ON CONFLICT DO NOTHING RETURNING id
), w AS (
  SELECT c.id, c.scanned_at, c.door, c.scan_id, dv.name AS device_name, s.name AS staff_name
  FROM checkin c JOIN d ON c.session_key = d.session_key
  LEFT JOIN checkin_device dv ON dv.id = c.device LEFT JOIN staff_user s ON s.id = c.staff
  WHERE c.ticket = $2 AND c.status = 'ok' AND NOT EXISTS (SELECT 1 FROM ins)
), dup AS (
  INSERT INTO checkin (ticket, event, session_key, scan_id, device, door, staff, scanned_at, received_at,
                       status, offline, flag)
  SELECT t.id, t.event, d.session_key, $3, d.id, COALESCE(NULLIF($4, ''), d.door), $5, $6, now(),
         'duplicate', false, ''
  FROM t, d, w
  WHERE t.event = d.event AND t.status = 'valid' AND t.order_status IN ({_ADMISSIBLE})
    AND w.scan_id <> $3 AND NOT EXISTS (SELECT 1 FROM ins)
  ON CONFLICT DO NOTHING RETURNING id
)
SELECT d.id AS device_id, d.event AS device_event, t.*, (SELECT id FROM ins) AS checkin_id,
       w.id AS winner_id, w.scanned_at AS winner_at, w.door AS winner_door, w.scan_id AS winner_scan,
       w.device_name AS winner_device, w.staff_name AS winner_staff
FROM (SELECT 1) AS one LEFT JOIN d ON true LEFT JOIN t ON true LEFT JOIN w ON true
"""


# The redeem hot path's own connections (see checkin.hotpath.pool). Its statement is a handful of index
# lookups, prepared once per connection and run with a generic plan. Planned while the check-in table
# is empty or small (the doors open on an empty table), that plan reads the winner with a sequential
# scan, which it keeps while the table grows to tens of thousands of rows (until autovacuum's next
# ANALYZE): a re-scan then reads the whole table. Sequential scans off on these connections keep every
# lookup on its index whatever the statistics say.
HOT_POOL = HotPool(server_settings={"enable_seqscan": "off"})


async def fast_redeem(
    token: str, ticket_id: int, scan_id: str, door: str, staff_id: int | None, scanned_at: datetime
) -> tuple[bool, dict[str, Any] | None]:
    """PostgreSQL: authenticate the device, read the ticket and insert the winning check-in in one
    statement. Returns (device known, result or None when the slow path must decide)."""
    row = await HOT_POOL.fetchrow(FAST_SQL, hash_token(token), ticket_id, scan_id, door, staff_id, scanned_at)
    if row["device_id"] is None:
        return False, None
    if row["checkin_id"] is not None:
        return True, result(OK, scan_id, dict(row), checkin_id=row["checkin_id"])
    if row["id"] is None:
        return True, result(INVALID, scan_id, reason="unknown_ticket")
    ticket = dict(row)
    refusal = classify(ticket, row["device_event"])
    if refusal in (UNPAID, WRONG_EVENT):
        return True, None  # rare: the general path says why (approval, confirmation...) or for which event
    if refusal:
        return True, result(refusal, scan_id, ticket)
    if row["winner_id"] is None:
        return True, None  # a concurrent change (undo, or a winner not yet visible): the general path decides
    if row["winner_scan"] == scan_id:
        return True, result(OK, scan_id, ticket, checkin_id=row["winner_id"], replayed=True)
    winner = {
        "id": row["winner_id"],
        "scanned_at": row["winner_at"],
        "door": row["winner_door"],
        "device_name": row["winner_device"],
        "staff_name": row["winner_staff"],
    }
    return True, result(ALREADY, scan_id, ticket, **already_answer(winner))


_ENGINE: list[Any] = []


def fast_path_available() -> bool:
    """PostgreSQL with connection pooling on (production): redeem through the one-statement path."""
    if not _ENGINE:
        _ENGINE.append(engine())
    db = _ENGINE[0]
    return isinstance(db, PostgresEngine) and db.pool is not None
