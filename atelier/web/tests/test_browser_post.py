"""Pictures in headless Chromium: the feed's cards show them lazily over their placeholder
colour, and the post page shows the picture, the comments and critiques, and takes new ones."""

import re

import pytest
from playwright.sync_api import expect

from atelier.post.models import Comment, Critique
from atelier.post.tests.factories import CommentFactory
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.browser


@pytest.fixture
def community(transactional_db):
    community = build_community()
    community.picture = picture_for(community.fellow_post, colour=(30, 90, 200))
    return community


def loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_feed_cards_show_the_picture_lazily_over_its_placeholder(
    page, community, log_in, screenshot, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, "ana")

    card = page.locator(f"#post-{community.fellow_post.pk}")
    image = card.locator(".card-media img")
    expect(image).to_be_visible()
    expect(image).to_have_attribute("loading", "lazy")
    expect(image).to_have_attribute("src", f"/media/{community.picture.thumbnail}")
    assert community.picture.placeholder.startswith("#")
    r, g, b = (int(community.picture.placeholder[i : i + 2], 16) for i in (1, 3, 5))
    expect(image).to_have_css("background-color", f"rgb({r}, {g}, {b})")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    box = image.bounding_box()
    assert box["width"] <= viewport["width"]
    # Posts without media have no picture box.
    expect(page.locator(f"#post-{community.newest_post.pk} .card-media")).to_be_hidden()
    screenshot(page, f"feed-pictures-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_post_page_shows_the_picture_and_takes_comments_and_critiques(
    page, community, log_in, settle, screenshot, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, "ana")
    card = page.locator(f"#post-{community.fellow_post.pk}")

    with page.expect_navigation():
        card.locator(".card-open").click()

    expect(page).to_have_url(re.compile(rf"/posts/{community.fellow_post.pk}/$"))
    expect(page.locator("h1.post-title")).to_have_text("Harbour at dawn")
    image = page.locator(".post-media img")
    expect(image).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert loaded(image)
    expect(page.locator("#comments")).to_contain_text("No comments yet.")

    page.fill("#new-comment", "The light on the water!")
    with page.expect_navigation():
        page.click("#comments button[type=submit]")
    expect(page.locator("#comments .remark-item")).to_have_count(1)
    expect(page.locator("#comments .remark-item")).to_contain_text("The light on the water!")
    expect(page.locator("#comments .remark-item")).to_contain_text("ana")

    page.fill("#new-critique", "The horizon tilts a little.")
    with page.expect_navigation():
        page.click("#critiques button[type=submit]")
    expect(page.locator("#critiques .remark-item")).to_contain_text("The horizon tilts")
    screenshot(page, f"post-{viewport['width']}", full_page=True)
    settle()
    assert Comment.objects.get().author == community.ana
    assert Critique.objects.get().text == "The horizon tilts a little."


def test_a_visitor_opens_a_public_post_and_is_asked_to_log_in(page, community):
    page.goto(f"/posts/{community.fellow_post.pk}/")

    expect(page.locator("h1.post-title")).to_have_text("Harbour at dawn")
    expect(page.locator(".post-media img")).to_be_visible()
    expect(page.locator("main")).to_contain_text("to read and write comments and critiques")
    expect(page.locator("#new-comment")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize("kind", ["comment", "critique"])
def test_a_refused_remark_brings_the_reader_to_the_form_and_its_error(
    page, community, log_in, screenshot, viewport, kind
):
    # Enough comments above the forms that the top of the page is far from them.
    for i in range(12):
        CommentFactory(
            post=community.fellow_post, author=community.cleo, text=f"Thought {i}. " * 40
        )
    page.set_viewport_size(viewport)
    log_in(page, "ana", next_url=f"/posts/{community.fellow_post.pk}/")

    page.fill(f"#new-{kind}", "   ")
    with page.expect_navigation():
        page.click(f"#{kind}-form button[type=submit]")

    expect(page).to_have_url(re.compile(rf"/posts/{community.fellow_post.pk}/#{kind}-form$"))
    error = page.locator(f"#{kind}-error")
    expect(error).to_have_text("This field may not be blank.")
    expect(error).to_be_in_viewport()
    field = page.locator(f"#new-{kind}")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(field).to_have_attribute("aria-describedby", re.compile(rf"(^| ){kind}-error( |$)"))
    # The page did not open at its top: the post's title is scrolled away.
    assert page.evaluate("window.scrollY") > 500
    screenshot(page, f"remark-error-{kind}-{viewport['width']}")
