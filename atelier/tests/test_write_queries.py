"""The SQL cost of every interaction write, pinned (docs/benchmarks.md: hearts dominated the tail).

Counts are per request, through the whole DRF stack, and include the token lookup. Inside a
test's transaction a service's own transaction is a SAVEPOINT / RELEASE pair: it stands in
for the BEGIN / COMMIT a production request pays, so both are counted here. PostgreSQL runs
the appreciation with its counter, and the viewer's two affinity rows, as one statement
each (data-modifying WITH); SQLite, which cannot, pays one statement more for each.
"""

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from atelier.collective.tests.factories import ChannelFactory, MemberFactory
from atelier.core.models import UserFellow
from atelier.feed.models import AuthorAffinity, TypeAffinity
from atelier.notification.models import Notification
from atelier.post.models import Appreciation, Comment, Post
from atelier.post.tests.factories import PostFactory

APPRECIATIONS = ["heart", "praise", "trophy"]
COUNTER = {"heart": "hearts_count", "praise": "praise_count", "trophy": "trophy_count"}


def cost(postgresql: int, sqlite: int) -> int:
    return postgresql if connection.vendor == "postgresql" else sqlite


@pytest.fixture
def bens_other_post(ben, bens_post):
    """A second public post by ben, of the same type: ana's rows for ben and for the type
    are shared by the two."""
    return PostFactory(author=ben, post_type=bens_post.post_type)


@pytest.mark.parametrize("kind", APPRECIATIONS)
def test_a_first_appreciation(ana, ana_client, bens_post, kind, django_assert_num_queries):
    # token, post with its visibility, BEGIN, appreciation + counter, both affinity rows,
    # notification, feed version, COMMIT.
    with django_assert_num_queries(cost(postgresql=8, sqlite=10)):
        response = ana_client.post(f"/api/posts/{bens_post.id}/{kind}/")

    assert response.status_code == 201
    assert response.json()[COUNTER[kind]] == 1
    assert AuthorAffinity.objects.get(viewer=ana).total == 1
    assert Notification.objects.filter(kind=kind, post=bens_post).count() == 1


def test_an_appreciation_costs_the_same_when_the_viewer_rows_exist(
    ana, ana_client, bens_post, bens_other_post, django_assert_num_queries
):
    assert ana_client.post(f"/api/posts/{bens_other_post.id}/heart/").status_code == 201
    assert ana_client.post(f"/api/posts/{bens_post.id}/praise/").status_code == 201

    with django_assert_num_queries(cost(postgresql=8, sqlite=10)):
        response = ana_client.post(f"/api/posts/{bens_post.id}/heart/")

    assert response.status_code == 201
    assert response.json() == {
        "post": bens_post.id,
        "kind": "heart",
        "hearts_count": 1,
        "praise_count": 1,
        "trophy_count": 0,
    }
    assert AuthorAffinity.objects.get(viewer=ana).total == 3


def test_an_appreciation_in_my_collective_costs_no_membership_query(
    ana, ben, ana_client, django_assert_num_queries
):
    channel = ChannelFactory(collective__visibility="private")
    for member in (ana, ben):
        MemberFactory(collective=channel.collective, user=member)
    post = PostFactory(author=ben, channel=channel)

    with django_assert_num_queries(cost(postgresql=8, sqlite=10)):
        response = ana_client.post(f"/api/posts/{post.id}/heart/")

    assert response.status_code == 201


def test_an_appreciation_given_again_writes_nothing(
    ana_client, bens_post, django_assert_num_queries
):
    assert ana_client.post(f"/api/posts/{bens_post.id}/heart/").status_code == 201

    # token, post, BEGIN, the INSERT that finds the row, COMMIT, the counters as they stand.
    with django_assert_num_queries(6):
        response = ana_client.post(f"/api/posts/{bens_post.id}/heart/")

    assert response.status_code == 200
    assert response.json()["hearts_count"] == 1


@pytest.mark.parametrize("kind", APPRECIATIONS)
def test_taking_back_one_of_several(
    ana, ana_client, bens_post, bens_other_post, kind, django_assert_num_queries
):
    for post in (bens_post, bens_other_post):
        assert ana_client.post(f"/api/posts/{post.id}/{kind}/").status_code == 201

    # token, post, BEGIN, appreciation - counter, both affinity rows, feed version, COMMIT.
    with django_assert_num_queries(cost(postgresql=7, sqlite=9)):
        response = ana_client.delete(f"/api/posts/{bens_post.id}/{kind}/")

    assert response.status_code == 204
    assert AuthorAffinity.objects.get(viewer=ana).total == 1
    assert getattr(Post.objects.get(pk=bens_post.pk), COUNTER[kind]) == 0


