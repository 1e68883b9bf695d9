"""Page controllers, one module per area, collected into ROUTES."""

from typing import Any

from web.controllers import personal

ROUTES: list[Any] = [
    *personal.ROUTES,
]
