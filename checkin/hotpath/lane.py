"""The door's hot path at the ASGI level: POST /api/devices/redeem answered without the framework.

A busy entrance sends thousands of redeems a second; each is one bearer-token request whose answer is
decided by one SQL statement (checkin.hotpath.statement). Routing, the middleware stack, the request data
model and the response machinery cost more CPU than that statement, so on PostgreSQL with the
connection pool on (production) the application (server.app.App) first offers the request to this
lane. The lane answers only the common case, with the same services and the same JSON as the
documented handler (checkin.controllers.DeviceApiController.redeem, in /schema): a JSON body with a
valid scan id and a signed code whose signature verifies, a known device token, and a result decided
by the one statement. Anything else (a bad body, an unknown token, a forged code, ?lang=, a rare race)
goes to the framework unchanged, body included, so validation messages, 401s and the general path stay
in one place.
"""

from __future__ import annotations

from typing import Any

import msgspec

from checkin import services
from checkin.hotpath import statement
from lib import i18n
from lib.clock import now_utc
from lib.errors import ValidationFailed

PATH = "/api/devices/redeem"
MAX_BODY = 8192  # a redeem body is about 200 bytes; anything larger takes the framework's path
_decode = msgspec.json.Decoder().decode
_encode = msgspec.json.Encoder().encode
_JSON_HEADERS = [(b"content-type", b"application/json")]


def wants(scope: dict[str, Any]) -> bool:
    """Cheap test on every request: is this a redeem the lane may answer?"""
    return (
        scope["type"] == "http"
        and scope["path"] == PATH
        and scope["method"] == "POST"
        and not scope.get("query_string")
        and statement.fast_path_available()
    )


async def handle(scope: dict[str, Any], receive: Any, send: Any) -> Any:
    """Answer the redeem and return None, or return the receive callable the framework must use
    instead of `receive` (the body already read is replayed to it)."""
    body, complete = b"", False
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return _replay(message, receive)
        body += message.get("body", b"")
        if len(body) > MAX_BODY:
            break
        if not message.get("more_body", False):
            complete = True
            break
    if complete:
        result = await _answer(scope, body)
        if result is not None:
            payload = _encode(result)
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [*_JSON_HEADERS, (b"content-length", str(len(payload)).encode())],
                }
            )
            await send({"type": "http.response.body", "body": payload})
            return None
    return _replay({"type": "http.request", "body": body, "more_body": not complete}, receive)


def _replay(first: dict[str, Any], receive: Any) -> Any:
    pending = [first]

    async def replay() -> dict[str, Any]:
        return pending.pop() if pending else await receive()

    return replay


async def _answer(scope: dict[str, Any], body: bytes) -> dict[str, Any] | None:
    token = accept_language = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _sep, rest = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                token = rest.strip()
        elif name == b"accept-language":
            accept_language = value.decode("latin-1")
        elif name == b"cookie" and b"lang=" in value:
            return None  # a language cookie: the framework's locale middleware decides
    if not token:
        return None
    try:
        data = _decode(body)
    except msgspec.DecodeError:
        return None
    if not isinstance(data, dict):
        return None
    code = data.get("code")
    scan_id = data.get("scan_id")
    if not isinstance(code, str) or not isinstance(scan_id, str) or not services.SCAN_ID_RE.match(scan_id):
        return None
    try:
        scanned_at = services.parse_time(data.get("scanned_at")) or now_utc()
    except ValidationFailed:
        return None  # the framework answers with the field's message
    ticket_id, _reason = services.decode(code)
    if ticket_id is None:
        return None
    door = data.get("door") or ""
    if not isinstance(door, str):
        return None
    locale = i18n.negotiate(None, None, accept_language)
    reset = i18n.current_locale.set(locale)
    try:
        known, result = await statement.fast_redeem(token, ticket_id, scan_id, door[:100], None, scanned_at)
    finally:
        i18n.current_locale.reset(reset)
    return result if known else None
