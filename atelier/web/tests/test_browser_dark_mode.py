"""Dark mode in headless Chromium, at 375 px and 1280 px: the pages follow the system's
prefers-color-scheme, the top bar's toggle flips it and the choice is remembered across
pages and reloads, and every text keeps AA contrast in the dark as in the light."""

import re

import pytest
from playwright.sync_api import expect

from atelier.post.services import remark_create
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community
from atelier.web.tests.test_browser_pages_access import low_contrast

pytestmark = pytest.mark.browser

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])


@pytest.fixture
def community(transactional_db):
    return build_community()


def luminance(page, selector: str = "body") -> float:
    """The relative luminance (0 black, 1 white) of the element's computed background,
    the nearest opaque one up the tree."""
    return page.evaluate(
        """(selector) => {
            for (let n = document.querySelector(selector); n; n = n.parentElement) {
                const m = getComputedStyle(n).backgroundColor.match(/[\\d.]+/g).map(Number);
                if (m.length < 4 || m[3] > 0.5) {
                    const lin = (v) => {
                        v /= 255;
                        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
                    };
                    return 0.2126 * lin(m[0]) + 0.7152 * lin(m[1]) + 0.0722 * lin(m[2]);
                }
            }
            return 1;
        }""",
        selector,
    )


def is_dark(page) -> bool:
    return luminance(page, "main") < 0.2


@VIEWPORTS
def test_the_pages_follow_the_system_and_keep_aa_contrast_in_the_dark(
    page, community, log_in, settle, viewport
):
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme="dark")
    post = community.fellow_post
    top = remark_create(kind="comment", author=community.ben, post=post, text="Dark tones")
    remark_create(kind="comment", author=community.ana, post=post, text="Yes", reply_to=top.pk)
    log_in(page, "ana")
    card = page.locator(f"#post-{post.pk}")
    expect(card).to_be_visible()
    assert is_dark(page)
    expect(page.locator("[data-theme-toggle]")).to_have_attribute("aria-pressed", "true")
    # Pressed reactions and an open "why" panel have colours of their own.
    for kind in ("heart", "praise", "trophy"):
        with page.expect_response(re.compile(r"/api/posts/meta/\?ids=\d+$")):
            card.locator(f".act-{kind}").click()
    card.locator(".why-toggle").click()
    settle()
    low_contrast(page)
    for path in (
        f"/posts/{post.pk}/",
        f"/users/{community.ben.pk}/",
        f"/collectives/{community.inkers.pk}/",
        "/notifications/",
        "/settings/",
        "/new/",
    ):
        page.goto(path)
        assert is_dark(page), path
        low_contrast(page)
    # A refused form's error in the dark too.
    page.goto(f"/posts/{post.pk}/")
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator("#comment-error")).to_be_visible()
    low_contrast(page)


@VIEWPORTS
def test_the_toggle_flips_the_theme_and_remembers_it(page, community, log_in, viewport):
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme="light")
    log_in(page, "ana", next_url=f"/posts/{community.fellow_post.pk}/")
    toggle = page.locator("[data-theme-toggle]")
    expect(toggle).to_be_visible()  # in the top bar itself, outside the phone's menu
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert not is_dark(page)

    toggle.click()

    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert is_dark(page)
    # Remembered: another page, and a reload, open dark although the system says light.
    page.goto("/notifications/")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert is_dark(page)
    page.reload()
    assert is_dark(page)
    expect(page.locator("[data-theme-toggle]")).to_have_attribute("aria-pressed", "true")

    # Back to light, remembered too, even where the system asks for dark.
    page.locator("[data-theme-toggle]").click()
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    assert not is_dark(page)
    low_contrast(page)


def test_the_chosen_theme_is_set_before_the_page_paints(page, community, log_in):
    """No flash: theme.js runs in <head>, before <body> exists, so the first paint already
    has the chosen theme."""
    log_in(page, "ana")
    page.evaluate("localStorage.setItem('atelier-theme', 'dark')")
    page.add_init_script(
        """new MutationObserver((records, observer) => {
            if (document.body) {
                window.__themeAtBody = document.documentElement.dataset.theme || null;
                observer.disconnect();
            }
        }).observe(document, { childList: true, subtree: true });"""
    )

    page.goto("/notifications/")

    assert page.evaluate("window.__themeAtBody") == "dark"