def test_taking_back_the_only_one_deletes_the_emptied_rows(
    ana, ana_client, bens_post, django_assert_num_queries
):
    assert ana_client.post(f"/api/posts/{bens_post.id}/heart/").status_code == 201

    # ... and one more statement deleting the two rows it emptied (two on SQLite).
    with django_assert_num_queries(cost(postgresql=8, sqlite=11)):
        response = ana_client.delete(f"/api/posts/{bens_post.id}/heart/")

    assert response.status_code == 204
    assert not AuthorAffinity.objects.filter(viewer=ana).exists()
    assert not TypeAffinity.objects.filter(viewer=ana).exists()
    assert not Appreciation.objects.exists()


def test_taking_back_what_i_never_gave_writes_nothing(
    ana_client, bens_post, django_assert_num_queries
):
    # token, post, BEGIN, the delete that finds nothing, COMMIT.
    with django_assert_num_queries(5):
        response = ana_client.delete(f"/api/posts/{bens_post.id}/heart/")

    assert response.status_code == 204


@pytest.mark.parametrize("existing_pair", [False, True], ids=["first", "again"])
def test_a_comment(ana, ana_client, bens_post, existing_pair, django_assert_num_queries):
    if existing_pair:
        assert (
            ana_client.post(f"/api/posts/{bens_post.id}/comments/", {"text": "a"}).status_code
            == 201
        )

    # token, post, BEGIN, comment, counter, affinity row, feed version, notification,
    # COMMIT.
    with django_assert_num_queries(9):
        response = ana_client.post(f"/api/posts/{bens_post.id}/comments/", {"text": "b"})

    assert response.status_code == 201
    assert AuthorAffinity.objects.get(viewer=ana).comments == 1 + existing_pair
    # The commenter's cached rankings are retired: their affinity to the author moved.
    ana_before = ana.feed_version
    ana.refresh_from_db()
    assert ana.feed_version == ana_before + 1 + existing_pair


def test_a_critique(ana_client, bens_post, django_assert_num_queries):
    # A critique keeps no affinity row and moves no feed version: two statements less.
    with django_assert_num_queries(7):
        response = ana_client.post(f"/api/posts/{bens_post.id}/critiques/", {"text": "b"})

    assert response.status_code == 201


def test_deleting_a_comment(ana, ana_client, bens_post, bens_other_post, django_assert_num_queries):
    ana_client.post(f"/api/posts/{bens_other_post.id}/comments/", {"text": "stays"})
    remark = ana_client.post(f"/api/posts/{bens_post.id}/comments/", {"text": "goes"}).json()

    # token, post, the comment, BEGIN, soft delete, the post locked and its counters
    # recounted (a removed remark was no longer counted: post.services.recount_remarks),
    # affinity row, feed version, COMMIT (the post's author comes with the post).
    with django_assert_num_queries(10):
        response = ana_client.delete(f"/api/posts/{bens_post.id}/comments/{remark['id']}/")

    assert response.status_code == 204
    assert Comment.objects.filter(is_deleted=False).count() == 1
    assert AuthorAffinity.objects.get(viewer=ana).comments == 1
    before = ana.feed_version
    ana.refresh_from_db()
    assert ana.feed_version == before + 3  # two comments written, one taken back


def test_a_fellow_request_and_its_acceptance(ana, ana_client, cleo, django_assert_num_queries):
    cleo_client = APIClient()
    cleo_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cleo).key}")

    # token, BEGIN, the addressee with the blocks either way, the pair locked, the insert
    # (in a savepoint: a concurrent request may win the pair), the notification (refresh
    # an unread one, else add it), COMMIT.
    with django_assert_num_queries(10):
        sent = ana_client.post("/api/fellows/requests/", {"user_id": cleo.id})
    assert sent.status_code == 201

    # token, BEGIN, the request locked with the blocks either way, its update, the
    # notification (two), both feed versions, COMMIT.
    with django_assert_num_queries(8):
        accepted = cleo_client.post(f"/api/fellows/requests/{sent.json()['id']}/accept/")
    assert accepted.status_code == 200

    # token, BEGIN, the delete, both feed versions, COMMIT.
    with django_assert_num_queries(5):
        removed = ana_client.delete(f"/api/fellows/{cleo.id}/")
    assert removed.status_code == 204
    assert not UserFellow.objects.exists()
