"""POST/DELETE /api/posts/{id}/{heart,praise,trophy}/: once per user, counted once, notified."""

import pytest

from atelier.notification.models import Notification
from atelier.post.models import Appreciation
from atelier.post.services import appreciation_add
from atelier.post.tests.conftest import detail_of
from atelier.post.tests.factories import AppreciationFactory, PostFactory

KINDS = [("heart", "hearts_count"), ("praise", "praise_count"), ("trophy", "trophy_count")]
COUNTERS = [counter for _, counter in KINDS]


def counts(client, post) -> dict:
    body = detail_of(client, post)
    return {counter: body[counter] for counter in COUNTERS}


@pytest.mark.parametrize("kind, counter", KINDS)
def test_give_is_201_then_200_and_counted_once(ana, ana_client, bens_post, kind, counter):
    url = f"/api/posts/{bens_post.id}/{kind}/"

    first = ana_client.post(url)
    second = ana_client.post(url)

    assert (first.status_code, second.status_code) == (201, 200)
    assert counts(ana_client, bens_post) == {c: int(c == counter) for c in COUNTERS}
    row = Appreciation.objects.get()
    assert (row.user_id, row.post_id, row.kind) == (ana.id, bens_post.id, kind)
    assert row.post_author_id == bens_post.author_id


@pytest.mark.parametrize("kind, counter", KINDS)
def test_take_back_is_204_and_uncounts(ana_client, bens_post, kind, counter):
    url = f"/api/posts/{bens_post.id}/{kind}/"
    assert ana_client.post(url).status_code == 201

    response = ana_client.delete(url)

    assert response.status_code == 204
    assert counts(ana_client, bens_post)[counter] == 0
    assert not Appreciation.objects.exists()
    # Given again after taking it back: a fresh 201.
    assert ana_client.post(url).status_code == 201
    assert counts(ana_client, bens_post)[counter] == 1


@pytest.mark.parametrize("kind, counter", KINDS)
def test_take_back_when_none_is_204_and_leaves_others_alone(
    ana_client, cleo_client, bens_post, kind, counter
):
    url = f"/api/posts/{bens_post.id}/{kind}/"
    assert cleo_client.post(url).status_code == 201

    assert ana_client.delete(url).status_code == 204
    assert ana_client.delete(url).status_code == 204

    assert counts(ana_client, bens_post)[counter] == 1
    assert Appreciation.objects.count() == 1


def test_kinds_are_independent(ana_client, bens_post):
    for kind, _ in KINDS:
        assert ana_client.post(f"/api/posts/{bens_post.id}/{kind}/").status_code == 201

    assert ana_client.delete(f"/api/posts/{bens_post.id}/praise/").status_code == 204

    assert counts(ana_client, bens_post) == {
        "hearts_count": 1,
        "praise_count": 0,
        "trophy_count": 1,
    }
    assert set(Appreciation.objects.values_list("kind", flat=True)) == {"heart", "trophy"}


def test_many_users_each_count(ana_client, cleo_client, bens_post):
    ana_client.post(f"/api/posts/{bens_post.id}/heart/")
    cleo_client.post(f"/api/posts/{bens_post.id}/heart/")

    assert counts(ana_client, bens_post)["hearts_count"] == 2


@pytest.mark.parametrize("kind", ["heart", "praise", "trophy"])
@pytest.mark.parametrize("method", ["post", "delete"])
def test_invisible_post_is_404(ana, ana_client, invisible_post, kind, method):
    # An existing row must not leak through DELETE either.
    AppreciationFactory(user=ana, post=invisible_post, kind=kind)

    response = getattr(ana_client, method)(f"/api/posts/{invisible_post.id}/{kind}/")

    assert response.status_code == 404
    assert Appreciation.objects.count() == 1
    assert not Notification.objects.exists()


@pytest.mark.parametrize("kind", ["heart", "praise", "trophy"])
def test_unknown_post_is_404(ana_client, kind):
    assert ana_client.post(f"/api/posts/987654/{kind}/").status_code == 404


@pytest.mark.parametrize("kind", ["heart", "praise", "trophy"])
def test_anonymous_is_401(anon_client, bens_post, kind):
    assert anon_client.post(f"/api/posts/{bens_post.id}/{kind}/").status_code == 401
    assert anon_client.delete(f"/api/posts/{bens_post.id}/{kind}/").status_code == 401
    assert not Appreciation.objects.exists()


@pytest.mark.parametrize("kind", ["heart", "praise", "trophy"])
def test_the_author_is_notified_once(ana, ben, ana_client, bens_post, kind):
    url = f"/api/posts/{bens_post.id}/{kind}/"
    ana_client.post(url)
    ana_client.post(url)  # already given: no second notification

    notification = Notification.objects.get()
    assert (notification.notified_to_id, notification.actor_id) == (ben.id, ana.id)
    assert (notification.kind, notification.post_id) == (kind, bens_post.id)
    assert notification.is_read is False


@pytest.mark.parametrize("kind, counter", KINDS)
def test_own_post_is_counted_but_not_notified(ana, ana_client, kind, counter):
    post = PostFactory(author=ana)

    assert ana_client.post(f"/api/posts/{post.id}/{kind}/").status_code == 201

    assert counts(ana_client, post)[counter] == 1
    assert not Notification.objects.exists()


def test_double_add_through_the_service_keeps_one_row_and_counts_once(ana, bens_post):
    """Two racing requests both reach appreciation_add: the unique constraint decides."""
    first = appreciation_add(user=ana, post=bens_post, kind="heart")
    second = appreciation_add(user=ana, post=bens_post, kind="heart")

    assert (first, second) == (True, False)
    assert Appreciation.objects.filter(user=ana, post=bens_post, kind="heart").count() == 1
    bens_post.refresh_from_db()
    assert bens_post.hearts_count == 1
    assert Notification.objects.count() == 1
