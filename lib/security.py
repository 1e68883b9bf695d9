"""The edge of every HTTP response: the client address behind trusted proxies, and security headers.

- Client address: X-Forwarded-For / X-Forwarded-Proto count only when the peer is one of
  FORWARDED_ALLOW_IPS (uvicorn's own rule, applied here too so that any server, and the tests, behave
  the same). Rate limits read the address with `client_ip()`.
- Headers: a Content-Security-Policy without inline script (each page gets the default policy; a
  handler that needs more, like the payment page, sends its own), frame-ancestors 'none' and
  X-Frame-Options, nosniff, Referrer-Policy, HSTS when BASE_URL is https, and Cache-Control: no-store
  on private pages (staff, orders, sign-in, the personal space, meetings), on PDFs and CSVs, and on
  every HTML page shown to a signed-in visitor.
- piccolo-admin (/admin) gets a looser policy its Vue app needs; the API docs (/schema) get the
  default one plus the sha256 of each inline bootstrap script found in the page.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from typing import Any, cast

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from lib.compression import HtmlGzip
from lib.settings import get_settings

DEFAULT_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "worker-src": ("'self'",),
    "manifest-src": ("'self'",),
    "frame-src": ("'none'",),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}

# piccolo-admin's Vue app binds inline styles and loads fonts and images as data: URLs; it runs no
# inline script and needs no eval, so scripts stay 'self' only.
ADMIN_POLICY: dict[str, tuple[str, ...]] = {
    **DEFAULT_POLICY,
    "style-src": ("'self'", "'unsafe-inline'"),
    "font-src": ("'self'", "data:"),
    "img-src": ("'self'", "data:", "blob:"),
}

# The API docs (Swagger UI / Scalar, vendored): their styles are injected at run time; their inline
# bootstrap script is allowed by its hash, computed from the page itself.
SCHEMA_POLICY: dict[str, tuple[str, ...]] = {
    **DEFAULT_POLICY,
    "style-src": ("'self'", "'unsafe-inline'"),
    "font-src": ("'self'", "data:"),
    "img-src": ("'self'", "data:", "blob:"),
    "worker-src": ("'self'", "blob:"),
}

# Paths whose pages and files are personal or staff-only: never kept by a browser or proxy cache.
PRIVATE_PATHS = re.compile(
    r"^/(staff|api/staff|orders|api/orders|auth|api/auth|me|meetings|api/meetings|door|admin)(/|$)"
)
PRIVATE_TYPES = (b"application/pdf", b"text/csv")
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def policy_header(policy: dict[str, tuple[str, ...]], **extra: Iterable[str]) -> str:
    """A CSP header value: `policy` with more sources per directive (keyword names use _ for -)."""
    merged = {k: list(v) for k, v in policy.items()}
    for name, sources in extra.items():
        directive = name.replace("_", "-")
        values = [s for s in merged.get(directive, []) if s != "'none'"]
        values += [s for s in sources if s not in values]
        merged[directive] = values
    return "; ".join(f"{k} {' '.join(v)}" for k, v in merged.items())


def default_policy(**extra: Iterable[str]) -> str:
    return policy_header(DEFAULT_POLICY, **extra)


def client_ip(connection_or_scope: Any) -> str:
    """The client's address (already resolved through trusted proxies by the edge middleware)."""
    scope = getattr(connection_or_scope, "scope", connection_or_scope)
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _signed_in(scope: Scope) -> bool:
    session = scope.get("session")
    return isinstance(session, dict) and bool(session.get("staff_id") or session.get("attendee_email"))


class SecurityHeaders:
    """Adds the headers above to every HTTP response of the wrapped app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        settings = get_settings()
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
        ]
        if settings.base_url.startswith("https://"):
            common.append((b"strict-transport-security", b"max-age=31536000"))
        self.common = common
        self.default_csp = default_policy().encode()
        self.admin_csp = policy_header(ADMIN_POLICY).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")  # read now: mounted apps (piccolo-admin) rewrite the scope's path
        if path == "/schema" or path.startswith("/schema/"):
            await self.app(scope, receive, self._buffered(scope, path, send))
            return
        csp = self.admin_csp if path == "/admin" or path.startswith("/admin/") else self.default_csp

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._headers(scope, path, message, csp)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _headers(
        self, scope: Scope, path: str, message: HTTPResponseStartEvent, csp: bytes
    ) -> list[tuple[bytes, bytes]]:
        headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
        names = {k.lower() for k, _v in headers}
        headers += [(k, v) for k, v in self.common if k not in names]
        if b"content-security-policy" not in names:
            headers.append((b"content-security-policy", csp))
        content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        private = bool(PRIVATE_PATHS.match(path)) or content_type.startswith(PRIVATE_TYPES)
        if private or (content_type.startswith(b"text/html") and _signed_in(scope)):
            headers = [
                (k, v) for k, v in headers if k.lower() not in (b"cache-control", b"expires", b"pragma")
            ]
            headers.append((b"cache-control", b"no-store"))
        return headers

    def _buffered(self, scope: Scope, path: str, send: Send) -> Send:
        """Hold an API-docs response until its body is known, then allow its inline scripts by hash."""
        start: HTTPResponseStartEvent | None = None
        chunks: list[bytes] = []

        async def send_wrapper(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            hashes = [
                "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
                for m in INLINE_SCRIPT.finditer(body)
            ]
            csp = policy_header(SCHEMA_POLICY, script_src=hashes).encode()
            start["headers"] = self._headers(scope, path, start, csp)
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        return send_wrapper


def edge(app: ASGIApp) -> ASGIApp:
    """The app behind the trusted-proxy rule, the security headers and gzip for HTML pages (outermost of
    the two, so that the headers' body rewriting of /schema sees plain HTML)."""
    proxied = ProxyHeadersMiddleware(
        HtmlGzip(SecurityHeaders(app)),  # type: ignore[arg-type]
        trusted_hosts=get_settings().forwarded_allow_ips,
    )
    return cast(ASGIApp, proxied)  # uvicorn's and Litestar's ASGI types differ, the protocol is the same
