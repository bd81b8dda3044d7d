"""GET /api/galleries/: my galleries and others' published ones, newest first, bounded."""

import pytest

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.gallery.tests.factories import GalleryFactory, GalleryItemFactory
from atelier.post.tests.factories import PostFactory

URL = "/api/galleries/"


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [gallery["id"] for gallery in response.json()]


def test_my_galleries_and_published_ones_newest_first(ana, ben, ana_client, ben_client):
    my_draft = GalleryFactory(creator=ana)
    bens_published = GalleryFactory(creator=ben, status="published")
    bens_draft = GalleryFactory(creator=ben)
    my_published = GalleryFactory(creator=ana, status="published")
    GalleryFactory(creator=ana, status="published", is_deleted=True)

    assert _ids(ana_client.get(URL)) == [my_published.id, bens_published.id, my_draft.id]
    assert _ids(ben_client.get(URL)) == [my_published.id, bens_draft.id, bens_published.id]


def test_item_shape(ana, ana_client):
    post = PostFactory()
    gallery = GalleryFactory(creator=ana, title="T", description="D")
    GalleryItemFactory(gallery=gallery, post=post)

    [item] = ana_client.get(URL).json()

    assert item == {
        "id": gallery.id,
        "creator": {
            "id": ana.id,
            "username": "ana",
            "display_name": None,
            "artist_type": "writer",
            "avatar": None,
        },
        "title": "T",
        "description": "D",
        "status": "draft",
        "post_ids": [post.id],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def test_creator_filter(ana, ben, ana_client):
    GalleryFactory(creator=ana)
    bens_published = GalleryFactory(creator=ben, status="published")
    GalleryFactory(creator=ben)

    assert _ids(ana_client.get(URL, {"creator": ben.id})) == [bens_published.id]
    assert len(_ids(ana_client.get(URL, {"creator": ana.id}))) == 1
    assert _ids(ana_client.get(URL, {"creator": 999999})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"creator": "ben"},
        {"creator": "0"},
        {"creator": "-3"},
        {"creator": "99999999999999999999999"},
        {"limit": "0"},
        {"limit": "201"},
        {"limit": "many"},
    ],
)
def test_bad_parameters_are_400(ana_client, params):
    response = ana_client.get(URL, params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_unknown_parameters_are_ignored(ana, ana_client):
    GalleryFactory(creator=ana)

    assert len(_ids(ana_client.get(URL, {"colour": "blue"}))) == 1


def test_empty_parameters_mean_not_given(ana, ben, ana_client):
    """As in an HTML form: `?creator=&limit=` is the same as leaving them out."""
    GalleryFactory(creator=ana)
    GalleryFactory(creator=ben, status="published")

    assert len(_ids(ana_client.get(URL, {"creator": "", "limit": ""}))) == 2


def test_limit_defaults_to_50_and_bounds_the_list(ana, ana_client):
    galleries = GalleryFactory.create_batch(52, creator=ana)
    newest_first = [g.id for g in reversed(galleries)]

    assert _ids(ana_client.get(URL)) == newest_first[:50]
    assert _ids(ana_client.get(URL, {"limit": 3})) == newest_first[:3]
    assert len(_ids(ana_client.get(URL, {"limit": 200}))) == 52


def test_post_ids_are_filtered_per_viewer(ana, ben, cleo, client_for):
    channel = ChannelFactory(collective__visibility="private")
    MemberFactory(collective=channel.collective, user=ana)
    MemberFactory(collective=channel.collective, user=ben)
    public = PostFactory()
    secret = PostFactory(author=ana, channel=channel)
    gallery = GalleryFactory(creator=ana, status="published")
    GalleryItemFactory(gallery=gallery, post=secret)
    GalleryItemFactory(gallery=gallery, post=public)

    [as_member] = client_for(ben).get(URL).json()
    [as_stranger] = client_for(cleo).get(URL).json()

    assert as_member["post_ids"] == [secret.id, public.id]
    assert as_stranger["post_ids"] == [public.id]


def test_anonymous_is_401(anon_client, db):
    assert anon_client.get(URL).status_code == 401


def test_query_count_does_not_grow_with_galleries_or_items(
    ana, ben, ana_client, django_assert_num_queries
):
    channel = ChannelFactory()
    MemberFactory(collective=channel.collective, user=ana)
    for creator in (ana, ben) * 4:
        gallery = GalleryFactory(creator=creator, status="published")
        for post in PostFactory.create_batch(3) + [PostFactory(channel=channel)]:
            GalleryItemFactory(gallery=gallery, post=post)

    # token, the galleries with creators, their visible items (the visibility rule's
    # membership and blocks are subqueries of that query)
    with django_assert_num_queries(3):
        response = ana_client.get(URL)

    assert len(response.json()) == 8
    assert all(len(gallery["post_ids"]) == 4 for gallery in response.json())
