"""Time on screen from the feed page, in headless Chromium on a fake clock.

Playwright's clock drives the page's timers and `performance.now()`, so "ten seconds on
screen" takes no ten seconds. The installed clock also runs on by itself as real time
passes (page loads, requests), so the figures are checked against a lower bound and an
upper bound far from what a wrong count would give.
"""

import re
import time
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from atelier.analytics import dwell
from atelier.analytics.models import PostDwell
from atelier.post.models import Post
from atelier.web.tests.conftest import PHONE
from atelier.web.tests.factories import build_community

pytestmark = pytest.mark.browser

DWELL = "/api/analytics/dwell/"
# Real seconds the fake clock may run on by itself between two steps of a test.
SLACK = 5.0


@pytest.fixture(autouse=True)
def _reports_read_an_hour_on(monkeypatch):
    # The fake clock runs the page's timers minutes ahead of the real one, and the server
    # credits a post no more than the real time since its page was served (docs/
    # analytics.md, "The cap"): the dwell module reads its clock an hour on, as if the
    # page had been on screen that long.
    later = SimpleNamespace(now=lambda: timezone.now() + timedelta(hours=1))
    monkeypatch.setattr(dwell, "timezone", later)


@pytest.fixture
def community(transactional_db):
    return build_community()


def wait_for(condition, timeout: float = 5.0) -> None:
    """Poll the database until `condition()` holds (the page writes through the API)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the page's request"
        time.sleep(0.05)


def looks_at(user, post) -> list[float]:
    return list(
        PostDwell.objects.filter(user_id=user.id, post_id=post.id)
        .order_by("id")
        .values_list("seconds", flat=True)
    )


def set_tab(page, state: str) -> None:
    """Make the page believe its tab was hidden or shown again, as a browser tells it."""
    page.evaluate(
        """state => {
            const define = (name, value) =>
                Object.defineProperty(document, name, {configurable: true, get: () => value});
            define("visibilityState", state);
            define("hidden", state === "hidden");
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def test_the_feed_reports_how_long_a_card_stays_on_screen(page, community, log_in):
    page.clock.install()
    log_in(page, "ana")
    cards = page.locator("#feed .card")
    expect(cards).to_have_count(4)
    # Ben's post leads the feed and fills most of a phone's screen.
    expect(cards.first).to_have_id(f"post-{community.fellow_post.pk}")

    # Every ten seconds the page sends what accumulated, as JSON with the CSRF header.
    with page.expect_request(lambda r: r.url.endswith(DWELL)) as sent:
        page.clock.run_for(10_500)
    assert sent.value.headers["content-type"] == "application/json"
    wait_for(lambda: looks_at(community.ana, community.fellow_post))
    [first] = looks_at(community.ana, community.fellow_post)
    assert 5.0 <= first <= 10.5 + SLACK
    # Only cards that were on screen are reported: the old post is far below.
    assert not looks_at(community.ana, community.old_post)

    # Hiding the tab sends the rest at once, as a beacon (a form carrying the CSRF token).
    page.clock.run_for(2_000)
    with page.expect_request(lambda r: r.url.endswith(DWELL)) as sent:
        set_tab(page, "hidden")
    form = parse_qs(sent.value.post_data)
    assert form["csrfmiddlewaretoken"][0]
    wait_for(lambda: len(looks_at(community.ana, community.fellow_post)) == 2)
    assert 2.0 <= looks_at(community.ana, community.fellow_post)[1] <= 2.0 + SLACK

    # A minute with the tab hidden counts for nothing; back on screen, time counts again.
    page.clock.run_for(60_000)
    set_tab(page, "visible")
    page.clock.run_for(3_000)
    with page.expect_request(lambda r: r.url.endswith(DWELL)):
        page.evaluate("window.dispatchEvent(new Event('pagehide'))")
    wait_for(lambda: len(looks_at(community.ana, community.fellow_post)) == 3)
    # Had the hidden minute counted, this would be more than 60 s.
    assert 3.0 <= looks_at(community.ana, community.fellow_post)[2] <= 3.0 + SLACK


def test_visitors_send_no_time_on_screen(page, community):
    page.clock.install()
    page.goto("/")
    expect(page.locator("#feed .card")).to_have_count(3)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    page.clock.run_for(25_000)
    page.evaluate("window.dispatchEvent(new Event('pagehide'))")

    assert not [url for url in requests if url.endswith(DWELL)]
    assert not PostDwell.objects.exists()


def test_a_long_text_unfolded_counts_while_it_fills_the_screen(page, community, log_in):
    # Far taller than two phone screens once unfolded: never half visible, yet read.
    Post.objects.filter(pk=community.fellow_post.pk).update(
        body="\n".join(f"Line {i} of a long poem about the harbour." for i in range(300))
    )
    page.clock.install()
    log_in(page, "ana")
    card = page.locator(f"#post-{community.fellow_post.pk}")
    card.locator(".open-post").click()
    expect(card).to_have_class(re.compile(r"\bis-open\b"))
    height = card.evaluate("node => node.getBoundingClientRect().height")
    assert height > 2 * PHONE["height"]
    # Scroll into the middle of the text.
    card.evaluate("node => window.scrollTo(0, node.offsetTop + node.offsetHeight / 2)")

    with page.expect_request(lambda r: r.url.endswith(DWELL)):
        page.clock.run_for(10_500)

    wait_for(lambda: looks_at(community.ana, community.fellow_post))
    assert looks_at(community.ana, community.fellow_post)[0] >= 5.0
