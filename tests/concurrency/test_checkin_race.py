"""Many doors at once: 50 simultaneous redeems of one ticket give exactly one 'ok' (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

import pytest

from checkin import services
from checkin.hotpath import statement
from checkin.tables import CheckIn
from lib.clock import now_utc
from tests.checkin.helpers import auth, code_of, make_device, make_event, make_ticket, make_type, scan_id

N = 50


async def _ticket_and_devices(doors: int = 5):
    event = await make_event()
    ttype = await make_type(event)
    ticket = await make_ticket(event, ttype)
    devices = [await make_device(event, f"Phone {i}", f"Door {i}") for i in range(doors)]
    return event, ticket, devices


async def test_50_simultaneous_service_redeems_one_wins():
    """Each coroutine uses its own database connection (no pool in tests): real concurrent writers."""
    event, ticket, devices = await _ticket_and_devices()
    code = code_of(ticket)

    async def one(i: int) -> str:
        device, _token = devices[i % len(devices)]
        scan = services.Scan(event_id=event.id, device_id=device.id, door=device.door)
        return (await services.redeem(scan, scan_id=scan_id(), code=code))["status"]

    results = Counter(await asyncio.gather(*(one(i) for i in range(N))))
    assert results == {"ok": 1, "already": N - 1}
    assert await CheckIn.count().where(CheckIn.status == "ok") == 1
    assert await CheckIn.count().where(CheckIn.status == "duplicate") == N - 1


async def test_50_simultaneous_http_redeems_from_threads_one_wins(client):
    event, ticket, devices = await _ticket_and_devices()
    code = code_of(ticket)
    barrier = threading.Barrier(N)
    statuses: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        _device, token = devices[i % len(devices)]
        barrier.wait()
        r = client.post("/api/devices/redeem", json={"code": code, "scan_id": scan_id()}, headers=auth(token))
        with lock:
            statuses.append(r.json()["status"] if r.status_code == 200 else f"http {r.status_code}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Counter(statuses) == {"ok": 1, "already": N - 1}
    assert await CheckIn.count().where(CheckIn.status == "ok") == 1


async def test_50_simultaneous_retries_of_one_scan_count_once():
    event, ticket, devices = await _ticket_and_devices(1)
    device, _token = devices[0]
    sid = scan_id()
    scan = services.Scan(event_id=event.id, device_id=device.id, door=device.door)
    results = await asyncio.gather(
        *(services.redeem(scan, scan_id=sid, code=code_of(ticket)) for _ in range(N)), return_exceptions=True
    )
    assert all(not isinstance(r, Exception) for r in results), results
    assert {r["status"] for r in results} == {"ok"}
    assert await CheckIn.count() == 1


@pytest.mark.postgres_only("the one-statement fast path needs a PostgreSQL connection pool")
async def test_50_simultaneous_fast_path_redeems_one_wins():
    """PostgreSQL with a connection pool: the one-statement path the production server uses."""
    from lib.db import engine

    event, ticket, devices = await _ticket_and_devices()
    db = engine()
    await db.start_connection_pool(min_size=10, max_size=N)
    try:
        assert statement.fast_path_available()

        async def one(i: int):
            _device, token = devices[i % len(devices)]
            return await statement.fast_redeem(token, ticket.id, scan_id(), "", None, now_utc())

        results = await asyncio.gather(*(one(i) for i in range(N)))
        assert all(known for known, _ in results)
        decided = [r for _known, r in results if r is not None]  # None: left to the general path
        oks = [r for r in decided if r["status"] == "ok"]
        assert len(oks) == 1 and oks[0]["ticket"]["name"] == "Alice Martin"
        assert all(r["status"] == "already" for r in decided if r is not oks[0])
        unknown = await statement.fast_redeem("ldd_nope", ticket.id, scan_id(), "", None, now_utc())
        assert unknown == (False, None)
    finally:
        await statement.HOT_POOL.close()
        await db.close_connection_pool()
    assert await CheckIn.count().where(CheckIn.status == "ok") == 1


@pytest.mark.postgres_only("the production pool (DB_POOL=1) is PostgreSQL's")
async def test_http_fast_path_with_the_production_pool(monkeypatch):
    """DB_POOL on, as in production: the device API answers through the one-statement path."""
    from litestar.testing import TestClient

    from lib.settings import get_settings
    from server.app import create_app

    event, ticket, devices = await _ticket_and_devices(2)
    cancelled = await make_ticket(
        event,
        await make_type(event, "Other"),
        "Carl Cancel",
        order_status="cancelled",
        ticket_status="cancelled",
    )
    other = await make_event("other-2027", "Other")
    elsewhere = await make_ticket(other, await make_type(other), "Wanda Elsewhere")
    (_d1, token), (d2, token2) = devices
    monkeypatch.setenv("DB_POOL", "1")
    get_settings.cache_clear()
    try:
        with TestClient(app=create_app(), base_url="http://testserver.local") as client:

            def redeem(tok: str, code: str, sid: str | None = None):
                return client.post(
                    "/api/devices/redeem", json={"code": code, "scan_id": sid or scan_id()}, headers=auth(tok)
                )

            sid = scan_id()
            first = redeem(token, code_of(ticket), sid).json()
            assert first["status"] == "ok" and first["ticket"]["name"] == "Alice Martin"
            assert redeem(token, code_of(ticket), sid).json()["replayed"] is True
            already = redeem(token2, code_of(ticket)).json()
            assert already["status"] == "already" and already["door"] == "Door 0"
            assert already["by"] == "Phone 0" and already["checked_in_at"]
            assert redeem(token, code_of(cancelled)).json()["status"] == "cancelled"
            assert redeem(token, code_of(elsewhere)).json()["status"] == "wrong_event"
            assert redeem(token, code_of(ticket)[:-4] + "AAAA").json()["status"] == "invalid"
            from checkin.tables import Device

            await Device.update({Device.revoked_at: now_utc()}).where(Device.id == d2.id)
            assert redeem(token2, code_of(cancelled)).status_code == 401
            assert redeem(token2, "garbage").status_code == 401
    finally:
        await statement.HOT_POOL.close()
        monkeypatch.delenv("DB_POOL")
        get_settings.cache_clear()
    assert await CheckIn.count().where(CheckIn.status == "ok") == 1
    assert await CheckIn.count().where(CheckIn.status == "duplicate") == 1
