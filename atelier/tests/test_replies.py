"""Replies: a comment answering a comment (POST /api/posts/{id}/comments/ with `reply_to`).

One level of threading: a reply to a reply is stored as a reply to its thread's top
comment; the list stays flat and oldest first; the answered comment's author is notified
(kind `reply`), never oneself; a comment the author may not read cannot be answered.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from atelier.core.tests.factories import BlockFactory, UserFactory
from atelier.notification.models import Notification
from atelier.post.models import Comment, Post
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory


def comments_url(post) -> str:
    return f"/api/posts/{post.id}/comments/"


def reply(client, post, reply_to, text="Agreed."):
    return client.post(comments_url(post), {"text": text, "reply_to": reply_to}, format="json")


def notices(kind: str) -> list[tuple[int, int, int]]:
    """(recipient, actor, post) of every notification of `kind`."""
    rows = Notification.objects.filter(kind=kind).order_by("id")
    return list(rows.values_list("notified_to_id", "actor_id", "post_id"))


def test_a_reply_is_201_and_carries_reply_to(ana, ana_client, cleo, bens_post):
    top = CommentFactory(post=bens_post, author=cleo)

    response = reply(ana_client, bens_post, top.id)

    assert response.status_code == 201, response.content
    body = response.json()
    stored = Comment.objects.get(pk=body["id"])
    assert (body["reply_to"], stored.reply_to_id, stored.author_id) == (top.id, top.id, ana.id)


def test_a_reply_to_a_reply_attaches_to_the_top_comment(ana_client, ben, cleo, bens_post):
    top = CommentFactory(post=bens_post, author=cleo)
    answer = CommentFactory(post=bens_post, author=ben, reply_to=top)

    response = reply(ana_client, bens_post, answer.id)

    assert response.status_code == 201, response.content
    assert response.json()["reply_to"] == top.id
    assert Comment.objects.get(pk=response.json()["id"]).reply_to_id == top.id


def test_a_comment_without_reply_to_is_a_top_comment(ana_client, bens_post):
    for payload in ({"text": "Hi."}, {"text": "Hi.", "reply_to": None}):
        response = ana_client.post(comments_url(bens_post), payload, format="json")

        assert (response.status_code, response.json()["reply_to"]) == (201, None)


def test_the_list_stays_flat_and_oldest_first(ana, ana_client, ben, cleo, bens_post):
    now = timezone.now()
    first = CommentFactory(post=bens_post, author=cleo, created_at=now - timedelta(hours=3))
    second = CommentFactory(post=bens_post, author=ben, created_at=now - timedelta(hours=2))
    answer = CommentFactory(
        post=bens_post, author=ana, reply_to=first, created_at=now - timedelta(hours=1)
    )

    response = ana_client.get(comments_url(bens_post))

    assert response.status_code == 200
    assert [(c["id"], c["reply_to"]) for c in response.json()] == [
        (first.id, None),
        (second.id, None),
        (answer.id, first.id),
    ]


NO_SUCH_COMMENT = {"reply_to": ["No such comment on this post."]}


@pytest.mark.parametrize(
    "how",
    ["missing", "other_post", "deleted", "removed", "author_blocked_me", "i_blocked_author"],
)
def test_a_comment_i_cannot_read_here_cannot_be_answered(ana, ana_client, cleo, bens_post, how):
    target = CommentFactory(post=bens_post, author=cleo)
    if how == "missing":
        target_id = target.id + 1000
    else:
        target_id = target.id
    if how == "other_post":
        target.post = PostFactory(author=cleo)
        target.save()
    elif how == "deleted":
        Comment.objects.filter(pk=target.id).update(is_deleted=True)
    elif how == "removed":
        Comment.objects.filter(pk=target.id).update(removed_at=timezone.now())
    elif how == "author_blocked_me":
        BlockFactory(blocker=cleo, blocked=ana)
    elif how == "i_blocked_author":
        BlockFactory(blocker=ana, blocked=cleo)

    response = reply(ana_client, bens_post, target_id)

    assert (response.status_code, response.json()) == (400, NO_SUCH_COMMENT)
    assert not Comment.objects.filter(author=ana).exists()
    assert Post.objects.get(pk=bens_post.pk).comment_count == 0


@pytest.mark.parametrize("value", ["5", 5.5, True, 0, -1, 2**63, [1], {"id": 1}])
def test_a_reply_to_that_is_no_id_is_400(ana_client, bens_post, value):
    response = reply(ana_client, bens_post, value)

    assert response.status_code == 400
    assert list(response.json()) == ["reply_to"]


def test_a_critique_is_never_threaded(ana_client, cleo, bens_post):
    target = CommentFactory(post=bens_post, author=cleo)
    critique = CritiqueFactory(post=bens_post, author=cleo)
    url = f"/api/posts/{bens_post.id}/critiques/"

    for reply_to in (target.id, critique.id):
        response = ana_client.post(url, {"text": "x", "reply_to": reply_to}, format="json")

        assert response.status_code == 400
        assert response.json() == {"reply_to": ["Unknown field. This endpoint takes: text."]}
    created = ana_client.post(url, {"text": "x"}, format="json").json()
    assert "reply_to" not in created


def test_an_unknown_field_on_a_comment_is_400(ana_client, bens_post):
    response = ana_client.post(comments_url(bens_post), {"text": "x", "parent": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"parent": ["Unknown field. This endpoint takes: reply_to, text."]}


def test_the_answered_author_is_notified_and_the_post_author_too(ana, ana_client, ben, bens_post):
    cleo = UserFactory(username="cleo2")
    top = CommentFactory(post=bens_post, author=cleo)

    assert reply(ana_client, bens_post, top.id).status_code == 201

    assert notices("reply") == [(cleo.id, ana.id, bens_post.id)]
    assert notices("comment") == [(ben.id, ana.id, bens_post.id)]


def test_a_reply_to_the_post_authors_comment_notifies_them_once(ana, ana_client, ben, bens_post):
    top = CommentFactory(post=bens_post, author=ben)

    assert reply(ana_client, bens_post, top.id).status_code == 201

    assert notices("reply") == [(ben.id, ana.id, bens_post.id)]
    assert notices("comment") == []


def test_answering_my_own_comment_notifies_nobody_but_the_post_author(
    ana, ana_client, ben, bens_post
):
    top = CommentFactory(post=bens_post, author=ana)

    assert reply(ana_client, bens_post, top.id).status_code == 201

    assert notices("reply") == []
    assert notices("comment") == [(ben.id, ana.id, bens_post.id)]


def test_the_author_of_the_answered_reply_is_the_one_notified(ana, ana_client, ben, cleo):
    post = PostFactory(author=ana)
    top = CommentFactory(post=post, author=ana)
    answer = CommentFactory(post=post, author=cleo, reply_to=top)

    assert reply(ana_client, post, answer.id).status_code == 201

    # Cleo, whom ana answered, hears of it; the comment is stored under ana's top comment.
    assert notices("reply") == [(cleo.id, ana.id, post.id)]
    assert Comment.objects.latest("id").reply_to_id == top.id


def test_the_reply_notification_is_listed_with_its_kind(ana_client, cleo, cleo_client, bens_post):
    top = CommentFactory(post=bens_post, author=cleo)
    reply(ana_client, bens_post, top.id)

    listed = cleo_client.get("/api/notifications/").json()

    assert [(n["kind"], n["post"], n["actor"]["username"]) for n in listed] == [
        ("reply", bens_post.id, "ana")
    ]


def test_deleting_the_top_comment_keeps_the_reply_pointing_at_it(ana_client, cleo, bens_post):
    top = CommentFactory(post=bens_post, author=cleo)
    answer_id = reply(ana_client, bens_post, top.id).json()["id"]
    Comment.objects.filter(pk=top.id).update(is_deleted=True)

    listed = ana_client.get(comments_url(bens_post)).json()

    assert [(c["id"], c["reply_to"]) for c in listed] == [(answer_id, top.id)]


def test_a_hard_deleted_top_comment_leaves_its_replies_as_top_comments(ana_client, bens_post):
    gone = UserFactory(username="gone")
    top = CommentFactory(post=bens_post, author=gone)
    answer_id = reply(ana_client, bens_post, top.id).json()["id"]

    gone.delete()  # the account's comments go with it (CASCADE); replies stay (SET NULL)

    assert Comment.objects.get(pk=answer_id).reply_to_id is None
