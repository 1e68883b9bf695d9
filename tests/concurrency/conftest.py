"""Concurrency tests: real processes (job workers, `serve`) killed with SIGKILL while they work.

The fixtures of the infrastructure tests (child processes, broker reachability) are shared."""

from tests.infra.conftest import children, empty_broker_queues  # noqa: F401 (fixtures)
