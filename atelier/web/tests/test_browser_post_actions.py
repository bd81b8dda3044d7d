"""The post page in headless Chromium: reactions, and deleting my own comment."""

import pytest
from playwright.sync_api import expect

from atelier.post.models import Appreciation, Comment, Post
from atelier.post.services import remark_create
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community

pytestmark = pytest.mark.browser


@pytest.fixture
def community(transactional_db):
    return build_community()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_reacting_on_the_post_page(page, community, log_in, settle, viewport):
    page.set_viewport_size(viewport)
    log_in(page, "ana", next_url=f"/posts/{community.fellow_post.pk}/")
    heart = page.locator("#reactions .act-heart")
    expect(heart).to_be_visible()
    expect(heart).to_have_attribute("aria-pressed", "false")
    expect(heart.locator(".count")).to_have_text("0")

    with page.expect_navigation():
        heart.click()

    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart.locator(".count")).to_have_text("1")
    for kind in ("praise", "trophy"):
        with page.expect_navigation():
            page.locator(f"#reactions .act-{kind}").click()
        expect(page.locator(f"#reactions .act-{kind}")).to_have_attribute("aria-pressed", "true")

    # Pressed again, the heart is taken back.
    with page.expect_navigation():
        heart.click()
    expect(heart).to_have_attribute("aria-pressed", "false")
    expect(heart.locator(".count")).to_have_text("0")
    settle()
    kinds = Appreciation.objects.filter(user=community.ana).values_list("kind", flat=True)
    assert set(kinds) == {"praise", "trophy"}
    post = Post.objects.get(pk=community.fellow_post.pk)
    assert (post.hearts_count, post.praise_count, post.trophy_count) == (0, 1, 1)


def test_deleting_my_comment_asks_first(page, community, log_in, settle):
    post = community.fellow_post
    mine = remark_create(kind="comment", author=community.ana, post=post, text="Too dark?")
    remark_create(kind="comment", author=community.ben, post=post, text="Thanks, Ana")
    log_in(page, "ana", next_url=f"/posts/{post.pk}/")
    items = page.locator("#comments .remark-item")
    expect(items).to_have_count(2)
    # Only my own comment has a Delete button.
    expect(page.locator(f"#comment-{mine.pk} .remark-delete button")).to_be_visible()
    expect(page.locator("#comments .remark-delete")).to_have_count(1)

    # Answering "Cancel" keeps it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator(f"#comment-{mine.pk} .remark-delete button").click()
    expect(items).to_have_count(2)
    settle()
    assert not Comment.objects.get(pk=mine.pk).is_deleted

    messages: list[str] = []

    def accept(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        page.locator(f"#comment-{mine.pk} .remark-delete button").click()

    expect(items).to_have_count(1)
    expect(page.locator("#comments")).not_to_contain_text("Too dark?")
    expect(page.locator("#comments-title .muted")).to_have_text("1")
    assert messages == ["Delete your comment? This cannot be undone."]
    settle()
    assert Comment.objects.get(pk=mine.pk).is_deleted
    assert Post.objects.get(pk=post.pk).comment_count == 1
