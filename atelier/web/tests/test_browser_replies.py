"""Replies on the post page in headless Chromium, at 375 px and 1280 px: open a comment's
Reply, send it, and find it indented under its parent; the parent's author is notified."""

import pytest
from playwright.sync_api import expect

from atelier.notification.models import Notification
from atelier.post.models import Comment
from atelier.post.services import remark_create
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community

pytestmark = pytest.mark.browser


@pytest.fixture
def community(transactional_db):
    return build_community()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_replying_to_a_comment_shows_the_reply_under_it(
    page, community, log_in, settle, screenshot, viewport
):
    page.set_viewport_size(viewport)
    post = community.fellow_post
    top = remark_create(kind="comment", author=community.ben, post=post, text="Warm tones")
    remark_create(kind="comment", author=community.ben, post=post, text="A later top")
    log_in(page, "ana", next_url=f"/posts/{post.pk}/")

    form = page.locator(f"#reply-{top.pk}")
    expect(form).to_be_hidden()  # folded until Reply is pressed
    page.locator(f"#comment-{top.pk} > .remark-actions .reply-box > summary").click()
    expect(form).to_be_visible()
    form.locator("textarea").fill("Thank you, Ben")
    with page.expect_navigation():
        form.get_by_role("button", name="Send reply").click()

    settle()
    reply = Comment.objects.get(author=community.ana)
    assert reply.reply_to_id == top.pk
    assert page.url.endswith(f"#comment-{reply.pk}")
    shown = page.locator(f"#comment-{top.pk} .reply-list #comment-{reply.pk}")
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("Thank you, Ben")
    # Indented under its parent, and inside the page's width.
    parent_box = page.locator(f"#comment-{top.pk} > .remark-byline").bounding_box()
    reply_box = shown.bounding_box()
    assert reply_box["x"] > parent_box["x"]
    assert reply_box["x"] + reply_box["width"] <= viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    expect(page.locator("#comments-title .muted")).to_have_text("3")
    assert Notification.objects.filter(
        kind="reply", notified_to=community.ben, actor=community.ana
    ).exists()

    # Answering the reply keeps one level: the new reply joins the same thread.
    page.locator(f"#comment-{reply.pk} .reply-box > summary").click()
    page.locator(f"#reply-{reply.pk} textarea").fill("And a P.S.")
    with page.expect_navigation():
        page.locator(f"#reply-{reply.pk}").get_by_role("button", name="Send reply").click()
    expect(page.locator(f"#comment-{top.pk} .reply-list > li")).to_have_count(2)
    page.locator(f"#comment-{top.pk} > .remark-actions .reply-box > summary").click()
    screenshot(page.locator("#comments"), f"replies-{viewport['width']}")
