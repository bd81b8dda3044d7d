"""The feed page in headless Chromium: log in, cards, appreciations, hiding, "why", seen."""

import re
import time

import pytest
from playwright.sync_api import expect

from atelier.analytics.models import FeedRollout
from atelier.analytics.rollout import save_rollout
from atelier.post.models import Appreciation, HiddenPost, Post, SeenPost
from atelier.post.tests.factories import PostFactory
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community

pytestmark = pytest.mark.browser


@pytest.fixture
def community(transactional_db):
    return build_community()


def card(page, post: Post):
    return page.locator(f"#post-{post.pk}")


def wait_for(condition, timeout: float = 5.0) -> None:
    """Poll the database until `condition()` holds (the page writes through the API)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the page's request"
        time.sleep(0.05)


def test_logging_in_through_the_form_shows_my_ranked_feed(page, community, log_in, screenshot):
    log_in(page, "ana")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".whoami")).to_have_text("@ana")
    cards = page.locator("#feed .card")
    expect(cards).to_have_count(4)
    # Ben is Ana's fellow: his post leads her personalized feed, and the card says why.
    first = cards.first
    expect(first).to_have_id(f"post-{community.fellow_post.pk}")
    expect(first.locator(".open-post")).to_have_text("Harbour at dawn")
    expect(first.locator(".author")).to_have_text("ben")
    expect(first.locator(".artist-type")).to_have_text("Photographer")
    expect(first.locator(".badge")).to_have_text("Image")
    expect(first.locator(".age")).to_have_text("2 h ago")
    expect(first.locator(".card-reason")).to_have_text("From your fellow ben")
    # The collective post names its collective and channel.
    place = card(page, community.collective_post).locator(".card-place")
    expect(place).to_be_visible()
    expect(place).to_contain_text("Inkers › #general")
    expect(page.locator("#feed-end")).to_be_visible()
    screenshot(page, "feed-375")


def test_a_visitor_sees_public_posts_newest_first_and_a_log_in_link(page, community):
    page.goto("/")

    cards = page.locator("#feed .card")
    # Newest first, and the collective's post is not public.
    expect(cards).to_have_count(3)
    expect(cards.first).to_have_id(f"post-{community.newest_post.pk}")
    expect(card(page, community.collective_post)).to_have_count(0)
    expect(page.locator(".topnav a", has_text="Log in")).to_be_visible()
    expect(page.locator(".segmented")).to_have_count(0)
    expect(cards.first.locator(".hide-post")).to_have_count(0)


def test_hearting_updates_the_count_and_the_pressed_state(page, community, log_in):
    log_in(page, "ana")
    heart = card(page, community.fellow_post).locator(".act-heart")
    expect(heart.locator(".count")).to_have_text("0")
    expect(heart).to_have_attribute("aria-pressed", "false")

    with page.expect_response(re.compile(r"/api/posts/meta/\?ids=\d+$")):
        heart.click()

    expect(heart.locator(".count")).to_have_text("1")
    expect(heart).to_have_attribute("aria-pressed", "true")
    assert Appreciation.objects.filter(
        user=community.ana, post=community.fellow_post, kind="heart"
    ).exists()

    # The pressed state comes back from the server on the next visit.
    page.reload()
    heart = card(page, community.fellow_post).locator(".act-heart")
    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart.locator(".count")).to_have_text("1")

    with page.expect_response(re.compile(r"/api/posts/meta/\?ids=\d+$")):
        heart.click()

    expect(heart.locator(".count")).to_have_text("0")
    expect(heart).to_have_attribute("aria-pressed", "false")
    assert not Appreciation.objects.filter(user=community.ana, kind="heart").exists()


def test_praise_and_trophy_toggle_too(page, community, log_in):
    log_in(page, "ana")
    target = card(page, community.newest_post)

    for kind in ("praise", "trophy"):
        button = target.locator(f".act-{kind}")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(button.locator(".count")).to_have_text("1")

    wait_for(lambda: Appreciation.objects.filter(user=community.ana).count() == 2)
    post = Post.objects.get(pk=community.newest_post.pk)
    assert (post.praise_count, post.trophy_count) == (1, 1)


def test_not_interested_removes_the_card_and_undo_brings_it_back(page, community, log_in):
    log_in(page, "ana")
    target = card(page, community.newest_post)
    expect(target).to_be_visible()

    target.locator(".hide-post").click()

    expect(card(page, community.newest_post)).to_have_count(0)
    note = page.locator(f'[data-hidden-post-id="{community.newest_post.pk}"]')
    expect(note).to_contain_text("Night tram")
    assert HiddenPost.objects.filter(user=community.ana, post=community.newest_post).exists()

    note.locator(".undo").click()

    expect(card(page, community.newest_post)).to_be_visible()
    wait_for(lambda: not HiddenPost.objects.filter(user=community.ana).exists())


def test_a_hidden_post_stays_out_of_the_feed(page, community, log_in):
    HiddenPost.objects.create(user=community.ana, post=community.old_post)

    log_in(page, "ana")

    expect(page.locator("#feed .card")).to_have_count(3)
    expect(card(page, community.old_post)).to_have_count(0)


def test_why_am_i_seeing_this_shows_the_reason_and_a_bar_per_component(page, community, log_in):
    log_in(page, "ana")
    target = card(page, community.fellow_post)
    panel = target.locator(".why-panel")
    expect(panel).to_be_hidden()

    target.locator(".why-toggle").click()

    expect(panel).to_be_visible()
    expect(panel.locator(".why-reason")).to_have_text("From your fellow ben")
    rows = panel.locator(".why-row")
    expect(rows).to_have_count(8)
    # Fellowship: 50 points x 0.25; the strongest contributions come first.
    social = panel.locator('.why-row[data-component="social"]')
    expect(social.locator(".why-value")).to_have_text("+12.5")
    values = [float(v) for v in rows.locator(".why-value").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    fill = social.locator(".why-fill")
    assert fill.evaluate("node => node.getBoundingClientRect().width") > 0
    expect(panel.locator('[data-factor="seen"] dd')).to_have_text("× 1.00")
    expect(panel.locator('[data-factor="diversity"] dd')).to_have_text("× 1.00")
    expect(panel.locator('[data-factor="score"] dd')).to_have_text(re.compile(r"^\d+\.\d\d$"))

    target.locator(".why-toggle").click()
    expect(panel).to_be_hidden()


def test_the_why_panel_shows_the_contributions_the_api_gives(page, community, log_in):
    """The bars, the sum and the reason are the API's numbers, never recomputed: the answer
    is altered on its way to the page, and the panel shows the altered values."""
    altered = {"social": 7.75, "recency": 3.5}
    served = {}

    def alter(route):
        answer = route.fetch()
        data = answer.json()
        for post in data["results"]:
            if post["id"] == community.fellow_post.pk:
                post["score_contributions"].update(altered)
                post["reason"] = "A reason from the API"
                served.update(post["score_contributions"])
        route.fulfill(response=answer, json=data)

    page.route(re.compile(r"/api/posts/\?"), alter)
    log_in(page, "ana")
    target = card(page, community.fellow_post)
    target.locator(".why-toggle").click()

    panel = target.locator(".why-panel")
    expect(panel.locator(".why-reason")).to_have_text("A reason from the API")
    social = panel.locator('.why-row[data-component="social"]')
    expect(social.locator(".why-value")).to_have_text("+7.8")  # 50 points x 0.25 is 12.5
    expect(panel.locator('.why-row[data-component="recency"] .why-value')).to_have_text("+3.5")
    # The first bar is the largest contribution, and the sum is the API's contributions'.
    expect(panel.locator(".why-row").first).to_have_attribute("data-component", "social")
    expect(panel.locator('[data-factor="sum"] dd')).to_have_text(f"{sum(served.values()):.2f}")


def test_switching_to_newest_orders_by_time(page, community, log_in):
    log_in(page, "ana")
    expect(page.locator("#feed .card").first).to_have_id(f"post-{community.fellow_post.pk}")

    page.locator(".segment", has_text="Newest").click()

    expect(page).to_have_url(re.compile(r"/\?ordering=chronological$"))
    expect(page.locator(".segment", has_text="Newest")).to_have_attribute("aria-pressed", "true")
    cards = page.locator("#feed .card")
    expect(cards.first).to_have_id(f"post-{community.newest_post.pk}")
    expect(cards).to_have_count(4)
    # Without a ranking there is no score to explain, and the panel says so.
    cards.first.locator(".why-toggle").click()
    expect(cards.first.locator(".why-note")).to_contain_text("For you")

    page.locator(".segment", has_text="For you").click()
    expect(page.locator("#feed .card").first).to_have_id(f"post-{community.fellow_post.pk}")


def test_cards_on_screen_are_marked_seen(page, community, log_in):
    log_in(page, "ana")
    expect(page.locator("#feed .card")).to_have_count(4)

    # The first card fills most of a phone screen; the page reports it within a few seconds.
    wait_for(
        lambda: SeenPost.objects.filter(user=community.ana, post=community.fellow_post).exists()
    )


def test_scrolling_to_the_end_loads_the_next_page(page, community, log_in):
    extra = [PostFactory(author=community.cleo, title=f"Study {i}") for i in range(25)]

    log_in(page, "ana")

    # 29 posts at 20 a page: the next page arrives when the reader nears the end.
    cards = page.locator("#feed .card")
    expect(cards).to_have_count(20)
    expect(page.locator("#load-more")).to_be_visible()
    page.locator(".feed-foot").scroll_into_view_if_needed()
    expect(cards).to_have_count(29)
    expect(page.locator("#load-more")).to_be_hidden()
    expect(page.locator("#feed-end")).to_be_visible()
    expect(card(page, extra[0])).to_have_count(1)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_reader_in_the_comparison_group_sees_a_coherent_newest_feed_and_may_choose(
    page, community, log_in, viewport
):
    # The feed experiment serves newest-first to readers who did not choose an ordering.
    save_rollout(FeedRollout(pk=1, personalized_enabled=False))
    page.set_viewport_size(viewport)

    log_in(page, "ana")

    # The toggle and the headline say what is served; the experiment is not announced.
    expect(page.locator("#feed .card").first).to_have_id(f"post-{community.newest_post.pk}")
    expect(page.locator(".segment", has_text="Newest")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".segment", has_text="For you")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#feed-lede")).to_contain_text("newest first")
    expect(page.locator("#feed-notice")).to_be_hidden()
    expect(page.locator("main")).not_to_contain_text("comparison")
    # Choosing "For you" is the reader's own choice: the API serves it, ranked.
    page.locator(".segment", has_text="For you").click()
    expect(page).to_have_url(re.compile(r"/\?ordering=personalized$"))
    expect(page.locator("#feed .card").first).to_have_id(f"post-{community.fellow_post.pk}")
    expect(page.locator("#feed-lede")).to_contain_text("Ranked for you")
    expect(page.locator("#feed-notice")).to_be_hidden()
