"""Page controllers, one module per area, collected into ROUTES."""

from typing import Any

from web.controllers import personal, staff_members

ROUTES: list[Any] = [
    *staff_members.ROUTES,
    *personal.ROUTES,
]
