"""App factory: `uvicorn server.app:create_app --factory` (or `python -m server.cli serve`)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from checkin import fastlane
from server.core import ApplicationCore


class App(Litestar):
    """The Litestar application, with the door's redeem hot path answered at the ASGI level first
    (checkin.fastlane: same services, same JSON; whatever it does not answer goes on unchanged)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if fastlane.wants(scope):
            receive = await fastlane.handle(scope, receive, send)
            if receive is None:
                return
        await super().__call__(scope, receive, send)


def create_app() -> Litestar:
    return App(plugins=[ApplicationCore()])
