"""Friendly HTML error pages (404, 500) in the visitor's language; JSON stays JSON for /api and /schema."""

from __future__ import annotations

import logging
from http.cookies import SimpleCookie
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.middleware._internal.exceptions.middleware import create_exception_response
from litestar.status_codes import HTTP_404_NOT_FOUND, HTTP_500_INTERNAL_SERVER_ERROR

from lib import i18n

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/api", "/schema", "/swagger", "/admin")


def wants_html(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    if path.startswith(JSON_PREFIXES):
        return False
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return False
    return request.method in ("GET", "HEAD") or "text/html" in accept


def _request_locale(request: Request[Any, Any, Any]) -> str:
    """Same negotiation as the locale middleware (which does not run for URLs matching no route)."""
    cookie = SimpleCookie()
    try:
        cookie.load(request.headers.get("cookie", ""))
    except Exception:  # malformed cookie header: ignore it
        pass
    return i18n.negotiate(
        request.query_params.get("lang"),
        cookie["lang"].value if "lang" in cookie else None,
        request.headers.get("accept-language"),
    )


def render_error_page(request: Request[Any, Any, Any], status_code: int) -> Response:
    template = "errors/404.html" if status_code == HTTP_404_NOT_FOUND else "errors/500.html"
    token = i18n.current_locale.set(_request_locale(request))
    try:
        engine = request.app.template_engine
        html = engine.get_template(template).render(request=request, status_code=status_code)  # type: ignore[union-attr]
    finally:
        i18n.current_locale.reset(token)
    return Response(content=html, status_code=status_code, media_type=MediaType.HTML)


def not_found_handler(request: Request[Any, Any, Any], exc: Exception) -> Response:
    if not wants_html(request):
        http_exc = exc if isinstance(exc, HTTPException) else HTTPException(status_code=HTTP_404_NOT_FOUND)
        return create_exception_response(request, http_exc)
    return render_error_page(request, HTTP_404_NOT_FOUND)


def server_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if not wants_html(request):
        http_exc = (
            exc
            if isinstance(exc, HTTPException)
            else HTTPException(status_code=HTTP_500_INTERNAL_SERVER_ERROR)
        )
        return create_exception_response(request, http_exc)
    try:
        return render_error_page(request, HTTP_500_INTERNAL_SERVER_ERROR)
    except Exception:  # the error page itself failed: plain text, never a second traceback
        log.exception("error page failed")
        return Response(
            content="500 Internal Server Error",
            status_code=HTTP_500_INTERNAL_SERVER_ERROR,
            media_type=MediaType.TEXT,
        )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    HTTP_404_NOT_FOUND: not_found_handler,
    HTTP_500_INTERNAL_SERVER_ERROR: server_error_handler,
}
