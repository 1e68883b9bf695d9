"""The statements every order runs stay index lookups as the tables grow, also under PostgreSQL's
generic plans (what a pooled connection's prepared statement switches to after five runs): a rush
of thousands of orders must not make each next order scan the ones before it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from piccolo.querystring import QueryString

from lib.settings import get_settings
from tests.ticketing.factories import make_event, make_type
from ticketing import holds
from ticketing.orders import _DECISION_SQL, place_order

pytestmark = pytest.mark.postgres_only("PostgreSQL's generic plans")


def literal(value: Any) -> str:
    if isinstance(value, datetime):
        return f"'{value.isoformat()}'::timestamptz"
    if isinstance(value, list):
        return "ARRAY[" + ", ".join(literal(v) for v in value) + "]::text[]"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in plan_nodes(child))]


async def generic_plan(sql: str, *args: Any) -> list[dict[str, Any]]:
    """The nodes of the generic plan of a Piccolo statement ({} placeholders), run (EXPLAIN ANALYZE)
    inside a transaction that is rolled back."""
    compiled, values = QueryString(sql, *args).compile_string(engine_type="postgres")
    conn = await asyncpg.connect(get_settings().database_url)
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            await conn.execute(f"PREPARE hot AS {compiled}")
            raw = await conn.fetchval(
                f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE hot({', '.join(literal(v) for v in values)})"
            )
            await conn.execute("DEALLOCATE hot")
            raise _RollBack
    except _RollBack:
        pass
    finally:
        await conn.close()
    return plan_nodes(json.loads(raw)[0]["Plan"])


class _RollBack(Exception):
    pass


def rows_visited(nodes: list[dict[str, Any]], table: str) -> int:
    return sum(
        n["Actual Rows"] * n["Actual Loops"] + n.get("Rows Removed by Filter", 0)
        for n in nodes
        if n.get("Relation Name") == table
    )


async def test_the_order_throttle_looks_up_its_keys_instead_of_scanning_every_hit():
    now = datetime.now(UTC)
    conn = await asyncpg.connect(get_settings().database_url)
    try:
        await conn.executemany(
            "INSERT INTO rate_limit_hit (key, at) VALUES ($1, $2)",
            [(f"order:ip:10.0.{n // 256}.{n % 256}", now) for n in range(3000)],
        )
        await conn.execute("ANALYZE rate_limit_hit")
    finally:
        await conn.close()
    sql, args = holds.throttle_statement(
        ["mail:to:zoe@example.org", "order:ip:203.0.113.7"], now, now - timedelta(hours=1)
    )
    nodes = await generic_plan(sql, *args)
    scans = [n["Node Type"] for n in nodes if n.get("Relation Name") == "rate_limit_hit"]
    assert "Seq Scan" not in scans, scans
    assert rows_visited(nodes, "rate_limit_hit") <= 10


async def test_the_decision_read_does_not_visit_the_events_confirmed_orders():
    event = await make_event(None)
    free = await make_type(event, "Invité", 0)
    for n in range(60):
        await place_order(
            event_id=event.id,
            buyer={"name": f"Buyer {n}", "email": f"buyer{n}@example.org"},
            items=[{"ticket_type": free.id, "quantity": 1}],
        )
    now = datetime.now(UTC)
    nodes = await generic_plan(_DECISION_SQL, now, now, now, event.id)
    # the expiry check looks for unpaid orders past their time, the held check for orders not confirmed
    # yet: there are none to visit
    assert rows_visited(nodes, "ticketing_order") <= 1, [
        (n["Node Type"], n.get("Index Name"), n.get("Rows Removed by Filter")) for n in nodes
    ]
