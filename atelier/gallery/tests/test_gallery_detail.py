"""GET /api/galleries/{id}/: drafts for their creator only, post ids as the viewer may see."""

import pytest

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.tests.factories import BlockFactory
from atelier.gallery.tests.factories import GalleryFactory, GalleryItemFactory
from atelier.post.tests.factories import PostFactory


def _url(gallery_id) -> str:
    return f"/api/galleries/{gallery_id}/"


def test_creator_sees_own_draft(ana, ana_client):
    draft = GalleryFactory(creator=ana, title="Sketchbook")

    response = ana_client.get(_url(draft.id))

    assert response.status_code == 200
    assert response.json()["title"] == "Sketchbook"
    assert response.json()["status"] == "draft"


def test_draft_of_someone_else_is_404(ana, ben_client):
    draft = GalleryFactory(creator=ana)

    response = ben_client.get(_url(draft.id))

    assert response.status_code == 404
    assert draft.title not in response.content.decode()


def test_published_gallery_is_visible_to_anyone_signed_in(ana, ben_client, anon_client):
    published = GalleryFactory(creator=ana, status="published")

    assert ben_client.get(_url(published.id)).status_code == 200
    assert anon_client.get(_url(published.id)).status_code == 401


def test_deleted_gallery_is_404_even_for_its_creator(ana, ana_client):
    gone = GalleryFactory(creator=ana, status="published", is_deleted=True)

    assert ana_client.get(_url(gone.id)).status_code == 404


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999999"])
def test_unknown_or_huge_id_is_404(ana_client, db, pk):
    assert ana_client.get(_url(pk)).status_code == 404


def test_private_collective_post_shown_to_members_hidden_from_others(ana, ben, cleo, client_for):
    """Ana's published gallery holds a post of a private collective ana and ben are in."""
    channel = ChannelFactory(collective__visibility="private")
    MemberFactory(collective=channel.collective, user=ana)
    MemberFactory(collective=channel.collective, user=ben)
    public_before, public_after = PostFactory(), PostFactory()
    secret = PostFactory(author=ana, channel=channel)
    gallery = GalleryFactory(creator=ana, status="published")
    for post in (public_before, secret, public_after):
        GalleryItemFactory(gallery=gallery, post=post)

    as_member = client_for(ben).get(_url(gallery.id)).json()["post_ids"]
    as_stranger = client_for(cleo).get(_url(gallery.id)).json()["post_ids"]

    assert as_member == [public_before.id, secret.id, public_after.id]
    assert as_stranger == [public_before.id, public_after.id]


def test_deleted_and_blocked_posts_are_left_out(ana, ben, cleo, ben_client):
    kept = PostFactory(author=cleo)
    deleted = PostFactory(author=cleo, is_deleted=True)
    blocked = PostFactory(author=BlockFactory(blocker=ben).blocked)
    blocking = PostFactory(author=BlockFactory(blocked=ben).blocker)
    gallery = GalleryFactory(creator=ana, status="published")
    for post in (deleted, blocked, kept, blocking):
        GalleryItemFactory(gallery=gallery, post=post)

    assert ben_client.get(_url(gallery.id)).json()["post_ids"] == [kept.id]


def test_post_ids_follow_positions_not_insertion_order(ana, ana_client):
    a, b, c = PostFactory(), PostFactory(), PostFactory()
    gallery = GalleryFactory(creator=ana)
    GalleryItemFactory(gallery=gallery, post=a, position=2)
    GalleryItemFactory(gallery=gallery, post=b, position=0)
    GalleryItemFactory(gallery=gallery, post=c, position=1)

    assert ana_client.get(_url(gallery.id)).json()["post_ids"] == [b.id, c.id, a.id]


def test_detail_query_count(ana, ana_client, django_assert_num_queries):
    gallery = GalleryFactory(creator=ana)
    for post in PostFactory.create_batch(5):
        GalleryItemFactory(gallery=gallery, post=post)

    # token, the gallery with its creator, its visible items (the visibility rule's
    # membership and blocks are subqueries of that query)
    with django_assert_num_queries(3):
        ana_client.get(_url(gallery.id))
