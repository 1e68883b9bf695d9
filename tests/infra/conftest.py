"""Infrastructure tests: each starts with empty broker queues (fixture in tests/fixtures/processes.py)."""

import pytest


@pytest.fixture(autouse=True)
def _empty_broker_queues(empty_broker_queues) -> None:  # noqa: ARG001 (the fixture does the work)
    pass
