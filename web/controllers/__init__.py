"""Page controllers, one module per area, collected into ROUTES."""

from typing import Any

from web.controllers import personal, public, staff_events, staff_members, ticketing

ROUTES: list[Any] = [
    *public.ROUTES,
    *staff_events.ROUTES,
    *staff_members.ROUTES,
    *ticketing.ROUTES,
    *personal.ROUTES,
]
