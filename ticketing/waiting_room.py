"""The waiting room of a sale opening: a fair queue by arrival time, admissions at a steady rate.

An event may have a room (SaleQueue, set by staff). While it is active — from the moment it is set until
`window_minutes` after the opening, or later while people are still queued — every buyer goes through it:

- arriving, a buyer takes the next position and the next admission slot in ONE conditional UPDATE of the
  room's row (`join`): positions are unique and gapless, and slots are 1 / admit_per_second apart, never
  before the opening (a leaky bucket: arrivals after the queue drained are let in at once);
- the buyer holds a signed pass (event, position, admission moment, arrival moment, spacing): the page
  polls `status()`, which reads only the pass — no statement at all per poll;
- once the admission moment has passed, the pass lets its holder place ONE order within `pass_minutes`
  (`use_pass`, one INSERT … ON CONFLICT of the pass's key, given back when the order is refused for bad input).

The order API refuses a buyer without a valid, admitted pass while the room is active (QueueRequired /
NotYourTurn). With no room, or after it, orders go exactly as without this module (the order's decision
read reads the room with the event: no statement more).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.datastructures import Cookie

from lib.clock import now_utc
from lib.db import is_postgres
from lib.errors import Conflict, NotFound, ValidationFailed
from lib.i18n import _, ngettext
from lib.settings import get_settings
from ticketing.tables import SaleQueue, SaleQueuePass

COOKIE_PREFIX = "queue_"
MAX_RATE = 1000
MAX_WINDOW_MINUTES = 24 * 60
MAX_PASS_MINUTES = 120


class QueueRequired(ValidationFailed):
    """An order without a valid pass while the room is active."""

    status_code = 403


class NotYourTurn(Conflict):
    """A valid pass whose admission moment has not come yet."""


@dataclass(frozen=True)
class Room:
    event_id: int
    enabled: bool
    opens_at: datetime
    admit_per_second: int
    window_minutes: int
    pass_minutes: int
    issued: int
    next_admit_us: int

    def active(self, now: datetime) -> bool:
        """Whether buyers must go through the room now (set, and the opening's window or the queue not over)."""
        if not self.enabled:
            return False
        end = max(self.opens_at + timedelta(minutes=self.window_minutes), from_us(self.next_admit_us))
        return now < end


@dataclass(frozen=True)
class Place:
    """What a pass says: who is where in which queue, and when they are let in."""

    event_id: int
    position: int
    admit_us: int
    joined_us: int
    step_us: int
    ahead_at_join: int


@dataclass(frozen=True)
class QueueStatus:
    position: int
    ahead: int
    wait_seconds: int
    admitted: bool
    progress: float  # 0 at arrival, 1 when admitted


def to_us(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def from_us(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1_000_000, UTC)


def room_from_row(row: dict[str, Any]) -> Room:
    opens = row["opens_at"]
    if isinstance(opens, str):  # SQLite raw rows
        opens = datetime.fromisoformat(opens)
    if opens.tzinfo is None:
        opens = opens.replace(tzinfo=UTC)
    return Room(
        event_id=row["event"],
        enabled=bool(row["enabled"]),
        opens_at=opens,
        admit_per_second=row["admit_per_second"],
        window_minutes=row["window_minutes"],
        pass_minutes=row["pass_minutes"],
        issued=row["issued"],
        next_admit_us=row["next_admit_us"],
    )


# Raw SQL: every order asks whether its event has a waiting room; Piccolo's query building cost more
# than the read.
ROOM_SQL = "SELECT * FROM ticket_sale_queue WHERE event = {}"


async def room_of(event_id: int) -> Room | None:
    rows = await SaleQueue.raw(ROOM_SQL, event_id)
    return room_from_row(rows[0]) if rows else None


async def active_room(event_id: int, now: datetime | None = None) -> Room | None:
    room = await room_of(event_id)
    return room if room is not None and room.active(now or now_utc()) else None


# --- staff settings -----------------------------------------------------------------------------


def _bounded(errors: dict[str, str], field: str, value: Any, low: int, high: int, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        errors[field] = _("Enter a whole number.")
        return default
    if not low <= number <= high:
        errors[field] = _("Enter a number from %(low)d to %(high)d.", low=low, high=high)
    return number


def _moment(errors: dict[str, str], value: Any) -> datetime | None:
    from lib.clock import local_tz

    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=local_tz())
    text = str(value or "").strip()
    if not text:
        errors["opens_at"] = _("Enter when the sale opens.")
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        errors["opens_at"] = _("Enter a date and time, for example 2027-03-14T10:00.")
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=local_tz())


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "on", "yes")


