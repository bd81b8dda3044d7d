"""The pages for phone and keyboard users, in headless Chromium (issue 17, "Pages, as a
newcomer found them"): the top bar on a phone, placeholder colours under the CSP, focus
kept by the reactions, the skip link, tab stops per card, contrast, character counters and
the dashboard's loading state."""

import re

import pytest
from playwright.sync_api import expect

from atelier.core.tests.factories import UserFactory
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community
from atelier.web.tests.media_helpers import picture_for
from atelier.web.tests.test_browser_csp import WATCH

pytestmark = pytest.mark.browser

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])


@pytest.fixture
def community(transactional_db):
    community = build_community()
    # Stella, staff: her bar has the most links (Dashboard).
    community.stella = UserFactory(username="stella", is_staff=True)
    return community


def focused(page) -> str:
    """The focused element as "tag#id.class.class"."""
    return page.evaluate(
        """() => {
          const e = document.activeElement;
          if (!e) return "";
          const classes = typeof e.className === "string" ? e.className.trim() : "";
          return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
            (classes ? "." + classes.split(/\\s+/).join(".") : "");
        }"""
    )


# ---- The top bar -------------------------------------------------------------------------

NAV_LINKS = {
    "ana": ["Feed", "Collectives", "Notifications", "New post", "@ana", "Log out", "Dark mode"],
    "stella": [
        "Feed",
        "Collectives",
        "Notifications",
        "New post",
        "Dashboard",
        "Moderation",
        "@stella",
        "Log out",
        "Dark mode",
    ],
}


