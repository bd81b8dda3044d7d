"""/users/<id>/: a member's posts as a grid, the fellow relation, and 404 across a block."""

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
