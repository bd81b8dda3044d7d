"""Profiles in headless Chromium: open one from the feed, ask to be fellows, block."""

import re

import pytest
from playwright.sync_api import expect

from atelier.core.models import UserFellow
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.browser


@pytest.fixture
def community(transactional_db):
    community = build_community()
    picture_for(community.fellow_post)
    return community


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_open_a_profile_from_the_feed_and_see_the_grid(page, community, log_in, viewport):
    page.set_viewport_size(viewport)
    log_in(page, "ana")

    with page.expect_navigation():
        page.locator(f"#post-{community.fellow_post.pk} .author a").click()

    expect(page).to_have_url(re.compile(rf"/users/{community.ben.pk}/$"))
    expect(page.locator("h1.profile-name")).to_have_text("ben")
    expect(page.locator("#relation")).to_have_text("Fellows")
    tile = page.locator(f"#tile-{community.fellow_post.pk} img")
    expect(tile).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=tile.element_handle())


def test_ask_to_be_fellows_then_block(page, community, log_in, settle):
    log_in(page, "ana")
    page.goto(f"/users/{community.cleo.pk}/")

    page.click("#fellow-request")
    expect(page.locator("#relation")).to_have_text("Fellow request sent")
    settle()
    assert UserFellow.objects.filter(
        user=community.ana, fellow_user=community.cleo, status="pending"
    ).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#block-user")
    expect(page).to_have_url(re.compile(r"/$"))
    # Cleo's posts are gone from Ana's feed, and her page is a 404 now.
    expect(page.locator("#feed .card").first).to_be_visible()
    expect(page.locator(f"#post-{community.newest_post.pk}")).to_have_count(0)
    response = page.goto(f"/users/{community.cleo.pk}/")
    assert response.status == 404
