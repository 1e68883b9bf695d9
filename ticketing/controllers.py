"""HTTP controllers (thin: business rules live in the services)."""

from typing import Any

ROUTES: list[Any] = []
