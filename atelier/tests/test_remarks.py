"""Comments and critiques: GET/POST /api/posts/{id}/{comments,critiques}/ and DELETE one."""

from datetime import timedelta
from typing import NamedTuple

import pytest
from django.utils import timezone

from atelier.notification.models import Notification
from atelier.post.models import Comment, Critique
from atelier.post.tests.conftest import detail_of
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory


class Kind(NamedTuple):
    segment: str  # in the URL
    notification: str  # the notification's kind
    model: type
    factory: type
    counter: str  # on the post
    other: str  # the other remark counter, which must not move


KINDS = [
    Kind("comments", "comment", Comment, CommentFactory, "comment_count", "critique_count"),
    Kind("critiques", "critique", Critique, CritiqueFactory, "critique_count", "comment_count"),
]


@pytest.fixture(params=KINDS, ids=lambda k: k.segment)
def kind(request) -> Kind:
    return request.param


def url(post, kind, remark_id=None) -> str:
    base = f"/api/posts/{post.id}/{kind.segment}/"
    return base if remark_id is None else f"{base}{remark_id}/"


def test_write_is_201_with_the_remark_and_counted(ana, ana_client, bens_post, kind):
    response = ana_client.post(url(bens_post, kind), {"text": "Strong light."}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    remark = kind.model.objects.get()
    expected = {
        "id": remark.id,
        "author": {
            "id": ana.id,
            "username": "ana",
            "display_name": None,
            "artist_type": "writer",
            "avatar": None,
        },
        "text": "Strong light.",
        "created_at": body["created_at"],
    }
    if kind.model is Comment:
        expected["reply_to"] = None  # a top comment; critiques are not threaded
    assert body == expected
    assert body["created_at"].endswith("Z")
    assert (remark.post_id, remark.author_id, remark.is_deleted) == (bens_post.id, ana.id, False)
    counters = detail_of(ana_client, bens_post)
    assert (counters[kind.counter], counters[kind.other]) == (1, 0)


@pytest.mark.parametrize(
    "payload",
    [{}, {"text": ""}, {"text": "   "}, {"text": None}, {"text": ["a"]}, {"text": "x" * 10_001}],
    ids=["missing", "empty", "blank", "null", "list", "too-long"],
)
def test_bad_text_is_400_and_writes_nothing(ana_client, bens_post, kind, payload):
    response = ana_client.post(url(bens_post, kind), payload, format="json")

    assert response.status_code == 400
    assert "text" in response.json()
    assert not kind.model.objects.exists()
    assert detail_of(ana_client, bens_post)[kind.counter] == 0


def test_longest_text_is_accepted(ana_client, bens_post, kind):
    response = ana_client.post(url(bens_post, kind), {"text": "x" * 10_000}, format="json")

    assert response.status_code == 201
    assert len(kind.model.objects.get().text) == 10_000


def test_list_is_oldest_first_without_deleted_ones(ana, ben, cleo, ana_client, bens_post, kind):
    now = timezone.now()
    newest = kind.factory(post=bens_post, author=ana, text="c", created_at=now)
    oldest = kind.factory(post=bens_post, author=cleo, text="a", created_at=now - timedelta(2))
    kind.factory(post=bens_post, author=ben, is_deleted=True, created_at=now - timedelta(1))
    middle = kind.factory(post=bens_post, author=ben, text="b", created_at=now - timedelta(1))
    kind.factory(author=ana)  # on another post

    response = ana_client.get(url(bens_post, kind))

    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body] == [oldest.id, middle.id, newest.id]
    expected = {
        "id": oldest.id,
        "author": {
            "id": cleo.id,
            "username": "cleo",
            "display_name": None,
            "artist_type": "musician",
            "avatar": None,
        },
        "text": "a",
        "created_at": body[0]["created_at"],
    }
    if kind.model is Comment:
        expected["reply_to"] = None
    assert body[0] == expected


