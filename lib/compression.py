"""Gzip for HTML pages: the stand plan of a 300-stand hall is 168 KB of HTML and 13 KB gzipped, read on
phones at the fair. Only text/html is compressed here: JSON answers are small (the door's offline ticket
list compresses itself), PDFs and images are compressed already. A reverse proxy that compresses too
sees the Content-Encoding and leaves the page alone."""

from __future__ import annotations

import gzip

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

MINIMUM_SIZE = 1024  # below one packet, gzip saves nothing worth its CPU
LEVEL = 6  # zlib's default: nearly the size of level 9 at a fraction of the CPU


def accepts_gzip(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"accept-encoding":
            return any(
                part.split(b";")[0].strip() in (b"gzip", b"*")
                and not part.replace(b" ", b"").endswith(b"q=0")
                for part in value.lower().split(b",")
            )
    return False


class HtmlGzip:
    """Compresses text/html responses for clients that accept gzip."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope.get("method") == "HEAD" or not accepts_gzip(scope):
            await self.app(scope, receive, send)
            return
        start: HTTPResponseStartEvent | None = None
        chunks: list[bytes] = []

        async def send_wrapper(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in {
                    k.lower() for k in headers
                }:
                    start = message  # held until the body is complete
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._send_page(start, b"".join(chunks), send)

        await self.app(scope, receive, send_wrapper)

    @staticmethod
    async def _send_page(start: HTTPResponseStartEvent, body: bytes, send: Send) -> None:
        headers = [
            (k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"vary")
        ]
        vary = [v for k, v in start.get("headers", []) if k.lower() == b"vary"]
        if len(body) >= MINIMUM_SIZE:
            body = gzip.compress(body, compresslevel=LEVEL)
            headers.append((b"content-encoding", b"gzip"))
            vary.append(b"accept-encoding")
        if vary:
            headers.append((b"vary", b", ".join(vary)))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
