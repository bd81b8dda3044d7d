"""/posts/<id>/: reactions (heart, praise, trophy) and deleting one's own remarks, as forms."""

import re

import pytest

from atelier.post.models import Appreciation, Comment, Critique, Post
from atelier.post.services import remark_create
from atelier.post.tests.conftest import collective_channel
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bens_post(ben):
    return PostFactory(author=ben, title="Harbour")


def react(client, post, kind: str, give: str):
    return client.post(
        f"/posts/{post.id}/", {"action": "appreciate", "appreciation": kind, "give": give}
    )


def delete(client, post, kind: str, remark_id):
    return client.post(
        f"/posts/{post.id}/", {"action": "delete", "kind": kind, "remark": str(remark_id)}
    )


def button(page: str, kind: str) -> str:
    """The reaction button of `kind` on a rendered post page (its opening tag)."""
    match = re.search(rf'<button type="submit" class="act act-{kind}"[^>]*>', page)
    assert match, f"no {kind} button"
    return match.group()


def test_giving_and_taking_back_each_reaction(client, ana, bens_post):
    client.force_login(ana)
    page = client.get(f"/posts/{bens_post.id}/").content.decode()
    assert 'aria-pressed="false"' in button(page, "heart")

    for kind in ("heart", "praise", "trophy"):
        response = react(client, bens_post, kind, "1")
        assert response.status_code == 302
        assert response["Location"] == f"/posts/{bens_post.id}/#reactions"

    assert set(Appreciation.objects.filter(user=ana).values_list("kind", flat=True)) == {
        "heart",
        "praise",
        "trophy",
    }
    bens_post.refresh_from_db()
    assert (bens_post.hearts_count, bens_post.praise_count, bens_post.trophy_count) == (1, 1, 1)
    page = client.get(f"/posts/{bens_post.id}/").content.decode()
    assert 'aria-pressed="true"' in button(page, "praise")
    # Given twice (a second tab, a double click) still counts once.
    react(client, bens_post, "heart", "1")
    assert Post.objects.get(pk=bens_post.pk).hearts_count == 1

    react(client, bens_post, "heart", "0")

    assert not Appreciation.objects.filter(user=ana, kind="heart").exists()
    assert Post.objects.get(pk=bens_post.pk).hearts_count == 0
    page = client.get(f"/posts/{bens_post.id}/").content.decode()
    assert 'aria-pressed="false"' in button(page, "heart")


@pytest.mark.parametrize(
    "form",
    [
        {"action": "appreciate", "appreciation": "like", "give": "1"},
        {"action": "appreciate", "appreciation": "heart", "give": "yes"},
        {"action": "appreciate", "give": "1"},
        {"action": "dance"},
    ],
)
def test_an_unknown_reaction_or_action_is_404(client, ana, bens_post, form):
    client.force_login(ana)

    assert client.post(f"/posts/{bens_post.id}/", form).status_code == 404
    assert not Appreciation.objects.exists()


def test_a_visitor_is_asked_to_log_in_and_sees_counts_only(client, bens_post):
    page = client.get(f"/posts/{bens_post.id}/").content.decode()
    posted = react(client, bens_post, "heart", "1")

    assert 'class="act act-heart"' not in page and 'data-count="hearts"' in page
    assert posted.status_code == 302 and posted["Location"].startswith("/login/")
    assert not Appreciation.objects.exists()


def test_no_reaction_on_a_post_one_may_not_see(client, cleo, ben):
    private = PostFactory(author=ben, channel=collective_channel("private", ben))
    client.force_login(cleo)

    assert react(client, private, "heart", "1").status_code == 404
    assert not Appreciation.objects.exists()


def test_deleting_my_comment_and_my_critique(client, ana, bens_post):
    comment = remark_create(kind="comment", author=ana, post=bens_post, text="Lovely light")
    critique = remark_create(kind="critique", author=ana, post=bens_post, text="Crop it")
    client.force_login(ana)
    page = client.get(f"/posts/{bens_post.id}/").content.decode()
    assert page.count('class="remark-delete"') == 2

    first = delete(client, bens_post, "comment", comment.id)
    second = delete(client, bens_post, "critique", critique.id)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"/posts/{bens_post.id}/#comments"
    assert second["Location"] == f"/posts/{bens_post.id}/#critiques"
    assert Comment.objects.get().is_deleted and Critique.objects.get().is_deleted
    bens_post.refresh_from_db()
    assert (bens_post.comment_count, bens_post.critique_count) == (0, 0)
    page = client.get(f"/posts/{bens_post.id}/").content.decode()
    assert "Lovely light" not in page and "Crop it" not in page
    # Deleted already: there is nothing left to delete.
    assert delete(client, bens_post, "comment", comment.id).status_code == 404


def test_someone_elses_remark_has_no_delete_button_and_cannot_be_deleted(
    client, ana, ben, bens_post
):
    bens = CommentFactory(post=bens_post, author=ben, text="Thanks all")
    CritiqueFactory(post=bens_post, author=ben)
    client.force_login(ana)

    page = client.get(f"/posts/{bens_post.id}/").content.decode()
    response = delete(client, bens_post, "comment", bens.id)

    assert "Thanks all" in page and 'class="remark-delete"' not in page
    assert response.status_code == 403
    assert not Comment.objects.get().is_deleted


@pytest.mark.parametrize(
    ("kind", "remark"), [("comment", "abc"), ("comment", ""), ("poem", "1"), ("comment", "²")]
)
def test_a_bad_delete_form_is_404(client, ana, bens_post, kind, remark):
    CommentFactory(post=bens_post, author=ana)
    client.force_login(ana)

    assert delete(client, bens_post, kind, remark).status_code == 404
    assert not Comment.objects.filter(is_deleted=True).exists()


def test_a_remark_of_another_post_is_404(client, ana, ben, bens_post):
    other = PostFactory(author=ben)
    mine = CommentFactory(post=other, author=ana)
    client.force_login(ana)

    assert delete(client, bens_post, "comment", mine.id).status_code == 404
    assert delete(client, bens_post, "comment", 2**70).status_code == 404
    assert not Comment.objects.get().is_deleted
