"""Page controllers (thin: business rules live in the domain services)."""

from typing import Any

ROUTES: list[Any] = []
