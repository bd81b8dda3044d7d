"""GET /api/posts/{id}/: a visible post; 404 for deleted, foreign-collective or blocked ones."""

import pytest

from atelier.collective.tests.factories import MemberFactory
from atelier.core.tests.factories import BlockFactory
from atelier.post.tests.conftest import collective_channel, detail_of
from atelier.post.tests.factories import PostFactory


def test_detail_is_the_post_object(ana_client, ben, bens_post):
    body = detail_of(ana_client, bens_post)

    assert body == {
        "id": bens_post.id,
        "author": {
            "id": ben.id,
            "username": "ben",
            "display_name": None,
            "artist_type": "photographer",
            "avatar": None,
        },
        "post_type": bens_post.post_type,
        "title": bens_post.title,
        "body": "",
        "channel": None,
        "collective": None,
        "created_at": body["created_at"],
        "hearts_count": 0,
        "praise_count": 0,
        "trophy_count": 0,
        "comment_count": 0,
        "critique_count": 0,
        "media": [],
        "content_warning": None,
    }


def test_deleted_post_is_404_even_for_its_author(ben_client, ben):
    post = PostFactory(author=ben, is_deleted=True)

    assert ben_client.get(f"/api/posts/{post.id}/").status_code == 404


@pytest.mark.parametrize("visibility", ["private", "public"])
def test_collective_post_is_404_for_a_non_member_and_200_for_a_member(
    ana, ana_client, cleo_client, ben, visibility
):
    channel = collective_channel(visibility, ben, ana)
    post = PostFactory(author=ben, channel=channel)

    assert cleo_client.get(f"/api/posts/{post.id}/").status_code == 404
    body = detail_of(ana_client, post)
    assert (body["channel"], body["collective"]) == (channel.id, channel.collective_id)


def test_joining_the_collective_makes_its_post_visible(ana, ana_client, ben, vault_channel):
    post = PostFactory(author=ben, channel=vault_channel)
    assert ana_client.get(f"/api/posts/{post.id}/").status_code == 404

    MemberFactory(collective=vault_channel.collective, user=ana)

    assert detail_of(ana_client, post)["id"] == post.id


@pytest.mark.parametrize("ana_is_blocker", [True, False])
def test_block_either_way_hides_the_post(ana, ben, ana_client, cleo_client, ana_is_blocker):
    post = PostFactory(author=ben)
    if ana_is_blocker:
        BlockFactory(blocker=ana, blocked=ben)
    else:
        BlockFactory(blocker=ben, blocked=ana)

    assert ana_client.get(f"/api/posts/{post.id}/").status_code == 404
    # Only the pair is affected.
    assert detail_of(cleo_client, post)["id"] == post.id


def test_anonymous_is_401(anon_client, bens_post):
    assert anon_client.get(f"/api/posts/{bens_post.id}/").status_code == 401


@pytest.mark.parametrize("post_id", ["987654", "99999999999999999999", str(2**63)])
def test_unknown_or_huge_id_is_404_not_500(ana_client, post_id):
    assert ana_client.get(f"/api/posts/{post_id}/").status_code == 404
