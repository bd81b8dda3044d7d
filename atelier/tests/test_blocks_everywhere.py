"""A block hides two people from each other everywhere, and nobody is added across it.

Regression tests for issue 10, item 6: no invitations or adds by the blocked; none of the
blocker's content (posts, galleries, comments, critiques) shown to the blocked, and the
reverse.
"""

import pytest

from atelier.collective.models import CollectiveMember
from atelier.collective.tests.factories import CollectiveFactory, MemberFactory
from atelier.core.tests.factories import BlockFactory
from atelier.gallery.models import Gallery
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory

pytestmark = pytest.mark.django_db

# Who blocks whom: ana is always the viewer or actor, ben the other side.
DIRECTIONS = ["ben_blocked_ana", "ana_blocked_ben"]


def _block(direction, ana, ben):
    if direction == "ben_blocked_ana":
        BlockFactory(blocker=ben, blocked=ana)
    else:
        BlockFactory(blocker=ana, blocked=ben)


@pytest.fixture
def vault(ana):
    """A private collective ana administers."""
    collective = CollectiveFactory(visibility="private", created_by=ana)
    MemberFactory(collective=collective, user=ana, role="admin")
    return collective


def test_an_admin_cannot_add_someone_who_blocked_them(ana_client, ana, ben, vault):
    BlockFactory(blocker=ben, blocked=ana)
    url = f"/api/collectives/{vault.pk}/members/"

    response = ana_client.post(url, {"user_id": ben.pk})
    missing = ana_client.post(url, {"user_id": 987654})

    assert response.status_code == missing.status_code == 400
    assert response.json() == missing.json() == {"user_id": ["No such user."]}
    assert not CollectiveMember.objects.filter(collective=vault, user=ben).exists()


def test_an_admin_cannot_add_someone_they_blocked(ana_client, ana, ben, vault):
    BlockFactory(blocker=ana, blocked=ben)

    response = ana_client.post(f"/api/collectives/{vault.pk}/members/", {"user_id": ben.pk})

    assert response.status_code == 400
    assert "unblock" in response.json()["user_id"][0]
    assert not CollectiveMember.objects.filter(collective=vault, user=ben).exists()


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_galleries_are_hidden_across_a_block(ana_client, ana, ben, direction):
    gallery = Gallery.objects.create(creator=ben, title="Ben's best", status="published")
    _block(direction, ana, ben)

    listed = ana_client.get("/api/galleries/").json()
    by_creator = ana_client.get(f"/api/galleries/?creator={ben.pk}").json()
    detail = ana_client.get(f"/api/galleries/{gallery.pk}/")

    assert listed == [] and by_creator == []
    assert detail.status_code == 404
    assert detail.json() == ana_client.get("/api/galleries/987654/").json()


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize(
    "kind, factory", [("comments", CommentFactory), ("critiques", CritiqueFactory)]
)
def test_remarks_are_hidden_across_a_block(ana_client, ana, ben, cleo, direction, kind, factory):
    post = PostFactory(author=cleo)
    factory(post=post, author=ben, text="from ben")
    mine = factory(post=post, author=cleo, text="from cleo")
    _block(direction, ana, ben)

    remarks = ana_client.get(f"/api/posts/{post.pk}/{kind}/").json()

    assert [r["id"] for r in remarks] == [mine.pk]


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_posts_stay_hidden_across_a_block(ana_client, ana, ben, direction):
    post = PostFactory(author=ben)
    _block(direction, ana, ben)

    assert ana_client.get(f"/api/posts/{post.pk}/").status_code == 404
    assert ana_client.get(f"/api/posts/{post.pk}/comments/").status_code == 404
