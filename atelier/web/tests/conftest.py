"""Fixtures for the pages' browser tests: one headless Debian Chromium per session.

Browser tests (marked `browser`) need /usr/bin/chromium (Debian's `chromium` package; CI
installs it) and the `playwright` package, whose driver is used without downloading any
browser. Without them the tests are deselected and the run says so in its summary, so a
green run never hides that the pages went untested.
"""

import os
import time
from pathlib import Path

import pytest

# Debian's Chromium; ATELIER_CHROMIUM names another (the Makefile passes the one it checked).
CHROMIUM = Path(os.environ.get("ATELIER_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Set ATELIER_SCREENSHOTS=/some/dir to keep screenshots of the pages the tests visit.
SCREENSHOTS = os.environ.get("ATELIER_SCREENSHOTS")
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

_skipped = pytest.StashKey[tuple[int, str]]()
_ran = pytest.StashKey[int]()


def browser_unavailable() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"no {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    reason = browser_unavailable() if browser_items else None
    if reason is None:
        return
    items[:] = [item for item in items if not item.get_closest_marker("browser")]
    config.hook.pytest_deselected(items=browser_items)
    config.stash[_skipped] = (len(browser_items), reason)


def pytest_collection_finish(session):
    # After every selection (-k, -m): how many browser tests will really run.
    count = sum(1 for item in session.items if item.get_closest_marker("browser"))
    if count:
        session.config.stash[_ran] = count


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _skipped in config.stash:
        count, reason = config.stash[_skipped]
        terminalreporter.write_line(
            f"browser tests: skipped ({reason}): {count} deselected; "
            "install Debian's chromium (apt-get install chromium) to run them",
            yellow=True,
            bold=True,
        )
    elif _ran in config.stash:
        terminalreporter.write_line(
            f"browser tests: {config.stash[_ran]} ran in headless {CHROMIUM}"
        )


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, answering one request at a time, its media files
    through the site's own view (access checked).

    With SQLite the tests run on an in-memory database, which the server can only reach
    through the test's own connection; two requests at once on that one connection fail
    ("bad parameter or other API misuse"), and a page sends several at once.
    """
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import _MediaFilesHandler
    from pytest_django.live_server_helper import LiveServer

    class SerialWSGIServer(WSGIServer):
        # Django answers "Connection: close" when the server is not threaded, so a browser's
        # kept-alive connection cannot hold up the next request.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

        def set_app(self, application):
            # Django's live server sends files under MEDIA_URL straight from the disk
            # (_MediaFilesHandler), skipping media's file view and its access check; the
            # site serves /media/ through that view, and so does this server.
            if isinstance(application.application, _MediaFilesHandler):
                application.application = application.application.application
            super().set_app(application)

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.server_class = SerialWSGIServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which makes Django refuse
    # ORM calls from the test ("you cannot call this from an async context"). The tests
    # are plain synchronous code, so the check is lifted while the browser lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# How long a page must have no request in flight to count as settled.
QUIET_MS = 200


class QuietNetwork:
    """Tracks a browser context's requests, to wait until the page has nothing in flight.

    The live server shares the test's database connection (an in-memory SQLite database
    cannot be opened twice), so the test must not write to the database, nor empty it at
    teardown, while a request is running: that fails with "database table is locked".
    """

    def __init__(self, context) -> None:
        self.in_flight: set = set()
        context.on("request", lambda request: self.in_flight.add(request))
        context.on("requestfinished", lambda request: self.in_flight.discard(request))
        context.on("requestfailed", lambda request: self.in_flight.discard(request))

    def settle(self, tab, timeout: float = 5.0) -> None:
        """Have the page send the seen marks it holds (as on leaving), then wait for quiet."""
        tab.evaluate("window.dispatchEvent(new Event('pagehide'))")
        # A request the page starts reaches this side a moment later: an empty set right
        # after the event is not quiet yet (a seen-marks POST then ran into the teardown's
        # TRUNCATE on PostgreSQL: a deadlock). Quiet means nothing in flight for QUIET_MS.
        deadline = time.monotonic() + timeout
        quiet_since = None
        while time.monotonic() < deadline:
            if self.in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_MS / 1000:
                return
            tab.wait_for_timeout(20)


@pytest.fixture
def _network(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(5_000)
    network = QuietNetwork(context)
    yield context, network
    context.close()


@pytest.fixture
def page(_network):
    """A fresh browser context (no cookies) on the live server, phone-sized.

    JavaScript errors on the page fail the test.
    """
    context, network = _network
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    network.settle(tab)
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def settle(page, _network):
    """Wait until the page has no request in flight (before the test writes to the database)."""
    return lambda: _network[1].settle(page)


@pytest.fixture
def log_in():
    """Log in through the form as `username` (password "pw", the factories' default)."""

    def do(page, username: str, password: str = "pw", next_url: str = "/"):
        page.goto(f"/login/?next={next_url}")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form.form button[type=submit]")

    return do


@pytest.fixture
def screenshot():
    """Save a screenshot when ATELIER_SCREENSHOTS names a directory; otherwise do nothing."""

    def take(page, name: str, **options) -> None:
        if SCREENSHOTS:
            page.screenshot(path=str(Path(SCREENSHOTS) / f"atelier-{name}.png"), **options)

    return take


@pytest.fixture
def nav():
    """A top-bar link or button by its text, with the phone menu opened first if folded."""

    def find(page, name: str):
        toggle = page.locator(".navmenu-toggle")
        if toggle.count() and toggle.is_visible() and not page.locator(".navmenu[open]").count():
            toggle.click()
        return (
            page.locator(".topnav")
            .get_by_role("link", name=name, exact=True)
            .or_(page.locator(".topnav").get_by_role("button", name=name, exact=True))
        )

    return find
