"""POST /api/posts/ with `media`, and `media` in every post object (detail, feed, meta)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from atelier.core.models import User
from atelier.core.tests.factories import UserFactory
from atelier.media.models import Media
from atelier.media.tests.files import image_bytes, upload
from atelier.post.models import Post
from atelier.post.services import post_create

pytestmark = pytest.mark.django_db


def create(client, media, **extra):
    body = {"title": "Studies", "post_type": "image", "media": media, **extra}
    return client.post("/api/posts/", body, format="json")


def test_media_come_back_in_the_order_given(ana_client, uploaded):
    ids = [uploaded(ana_client, image_bytes("PNG", (20 + i, 20))) for i in range(3)]
    order = [ids[2], ids[0], ids[1]]

    response = create(ana_client, order)

    assert response.status_code == 201, response.content
    body = response.json()
    assert [m["id"] for m in body["media"]] == order
    assert body["media"][0]["width"] == 22
    detail = ana_client.get(f"/api/posts/{body['id']}/").json()
    assert [m["id"] for m in detail["media"]] == order
    assert detail["media"] == body["media"]


def test_feed_and_meta_carry_media(ana_client, ben_client, uploaded):
    media_id = uploaded(ana_client)
    post_id = create(ana_client, [media_id]).json()["id"]

    for ordering in ("chronological", "personalized"):
        feed = ben_client.get("/api/posts/", {"ordering": ordering}).json()
        (item,) = [p for p in feed["results"] if p["id"] == post_id]
        assert [m["id"] for m in item["media"]] == [media_id]
    meta = ben_client.get("/api/posts/meta/", {"ids": str(post_id)}).json()
    assert [m["id"] for m in meta[str(post_id)]["media"]] == [media_id]
    assert meta[str(post_id)]["media"][0]["url"].startswith("/media/")


def test_ten_media_are_accepted_eleven_are_400(ana, ana_client, uploaded):
    # A member for a month: a new account may upload only 10 files an hour.
    User.objects.filter(pk=ana.pk).update(date_joined=timezone.now() - timedelta(days=30))
    ids = [uploaded(ana_client, image_bytes("PNG", (8, 8))) for _ in range(11)]

    response = create(ana_client, ids)
    assert response.status_code == 400
    assert "media" in response.json()
    assert not Post.objects.exists()

    assert create(ana_client, ids[:10]).status_code == 201


def _someone_elses(client_for, uploaded) -> int:
    return uploaded(client_for(UserFactory()))


@pytest.mark.parametrize(
    "problem", ["someone_elses", "already_attached", "unknown", "listed_twice", "not_an_id"]
)
def test_bad_media_lists_are_400_and_nothing_is_created_or_attached(
    ana, ana_client, client_for, uploaded, problem
):
    mine = uploaded(ana_client)
    if problem == "someone_elses":
        bad = [mine, _someone_elses(client_for, uploaded)]
    elif problem == "already_attached":
        other = uploaded(ana_client)
        post_create(author=ana, title="First", post_type="image", media_ids=[other])
        bad = [mine, other]
    elif problem == "unknown":
        bad = [mine, 987654]
    elif problem == "listed_twice":
        bad = [mine, mine]
    else:
        bad = [mine, "seven"]
    posts_before = Post.objects.count()

    response = create(ana_client, bad)

    assert response.status_code == 400, response.content
    assert response.json()["media"]
    assert Post.objects.count() == posts_before
    # Nothing half attached: my own upload is still free for the next post.
    assert Media.objects.get(pk=mine).post_id is None
    assert create(ana_client, [mine]).status_code == 201


def test_someone_elses_media_id_is_answered_like_an_unknown_one(ana_client, client_for, uploaded):
    theirs = create(ana_client, [_someone_elses(client_for, uploaded)]).json()["media"][0]
    unknown = create(ana_client, [987654]).json()["media"][0]

    assert theirs.replace(theirs.split()[1], "N") == unknown.replace(unknown.split()[1], "N")


def test_media_must_be_a_list(ana_client):
    assert create(ana_client, "1,2").status_code == 400


def _feed_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/posts/", {"page_size": 100, **params})
        assert response.status_code == 200
    return len(ctx.captured_queries)


def _posts_with_media(client, author, n: int) -> None:
    for _ in range(n):
        body = {"file": upload(image_bytes("PNG", (8, 8)))}
        media_id = client.post("/api/media/", body, format="multipart").json()["id"]
        post_create(author=author, title="Art", post_type="image", media_ids=[media_id])


@pytest.mark.parametrize("ordering", ["chronological", "personalized"])
def test_feed_media_cost_one_query_however_many_posts(
    ana, ana_client, ben_client, anon_client, ordering
):
    _posts_with_media(ana_client, ana, 2)
    _feed_queries(ben_client, ordering=ordering)  # warms the configuration and inputs
    small = _feed_queries(ben_client, ordering=ordering, invalidate_cache="true")
    _posts_with_media(ana_client, ana, 8)
    _feed_queries(ben_client, ordering=ordering)
    large = _feed_queries(ben_client, ordering=ordering, invalidate_cache="true")

    assert large == small
    assert _feed_queries(anon_client) == _feed_queries(anon_client, page_size=2)


def test_a_page_without_media_costs_no_media_query(ben_client, ana):
    post_create(author=ana, title="Words only", post_type="poem")

    with CaptureQueriesContext(connection) as ctx:
        ben_client.get("/api/posts/", {"ordering": "chronological"})

    assert not [q for q in ctx.captured_queries if "media_media" in q["sql"]]
