"""POST /api/galleries/: create a gallery of posts visible to its creator."""

import pytest

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.tests.factories import BlockFactory
from atelier.gallery.models import Gallery, GalleryItem
from atelier.post.tests.factories import PostFactory

URL = "/api/galleries/"


def test_create_with_ordered_posts(ana, ben, ana_client):
    first, second = PostFactory(author=ben), PostFactory(author=ana)

    response = ana_client.post(
        URL,
        {
            "title": " Favourites ",
            "description": "Things I love",
            "status": "published",
            "post_ids": [second.id, first.id],
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    gallery = Gallery.objects.get()
    assert body == {
        "id": gallery.id,
        "creator": {
            "id": ana.id,
            "username": "ana",
            "display_name": None,
            "artist_type": "writer",
            "avatar": None,
        },
        "title": "Favourites",
        "description": "Things I love",
        "status": "published",
        "post_ids": [second.id, first.id],
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert body["created_at"].endswith("Z")
    items = list(GalleryItem.objects.filter(gallery=gallery).values_list("post_id", "position"))
    assert items == [(second.id, 0), (first.id, 1)]


def test_defaults_draft_empty(ana_client):
    response = ana_client.post(URL, {"title": "Later"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["description"], body["post_ids"]) == ("draft", "", [])


def test_repeated_post_ids_keep_their_first_place(ana_client, ben):
    a, b = PostFactory(author=ben), PostFactory(author=ben)

    response = ana_client.post(
        URL, {"title": "T", "post_ids": [a.id, b.id, a.id, b.id]}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["post_ids"] == [a.id, b.id]


def test_200_posts_are_accepted(ana_client, ben):
    posts = PostFactory.create_batch(200, author=ben)

    response = ana_client.post(
        URL, {"title": "T", "post_ids": [p.id for p in posts]}, format="json"
    )

    assert response.status_code == 201
    assert len(response.json()["post_ids"]) == 200


def test_post_of_a_collective_i_am_in_is_accepted(ana, ben, ana_client):
    channel = ChannelFactory()
    MemberFactory(collective=channel.collective, user=ana)
    post = PostFactory(author=ben, channel=channel)

    response = ana_client.post(URL, {"title": "T", "post_ids": [post.id]}, format="json")

    assert response.status_code == 201
    assert response.json()["post_ids"] == [post.id]


def _not_visible_posts(ana, ben) -> dict:
    return {
        "private collective": PostFactory(author=ben, channel=ChannelFactory()),
        "deleted": PostFactory(author=ben, is_deleted=True),
        "blocked author": PostFactory(author=BlockFactory(blocker=ana).blocked),
        "author blocked me": PostFactory(author=BlockFactory(blocked=ana).blocker),
    }


@pytest.mark.parametrize(
    "case", ["private collective", "deleted", "blocked author", "author blocked me", "missing"]
)
def test_post_not_visible_to_me_is_400_without_saying_why(ana, ben, ana_client, case):
    ok = PostFactory(author=ben)
    hidden_id = 999_999 if case == "missing" else _not_visible_posts(ana, ben)[case].id

    response = ana_client.post(URL, {"title": "T", "post_ids": [ok.id, hidden_id]}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "post_ids": [f"These posts do not exist or are not visible to you: {hidden_id}."]
    }
    assert not Gallery.objects.exists()
    assert not GalleryItem.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "T", "description": "x" * 5001}, "description"),
        ({"title": "T", "description": None}, "description"),
        ({"title": "T", "status": "archived"}, "status"),
        ({"title": "T", "post_ids": "1,2"}, "post_ids"),
        ({"title": "T", "post_ids": None}, "post_ids"),
        ({"title": "T", "post_ids": ["a"]}, "post_ids"),
        ({"title": "T", "post_ids": [0]}, "post_ids"),
        ({"title": "T", "post_ids": [99999999999999999999999]}, "post_ids"),
        ({"title": "T", "post_ids": {"1": 2}}, "post_ids"),
        ({"title": "T", "post_ids": list(range(1, 202))}, "post_ids"),
    ],
)
def test_bad_input_is_400(ana_client, payload, field):
    response = ana_client.post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Gallery.objects.exists()


def test_limits_are_inclusive(ana_client):
    response = ana_client.post(URL, {"title": "x" * 200, "description": "y" * 5000}, format="json")

    assert response.status_code == 201


def test_malformed_json_is_400(ana_client):
    assert ana_client.post(URL, "{", content_type="application/json").status_code == 400


def test_anonymous_is_401(anon_client, db):
    assert anon_client.post(URL, {"title": "T"}, format="json").status_code == 401
