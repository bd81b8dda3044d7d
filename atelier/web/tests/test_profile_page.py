"""/users/<id>/: a member's posts as a grid, the fellow relation, and 404 across a block."""

import re

import pytest

from atelier.core.tests.factories import BlockFactory, FellowFactory
from atelier.post.tests.conftest import collective_channel
from atelier.post.tests.factories import PostFactory
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.django_db


def test_the_grid_shows_the_posts_i_may_see_with_their_thumbnails(client, ana, ben):
    pictured = PostFactory(author=ben, title="Harbour")
    media = picture_for(pictured)
    words = PostFactory(author=ben, title="A poem", post_type="poem")
    private = PostFactory(author=ben, channel=collective_channel("private", ben))
    PostFactory(author=ben, is_deleted=True, title="Gone")
    client.force_login(ana)

    response = client.get(f"/users/{ben.id}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="tile-{pictured.id}"' in page and f'id="tile-{words.id}"' in page
    assert f'src="/media/{media.thumbnail}"' in page
    assert f'id="tile-{private.id}"' not in page and "Gone" not in page
    assert 'id="fellow-request"' in page and 'id="block-user"' in page


@pytest.mark.parametrize(
    "status, by_me, label",
    [
        ("accepted", True, "Fellows"),
        ("pending", True, "Fellow request sent"),
        ("pending", False, "asked to be your fellow"),
    ],
)
def test_the_relation_is_shown(client, ana, ben, status, by_me, label):
    if by_me:
        FellowFactory(user=ana, fellow_user=ben, status=status)
    else:
        FellowFactory(user=ben, fellow_user=ana, status=status)
    client.force_login(ana)

    page = client.get(f"/users/{ben.id}/").content.decode()

    assert label in page and 'id="fellow-request"' not in page


def test_my_own_page_has_no_buttons(client, ana):
    client.force_login(ana)

    page = client.get(f"/users/{ana.id}/").content.decode()

    assert 'id="block-user"' not in page and 'id="fellow-request"' not in page


def test_blocked_either_way_unknown_and_visitors(client, ana, ben, cleo):
    BlockFactory(blocker=ben, blocked=ana)
    assert client.get(f"/users/{cleo.id}/").status_code == 302  # visitors log in first
    client.force_login(ana)

    assert client.get(f"/users/{ben.id}/").status_code == 404
    assert client.get("/users/987654/").status_code == 404
    assert client.get(f"/users/{2**70}/").status_code == 404
    assert client.get(f"/users/{cleo.id}/").status_code == 200


def test_the_grid_pages_through_every_post_it_counts(client, ana, ben):
    # 72 posts at 60 a page: the count says 72 and the two pages show all 72, once each.
    posts = PostFactory.create_batch(72, author=ben)
    client.force_login(ana)

    first = client.get(f"/users/{ben.id}/").content.decode()
    second = client.get(f"/users/{ben.id}/?page=2").content.decode()

    assert '<span id="posts-count">72</span> posts' in first
    shown = [set(re.findall(r'id="tile-(\d+)"', page)) for page in (first, second)]
    assert (len(shown[0]), len(shown[1])) == (60, 12)
    assert shown[0] | shown[1] == {str(post.id) for post in posts}
    assert 'id="more-posts" href="?page=2"' in first and "Posts 1–60 of 72" in first
    assert 'id="more-posts"' not in second and 'href="?page=1"' in second


def test_the_count_is_of_the_posts_the_viewer_may_see(client, ana, ben):
    PostFactory(author=ben)
    PostFactory(author=ben, channel=collective_channel("private", ben))
    client.force_login(ana)

    page = client.get(f"/users/{ben.id}/?page=abc").content.decode()

    assert '<span id="posts-count">1</span> post ·' not in page  # the last word, no dot
    assert '<span id="posts-count">1</span> post</span>' in page
    assert 'class="pager"' not in page


def test_one_fellow_is_said_in_the_singular(client, ana, ben):
    FellowFactory(user=ana, fellow_user=ben, status="accepted")
    client.force_login(ana)

    page = client.get(f"/users/{ben.id}/").content.decode()

    assert '<span id="fellows-count">1</span> fellow ·' in page
    assert '<span id="posts-count">0</span> posts' in page