def test_list_is_empty_for_a_post_without_any(ana_client, bens_post, kind):
    response = ana_client.get(url(bens_post, kind))

    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize("count", [1, 5])
def test_list_query_count_does_not_grow_with_remarks(
    ana_client, bens_post, kind, count, django_assert_num_queries
):
    kind.factory.create_batch(count, post=bens_post)

    # Token and user, the post with its visibility (blocks included), the remarks with
    # their authors.
    with django_assert_num_queries(3):
        response = ana_client.get(url(bens_post, kind))

    assert len(response.json()) == count


def test_author_deletes_it_204_and_it_is_uncounted(ana_client, bens_post, kind):
    remark_id = ana_client.post(url(bens_post, kind), {"text": "x"}, format="json").json()["id"]
    ana_client.post(url(bens_post, kind), {"text": "y"}, format="json")

    response = ana_client.delete(url(bens_post, kind, remark_id))

    assert response.status_code == 204
    assert kind.model.objects.get(pk=remark_id).is_deleted is True
    assert detail_of(ana_client, bens_post)[kind.counter] == 1
    assert [r["text"] for r in ana_client.get(url(bens_post, kind)).json()] == ["y"]
    # A second delete finds nothing and does not uncount again.
    assert ana_client.delete(url(bens_post, kind, remark_id)).status_code == 404
    assert detail_of(ana_client, bens_post)[kind.counter] == 1


def test_someone_elses_is_403(ana_client, ben_client, bens_post, kind):
    # Even the post's author may not delete another user's remark.
    remark_id = ana_client.post(url(bens_post, kind), {"text": "x"}, format="json").json()["id"]

    response = ben_client.delete(url(bens_post, kind, remark_id))

    assert response.status_code == 403
    assert kind.model.objects.get(pk=remark_id).is_deleted is False
    assert detail_of(ana_client, bens_post)[kind.counter] == 1


def test_unknown_or_other_posts_remark_is_404(ana, ana_client, bens_post, kind):
    elsewhere = kind.factory(author=ana)

    assert ana_client.delete(url(bens_post, kind, 987654)).status_code == 404
    assert ana_client.delete(url(bens_post, kind, elsewhere.id)).status_code == 404
    assert ana_client.delete(url(bens_post, kind, 99999999999999999999)).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.is_deleted is False


@pytest.mark.parametrize("method", ["get", "post"])
def test_invisible_post_is_404(ana_client, invisible_post, kind, method):
    response = getattr(ana_client, method)(url(invisible_post, kind), {"text": "x"}, format="json")

    assert response.status_code == 404
    assert not kind.model.objects.exists()
    assert not Notification.objects.exists()


def test_delete_on_an_invisible_post_is_404(ana, ana_client, invisible_post, kind):
    remark = kind.factory(post=invisible_post, author=ana)

    assert ana_client.delete(url(invisible_post, kind, remark.id)).status_code == 404
    remark.refresh_from_db()
    assert remark.is_deleted is False


def test_anonymous_is_401(anon_client, bens_post, kind):
    assert anon_client.get(url(bens_post, kind)).status_code == 401
    assert anon_client.post(url(bens_post, kind), {"text": "x"}, format="json").status_code == 401
    assert not kind.model.objects.exists()


def test_the_author_is_notified(ana, ben, ana_client, bens_post, kind):
    ana_client.post(url(bens_post, kind), {"text": "x"}, format="json")

    notification = Notification.objects.get()
    assert (notification.notified_to_id, notification.actor_id) == (ben.id, ana.id)
    assert (notification.kind, notification.post_id) == (kind.notification, bens_post.id)


def test_own_post_is_counted_but_not_notified(ana, ana_client, kind):
    post = PostFactory(author=ana)

    assert ana_client.post(url(post, kind), {"text": "x"}, format="json").status_code == 201

    assert detail_of(ana_client, post)[kind.counter] == 1
    assert not Notification.objects.exists()
