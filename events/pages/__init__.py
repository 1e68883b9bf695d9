"""Event pages: the public site (home, the events, one event with its programme and tickets) and the staff's
event pages (events, sessions, speakers, venues, duplication)."""

from typing import Any

from events.pages import public, staff

ROUTES: list[Any] = [*public.ROUTES, *staff.ROUTES]
