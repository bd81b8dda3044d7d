"""Replies on the post page: a Reply form under each comment, replies shown under their top
comment, the API's serializer and service behind the form, and the notifications page."""

import html
import re

import pytest

from atelier.core.tests.factories import BlockFactory
from atelier.notification.models import Notification
from atelier.post.models import Comment
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bens_post(ben):
    return PostFactory(author=ben, title="Harbour")


def page_of(client, post) -> str:
    response = client.get(f"/posts/{post.id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_comment_has_a_reply_form_naming_it(client, ana, cleo, bens_post):
    top = CommentFactory(post=bens_post, author=cleo, text="Top")
    CritiqueFactory(post=bens_post, author=cleo)
    client.force_login(ana)

    page = page_of(client, bens_post)

    form = re.search(rf'<form[^>]*id="reply-{top.id}".*?</form>', page, re.S).group(0)
    assert f'name="reply_to" value="{top.id}"' in form
    assert 'name="kind" value="comment"' in form
    assert "<script" not in form  # a disclosure (details), no script: the CSP holds
    assert page.count('class="reply-box"') == 1  # critiques are not threaded


def test_replying_from_the_page_threads_notifies_and_returns_to_it(
    client, ana, ben, cleo, bens_post
):
    top = CommentFactory(post=bens_post, author=cleo, text="Top")
    answer = CommentFactory(post=bens_post, author=ben, text="First answer", reply_to=top)
    client.force_login(ana)

    response = client.post(
        f"/posts/{bens_post.id}/", {"kind": "comment", "text": "Me too", "reply_to": answer.id}
    )

    mine = Comment.objects.get(author=ana)
    assert response.status_code == 302
    assert response["Location"] == f"/posts/{bens_post.id}/#comment-{mine.id}"
    assert mine.reply_to_id == top.id  # a reply to a reply joins the top comment's thread
    assert Notification.objects.filter(kind="reply", notified_to=ben, actor=ana).exists()


def test_replies_are_shown_under_their_top_comment(client, ana, ben, cleo, bens_post):
    first = CommentFactory(post=bens_post, author=cleo, text="First top")
    second = CommentFactory(post=bens_post, author=ben, text="Second top")
    answer = CommentFactory(post=bens_post, author=ana, text="Answer to first", reply_to=first)
    client.force_login(ana)

    page = page_of(client, bens_post)

    replies = re.search(r'<ol class="remark-list reply-list"[^>]*>(.*?)</ol>', page, re.S)
    assert replies is not None
    assert f'id="comment-{answer.id}"' in replies.group(1)
    # The reply list sits inside the first top comment, before the second one.
    assert page.index(f'id="comment-{first.id}"') < replies.start()
    assert replies.end() < page.index(f'id="comment-{second.id}"')
    # The count is of all comments, replies included.
    assert re.search(r'Comments <span class="muted">3</span>', page)


def test_a_reply_whose_top_comment_is_gone_stands_alone(client, ana, ben, cleo, bens_post):
    top = CommentFactory(post=bens_post, author=cleo, text="Top", is_deleted=True)
    answer = CommentFactory(post=bens_post, author=ben, text="Orphan", reply_to=top)
    client.force_login(ana)

    page = page_of(client, bens_post)

    assert f'<li class="remark-item" id="comment-{answer.id}">' in page
    assert "in reply to a comment no longer shown" in page
    assert "reply-list" not in page


@pytest.mark.parametrize(
    ("reply_to", "field"),
    [("abc", "reply_to"), ("0", "reply_to"), ("99999999999999999999999", "reply_to")],
)
def test_a_bad_reply_to_gets_the_apis_message(client, ana, ana_client, bens_post, reply_to, field):
    api_value = int(reply_to) if reply_to.isdigit() and len(reply_to) < 20 else reply_to
    api = ana_client.post(
        f"/api/posts/{bens_post.id}/comments/",
        {"text": "x", "reply_to": api_value},
        format="json",
    )
    client.force_login(ana)

    page = client.post(
        f"/posts/{bens_post.id}/", {"kind": "comment", "text": "x", "reply_to": reply_to}
    )

    assert api.status_code == page.status_code == 400
    (message,) = api.json()[field]
    error = re.search(r'id="comment-error">(.*?)</p>', page.content.decode(), re.S)
    assert error is not None and html.unescape(error.group(1)) == message
    assert not Comment.objects.exists()


def test_replying_to_a_comment_hidden_by_a_block_is_refused_and_keeps_the_draft(
    client, ana, cleo, bens_post
):
    top = CommentFactory(post=bens_post, author=cleo, text="Top")
    BlockFactory(blocker=cleo, blocked=ana)
    client.force_login(ana)

    response = client.post(
        f"/posts/{bens_post.id}/", {"kind": "comment", "text": "My draft", "reply_to": top.id}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "No such comment on this post." in page
    assert "My draft" in re.search(r'<textarea id="new-comment"[^>]*>.*?</textarea>', page, re.S)[0]
    assert not Comment.objects.filter(author=ana).exists()


def test_a_refused_reply_comes_back_open_under_its_comment(client, ana, cleo, bens_post):
    top = CommentFactory(post=bens_post, author=cleo, text="Top")
    client.force_login(ana)

    response = client.post(
        f"/posts/{bens_post.id}/", {"kind": "comment", "text": "   ", "reply_to": top.id}
    )

    assert response.status_code == 400
    page = response.content.decode()
    box = re.search(r'<details class="reply-box" open>.*?</details>', page, re.S)
    assert box is not None and f'id="reply-{top.id}"' in box.group(0)
    assert f'id="reply-error-{top.id}"' in box.group(0)
    assert 'id="comment-error"' not in page  # the comment form below is untouched


def test_a_reply_notification_reads_and_links_to_the_comments(client, ana, cleo, bens_post):
    Notification.objects.create(notified_to=cleo, actor=ana, kind="reply", post=bens_post)
    client.force_login(cleo)

    page = client.get("/notifications/").content.decode()

    assert re.search(
        rf'replied to <a href="/posts/{bens_post.id}/#comments">your comment</a>', page
    )
