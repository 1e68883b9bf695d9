"""The browser fixtures (live server, headless chromium) shared with tests/browser."""

from tests.browser.conftest import browser_page, live_server  # noqa: F401
