"""/posts/<id>/: the post with its media, comments and critiques (read and write)."""

import pytest

from atelier.post.models import Comment, Critique
from atelier.post.tests.conftest import collective_channel
from atelier.post.tests.factories import CommentFactory, PostFactory
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def bens_picture(ben):
    post = PostFactory(author=ben, title="Harbour", body="Shot on film.")
    picture_for(post)
    return post


def test_a_member_sees_the_post_its_picture_and_its_remarks(client, ana, ben, bens_picture):
    CommentFactory(post=bens_picture, author=ana, text="Lovely light")
    client.force_login(ana)

    response = client.get(f"/posts/{bens_picture.id}/")

    assert response.status_code == 200
    page = response.content.decode()
    media = bens_picture.media.get()
    assert f'src="/media/{media.file}"' in page
    assert f'width="{media.width}" height="{media.height}"' in page
    assert f'data-placeholder="{media.placeholder}"' in page
    assert "Lovely light" in page and "Shot on film." in page
    assert 'id="new-comment"' in page and 'id="new-critique"' in page


def test_writing_a_comment_and_a_critique(client, ana, bens_picture):
    client.force_login(ana)

    response = client.post(
        f"/posts/{bens_picture.id}/", {"kind": "comment", "text": "  Wonderful  "}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/posts/{bens_picture.id}/#comments"
    client.post(f"/posts/{bens_picture.id}/", {"kind": "critique", "text": "Crop tighter"})

    assert Comment.objects.get().text == "Wonderful"
    assert Critique.objects.get().text == "Crop tighter"
    bens_picture.refresh_from_db()
    assert (bens_picture.comment_count, bens_picture.critique_count) == (1, 1)
    assert "Crop tighter" in client.get(f"/posts/{bens_picture.id}/").content.decode()


def test_an_empty_or_too_long_remark_is_refused_with_a_message(client, ana, bens_picture):
    client.force_login(ana)

    empty = client.post(f"/posts/{bens_picture.id}/", {"kind": "comment", "text": "   "})
    long = client.post(f"/posts/{bens_picture.id}/", {"kind": "critique", "text": "x" * 10_001})

    assert empty.status_code == long.status_code == 400
    assert "Write something" in empty.content.decode()
    assert "At most 10000 characters" in long.content.decode()
    assert not Comment.objects.exists() and not Critique.objects.exists()


def test_an_unknown_kind_is_404(client, ana, bens_picture):
    client.force_login(ana)

    assert client.post(f"/posts/{bens_picture.id}/", {"kind": "x", "text": "y"}).status_code == 404


def test_a_visitor_sees_a_public_post_and_is_asked_to_log_in(client, bens_picture):
    CommentFactory(post=bens_picture, text="Members only")

    response = client.get(f"/posts/{bens_picture.id}/")
    posted = client.post(f"/posts/{bens_picture.id}/", {"kind": "comment", "text": "hi"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbour" in page and "Log in</a> to read and write" in page
    assert "Members only" not in page
    assert posted.status_code == 302 and posted["Location"].startswith("/login/")
    assert not Comment.objects.filter(text="hi").exists()


def test_posts_one_may_not_see_are_404(client, ana, ben, cleo):
    private = PostFactory(author=ben, channel=collective_channel("private", ben))
    deleted = PostFactory(author=ben, is_deleted=True)
    client.force_login(cleo)

    for post_id in (private.id, deleted.id, 987654, 2**70):
        assert client.get(f"/posts/{post_id}/").status_code == 404
    assert client.post(f"/posts/{private.id}/", {"kind": "comment", "text": "x"}).status_code == 404
