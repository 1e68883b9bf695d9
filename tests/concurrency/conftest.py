"""Concurrency tests: simultaneous writers on one database, and real processes (job workers, `serve`)
killed with SIGKILL while they work. Each test starts with empty broker queues (the fixture is in
tests/fixtures/processes.py, with `children`). A test the database cannot run is marked
`postgres_only` and skipped with its reason on SQLite."""

import pytest


@pytest.fixture(autouse=True)
def _empty_broker_queues(empty_broker_queues) -> None:  # noqa: ARG001 (the fixture does the work)
    pass
