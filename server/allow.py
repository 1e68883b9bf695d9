"""OPTIONS answers with every method of the path in `Allow`.

Litestar builds a path's route again each time another handler joins it (GET, then PATCH on
/api/events/{event_id}) but keeps the OPTIONS handler of the first build, whose `Allow` lists the methods
of that first build only ("GET, OPTIONS" where PATCH is served too). This middleware, which sees the
route every request matched, puts the route's real methods in `Allow`.
"""

from __future__ import annotations

from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Message, Receive, Scope, Send


def _methods_by_path(app: Any) -> dict[str, str]:
    cached = getattr(app.state, "allowed_methods", None)
    if cached is None:
        cached = {
            route.path_format: ", ".join(sorted(route.methods))
            for route in app.routes
            if isinstance(route, HTTPRoute)
        }
        app.state.allowed_methods = cached
    return cached


def allow_header_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "OPTIONS":
            await app(scope, receive, send)
            return
        allowed = _methods_by_path(scope["litestar_app"]).get(scope.get("path_template", ""))

        async def send_with_allow(message: Message) -> None:
            if allowed and message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                if "allow" in headers:
                    headers["allow"] = allowed
            await send(message)

        await app(scope, receive, send_with_allow)

    return middleware
