"""Page controllers, one module per area, collected into ROUTES."""

from typing import Any

from web.controllers import personal, public, scheduling, staff_events, ticketing

ROUTES: list[Any] = [
    *public.ROUTES,
    *staff_events.ROUTES,
    *ticketing.ROUTES,
    *scheduling.ROUTES,
    *personal.ROUTES,
]
