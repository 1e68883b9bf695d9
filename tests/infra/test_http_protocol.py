"""server.http: uvicorn's httptools protocol with one socket write per response, on a real server."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
import uvicorn

from server.http import CoalescingHttpToolsProtocol, _CoalescingTransport


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def app(scope, receive, send):
    assert scope["type"] == "http"
    if scope["path"] == "/json":
        body = json.dumps({"ok": True, "path": scope["path"]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
    elif scope["path"] == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await scope["state"]["go_on"].wait()  # the client must have the first chunk before this ends
        await send({"type": "http.response.body", "body": b"second", "more_body": False})
    else:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture
async def server():
    go_on = asyncio.Event()

    async def with_state(scope, receive, send):
        scope["state"] = {"go_on": go_on}
        await app(scope, receive, send)

    port = free_port()
    config = uvicorn.Config(
        with_state,
        host="127.0.0.1",
        port=port,
        http=CoalescingHttpToolsProtocol,
        lifespan="off",
        log_level="warning",
    )
    srv = uvicorn.Server(config)
    task = asyncio.create_task(srv.serve())
    while not srv.started:  # noqa: ASYNC110 (uvicorn only offers this flag)
        await asyncio.sleep(0.01)
    yield port, go_on
    srv.should_exit = True
    await task


async def read_response(reader: asyncio.StreamReader) -> tuple[bytes, dict[bytes, bytes], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status, *lines = head[:-4].split(b"\r\n")
    headers = {k.lower(): v for k, v in (line.split(b": ", 1) for line in lines)}
    if b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
    else:
        body = b""
    return status, headers, body


async def test_responses_are_whole_and_keep_alive_works(server):
    port, _go_on = server
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(3):  # one connection, several requests
            writer.write(b"GET /json HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, body = await read_response(reader)
            assert status == b"HTTP/1.1 200 OK" and headers[b"content-type"] == b"application/json"
            assert json.loads(body) == {"ok": True, "path": "/json"}
        writer.write(b"HEAD /json HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)  # headers only, no body
        assert head.startswith(b"HTTP/1.1 200 OK")
        writer.write(b"GET /empty HTTP/1.1\r\nHost: x\r\n\r\n")
        status = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert status.startswith(b"HTTP/1.1 204")
    finally:
        writer.close()


async def test_a_streamed_chunk_leaves_before_the_response_ends(server):
    port, go_on = server
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert b"transfer-encoding: chunked" in head
        assert await asyncio.wait_for(reader.readuntil(b"first\r\n"), 5) == b"5\r\nfirst\r\n"
        go_on.set()
        assert await asyncio.wait_for(reader.readuntil(b"0\r\n\r\n"), 5) == b"6\r\nsecond\r\n0\r\n\r\n"
    finally:
        writer.close()


class RecordingTransport:
    """Stands for the socket: records each write(2) the proxy makes."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str, default=None):
        return {"peername": ("127.0.0.1", 1)}.get(name, default)


async def test_writes_of_one_loop_turn_leave_in_one_call_and_in_order():
    raw = RecordingTransport()
    t = _CoalescingTransport(raw, asyncio.get_running_loop())
    t.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    t.write(b"{}")
    assert raw.writes == []  # not yet: at the end of this turn
    await asyncio.sleep(0)
    assert raw.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]
    t.write(b"bye")
    t.close()  # closing sends what is pending first
    assert raw.writes[-1] == b"bye" and raw.closed
    assert t.get_extra_info("peername") == ("127.0.0.1", 1)  # everything else is the transport's


# ---- the contract with uvicorn's private httptools protocol ---------------------------------------
# server/http.py subclasses uvicorn.protocols.http.httptools_impl.HttpToolsProtocol, which is not a
# public API: pyproject.toml pins uvicorn to one version, and these tests fail when what the subclass
# relies on changes, so that an upgrade is a decision (read the new protocol, then move the pin).

_TRANSPORT_CALLS_HANDLED = {
    # proxied by _CoalescingTransport (pending bytes go out first where it matters)
    "write",
    "close",
    "set_protocol",
    # forwarded unchanged: they neither write nor depend on what is pending
    "is_closing",
    "get_extra_info",
    "pause_reading",
    "resume_reading",
}


def test_uvicorn_is_pinned_to_the_installed_version():
    import tomllib
    from importlib.metadata import version
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    [pin] = [d for d in pyproject["project"]["dependencies"] if d.startswith("uvicorn")]
    assert "==" in pin, f"uvicorn must be pinned to an exact version (server/http.py): {pin}"
    assert pin.split("==")[1] == version("uvicorn"), (pin, version("uvicorn"))


def test_the_protocol_calls_only_transport_methods_the_proxy_handles():
    """Every method uvicorn's httptools protocol (and its flow control) calls on the transport: a new
    one (writelines, sendfile…) could bypass the coalescing buffer or reorder the bytes."""
    import ast
    import inspect

    from uvicorn.protocols.http import flow_control, httptools_impl

    called: set[str] = set()
    for module in (httptools_impl, flow_control):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute | ast.Name):
                owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
                if owner in ("transport", "_transport"):
                    called.add(node.attr)
    assert called, "no transport call found: uvicorn's protocol was rewritten"
    assert called <= _TRANSPORT_CALLS_HANDLED, called - _TRANSPORT_CALLS_HANDLED


def test_the_subclass_hooks_uvicorn_where_it_expects():
    """connection_made(transport) stores the transport it is given and `loop` is set by __init__:
    the two things CoalescingHttpToolsProtocol builds on."""
    import inspect

    from uvicorn.config import Config
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    from uvicorn.server import ServerState

    assert list(inspect.signature(HttpToolsProtocol.connection_made).parameters) == ["self", "transport"]
    loop = asyncio.new_event_loop()
    try:
        protocol = CoalescingHttpToolsProtocol(
            config=Config(app, lifespan="off"), server_state=ServerState(), app_state={}, _loop=loop
        )
        assert protocol.loop is loop
        raw = RecordingTransport()
        protocol.connection_made(raw)  # type: ignore[arg-type]
        assert isinstance(protocol.transport, _CoalescingTransport)
        assert protocol.flow._transport is protocol.transport  # flow control sees the proxy too
    finally:
        loop.close()


class _CountingProtocol(CoalescingHttpToolsProtocol):
    """Records the write calls that reach the real socket transport."""

    writes: list[bytes] = []

    def connection_made(self, transport):  # type: ignore[override]
        real_write = transport.write

        def write(data: bytes) -> None:
            type(self).writes.append(bytes(data))
            real_write(data)

        transport.write = write  # the socket transport's own method, on this instance only
        super().connection_made(transport)


async def test_a_small_response_reaches_the_socket_in_one_write():
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, http=_CountingProtocol, lifespan="off")
    srv = uvicorn.Server(config)
    task = asyncio.create_task(srv.serve())
    while not srv.started:  # noqa: ASYNC110 (uvicorn only offers this flag)
        await asyncio.sleep(0.01)
    try:
        _CountingProtocol.writes.clear()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /json HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _headers, body = await asyncio.wait_for(read_response(reader), 5)
        writer.close()
        assert status == b"HTTP/1.1 200 OK" and json.loads(body)["ok"] is True
        [whole] = _CountingProtocol.writes  # status line, headers and body in one call
        assert whole.startswith(b"HTTP/1.1 200 OK") and whole.endswith(body)
    finally:
        srv.should_exit = True
        await task
