"""GET /api/notifications/: mine, newest first, bounded, without dead or blocked ones."""

from datetime import UTC, datetime, timedelta

import pytest

from atelier.core.tests.factories import BlockFactory, UserFactory
from atelier.notification.models import Notification
from atelier.notification.tests.factories import NotificationFactory
from atelier.post.tests.factories import PostFactory

URL = "/api/notifications/"
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _notify(recipient, actor, *, minutes=0, **fields) -> Notification:
    """A notification dated T0 + `minutes` (notified_at is auto_now_add, so set it after)."""
    notification = NotificationFactory(notified_to=recipient, actor=actor, **fields)
    Notification.objects.filter(pk=notification.pk).update(
        notified_at=T0 + timedelta(minutes=minutes)
    )
    notification.refresh_from_db()
    return notification


def _ids(response) -> list[int]:
    return [n["id"] for n in response.json()]


def test_list_shape(ana_client, ana, ben):
    post = PostFactory(author=ana)
    notification = _notify(ana, ben, kind="comment", post=post)

    response = ana_client.get(URL)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": notification.id,
            "kind": "comment",
            "actor": {
                "id": ben.id,
                "username": "ben",
                "display_name": None,
                "artist_type": "photographer",
                "avatar": None,
            },
            "post": post.id,
            "target": None,
            "is_read": False,
            "created_at": "2026-11-28T10:00:00Z",
        }
    ]


def test_list_is_mine_only_newest_first(ana_client, ana, ben, cleo):
    older = _notify(ana, ben, minutes=1, kind="fellow_request")
    newer = _notify(ana, cleo, minutes=5, kind="fellow_accept", is_read=True)
    same_time = _notify(ana, cleo, minutes=5, kind="heart")
    _notify(ben, ana, minutes=9)

    response = ana_client.get(URL)

    assert _ids(response) == [same_time.id, newer.id, older.id]
    assert response.json()[2]["post"] is None
    assert response.json()[1]["is_read"] is True


def test_notifications_about_deleted_posts_are_left_out(ana_client, ana, ben):
    live = _notify(ana, ben, post=PostFactory(author=ana))
    _notify(ana, ben, post=PostFactory(author=ana, is_deleted=True))
    without_post = _notify(ana, ben, kind="fellow_request")

    assert set(_ids(ana_client.get(URL))) == {live.id, without_post.id}


def test_notifications_from_users_blocked_either_way_are_left_out(ana_client, ana, ben, cleo):
    dora = UserFactory(username="dora")
    _notify(ana, ben)
    _notify(ana, cleo)
    kept = _notify(ana, dora)
    BlockFactory(blocker=ana, blocked=ben)
    BlockFactory(blocker=cleo, blocked=ana)

    assert _ids(ana_client.get(URL)) == [kept.id]


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_unread_filter(ana_client, ana, ben, value):
    unread = _notify(ana, ben, minutes=1)
    _notify(ana, ben, minutes=2, is_read=True)

    assert _ids(ana_client.get(URL, {"unread": value})) == [unread.id]


def test_unread_false_lists_everything(ana_client, ana, ben):
    _notify(ana, ben, minutes=1)
    _notify(ana, ben, minutes=2, is_read=True)

    assert len(ana_client.get(URL, {"unread": "false"}).json()) == 2


def test_default_limit_is_50(ana_client, ana, ben):
    for minute in range(51):
        _notify(ana, ben, minutes=minute)

    response = ana_client.get(URL)

    assert len(response.json()) == 50
    assert response.json()[0]["created_at"] == "2026-11-28T10:50:00Z"


def test_limit_keeps_the_newest(ana_client, ana, ben):
    notifications = [_notify(ana, ben, minutes=m) for m in range(4)]

    response = ana_client.get(URL, {"limit": 2})

    assert _ids(response) == [notifications[3].id, notifications[2].id]


def test_limit_may_reach_200(ana_client, ana, ben):
    Notification.objects.bulk_create(
        [Notification(notified_to=ana, actor=ben, kind="heart") for _ in range(201)]
    )

    assert len(ana_client.get(URL, {"limit": 200}).json()) == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": str(10**30)}, "limit"),
        ({"unread": "maybe"}, "unread"),
    ],
)
def test_bad_params_are_400(ana_client, params, field):
    response = ana_client.get(URL, params)

    assert response.status_code == 400
    assert field in response.json()


def test_unknown_params_are_ignored(ana_client, ana, ben):
    _notify(ana, ben)

    assert len(ana_client.get(URL, {"page": "x"}).json()) == 1


def test_list_query_count_does_not_grow(ana_client, ana, django_assert_num_queries):
    for i in range(5):
        _notify(ana, UserFactory(username=f"actor{i}"), minutes=i, post=PostFactory(author=ana))
    BlockFactory(blocker=ana)

    # token, the notifications with their actors (blocks are subqueries)
    with django_assert_num_queries(2):
        response = ana_client.get(URL)
    assert len(response.json()) == 5


@pytest.mark.django_db
def test_list_needs_authentication(anon_client):
    assert anon_client.get(URL).status_code == 401
