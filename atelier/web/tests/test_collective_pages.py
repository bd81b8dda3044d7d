"""/collectives/ and /collectives/<id>/: channels, posts for members, join or leave."""

import pytest

from atelier.collective.tests.factories import ChannelFactory, CollectiveFactory, MemberFactory
from atelier.post.tests.factories import PostFactory
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def inkers(ben):
    """A public collective of ben's with a pictured post in #general."""
    channel = ChannelFactory(name="general", collective__name="Inkers")
    MemberFactory(collective=channel.collective, user=ben, role="admin")
    post = PostFactory(author=ben, channel=channel, title="Ink study")
    picture_for(post)
    return channel.collective


def test_members_see_channels_and_posts(client, ben, inkers):
    client.force_login(ben)

    page = client.get(f"/collectives/{inkers.id}/").content.decode()

    assert "#general" in page and "Ink study" in page
    assert 'id="leave-collective"' in page and "You are an admin" in page


def test_non_members_of_a_public_collective_are_asked_to_join(client, ana, inkers):
    client.force_login(ana)

    page = client.get(f"/collectives/{inkers.id}/").content.decode()

    assert 'id="join-collective"' in page
    assert "Ink study" not in page and "Join to see" in page


def test_private_collectives_are_404_for_outsiders(client, ana, cleo):
    vault = ChannelFactory(collective__visibility="private", collective__name="Vault")
    MemberFactory(collective=vault.collective, user=cleo)
    client.force_login(ana)

    assert client.get(f"/collectives/{vault.collective.id}/").status_code == 404
    assert "Vault" not in client.get("/collectives/").content.decode()
    assert client.get(f"/collectives/{2**70}/").status_code == 404


def test_the_list_shows_mine_and_public_ones(client, ana, inkers):
    client.force_login(ana)

    page = client.get("/collectives/").content.decode()

    assert f'href="/collectives/{inkers.id}/">Inkers</a>' in page


def test_visitors_log_in_first(client, inkers):
    assert client.get(f"/collectives/{inkers.id}/").status_code == 302
    assert client.get("/collectives/").status_code == 302


def test_one_member_is_said_in_the_singular(client, ben):
    alone = CollectiveFactory(name="Solo", members_count=1)  # the factory counts no one
    MemberFactory(collective=alone, user=ben, role="admin")
    client.force_login(ben)

    detail = client.get(f"/collectives/{alone.id}/").content.decode()
    listing = client.get("/collectives/").content.decode()

    assert '<span id="members-count">1</span> member</p>' in detail
    assert "Public · 1 member · you are an admin" in listing
