"""Page controllers, collected into ROUTES."""

from typing import Any

ROUTES: list[Any] = []
