"""/api/docs/ (Swagger UI) and /api/redoc/ in headless Chromium with the internet cut off:
every asset comes from the server itself (drf-spectacular-sidecar), and the operations
are listed."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from atelier.web.tests.conftest import DESKTOP

pytestmark = pytest.mark.browser


@pytest.fixture
def offline(page, live_server):
    """Abort every request that is not for the live server; return the ones aborted."""
    local = urlsplit(live_server.url).netloc
    refused: list[str] = []

    def only_local(route):
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.set_viewport_size(DESKTOP)
    return refused


def test_swagger_ui_lists_the_operations_without_internet(
    page, offline, screenshot, transactional_db
):
    page.goto("/api/docs/")
    paths = page.locator(".opblock-summary-path")
    expect(paths.first).to_be_visible(timeout=15_000)
    listed = set(paths.all_inner_texts())
    for path in ("/api/posts/", "/api/auth/register/", "/api/posts/{id}/heart/"):
        assert any(text.replace("\u200b", "") == path for text in listed), (path, listed)
    assert len(listed) > 30
    expect(page.locator(".info .title")).to_contain_text("Atelier API")
    screenshot(page, "api-docs")
    assert offline == [], f"the docs page tried to reach: {offline}"


# Redoc's bundle draws an "API docs by Redocly" badge from its CDN and drops the image when
# it cannot load; nothing else may leave the machine.
REDOC_BADGE = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc_lists_the_operations_without_internet(page, offline, screenshot, transactional_db):
    page.goto("/api/redoc/")
    expect(page.locator("h1", has_text="Atelier API")).to_be_visible(timeout=15_000)
    # Redoc's side menu: one entry per operation, by its summary.
    entries = page.locator("[role=menuitem]")
    expect(entries.first).to_be_attached()
    assert entries.count() > 30
    expect(page.locator("body")).to_contain_text("/api/auth/register/")
    screenshot(page, "api-redoc")
    assert [url for url in offline if url != REDOC_BADGE] == [], offline
