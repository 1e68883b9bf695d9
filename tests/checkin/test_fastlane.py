"""The redeem hot path at the ASGI level (checkin.hotpath.lane), PostgreSQL with the production pool.

The lane must answer the common case exactly as the documented handler does, and hand everything else
to the framework with the request body intact."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from checkin.hotpath import lane as fastlane
from checkin.hotpath import statement
from checkin.tables import CheckIn
from tests.checkin.helpers import auth, code_of, make_device, make_event, make_ticket, make_type, scan_id

pytestmark = pytest.mark.postgres_only


@pytest.fixture
async def app_client(monkeypatch) -> AsyncIterator:
    """The application as served in production (DB_POOL on), through Litestar's test client."""
    from litestar.testing import TestClient

    from lib.settings import get_settings
    from server.app import create_app

    monkeypatch.setenv("DB_POOL", "1")
    get_settings.cache_clear()
    try:
        with TestClient(app=create_app(), base_url="http://testserver.local") as client:
            yield client
    finally:
        await statement.HOT_POOL.close()
        monkeypatch.delenv("DB_POOL")
        get_settings.cache_clear()


async def _setup():
    event = await make_event()
    ttype = await make_type(event)
    ticket = await make_ticket(event, ttype)
    (device, token) = await make_device(event, "Phone A", "North door")
    (_d2, token2) = await make_device(event, "Phone B", "South door")
    return event, ticket, token, token2


def _scope(token: str, query: bytes = b"", language: str | None = None) -> dict:
    headers = [(b"content-type", b"application/json"), (b"authorization", f"Bearer {token}".encode())]
    if language:
        headers.append((b"accept-language", language.encode()))
    return {
        "type": "http",
        "method": "POST",
        "path": fastlane.PATH,
        "query_string": query,
        "headers": headers,
    }


