"""Sign up, post with an image from the composer, and see it in a fellow's feed, in
headless Chromium at phone and desktop sizes."""

import re

import pytest
from playwright.sync_api import expect

from atelier.core.models import User
from atelier.core.tests.factories import FellowFactory, UserFactory
from atelier.media.models import Media
from atelier.media.tests.files import image_bytes
from atelier.post.models import Post
from atelier.web.tests.conftest import DESKTOP, PHONE, QuietNetwork

pytestmark = pytest.mark.browser


def picture(name: str, colour) -> dict:
    return {
        "name": name,
        "mimeType": "image/jpeg",
        "buffer": image_bytes("JPEG", (900, 600), colour),
    }


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_sign_up_post_pictures_and_a_fellow_sees_them(
    page, browser, live_server, transactional_db, settle, log_in, screenshot, viewport, nav
):
    page.set_viewport_size(viewport)
    page.goto("/")
    page.click(".topnav >> text=Sign up")
    page.fill("#id_username", "ines")
    page.fill("#id_password", "s3cret")
    page.select_option("#id_artist_type", "visual_artist")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    expect(page.locator(".whoami")).to_have_text("@ines")

    nav(page, "New post").click()
    expect(page).to_have_url(re.compile(r"/new/$"))
    page.fill("#id_title", "Blue hour")
    page.select_option("#id_post_type", "image")
    page.fill("#id_body", "Two studies in blue.")
    page.set_input_files(
        "#id_files", [picture("a.jpg", (20, 40, 160)), picture("b.jpg", (200, 200, 30))]
    )
    expect(page.locator("#previews li[data-media-id]")).to_have_count(2)
    expect(page.locator("#publish")).to_be_enabled()
    # A file that is not an image is refused with the server's reason, and not listed.
    page.set_input_files(
        "#id_files", {"name": "c.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture"}
    )
    expect(page.locator("#composer-error")).to_contain_text("c.jpg was refused")
    expect(page.locator("#previews li")).to_have_count(2)
    screenshot(page, f"composer-{viewport['width']}")

    with page.expect_navigation():
        page.click("#publish")
    expect(page).to_have_url(re.compile(r"/posts/\d+/$"))
    expect(page.locator("h1.post-title")).to_have_text("Blue hour")
    expect(page.locator(".post-media img")).to_have_count(2)
    settle()

    post = Post.objects.get(title="Blue hour")
    ines = User.objects.get(username="ines")
    assert post.author == ines and post.media_count == 2
    assert list(post.media.order_by("position").values_list("position", flat=True)) == [0, 1]
    assert Media.objects.count() == 2  # the refused file left nothing behind
    fellow = UserFactory(username="fred")
    FellowFactory(user=fellow, fellow_user=ines)

    other = browser.new_context(base_url=live_server.url, viewport=viewport)
    network = QuietNetwork(other)
    try:
        tab = other.new_page()
        log_in(tab, "fred")
        card = tab.locator(f"#post-{post.pk}")
        expect(card.locator(".card-media img")).to_be_visible()
        expect(card.locator(".media-more")).to_have_text("+1")
        expect(card.locator(".card-reason")).to_have_text("From your fellow ines")
        tab.wait_for_function(
            "img => img.complete && img.naturalWidth > 0",
            arg=card.locator(".card-media img").element_handle(),
        )
        network.settle(tab)
    finally:
        other.close()
