"""Browser tests: the fixtures (`live_server`, `browser_page`) live in tests/plugin.py and are
registered for every folder by tests/conftest.py; ask for them by name, import nothing.

The names below stay importable for modules written against the old layout
(`from tests.browser.conftest import live_server  # noqa`): the same fixtures, the same shared server.
"""

from tests.plugin import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LiveServer,
    assert_no_horizontal_overflow,
    browser_page,
    live_server,
)

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "LiveServer",
    "assert_no_horizontal_overflow",
    "browser_page",
    "live_server",
]
