"""Content warnings in headless Chromium, at phone and desktop sizes: a member sees a
post's picture blurred and its text folded in the feed and on the post page until they
press "Show"; with "Always show sensitive content" nothing is blurred; the composer sets a
warning."""

import re

import pytest
from playwright.sync_api import expect

from atelier.post.models import Post
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.browser

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])


@pytest.fixture
def community(transactional_db):
    community = build_community()
    post = community.fellow_post  # ben's, ana's fellow: in her feed
    community.picture = picture_for(post, colour=(160, 20, 20))
    Post.objects.filter(pk=post.pk).update(content_warning="blood")
    return community


def blurred(image) -> bool:
    return "blur(" in image.evaluate("img => getComputedStyle(img).filter")


def unblurred(image) -> bool:
    return image.evaluate("img => getComputedStyle(img).filter") == "none"


@VIEWPORTS
def test_a_member_sees_the_picture_blurred_until_she_shows_it(
    page, community, log_in, screenshot, viewport
):
    page.set_viewport_size(viewport)
    post = community.fellow_post
    log_in(page, "ana")

    card = page.locator(f"#post-{post.pk}")
    fold = card.locator("details.cw-fold")
    expect(fold.locator("summary")).to_contain_text("Content warning: blood")
    preview = fold.locator(".cw-preview img")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("src", f"/media/{community.picture.thumbnail}")
    assert blurred(preview)
    picture = card.locator(".card-media img")
    expect(picture).to_be_hidden()
    expect(card.locator(".card-body")).to_be_hidden()
    screenshot(page, f"cw-feed-folded-{viewport['width']}")

    fold.locator("summary").click()

    expect(picture).to_be_visible()
    assert unblurred(picture)
    expect(preview).to_be_hidden()
    expect(card.locator(".card-body")).to_have_text("Shot on film, no edits.")
    expect(fold.locator(".cw-hide")).to_be_visible()
    screenshot(page, f"cw-feed-shown-{viewport['width']}")

    # The post page folds it too; the summary opens from the keyboard.
    page.goto(f"/posts/{post.pk}/")
    fold = page.locator("details.cw-fold")
    preview = fold.locator(".cw-preview img")
    expect(preview).to_be_visible()
    assert blurred(preview)
    full = page.locator(".post-media img")
    expect(full).to_be_hidden()
    expect(page.locator(".post-media a")).to_be_hidden()  # no way to the full picture yet
    fold.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(full).to_be_visible()
    assert unblurred(full)
    expect(page.locator(".post-body")).to_contain_text("Shot on film, no edits.")
    screenshot(page, f"cw-post-shown-{viewport['width']}")


@VIEWPORTS
def test_with_always_show_nothing_is_blurred(page, community, log_in, viewport):
    page.set_viewport_size(viewport)
    post = community.fellow_post
    log_in(page, "ana", next_url="/settings/")
    page.check("#show-sensitive")
    with page.expect_navigation():
        page.click("#save-settings")
    expect(page.locator("#saved")).to_be_visible()

    page.goto("/")
    card = page.locator(f"#post-{post.pk}")
    picture = card.locator(".card-media img")
    expect(picture).to_be_visible()
    assert unblurred(picture)
    expect(card.locator(".cw-label-only")).to_contain_text("Content warning: blood")
    expect(card.locator("details.cw-fold")).to_have_count(0)

    page.goto(f"/posts/{post.pk}/")
    full = page.locator(".post-media img")
    expect(full).to_be_visible()
    assert unblurred(full)
    expect(page.locator(".cw-label-only")).to_contain_text("Content warning: blood")


@VIEWPORTS
def test_the_composer_publishes_a_warning_and_the_author_edits_it(
    page, community, log_in, settle, screenshot, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, "ana", next_url="/new/")
    page.fill("#id_title", "Anatomy study")
    page.select_option("#id_post_type", "poem")
    page.fill("#id_body", "Lines about the inside of a hand.")
    page.fill("#id_content_warning", "  medical detail ")

    with page.expect_navigation():
        page.click("#publish")

    expect(page).to_have_url(re.compile(r"/posts/\d+/$"))
    expect(page.locator("details.cw-fold summary")).to_contain_text("medical detail")
    expect(page.locator(".post-body")).to_be_hidden()

    page.click("#content-warning-edit summary")
    screenshot(page, f"cw-post-edit-{viewport['width']}")
    page.fill("#id_content_warning", "")
    with page.expect_navigation():
        page.click("#save-content-warning")
    expect(page.locator("details.cw-fold")).to_have_count(0)
    expect(page.locator(".post-body")).to_be_visible()
    settle()
    assert Post.objects.get(title="Anatomy study").content_warning is None
