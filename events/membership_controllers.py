"""JSON API for organisations, people and membership (thin: rules live in events.membership)."""

from typing import Any

ROUTES: list[Any] = []
