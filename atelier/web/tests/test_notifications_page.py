"""/notifications/: my notifications, mark all read, answer fellow requests."""

import pytest

from atelier.core.models import UserFellow
from atelier.core.services import fellow_request_create
from atelier.notification.models import Notification
from atelier.post.services import appreciation_add, remark_create
from atelier.post.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_lists_what_happened_with_links(client, ana, ben):
    post = PostFactory(author=ana, title="Dawn")
    appreciation_add(user=ben, post=post, kind="heart")
    remark_create(kind="comment", author=ben, post=post, text="Nice")
    client.force_login(ana)

    page = client.get("/notifications/").content.decode()

    assert "gave a heart to" in page and "commented on" in page
    assert f'href="/posts/{post.id}/#comments"' in page
    assert f'href="/users/{ben.id}/"' in page
    assert "Mark all 2 read" in page


def test_mark_all_read(client, ana, ben):
    appreciation_add(user=ben, post=PostFactory(author=ana), kind="praise")
    client.force_login(ana)

    response = client.post("/notifications/", {"action": "read_all"})

    assert response.status_code == 302
    assert not Notification.objects.filter(notified_to=ana, is_read=False).exists()


@pytest.mark.parametrize("action, status", [("accept", "accepted"), ("decline", "declined")])
def test_answer_a_fellow_request(client, ana, ben, action, status):
    relation, _ = fellow_request_create(from_user=ben, to_user_id=ana.id)
    client.force_login(ana)
    assert f'id="request-{relation.id}"' in client.get("/notifications/").content.decode()

    client.post("/notifications/", {"action": action, "request_id": str(relation.id)})

    assert UserFellow.objects.get(pk=relation.id).status == status
    assert f'id="request-{relation.id}"' not in client.get("/notifications/").content.decode()


def test_bad_posts_are_404_and_others_requests_untouchable(client, ana, ben, cleo):
    relation, _ = fellow_request_create(from_user=ben, to_user_id=cleo.id)
    client.force_login(ana)

    assert client.post("/notifications/", {"action": "x"}).status_code == 404
    for raw in ("", "abc", "²", str(2**70)):
        assert (
            client.post("/notifications/", {"action": "accept", "request_id": raw}).status_code
            == 404
        )
    answer = client.post("/notifications/", {"action": "accept", "request_id": str(relation.id)})
    assert answer.status_code == 404
    assert UserFellow.objects.get(pk=relation.id).status == "pending"


def test_visitors_log_in_first(client):
    assert client.get("/notifications/").status_code == 302


def test_a_notification_of_a_moment_ago_says_just_now(client, ana, ben):
    appreciation_add(user=ben, post=PostFactory(author=ana), kind="heart")
    client.force_login(ana)

    page = client.get("/notifications/").content.decode()

    assert ">just now</time>" in page and "0 minutes" not in page