@VIEWPORTS
@pytest.mark.parametrize("username", ["ana", "stella"], ids=["member", "staff"])
def test_every_link_of_the_top_bar_is_reachable_and_it_fits_the_screen(
    page, community, log_in, viewport, username, screenshot
):
    page.set_viewport_size(viewport)
    log_in(page, username)
    expect(page.locator("#feed .card").first).to_be_visible()

    width = viewport["width"]
    assert page.evaluate("document.querySelector('.topbar-inner').scrollWidth") <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    toggle = page.locator(".navmenu-toggle")
    if viewport is PHONE:
        # Folded into a menu: opened by its button (a <details>, so without script too).
        expect(toggle).to_be_visible()
        expect(page.locator(".navmenu-items")).to_be_hidden()
        toggle.click()
        screenshot(page, f"menu-{username}-375")
    else:
        expect(toggle).to_be_hidden()
        # In a row, and in the tab order (after the search box): the closed <details> does
        # not hide them.
        page.locator(".brand").focus()
        reached = []
        for _ in ["Search", *NAV_LINKS[username]]:
            page.keyboard.press("Tab")
            reached.append(
                page.evaluate(
                    "(e => e.getAttribute('aria-label') || e.textContent.trim())"
                    "(document.activeElement)"
                )
            )
        assert reached == ["Search", *NAV_LINKS[username]]
    for name in NAV_LINKS[username]:
        link = (
            page.locator(".topnav")
            .get_by_role("link", name=name, exact=True)
            .or_(page.locator(".topnav").get_by_role("button", name=name, exact=True))
        )
        expect(link).to_be_visible()
        expect(link).to_be_in_viewport(ratio=1)
        box = link.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, name
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_phone_menu_works_from_the_keyboard_and_escape_closes_it(page, community, log_in):
    log_in(page, "ana")
    expect(page.locator("#feed .card").first).to_be_visible()
    page.locator(".navmenu-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".navmenu-items")).to_be_visible()
    page.keyboard.press("Tab")
    assert focused(page).startswith("a.navlink")
    page.keyboard.press("Escape")
    expect(page.locator(".navmenu-items")).to_be_hidden()
    assert "navmenu-toggle" in focused(page)


# ---- Placeholder colours under the CSP ----------------------------------------------------


@pytest.fixture
def violations(page):
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(WATCH)
    return lambda: console + page.evaluate("window.__cspViolations || []")


def hex_to_rgb(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_placeholder_colours_show_without_a_csp_violation(
    page, community, log_in, violations, settle
):
    """Defect 10: the templates' style="background-color: ..." was blocked by the site's
    own policy (style-src 'self'), so no placeholder colour showed."""
    picture = picture_for(community.fellow_post, colour=(30, 90, 200))
    expected = hex_to_rgb(picture.placeholder)
    log_in(page, "ana")
    expect(page.locator("#feed .card").first).to_be_visible()

    page.goto(f"/users/{community.ben.pk}/")
    tile = page.locator(f"#tile-{community.fellow_post.pk}")
    expect(tile).to_have_css("background-color", expected)
    page.goto(f"/posts/{community.fellow_post.pk}/")
    expect(page.locator(".post-media img")).to_have_css("background-color", expected)
    settle()
    assert violations() == []


# ---- Focus ------------------------------------------------------------------------------


def test_reacting_from_the_keyboard_keeps_the_focus_on_the_button(page, community, log_in):
    log_in(page, "ana")
    heart = page.locator(f"#post-{community.fellow_post.pk} .act-heart")
    heart.focus()
    with page.expect_response(re.compile(r"/api/posts/meta/\?ids=\d+$")):
        page.keyboard.press("Enter")
    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart).to_be_focused()
    # The next press (Space) still reaches it: the heart is taken back.
    with page.expect_response(re.compile(r"/api/posts/meta/\?ids=\d+$")):
        page.keyboard.press("Space")
    expect(heart).to_have_attribute("aria-pressed", "false")
    expect(heart).to_be_focused()


@VIEWPORTS
def test_reacting_on_the_post_page_from_the_keyboard_keeps_the_focus(
    page, community, log_in, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, "ana", next_url=f"/posts/{community.fellow_post.pk}/")
    page.locator("#react-praise").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    praise = page.locator("#react-praise")
    expect(praise).to_have_attribute("aria-pressed", "true")
    expect(praise).to_be_focused()


def test_skip_link_comes_first_and_moves_to_the_content(page, community, log_in):
    log_in(page, "ana")
    expect(page.locator("#feed .card").first).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    # The next Tab goes into the page, past the top bar.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_a_card_takes_few_tab_stops_and_everything_stays_reachable(page, community, log_in):
    """Each card took 9 or 10 tab stops (author, title, picture, collective, three reactions,
    open, why, not interested). The picture link goes where "Open post" does; the reactions,
    and "why" with "not interested", are toolbars with one stop each."""
    picture_for(community.collective_post)  # the card with the most controls
    log_in(page, "ana")
    card = page.locator(f"#post-{community.collective_post.pk}")
    expect(card.locator(".card-media img")).to_be_visible()
    expect(card.locator(".collective-name-link")).to_be_visible()

    card.locator(".author-link").focus()
    stops = [focused(page)]
    while True:
        page.keyboard.press("Tab")
        inside = page.evaluate("c => c.contains(document.activeElement)", card.element_handle())
        if not inside:
            break
        stops.append(focused(page))
    assert stops == [
        "a.author-link",
        "button.open-post",
        "a.collective-name-link",
        "button.act.act-heart",
        "a.linkish.card-open",
        "button.linkish.why-toggle",
    ]
    # The arrow keys reach the rest of each toolbar, and Tab then stops where they left it.
    card.locator(".act-heart").focus()
    page.keyboard.press("ArrowRight")
    expect(card.locator(".act-praise")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(card.locator(".act-trophy")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(card.locator(".act-heart")).to_be_focused()
    page.keyboard.press("End")
    expect(card.locator(".act-trophy")).to_be_focused()
    card.locator(".why-toggle").focus()
    page.keyboard.press("ArrowRight")
    expect(card.locator(".hide-post")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(card.locator(".hide-post")).to_be_focused()


# ---- Contrast ---------------------------------------------------------------------------

# For every element with its own visible text: the contrast of its colour against the
# background behind it (the first opaque background up the tree, translucent ones blended
# over it), per WCAG 2.x. Large text (24 px, or 18.66 px bold) needs 3:1, the rest 4.5:1.
# Disabled controls and text over a picture are exempt (WCAG 1.4.3).
CONTRAST = r"""
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.backgroundImage !== "none" && n !== document.documentElement) return null;
      const c = parse(s.backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let result = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
    return result;
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = Array.from(el.childNodes).some(
      (n) => n.nodeType === 3 && n.textContent.trim()
    );
    if (!own || el.closest("[disabled], .sr-only, svg, option")) continue;
    const box = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (!box.width || !box.height || s.visibility === "hidden" || el.closest("[hidden]")) continue;
    const bg = background(el);
    if (!bg) continue;
    const fg = over(parse(s.color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      const text = el.textContent.trim().slice(0, 30);
      const behind = "rgb(" + bg.slice(0, 3).map(Math.round) + ")";
      failures.push(
        `${el.tagName.toLowerCase()}.${el.className} "${text}" ${s.color} on ${behind}` +
          ` = ${ratio.toFixed(2)}`
      );
    }
  }
  return failures;
}
"""


@VIEWPORTS
def test_every_text_on_the_feed_and_a_post_has_aa_contrast(
    page, community, log_in, settle, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, "ana")
    card = page.locator(f"#post-{community.fellow_post.pk}")
    expect(card).to_be_visible()
    # Pressed reactions and an open "why" panel have colours of their own.
    for kind in ("heart", "praise", "trophy"):
        with page.expect_response(re.compile(r"/api/posts/meta/\?ids=\d+$")):
            card.locator(f".act-{kind}").click()
    card.locator(".why-toggle").click()
    page.locator(".how-ranked summary").click()
    settle()
    low_contrast(page)
    for path in (
        f"/posts/{community.fellow_post.pk}/",
        f"/users/{community.ben.pk}/",
        f"/collectives/{community.inkers.pk}/",
        "/notifications/",
        "/settings/",
        "/new/",
    ):
        page.goto(path)
        low_contrast(page)


def low_contrast(page) -> None:
    failures = sorted(set(page.evaluate(CONTRAST)))
    assert not failures, page.url + "\n" + "\n".join(failures)


# ---- Character counters -----------------------------------------------------------------


def test_the_title_shows_a_counter_and_says_when_its_limit_is_near(page, community, log_in):
    log_in(page, "ana", next_url="/new/")
    title = page.locator("#id_title")
    counter = page.locator("#id_title-count")
    expect(counter).to_contain_text("0 / 200")
    expect(title).to_have_attribute("aria-describedby", re.compile("id_title-count"))
    live = counter.locator("[aria-live=polite]")
    title.fill("a" * 50)
    expect(counter).to_contain_text("50 / 200")
    expect(live).to_have_text("")  # far from the limit: nothing is announced
    title.fill("a" * 185)
    expect(live).to_have_text("15 characters left of 200")
    title.fill("a" * 250)  # maxlength keeps 200
    expect(counter).to_contain_text("200 / 200")
    expect(live).to_have_text("Limit reached of 200")


def test_the_comment_box_shows_a_counter(page, community, log_in):
    log_in(page, "ana", next_url=f"/posts/{community.fellow_post.pk}/")
    page.locator("#new-comment").fill("Lovely light")
    expect(page.locator("#new-comment-count")).to_contain_text("12 / 10,000")


# ---- The dashboard while its summary loads ---------------------------------------------------


def test_the_dashboard_says_it_is_loading_until_the_summary_arrives(
    page, community, log_in, settle
):
    held = []
    page.route(re.compile(r"/api/analytics/summary/"), lambda route: held.append(route))
    log_in(page, "stella", next_url="/dashboard/")
    expect(page.locator("#dash-loading")).to_be_visible()
    expect(page.locator("#dash-loading")).to_have_attribute("role", "status")
    expect(page.locator("#dashboard")).to_have_attribute("aria-busy", "true")
    # The cards keep a placeholder's height instead of collapsing to their titles.
    assert page.locator("#chart-engagement").bounding_box()["height"] >= 150
    while not held:  # the request is held by the route handler, which runs between waits
        page.wait_for_timeout(20)
    for route in held:
        route.continue_()
    expect(page.locator("#dashboard")).to_have_attribute("data-ready", "true")
    expect(page.locator("#dash-loading")).to_be_hidden()
    settle()
