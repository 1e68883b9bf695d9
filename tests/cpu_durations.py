"""`--cpu-durations=N`: the N tests that used the most CPU, and the run's total.

pytest's `--durations` reports wall time, which on a shared 2-core machine says more about the other
processes than about the test. This reports the CPU time (user + system, every thread of the test
process, `getrusage`) of each phase, and beside it the CPU of the child processes the test waited for
(servers, workers, migrations it started). Under pytest-xdist each worker measures its own tests and
sends the figures with the reports; the controller adds them up.
"""

from __future__ import annotations

import resource
from collections import defaultdict

import pytest

_KEY = "cpu_seconds"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cpu-durations",
        type=int,
        default=None,
        metavar="N",
        help="show the N tests that used the most CPU (0: all), and the run's total CPU",
    )


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    if item.config.getoption("cpu_durations") is None:
        return
    start = item.stash.get(_START, None)
    if start is None:
        return
    own, children = _cpu()
    outcome.get_result().user_properties.append((_KEY, (own - start[0], children - start[1])))
    item.stash[_START] = (own, children)  # the next phase starts here


_START = pytest.StashKey[tuple[float, float]]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.config.getoption("cpu_durations") is not None:
        item.stash[_START] = _CPU_BEFORE_SETUP.pop(item.nodeid, _cpu())


_CPU_BEFORE_SETUP: dict[str, tuple[float, float]] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logstart(nodeid: str, location: object) -> None:  # noqa: ARG001
    # setup starts after logstart: fixtures of the setup phase are counted in it
    _CPU_BEFORE_SETUP[nodeid] = _cpu()


class _Collector:
    def __init__(self) -> None:
        self.phases: dict[tuple[str, str], tuple[float, float]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == _KEY:
                own, children = value
                self.phases[(report.nodeid, report.when)] = (own, children)

    def pytest_terminal_summary(self, terminalreporter) -> None:  # noqa: ANN001
        count = terminalreporter.config.getoption("cpu_durations")
        per_test: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for (nodeid, _when), (own, children) in self.phases.items():
            per_test[nodeid][0] += own
            per_test[nodeid][1] += children
        rows = sorted(self.phases.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))
        if count:
            rows = rows[:count]
        tr = terminalreporter
        tr.write_sep("=", f"CPU of the {'slowest ' + str(count) if count else 'all'} test phases")
        tr.write_line("    CPU s  children s  phase     test")
        for (nodeid, when), (own, children) in rows:
            tr.write_line(f"{own:9.2f} {children:11.2f}  {when:<9} {nodeid}")
        own_total = sum(v[0] for v in per_test.values())
        children_total = sum(v[1] for v in per_test.values())
        tr.write_line(
            f"total over {len(per_test)} tests: {own_total:.1f} s CPU in the test processes"
            f" + {children_total:.1f} s in their child processes"
        )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("cpu_durations") is not None and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Collector(), "cpu-durations-collector")
