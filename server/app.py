"""App factories: `python -m server.cli serve` runs `server.app:serve_app` (also for `uvicorn server.app:serve_app
--factory`); tests and tools use `create_app`."""

from __future__ import annotations

import gc
from functools import partial
from typing import Any

from litestar import Litestar

from checkin.hotpath import lane
from lib import security
from server import openapi
from server.core import ApplicationCore


class App(Litestar):
    """The Litestar application, with the door's redeem hot path answered at the ASGI level first
    (checkin.hotpath.lane: same services, same JSON; whatever it does not answer goes on unchanged).
    Every other HTTP request passes the edge (lib.security): the client address behind trusted
    proxies and the security headers, on every response including 404s for unknown URLs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._edge = security.edge(partial(Litestar.__call__, self))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if lane.wants(scope):
            receive = await lane.handle(scope, receive, send)
            if receive is None:
                return
        if scope["type"] == "http":
            await self._edge(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app() -> Litestar:
    return openapi.install(App(plugins=[ApplicationCore()]))


def serve_app() -> Litestar:
    """The app as a server process runs it (`serve`, one per worker): create_app, then once started,
    everything loaded so far (modules, routes, templates, catalogs: about 180,000 objects that live as
    long as the process) is moved out of the garbage collector's reach (gc.freeze), so that a full
    collection no longer walks it: under load it took 150-180 ms, stalling every request in flight on
    the worker. Not in create_app: a test process creates many apps and must be able to free them."""
    app = create_app()
    app.on_startup.append(_freeze_startup_objects)
    return app


def _freeze_startup_objects() -> None:
    gc.collect()
    gc.freeze()
