"""/posts/<id>/: the post with its media, comments and critiques (read and write)."""

import html
import re

import pytest

from atelier.core.tests.factories import BlockFactory
from atelier.post.models import Comment, Critique
from atelier.post.tests.conftest import collective_channel
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory
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


# Bad remarks as a reader types them; the page and POST /api/posts/{id}/<kind>s/ must refuse
# each with the same message (one serializer behind both doors).
BAD_REMARKS = {
    "empty": "",
    "only spaces": "   \n\t ",
    "too long": "x" * 10_001,
    "a NUL character": "Nice\x00 work",
}


@pytest.mark.parametrize("kind", ["comment", "critique"])
@pytest.mark.parametrize("text", BAD_REMARKS.values(), ids=BAD_REMARKS.keys())
def test_the_page_refuses_a_bad_remark_with_the_apis_message(
    client, ana_client, ana, bens_picture, kind, text
):
    api = ana_client.post(f"/api/posts/{bens_picture.id}/{kind}s/", {"text": text}, format="json")
    client.force_login(ana)

    page = client.post(f"/posts/{bens_picture.id}/", {"kind": kind, "text": text})

    assert api.status_code == page.status_code == 400
    (message,) = api.json()["text"]
    error = re.search(
        rf'<p class="alert alert-error" role="alert" id="{kind}-error">(.*?)</p>',
        page.content.decode(),
        re.S,
    )
    assert error is not None and html.unescape(error.group(1)) == message
    assert not Comment.objects.exists() and not Critique.objects.exists()


def test_a_refused_remark_keeps_the_draft_and_comes_back_at_the_form(client, ana, bens_picture):
    client.force_login(ana)

    response = client.post(f"/posts/{bens_picture.id}/", {"kind": "critique", "text": "y" * 10_001})

    page = response.content.decode()
    # The form posts to its own fragment, so the answer opens at the form and its error;
    # the field names the error as its description (post.js focuses it).
    assert f'action="/posts/{bens_picture.id}/#critique-form"' in page
    assert 'id="critique-form"' in page
    textarea = re.search(r'<textarea id="new-critique"[^>]*>', page).group(0)
    assert 'aria-describedby="critique-error"' in textarea
    assert 'aria-invalid="true"' in textarea
    assert "y" * 10_001 in page
    # The other form is untouched.
    other = re.search(r'<textarea id="new-comment"[^>]*>', page).group(0)
    assert "aria-invalid" not in other and "aria-describedby" not in other


@pytest.mark.parametrize("who_blocked", ["viewer", "author"])
def test_remarks_by_members_blocked_either_way_are_hidden_as_in_the_api(
    client, ana_client, ana, ben, cleo, bens_picture, who_blocked
):
    CommentFactory(post=bens_picture, author=cleo, text="From cleo")
    CritiqueFactory(post=bens_picture, author=cleo, text="Cleo's critique")
    CommentFactory(post=bens_picture, author=ben, text="From ben")
    if who_blocked == "viewer":
        BlockFactory(blocker=ana, blocked=cleo)
    else:
        BlockFactory(blocker=cleo, blocked=ana)
    client.force_login(ana)

    page = client.get(f"/posts/{bens_picture.id}/").content.decode()
    api = ana_client.get(f"/api/posts/{bens_picture.id}/comments/").json()

    assert [c["text"] for c in api] == ["From ben"]
    assert "From ben" in page
    assert "From cleo" not in page and "Cleo&#x27;s critique" not in page


def test_a_remark_written_a_moment_ago_says_just_now(client, ana, bens_picture):
    CommentFactory(post=bens_picture, author=ana, text="Fresh")
    client.force_login(ana)

    page = client.get(f"/posts/{bens_picture.id}/").content.decode()

    assert "just now" in page
    assert "0 minutes" not in page


def test_a_visitor_reads_counts_in_the_right_number(client, bens_picture):
    bens_picture.hearts_count, bens_picture.trophy_count = 1, 1
    bens_picture.save(update_fields=["hearts_count", "trophy_count"])

    page = client.get(f"/posts/{bens_picture.id}/").content.decode()

    assert '<span data-count="hearts">1</span> heart ·' in page
    assert '<span data-count="trophies">1</span> trophy' in page


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
