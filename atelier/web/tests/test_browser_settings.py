"""Settings in headless Chromium: reach them from the bell, prefer poems, mute a collective."""

import pytest
from playwright.sync_api import expect

from atelier.collective.preferences import preferences_of
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_save_preferences(page, transactional_db, log_in, settle, viewport, nav):
    community = build_community()
    page.set_viewport_size(viewport)
    log_in(page, "ana")

    with page.expect_navigation():
        nav(page, "Notifications").click()
    with page.expect_navigation():
        page.click("text=Settings")
    page.check("input[name=preferred_post_types][value=poem]")
    page.check(f"input[name=muted_collectives][value='{community.inkers.pk}']")
    with page.expect_navigation():
        page.click("#save-settings")

    expect(page.locator("#saved")).to_be_visible()
    expect(page.locator("input[name=preferred_post_types][value=poem]")).to_be_checked()
    settle()
    prefs = preferences_of(community.ana)
    assert prefs["preferred_post_types"] == ["poem"]
    assert prefs["muted_collectives"] == [community.inkers.pk]