async def configure(event_id: int, data: dict[str, Any]) -> Room:
    """Create or change an event's waiting room (staff). Positions already handed out are kept."""
    from events.tables import Event

    if not await Event.exists().where(Event.id == event_id):
        raise NotFound(_("This event does not exist."))
    errors: dict[str, str] = {}
    enabled = _flag(data.get("enabled", True))
    opens_at = _moment(errors, data.get("opens_at"))
    rate = _bounded(errors, "admit_per_second", data.get("admit_per_second"), 1, MAX_RATE, 20)
    window = _bounded(errors, "window_minutes", data.get("window_minutes"), 1, MAX_WINDOW_MINUTES, 60)
    pass_minutes = _bounded(errors, "pass_minutes", data.get("pass_minutes"), 1, MAX_PASS_MINUTES, 15)
    if errors or opens_at is None:
        raise ValidationFailed(errors)
    values: dict[Any, Any] = {
        SaleQueue.enabled: enabled,
        SaleQueue.opens_at: opens_at.astimezone(UTC),
        SaleQueue.admit_per_second: rate,
        SaleQueue.window_minutes: window,
        SaleQueue.pass_minutes: pass_minutes,
    }
    if await SaleQueue.exists().where(SaleQueue.event == event_id):
        await SaleQueue.update(values).where(SaleQueue.event == event_id)
    else:
        await SaleQueue.insert(
            SaleQueue(
                event=event_id,
                enabled=enabled,
                opens_at=opens_at.astimezone(UTC),
                admit_per_second=rate,
                window_minutes=window,
                pass_minutes=pass_minutes,
            )
        )
    room = await room_of(event_id)
    assert room is not None
    return room


# --- passes ---------------------------------------------------------------------------------------


def _key() -> bytes:
    return hmac.new(get_settings().session_secret.encode(), b"waiting room pass v1", hashlib.sha256).digest()


