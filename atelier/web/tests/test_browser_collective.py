"""Collectives in headless Chromium: find one, join it, see its posts, leave it."""

import re

import pytest
from playwright.sync_api import expect

from atelier.collective.models import CollectiveMember
from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.post.tests.factories import PostFactory
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.browser


@pytest.fixture
def community(transactional_db):
    community = build_community()
    channel = ChannelFactory(name="studio", collective__name="Potters")
    MemberFactory(collective=channel.collective, user=community.cleo, role="admin")
    community.potters = channel.collective
    community.pot = PostFactory(author=community.cleo, channel=channel, title="Blue bowl")
    picture_for(community.pot, colour=(40, 80, 160))
    return community


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_join_a_collective_see_its_posts_and_leave(page, community, log_in, settle, viewport, nav):
    page.set_viewport_size(viewport)
    log_in(page, "ana")
    nav(page, "Collectives").click()
    with page.expect_navigation():
        page.click("text=Potters")
    expect(page).to_have_url(re.compile(rf"/collectives/{community.potters.pk}/$"))
    expect(page.locator(".channels")).to_contain_text("#studio")
    expect(page.locator(f"#tile-{community.pot.pk}")).to_have_count(0)

    with page.expect_navigation():
        page.click("#join-collective")
    expect(page.locator("#membership")).to_have_text("You are a member")
    tile = page.locator(f"#tile-{community.pot.pk} img")
    expect(tile).to_be_visible()
    settle()
    assert CollectiveMember.objects.filter(
        collective=community.potters, user=community.ana
    ).exists()

    with page.expect_navigation():
        page.click("#leave-collective")
    expect(page.locator("#join-collective")).to_be_visible()
    settle()
    assert not CollectiveMember.objects.filter(
        collective=community.potters, user=community.ana
    ).exists()


def test_a_feed_card_links_to_its_collective(page, community, log_in):
    log_in(page, "ana")

    with page.expect_navigation():
        page.locator(f"#post-{community.collective_post.pk} .collective-name a").click()

    expect(page.locator("h1.profile-name")).to_have_text("Inkers")
    expect(page.locator(f"#tile-{community.collective_post.pk}")).to_be_visible()
