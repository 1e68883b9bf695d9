"""JSON API and calendar feeds for events and programmes (thin: rules live in events.services)."""

from typing import Any

from events.membership_controllers import ROUTES as MEMBERSHIP_ROUTES

ROUTES: list[Any] = [*MEMBERSHIP_ROUTES]