async def _call_lane(scope: dict, body: bytes, chunks: int = 1):
    """Run the lane on a real ASGI exchange: (sent messages, receive handed to the framework or None)."""
    parts = _split(body, chunks)
    incoming = [
        {"type": "http.request", "body": part, "more_body": i < len(parts) - 1}
        for i, part in enumerate(parts)
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    return sent, await fastlane.handle(scope, receive, send)


def _split(body: bytes, n: int) -> list[bytes]:
    size = max(1, len(body) // n)
    return [body[i : i + size] for i in range(0, len(body), size)]


async def test_the_lane_answers_the_common_case_itself():
    event, ticket, token, token2 = await _setup()
    try:
        sid = scan_id()
        at = "2027-03-11T09:15:00+00:00"
        body = json.dumps({"code": code_of(ticket), "scan_id": sid, "scanned_at": at, "door": "Gate 2"})
        sent, handed_on = await _call_lane(_scope(token), body.encode(), chunks=3)
        assert handed_on is None, "answered by the lane, not handed to the framework"
        assert sent[0]["status"] == 200
        assert dict(sent[0]["headers"])[b"content-type"] == b"application/json"
        result = json.loads(sent[1]["body"])
        assert int(dict(sent[0]["headers"])[b"content-length"]) == len(sent[1]["body"])
        assert result["status"] == "ok" and result["message"] == "Entré"  # French by default
        assert result["ticket"]["name"] == ticket.attendee_name and result["scan_id"] == sid
        row = await CheckIn.objects().where(CheckIn.scan_id == sid).first()
        assert row.status == "ok" and row.door == "Gate 2"
        assert row.scanned_at == datetime(2027, 3, 11, 9, 15, tzinfo=UTC)  # the device's clock is kept
        # the same ticket at another door, in English: "already", with when, where and by which device
        sent, handed_on = await _call_lane(
            _scope(token2, language="en-GB,en;q=0.8"),
            json.dumps({"code": code_of(ticket), "scan_id": scan_id()}).encode(),
        )
        assert handed_on is None
        already = json.loads(sent[1]["body"])
        assert already["status"] == "already" and already["message"] == "Already checked in"
        assert already["door"] == "Gate 2" and already["by"] == "Phone A"
        assert already["checked_in_at"].startswith("2027-03-11T09:15:00")
    finally:
        await statement.HOT_POOL.close()
    assert await CheckIn.count().where(CheckIn.status == "ok") == 1
    assert await CheckIn.count().where(CheckIn.status == "duplicate") == 1


@pytest.mark.parametrize(
    "case",
    [
        "bad json",
        "not an object",
        "bad scan id",
        "forged code",
        "unknown token",
        "bad time",
        "query",
        "cookie",
    ],
)
async def test_the_lane_hands_everything_else_on_with_the_body(case):
    event, ticket, token, _token2 = await _setup()
    body = {"code": code_of(ticket), "scan_id": scan_id()}
    scope = _scope(token)
    if case == "bad scan id":
        body["scan_id"] = "x"
    elif case == "forged code":
        body["code"] = code_of(ticket)[:-4] + "AAAA"
    elif case == "bad time":
        body["scanned_at"] = "yesterday"
    elif case == "unknown token":
        scope = _scope("ldd_nobody")
    elif case == "query":
        scope = _scope(token, query=b"lang=en")
    elif case == "cookie":
        scope["headers"].append((b"cookie", b"lang=en"))
    raw = {"bad json": b'{"code": ', "not an object": b"[1, 2]"}.get(case) or json.dumps(body).encode()
    try:
        if case == "query":
            assert not fastlane.wants(scope)  # the framework remembers ?lang= in a cookie
            return
        sent, handed_on = await _call_lane(scope, raw, chunks=2)
        assert sent == [] and handed_on is not None
        # the framework reads exactly the body the client sent, then the end of the stream
        replayed, more = b"", True
        while more:
            message = await handed_on()
            replayed += message.get("body", b"")
            more = message.get("more_body", False)
        assert replayed == raw
    finally:
        await statement.HOT_POOL.close()
    assert await CheckIn.count() == 0


async def test_through_the_app_lane_and_framework_give_the_same_answers(app_client):
    """The same scans through the lane and through the documented handler (forced by ?lang=fr)."""
    event, ticket, token, token2 = await _setup()
    cancelled = await make_ticket(
        event,
        await make_type(event, "Other"),
        "Carl Cancel",
        order_status="cancelled",
        ticket_status="cancelled",
    )
    other = await make_event("other-2027", "Other")
    elsewhere = await make_ticket(other, await make_type(other), "Wanda Elsewhere")

    def redeem(tok: str, code: str, lane: bool, sid: str | None = None) -> dict:
        url = "/api/devices/redeem" if lane else "/api/devices/redeem?lang=fr"
        r = app_client.post(url, json={"code": code, "scan_id": sid or scan_id()}, headers=auth(tok))
        assert r.status_code == 200, r.text
        return r.json()

    def same(a: dict, b: dict) -> None:
        strip = ("scan_id",)
        assert {k: v for k, v in a.items() if k not in strip} == {
            k: v for k, v in b.items() if k not in strip
        }

    sid = scan_id()
    first = redeem(token, code_of(ticket), lane=True, sid=sid)
    assert first["status"] == "ok"
    same(
        redeem(token, code_of(ticket), lane=True, sid=sid),
        redeem(token, code_of(ticket), lane=False, sid=sid),
    )
    same(redeem(token2, code_of(ticket), lane=True), redeem(token2, code_of(ticket), lane=False))
    same(redeem(token, code_of(cancelled), lane=True), redeem(token, code_of(cancelled), lane=False))
    same(redeem(token, code_of(elsewhere), lane=True), redeem(token, code_of(elsewhere), lane=False))
    # what the lane hands on still gets the framework's answers
    bad = app_client.post(
        "/api/devices/redeem", json={"code": code_of(ticket), "scan_id": "x"}, headers=auth(token)
    )
    assert bad.status_code == 422 and "scan_id" in bad.json()["errors"]
    assert (
        app_client.post(
            "/api/devices/redeem", json={"code": code_of(ticket), "scan_id": scan_id()}, headers=auth("ldd_x")
        ).status_code
        == 401
    )
    forged = redeem(token, code_of(ticket)[:-4] + "AAAA", lane=True)
    assert forged["status"] == "invalid"
    assert await CheckIn.count().where(CheckIn.status == "ok") == 1


async def _cached_plan(server_settings: dict[str, str]) -> str:
    """The plan the redeem statement is cached with on a hot-path connection, as prepared while the
    check-in table is empty and analysed (the doors open): PostgreSQL's generic plan, as EXPLAIN of a
    prepared statement shows it once plan_cache_mode forces it."""
    from checkin.hotpath.pool import HotPool

    pool = HotPool(size=1, server_settings=server_settings)
    try:
        # The suite empties tables with DELETE: dead pages left by earlier tests would make the sequential
        # scan look dear and hide the trap. TRUNCATE gives the table of a new edition, 0 pages.
        await pool.fetchrow("TRUNCATE checkin")
        await pool.fetchrow("ANALYZE checkin")
        await pool.fetchrow(
            f"PREPARE redeem_plan(text, int, text, text, int, timestamptz) AS {statement.FAST_SQL}"
        )
        await pool.fetchrow("SET plan_cache_mode = force_generic_plan")
        row = await pool.fetchrow(
            "EXPLAIN (FORMAT JSON) EXECUTE redeem_plan('x', 1, 'scan-1', '', NULL, now())"
        )
        return row[0]
    finally:
        await pool.close()


async def test_the_winner_is_read_through_its_index_whatever_the_statistics():
    """Planned on an empty check-in table, the generic plan would read the winner with a sequential
    scan of the whole table, and keep it as the table grows; the hot path's connections run with
    sequential scans off (statement.HOT_POOL), so every lookup stays on its index."""
    assert await CheckIn.count() == 0
    default = await _cached_plan({})
    hot = await _cached_plan(statement.HOT_POOL.server_settings)

    def scanned(plan: str) -> set[str]:
        found: set[str] = set()

        def walk(node: dict) -> None:
            if node.get("Node Type") == "Seq Scan":
                found.add(node["Relation Name"])
            for child in node.get("Plans", []):
                walk(child)

        walk(json.loads(plan)[0]["Plan"])
        return found

    assert "checkin" in scanned(default)  # the trap the setting avoids (the test can fail)
    assert scanned(hot) == set()


async def test_through_the_lane_a_wrong_event_names_nobody_and_refusals_say_why(app_client):
    """Issue 10: the lane answered a device of another event with the attendee's name and organisation."""
    from ticketing.shortcode import display, short_code
    from ticketing.tables import Order

    event, ticket, token, _token2 = await _setup()
    other = await make_event("other-2027", "Other 2027")
    elsewhere = await make_ticket(other, await make_type(other), "Wanda Secret", organisation="Studio Secret")
    waiting = await make_ticket(
        event,
        await make_type(event, "Adhérent", 0),
        "Anne Attente",
        order_status="reserved",
        ticket_status="pending",
    )
    await Order.update({Order.approval_requested: True}).where(Order.id == waiting.order)

    def lane(code: str) -> tuple[dict, str]:
        r = app_client.post(
            "/api/devices/redeem", json={"code": code, "scan_id": scan_id()}, headers=auth(token)
        )
        assert r.status_code == 200, r.text
        return r.json(), r.text

    try:
        for code in (code_of(elsewhere), display(short_code(elsewhere.id))):
            body, text = lane(code)
            assert body["status"] == "wrong_event" and "ticket" not in body
            assert "Wanda" not in text and "Secret" not in text
            assert body["ticket_event"]["title"] == "Other 2027"
        body, _text = lane(code_of(waiting))
        assert body["status"] == "unpaid" and body["reason"] == "awaiting_approval" and body["explanation"]
        # the short code printed on the ticket, typed, goes through the same statement
        body, _text = lane(short_code(ticket.id).lower())
        assert body["status"] == "ok" and body["ticket"]["name"] == ticket.attendee_name
        body, _text = lane(display(short_code(ticket.id)))
        assert body["status"] == "already" and "North door" in body["explanation"]
    finally:
        await statement.HOT_POOL.close()


async def test_the_lane_answers_a_typed_short_code_itself():
    from ticketing.shortcode import short_code

    event, ticket, token, _token2 = await _setup()
    try:
        body = json.dumps({"code": short_code(ticket.id), "scan_id": scan_id()}).encode()
        sent, handed_on = await _call_lane(_scope(token), body)
        assert handed_on is None and json.loads(sent[1]["body"])["status"] == "ok"
    finally:
        await statement.HOT_POOL.close()
