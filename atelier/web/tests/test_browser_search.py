"""Search in headless Chromium: the box in the top bar, the results, the tabs."""

import re

import pytest
from playwright.sync_api import expect

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
def test_search_from_the_top_bar_then_switch_tabs(page, community, log_in, viewport, screenshot):
    page.set_viewport_size(viewport)
    log_in(page, "ana")
    expect(page.locator("#feed .card").first).to_be_visible()

    box = page.locator(".site-search input[name=q]")
    expect(box).to_be_in_viewport(ratio=1)
    box.fill("harbours")
    with page.expect_navigation():
        box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=harbours$"))
    tile = page.locator(f"#tile-{community.fellow_post.pk} img")
    expect(tile).to_be_visible()
    expect(page.locator("#search-count")).to_have_text("1 post matches “harbours”")
    expect(page.locator(f"#tile-{community.newest_post.pk}")).to_have_count(0)
    expect(page.locator("#tab-posts")).to_have_attribute("aria-current", "page")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"search-posts-{viewport['width']}")

    # A tab searches the same words; the box, which shows them, then searches that tab.
    expect(box).to_have_value("harbours")
    with page.expect_navigation():
        page.locator("#tab-people").click()
    expect(page.locator("#tab-people")).to_have_attribute("aria-current", "page")
    expect(page.locator("#search-empty")).to_contain_text("No people match “harbours”")
    box = page.locator(".site-search input[name=q]")
    box.fill("cleo")
    with page.expect_navigation():
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=cleo&type=people$"))
    person = page.locator(f"#person-{community.cleo.pk}")
    expect(person).to_be_visible()
    with page.expect_navigation():
        person.get_by_role("link", name="cleo").click()
    expect(page).to_have_url(re.compile(rf"/users/{community.cleo.pk}/$"))


def test_a_visitor_searches_posts_and_meets_a_log_in_prompt_for_people(page, community, screenshot):
    page.goto("/")
    assert page.evaluate("document.querySelector('.topbar-inner').scrollWidth") <= 375
    box = page.locator(".site-search input[name=q]")
    box.fill("ink")
    with page.expect_navigation():
        box.press("Enter")
    # Ink and rain is a collective's post: a visitor finds no public post with "ink".
    expect(page.locator("#search-empty")).to_contain_text("No posts match “ink”")

    page.goto("/search/?q=harbour")
    expect(page.locator(f"#tile-{community.fellow_post.pk}")).to_be_visible()
    with page.expect_navigation():
        page.locator("#tab-collectives").click()
    expect(page.locator("#search-login")).to_contain_text("Members can search collectives")
    screenshot(page, "search-visitor-375")
