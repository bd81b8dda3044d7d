"""One unread notification per (actor, post, kind), refreshed rather than repeated.

Regression test for issue 10, item 11: toggling praise/trophy 200 times on one post sent
its author 51 notifications.
"""

import pytest

from atelier.notification.models import Notification
from atelier.notification.services import notification_create
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # 400 requests: about 15 s
def test_toggling_appreciations_notifies_once_per_kind(ana_client, ana, ben, client_for):
    post = PostFactory(author=ben)
    for _ in range(100):
        for kind in ("praise", "trophy"):
            ana_client.post(f"/api/posts/{post.pk}/{kind}/")
            ana_client.delete(f"/api/posts/{post.pk}/{kind}/")
    ana_client.post(f"/api/posts/{post.pk}/praise/")
    ana_client.post(f"/api/posts/{post.pk}/trophy/")

    listed = client_for(ben).get("/api/notifications/").json()

    assert sorted(n["kind"] for n in listed) == ["praise", "trophy"]
    assert Notification.objects.count() == 2


def test_a_repeat_moves_the_notification_back_to_the_top(ana, ben, cleo):
    first_post, second_post = PostFactory(author=ben), PostFactory(author=ben)
    notification_create(recipient_id=ben.id, actor_id=ana.id, kind="heart", post_id=first_post.id)
    notification_create(recipient_id=ben.id, actor_id=cleo.id, kind="heart", post_id=first_post.id)
    notification_create(recipient_id=ben.id, actor_id=ana.id, kind="heart", post_id=second_post.id)
    notification_create(recipient_id=ben.id, actor_id=ana.id, kind="heart", post_id=first_post.id)

    newest_first = list(
        Notification.objects.order_by("-notified_at", "-id").values_list("actor_id", "post_id")
    )

    assert newest_first[0] == (ana.id, first_post.id)
    assert len(newest_first) == 3


def test_once_read_the_next_one_is_new(ana, ben, client_for):
    post = PostFactory(author=ben)
    notification_create(recipient_id=ben.id, actor_id=ana.id, kind="comment", post_id=post.id)
    client_for(ben).post("/api/notifications/read/", {})
    notification_create(recipient_id=ben.id, actor_id=ana.id, kind="comment", post_id=post.id)

    assert Notification.objects.filter(is_read=False).count() == 1
    assert Notification.objects.count() == 2


def test_repeated_fellow_requests_notify_once(ana, ben):
    for _ in range(3):
        notification_create(recipient_id=ben.id, actor_id=ana.id, kind="fellow_request")

    assert Notification.objects.count() == 1
