"""Membership is what post visibility reads (moved from collective's join tests, which
know no posts)."""

from atelier.post.selectors import visible_posts
from atelier.post.tests.factories import PostFactory


def test_joining_lets_me_see_the_collective_posts(ben, cleo, cleo_client, inkers_channel):
    """After joining through the API, the collective's channel posts are visible."""
    post = PostFactory(author=ben, channel=inkers_channel)
    assert not visible_posts(cleo).filter(pk=post.pk).exists()

    response = cleo_client.post(f"/api/collectives/{inkers_channel.collective_id}/join/")

    assert response.status_code in (200, 201)
    assert visible_posts(cleo).filter(pk=post.pk).exists()
