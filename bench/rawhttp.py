"""A lean HTTP/1.1 client for the load generators: one keep-alive connection per instance, requests
written in one write, responses read by Content-Length. On this 2-core machine the load generator shares
the CPU with the server; httpx's AsyncClient with hundreds of concurrent connections was measured to
cost the machine more than the server it measured (docs/benchmarks.md, "The load generator")."""

from __future__ import annotations

import asyncio
import re

_LENGTH = re.compile(rb"(?i)\r\ncontent-length:\s*(\d+)")


class Connection:
    def __init__(self, port: int, headers: dict[str, str] | None = None, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port
        self.fixed = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(
        self,
        path: str,
        body: bytes,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, bytes]:
        await self.connect()
        assert self.reader is not None and self.writer is not None
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.fixed}{extra}"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw[9:12])
        match = _LENGTH.search(raw)
        payload = await self.reader.readexactly(int(match.group(1))) if match else b""
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