def _mac(payload: str) -> str:
    digest = hmac.new(_key(), payload.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(place: Place) -> str:
    payload = ".".join(
        str(v)
        for v in (
            place.event_id,
            place.position,
            place.admit_us,
            place.joined_us,
            place.step_us,
            place.ahead_at_join,
        )
    )
    return f"{payload}.{_mac(payload)}"


def read_pass(token: str | None, event_id: int) -> Place | None:
    """The place a pass gives in this event's queue, or None (absent, forged, another event's)."""
    if not token or len(token) > 200:
        return None
    payload, _sep, mac = token.rpartition(".")
    if not payload or not hmac.compare_digest(mac, _mac(payload)):
        return None
    try:
        numbers = [int(part) for part in payload.split(".")]
    except ValueError:
        return None
    if len(numbers) != 6 or numbers[0] != event_id:
        return None
    return Place(*numbers)


def status(place: Place, now: datetime | None = None) -> QueueStatus:
    """Where a pass's holder stands now: computed from the pass alone (no database)."""
    now_us = to_us(now or now_utc())
    remaining = max(0, place.admit_us - now_us)
    ahead = min(place.ahead_at_join, math.ceil(remaining / place.step_us)) if remaining else 0
    total = max(1, place.admit_us - place.joined_us)
    progress = 1.0 if not remaining else min(1.0, max(0.0, 1 - remaining / total))
    return QueueStatus(
        position=place.position,
        ahead=ahead,
        wait_seconds=math.ceil(remaining / 1_000_000),
        admitted=remaining == 0,
        progress=round(progress, 3),
    )


async def join(event_id: int, now: datetime | None = None) -> Place | None:
    """Take the next place in the queue of the event's active room (None: no active room).

    One conditional UPDATE … RETURNING: the row lock (PostgreSQL) or the write lock (SQLite) orders
    the arrivals, so positions are unique and gapless and every slot is `step` after the previous one.
    """
    now = now or now_utc()
    room = await active_room(event_id, now)
    if room is None:
        return None
    step = max(1, 1_000_000 // room.admit_per_second)
    now_us, opens_us = to_us(now), to_us(room.opens_at)
    greatest = "GREATEST" if is_postgres() else "MAX"
    rows = await SaleQueue.raw(
        f"UPDATE ticket_sale_queue SET issued = issued + 1, "
        f"next_admit_us = {greatest}(next_admit_us, {{}}, {{}}) + {{}} "
        "WHERE event = {} AND enabled RETURNING issued, next_admit_us",
        now_us,
        opens_us,
        step,
        event_id,
    )
    if not rows:
        return None
    admit_us = rows[0]["next_admit_us"] - step
    ahead = max(0, (admit_us - max(now_us, opens_us)) // step)
    return Place(
        event_id=event_id,
        position=rows[0]["issued"],
        admit_us=admit_us,
        joined_us=now_us,
        step_us=step,
        ahead_at_join=ahead,
    )


def _pass_key(place: Place) -> str:
    return f"{place.event_id}:{place.position}"


async def spend_pass(room: Room, token: str | None, now: datetime) -> Place:
    """Check the buyer's pass before an order in the active `room` and mark it used (the order's
    decision read has read the room: ticketing.orders).

    Raises QueueRequired (no pass, forged, expired, already used) or NotYourTurn (not admitted yet).
    """
    event_id = room.event_id
    queue_url = f"/events/{event_id}/queue"
    place = read_pass(token, event_id)
    if place is None:
        raise QueueRequired.one(
            "queue_token",
            _(
                "Tickets for this event are sold through the waiting room: join the queue at %(url)s.",
                url=queue_url,
            ),
        )
    state = status(place, now)
    if not state.admitted:
        raise NotYourTurn(
            ngettext(
                "It is not your turn yet: %(num)d person is before you in the queue.",
                "It is not your turn yet: %(num)d people are before you in the queue.",
                max(1, state.ahead),
            )
        )
    if to_us(now) > place.admit_us + room.pass_minutes * 60_000_000:
        raise QueueRequired.one(
            "queue_token",
            _("Your turn in the queue has passed: join the queue again at %(url)s.", url=queue_url),
        )
    rows = await SaleQueuePass.raw(
        "INSERT INTO ticket_sale_queue_pass (key) VALUES ({}) ON CONFLICT (key) DO NOTHING RETURNING id",
        _pass_key(place),
    )
    if not rows:
        raise QueueRequired.one(
            "queue_token",
            _(
                "This place in the queue has already been used for an order: join the queue again at %(url)s.",
                url=queue_url,
            ),
        )
    return place


async def give_back(place: Place) -> None:
    """An order refused for its input gives its pass back, so the buyer can correct it and send again."""
    await SaleQueuePass.delete().where(SaleQueuePass.key == _pass_key(place))


def queue_cookie(event_id: int, token: str, room: Room | None) -> Cookie:
    minutes = (room.window_minutes + room.pass_minutes) if room else 60
    return Cookie(
        key=COOKIE_PREFIX + str(event_id),
        value=token,
        max_age=minutes * 60 + 3600,
        httponly=True,
        samesite="lax",
        path="/",
    )
