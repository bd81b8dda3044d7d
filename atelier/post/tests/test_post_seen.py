"""POST /api/posts/seen/ {post_ids}: mark up to 200 visible posts seen by me."""

import pytest

from atelier.post.models import SeenPost
from atelier.post.tests.factories import PostFactory

URL = "/api/posts/seen/"


def seen_ids(user) -> set[int]:
    return set(SeenPost.objects.filter(user=user).values_list("post_id", flat=True))


def test_marks_posts_seen_204(ana, ben, ana_client):
    posts = PostFactory.create_batch(3, author=ben)

    response = ana_client.post(URL, {"post_ids": [p.id for p in posts]}, format="json")

    assert response.status_code == 204
    assert seen_ids(ana) == {p.id for p in posts}
    assert SeenPost.objects.count() == 3  # nobody else's


def test_is_idempotent_and_adds_only_new_ones(ana, ana_client, bens_post):
    other = PostFactory()
    assert ana_client.post(URL, {"post_ids": [bens_post.id]}, format="json").status_code == 204
    first_seen_at = SeenPost.objects.get().seen_at

    response = ana_client.post(URL, {"post_ids": [bens_post.id, other.id, other.id]}, format="json")

    assert response.status_code == 204
    assert seen_ids(ana) == {bens_post.id, other.id}
    assert SeenPost.objects.count() == 2
    assert SeenPost.objects.get(post=bens_post).seen_at == first_seen_at


def test_empty_list_is_204_and_writes_nothing(ana_client, db):
    assert ana_client.post(URL, {"post_ids": []}, format="json").status_code == 204
    assert not SeenPost.objects.exists()


def test_invisible_and_unknown_ids_are_ignored(ana, ana_client, invisible_post):
    visible = PostFactory()  # by a bystander: blocks between ana and ben do not touch it

    response = ana_client.post(
        URL, {"post_ids": [invisible_post.id, 987654, visible.id]}, format="json"
    )

    assert response.status_code == 204
    assert seen_ids(ana) == {visible.id}


def test_200_ids_are_accepted_201_are_400(ana, ana_client, bens_post):
    ids = [bens_post.id, *range(10_000, 10_199)]
    assert ana_client.post(URL, {"post_ids": ids}, format="json").status_code == 204
    assert seen_ids(ana) == {bens_post.id}
    SeenPost.objects.all().delete()

    response = ana_client.post(URL, {"post_ids": [*ids, 20_000]}, format="json")

    assert response.status_code == 400
    assert "post_ids" in response.json()
    assert not SeenPost.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"post_ids": None},
        {"post_ids": 5},
        {"post_ids": "1,2"},
        {"post_ids": {"1": 1}},
        {"post_ids": ["abc"]},
        {"post_ids": ["1", "abc"]},
        {"post_ids": [1.5]},
        {"post_ids": [True]},
        {"post_ids": [[1]]},
        {"post_ids": [0]},
        {"post_ids": [-3]},
        {"post_ids": [99999999999999999999]},
    ],
)
def test_bad_post_ids_are_400(ana_client, bens_post, payload):
    response = ana_client.post(URL, payload, format="json")

    assert response.status_code == 400
    assert "post_ids" in response.json()
    assert not SeenPost.objects.exists()


@pytest.mark.parametrize("data", ["{bad", "[1, 2]"])
def test_malformed_or_non_object_json_is_400(ana_client, db, data):
    assert ana_client.post(URL, data=data, content_type="application/json").status_code == 400


def test_anonymous_is_401(anon_client, bens_post):
    response = anon_client.post(URL, {"post_ids": [bens_post.id]}, format="json")

    assert response.status_code == 401
    assert not SeenPost.objects.exists()
