"""Profiles and alt text in headless Chromium, at phone and desktop sizes: set a display
name, a bio and an avatar, see them on the member's page; describe a picture in the
composer and find the description as the picture's `alt`."""

import re

import pytest
from playwright.sync_api import expect

from atelier.core.tests.factories import UserFactory
from atelier.media.models import Media
from atelier.media.tests.files import image_bytes
from atelier.web.tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def picture(name: str, colour, size=(900, 600)) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": image_bytes("PNG", size, colour)}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_set_a_profile_and_see_it_on_my_page(
    page, live_server, transactional_db, log_in, screenshot, viewport
):
    ines = UserFactory(username="ines")
    page.set_viewport_size(viewport)
    log_in(page, "ines")
    page.goto(f"/users/{ines.pk}/")

    with page.expect_navigation():
        page.click("text=Edit profile")
    expect(page).to_have_url(re.compile(r"/settings/profile/$"))
    page.fill("#id_display_name", "Inès Marchetti")
    page.fill("#id_bio", "Inks and salt.\nShop: https://example.org/ines <b>no tags</b>")
    page.set_input_files("#id_avatar_upload", picture("me.png", (30, 120, 200)))
    with page.expect_navigation():
        page.click("#save-profile")
    expect(page.locator("#saved")).to_be_visible()
    expect(page.locator("#current-avatar")).to_be_visible()

    page.goto(f"/users/{ines.pk}/")
    expect(page.locator("h1.profile-name")).to_have_text("Inès Marchetti")
    expect(page.locator(".profile-username")).to_have_text("@ines")
    link = page.locator("#profile-bio a")
    expect(link).to_have_attribute("href", "https://example.org/ines")
    expect(link).to_have_attribute("rel", re.compile(r"\bnofollow\b.*\bugc\b"))
    expect(page.locator("#profile-bio")).to_contain_text("<b>no tags</b>")
    avatar = page.locator("#profile-avatar")
    expect(avatar).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 256", arg=avatar.element_handle()
    )
    box = avatar.bounding_box()
    assert box and abs(box["width"] - box["height"]) < 1  # square on the page too
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"profile-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_describe_a_picture_in_the_composer(
    page, live_server, transactional_db, log_in, settle, viewport
):
    UserFactory(username="ines")
    page.set_viewport_size(viewport)
    log_in(page, "ines")
    page.goto("/new/")
    page.fill("#id_title", "Harbour")
    page.select_option("#id_post_type", "image")
    page.set_input_files(
        "#id_files", [picture("a.png", (20, 40, 160)), picture("b.png", (200, 180, 30))]
    )
    expect(page.locator("#previews li[data-media-id]")).to_have_count(2)
    fields = page.locator("#previews textarea.alt-text")
    expect(fields).to_have_count(2)
    reminders = page.locator("#previews .alt-text-reminder")
    expect(reminders.first).to_be_visible()
    expect(reminders.first).to_contain_text("No description yet")

    fields.first.fill("Blue boats at dusk")
    expect(reminders.first).to_be_hidden()
    expect(reminders.nth(1)).to_be_visible()  # the second is still empty: still reminded
    with page.expect_navigation():
        page.click("#publish")

    expect(page).to_have_url(re.compile(r"/posts/\d+/$"))
    images = page.locator(".post-media img")
    expect(images).to_have_count(2)
    expect(images.first).to_have_attribute("alt", "Blue boats at dusk")
    expect(images.nth(1)).to_have_attribute("alt", "Harbour, image 2 of 2")
    settle()
    assert sorted(Media.objects.values_list("alt_text", flat=True)) == ["", "Blue boats at dusk"]
