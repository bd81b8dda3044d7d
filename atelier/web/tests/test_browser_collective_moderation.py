"""A collective's moderation in headless Chromium: the owner names a moderator, who removes
a post from the collective and bans a member, at a phone's width and a desktop's."""

import pytest
from playwright.sync_api import expect

from atelier.collective.models import CollectiveBan, CollectiveMember, CollectiveModerator
from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.tests.factories import UserFactory
from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.browser


@pytest.fixture
def community(transactional_db):
    """Potters: cleo its owner, ana and dora members, a pictured post of dora's."""
    community = build_community()
    channel = ChannelFactory(name="studio", collective__name="Potters")
    potters = channel.collective
    MemberFactory(collective=potters, user=community.cleo, role="admin")
    MemberFactory(collective=potters, user=community.ana)
    community.dora = UserFactory(username="dora")
    MemberFactory(collective=potters, user=community.dora)
    potters.members_count = 3
    potters.save(update_fields=["members_count"])
    community.potters = potters
    community.pot = PostFactory(author=community.dora, channel=channel, title="Cracked bowl")
    picture_for(community.pot, colour=(160, 80, 40))
    return community


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_owner_names_a_moderator_who_removes_a_post_and_bans(
    page, community, log_in, settle, viewport, screenshot
):
    page.set_viewport_size(viewport)
    url = f"/collectives/{community.potters.pk}/"
    log_in(page, "cleo", next_url=url)
    page.select_option("#moderator-user", str(community.ana.pk))
    with page.expect_navigation():
        page.click("#add-moderator button")
    expect(page.locator(f"#moderator-{community.ana.pk}")).to_contain_text("ana")
    settle()
    assert CollectiveModerator.objects.filter(user=community.ana).exists()

    page.context.clear_cookies()
    log_in(page, "ana", next_url=url)
    expect(page.locator("#membership")).to_have_text("You are a moderator")
    tile = page.locator(f"#tile-{community.pot.pk}")
    expect(tile).to_be_visible()
    moderation = page.locator(f"#remove-{community.pot.pk}")
    expect(moderation).to_be_hidden()
    page.locator(f"#tile-{community.pot.pk} ~ details summary").click()
    screenshot(page, f"collective-moderation-{viewport['width']}", full_page=True)
    moderation.locator("input[name=reason]").fill("Not pottery")
    with page.expect_navigation():
        moderation.locator("button").click()
    expect(tile).to_have_count(0)
    settle()
    assert Post.objects.get(pk=community.pot.pk).removed_at is not None

    row = page.locator(f"#member-{community.dora.pk}")
    row.locator("input[name=reason]").fill("Trolling")
    with page.expect_navigation():
        row.locator("button").click()
    expect(page.locator(f"#ban-{community.dora.pk}")).to_contain_text("Trolling")
    settle()
    assert CollectiveBan.objects.filter(user=community.dora).exists()
    assert not CollectiveMember.objects.filter(
        collective=community.potters, user=community.dora
    ).exists()
