"""The staff dashboard in headless Chromium: charts from the real summary, and refusals."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from atelier.analytics import exposures
from atelier.core.tests.factories import UserFactory
from atelier.moderation.services import report_create
from atelier.post.tests.factories import PostFactory
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community

pytestmark = pytest.mark.browser

FULL_SUMMARY = Path(__file__).parent / "fixtures" / "analytics_summary.json"
CHARTS = ("#chart-engagement", "#chart-components", "#chart-cache", "#chart-latency")


@pytest.fixture
def stella(transactional_db):
    """Stella, staff: reads the dashboard."""
    return UserFactory(username="stella", is_staff=True)


def test_staff_see_charts_drawn_from_the_real_summary(page, stella, log_in, settle, screenshot):
    community = build_community()
    # Stella reads her feed (personalized and newest), so there is something to chart.
    log_in(page, "stella")
    expect(page.locator("#feed .card").first).to_be_visible()
    card = page.locator(f"#post-{community.newest_post.pk}")
    with page.expect_response(re.compile(r"/api/posts/meta/\?ids=\d+$")):
        card.locator(".act-heart").click()
    page.locator(".segment", has_text="Newest").click()
    expect(page.locator("#feed .card").first).to_be_visible()
    settle()
    exposures.flush()  # the exposure buffer is written on demand in tests

    page.set_viewport_size(DESKTOP)
    with page.expect_response(re.compile(r"/api/analytics/summary/\?days=30$")) as answer:
        page.goto("/dashboard/")
    assert answer.value.status == 200
    summary = answer.value.json()
    assert summary["variants"]["personalized"]["exposed_posts"] > 0
    assert summary["variants"]["chronological"]["exposed_posts"] > 0

    expect(page.locator("#dashboard")).to_have_attribute("data-ready", "true")
    expect(page.locator("#dash-error")).to_be_hidden()
    for chart in CHARTS:
        expect(page.locator(f"{chart} svg")).to_have_count(1)
    # One line per variant; the heart makes For you's engagement rate above zero.
    expect(page.locator("#chart-engagement path.series-line")).to_have_count(2)
    expect(page.locator("#chart-cache .hbar")).to_have_count(2)  # relations, snapshot
    expect(page.locator("#kpis .kpi")).to_have_count(7)
    expect(page.locator("#table-variants tbody tr")).to_have_count(2)
    assert set(summary["dwell"]) == {"personalized", "chronological"}
    expect(page.locator("#table-dwell tbody tr")).to_have_count(2)
    screenshot(page, "dashboard", full_page=True)


def test_every_chart_is_drawn_from_a_full_summary(page, stella, log_in, screenshot):
    # A month of figures (the same shape the summary answers) served in place of the real one.
    body = FULL_SUMMARY.read_text()
    log_in(page, "stella")
    page.route(
        "**/api/analytics/summary/*",
        lambda route: route.fulfill(status=200, content_type="application/json", body=body),
    )

    page.goto("/dashboard/")

    expect(page.locator("#dashboard")).to_have_attribute("data-ready", "true")
    summary = json.loads(body)
    types = len(summary["score_by_post_type"])
    expect(page.locator("#chart-engagement path.series-line")).to_have_count(2)
    expect(page.locator("#chart-engagement circle")).to_have_count(
        len(summary["engagement_over_time"])
    )
    expect(page.locator("#chart-components .bar-stack")).to_have_count(types)
    expect(page.locator("#chart-components .bar-stack rect")).to_have_count(types * 8)
    expect(page.locator("#chart-cache .hbar")).to_have_count(2)  # relations, snapshot
    expect(page.locator("#chart-latency .bar-group rect")).to_have_count(6)
    # Time on screen: three bars per variant, and the figures in the table and a tile.
    expect(page.locator("#chart-dwell .bar-group rect")).to_have_count(6)
    expect(page.locator("#table-dwell tbody tr").first).to_contain_text("11.5 h")
    expect(page.locator("#table-dwell tbody tr").first).to_contain_text("23.2 s")
    expect(page.locator("#table-dwell tbody tr").last).to_contain_text("3.8 s")
    expect(page.locator("#kpis")).to_contain_text("Newest: 18.0 s")
    expect(page.locator("#kpis")).to_contain_text("+48%")
    screenshot(page, "dashboard-375", full_page=True)


def test_a_member_who_is_not_staff_is_refused(page, transactional_db, log_in):
    UserFactory(username="ana")
    log_in(page, "ana")

    response = page.goto("/dashboard/")

    assert response.status == 403
    expect(page.locator("h1")).to_have_text("This page is for staff")
    expect(page.locator("#dashboard")).to_have_count(0)


def test_a_visitor_is_sent_to_log_in_first(page, stella, log_in):
    page.goto("/dashboard/")

    expect(page).to_have_url(re.compile(r"/login/\?next=/dashboard/$"))
    page.fill("#id_username", "stella")
    page.fill("#id_password", "pw")
    page.click("form.form button[type=submit]")

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("#chart-cache svg")).to_have_count(1)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_moderation_card_fits_and_links_to_the_queue(
    page, stella, log_in, screenshot, viewport
):
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    post = PostFactory(author=ben, title="Harbour")
    report_create(reporter=ana, target_type="post", target_id=post.id, category="spam", text="")
    page.set_viewport_size(viewport)
    log_in(page, "stella")

    page.goto("/dashboard/")

    card = page.locator("#card-moderation")
    expect(card.locator("#mod-open .kpi-value")).to_have_text("1")
    expect(card.locator("#mod-open .kpi-sub")).to_have_text("oldest filed just now")
    expect(card.locator("#mod-time .kpi-value")).to_have_text("—")
    expect(card.get_by_role("link", name="Open the moderation queue")).to_have_attribute(
        "href", "/moderation/"
    )
    # Nothing wider than the screen: the four figures wrap on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    screenshot(page, f"dashboard-moderation-{viewport['width']}")
