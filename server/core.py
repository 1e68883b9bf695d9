"""The application plugin: wires routes, templates, sessions, CSRF, i18n, jobs and the CLI.

Each domain exposes a ROUTES list in its controllers module; this plugin collects them from the app
registry, server/apps.py (litestar-fullstack's ApplicationCore pattern).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from asyncpg.exceptions import DataError
from click import Group
from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import NotAuthorizedException
from litestar.openapi import OpenAPIConfig
from litestar.plugins import CLIPluginProtocol, InitPluginProtocol
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_400_BAD_REQUEST
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from lib import i18n
from lib.errors import DomainError, domain_error_handler
from lib.settings import ROOT, get_settings
from lib.templating import template_config
from lib.validation import (
    ApiRequest,
    bad_request_handler,
    bounded_integers_middleware,
    out_of_range_handler,
)
from server.allow import allow_header_middleware
from server.openapi import ScalarDocs, SwaggerDocs, operation_id_from_handler

# Paths that are not protected by CSRF: piccolo-admin has its own, the Stripe webhook is signed,
# the device API authenticates with a bearer token, not a cookie. Litestar searches these regexes
# anywhere in the path: each is anchored at both ends, so only these exact routes skip the check.
ADMIN_MOUNT_PATTERN = r"^/admin(/.*)?$"


def exact_path_patterns(*controllers: Any) -> list[str]:
    """One anchored regex per route of these controllers ({name:type} parameters match one segment)."""
    from litestar.handlers import HTTPRouteHandler

    patterns: list[str] = []
    for controller in controllers:
        for value in vars(controller).values():
            if not isinstance(value, HTTPRouteHandler):
                continue
            for path in value.paths:
                full = "/" + "/".join(p for p in f"{controller.path}/{path}".split("/") if p)
                parts = re.split(r"(\{[^}]+\})", full)
                regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
                patterns.append(f"^{regex}$")
    return sorted(set(patterns))


def csrf_exclusions() -> list[str]:
    from checkin.controllers import DeviceApiController
    from ticketing.api import StripeWebhookController

    return [ADMIN_MOUNT_PATTERN, *exact_path_patterns(StripeWebhookController, DeviceApiController)]


def all_route_handlers() -> list[Any]:
    """Every app's ROUTES (server/apps.py), then the static files."""
    from server import apps

    static = create_static_files_router(path="/static", directories=[ROOT / "web" / "static"], name="static")
    return [*(handler for module in apps.route_modules() for handler in module.ROUTES), static]


def locale_middleware(app: ASGIApp) -> ASGIApp:
    """Pick the request's language (?lang=, lang cookie, Accept-Language, French) and remember ?lang=."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode())
        query_lang = (query.get("lang") or [None])[0]
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # malformed cookie header: ignore it
            pass
        cookie_lang = cookie["lang"].value if "lang" in cookie else None
        locale = i18n.negotiate(query_lang, cookie_lang, headers.get("accept-language"))
        token = i18n.current_locale.set(locale)
        scope.setdefault("state", {})["locale"] = locale
        remember = query_lang in i18n.LOCALES and query_lang != cookie_lang

        async def send_wrapper(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                header = f"lang={locale}; Path=/; Max-Age=31536000; SameSite=Lax".encode()
                message["headers"] = [*message.get("headers", []), (b"set-cookie", header)]
            await send(message)

        try:
            await app(scope, receive, send_wrapper)
        finally:
            i18n.current_locale.reset(token)

    return middleware


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    from lib import jobs
    from lib.db import close_pool, start_pool

    settings = get_settings()
    await start_pool()
    # Under `serve` in the embedded default the supervised job worker process runs and sweeps the jobs.
    in_process = settings.embedded_worker and not jobs.runs_in_worker_process()
    worker = jobs.EmbeddedWorker() if in_process else None
    if worker:
        await worker.start()
    elif not jobs.runs_in_worker_process():
        await jobs.sweep()
    try:
        yield
    finally:
        if worker:
            await worker.stop()
        from checkin.hotpath.statement import HOT_POOL  # the check-in hot path's own small pool

        await HOT_POOL.close()
        await close_pool()


class ApplicationCore(InitPluginProtocol, CLIPluginProtocol):
    def on_cli_init(self, cli: Group) -> None:
        from server.cli import commands

        for command in commands():
            cli.add_command(command)

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        settings = get_settings()
        app_config.route_handlers.extend(all_route_handlers())
        from accounts.guards import signed_in  # who the page is shown to (the layouts' account menu)
        from web.labels import all_labels  # the one label table (web.labels imports only lib.i18n)

        app_config.template_config = template_config({"signed_in": signed_in, **all_labels()})
        app_config.openapi_config = OpenAPIConfig(
            title="LE DAMIER events API",
            version="1.0.0",
            description="Events, programme, calendar feeds, members, tickets, check-in and speed-meetings.",
            path="/schema",
            # served from web/static/vendor, no CDN (server.openapi)
            render_plugins=[ScalarDocs(), SwaggerDocs(path="/swagger")],
            operation_id_creator=operation_id_from_handler,
        )
        app_config.csrf_config = CSRFConfig(
            secret=settings.session_secret,
            cookie_secure=settings.secure_cookies,
            exclude=csrf_exclusions(),
        )
        # Sessions live in the database (accounts.sessions), which also ties CSRF tokens to them.
        from accounts.sessions import SessionMiddleware

        app_config.middleware = [
            SessionMiddleware,
            locale_middleware,
            bounded_integers_middleware,
            allow_header_middleware,
            *app_config.middleware,
        ]
        app_config.request_class = ApiRequest
        from web.errors import EXCEPTION_HANDLERS as html_error_pages  # friendly 404/500 pages
        from web.errors import server_error_handler

        app_config.exception_handlers = {
            **html_error_pages,
            **app_config.exception_handlers,
            DomainError: domain_error_handler,
            HTTP_400_BAD_REQUEST: bad_request_handler,  # the framework's validation errors, our shape
            # a 64-bit overflow that got past the checks: 400, anything else the 500 page
            OverflowError: out_of_range_handler(server_error_handler),
            DataError: out_of_range_handler(server_error_handler),
        }
        from accounts.guards import not_authorized_handler  # browsers -> sign-in page, APIs -> 401

        app_config.exception_handlers[NotAuthorizedException] = not_authorized_handler
        app_config.lifespan = [*app_config.lifespan, lifespan]
        app_config.debug = settings.debug
        return app_config
