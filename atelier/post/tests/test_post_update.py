"""PATCH /api/posts/{id}/: the author's edit, today its content warning (docs/api.md)."""

import json

import pytest

from atelier.post.models import Post
from atelier.post.tests.conftest import INVISIBLE, make_invisible_post
from atelier.post.tests.factories import PostFactory


def _patch(client, post, body):
    # json.dumps escapes non-ASCII, so a lone surrogate travels as the escape a client sends.
    return client.patch(f"/api/posts/{post.id}/", json.dumps(body), content_type="application/json")


def _stored_warning(post) -> str | None:
    return Post.objects.values_list("content_warning", flat=True).get(pk=post.pk)


def test_the_author_sets_a_warning_and_gets_the_post_object(ben_client, bens_post):
    response = _patch(ben_client, bens_post, {"content_warning": "  flashing lights  "})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == bens_post.id
    assert body["title"] == bens_post.title
    assert body["content_warning"] == "flashing lights"  # trimmed
    assert _stored_warning(bens_post) == "flashing lights"
    assert ben_client.get(f"/api/posts/{bens_post.id}/").json()["content_warning"] == (
        "flashing lights"
    )


@pytest.mark.parametrize("none", [None, "", "   "])
def test_null_or_an_empty_string_removes_the_warning(ben, ben_client, none):
    post = PostFactory(author=ben, content_warning="gore")

    response = _patch(ben_client, post, {"content_warning": none})

    assert response.status_code == 200, response.content
    assert response.json()["content_warning"] is None
    assert _stored_warning(post) is None


def test_an_empty_body_changes_nothing(ben, ben_client):
    post = PostFactory(author=ben, content_warning="gore")

    response = _patch(ben_client, post, {})

    assert response.status_code == 200
    assert response.json()["content_warning"] == "gore"
    assert _stored_warning(post) == "gore"


def test_200_characters_are_accepted_and_201_refused(ben_client, bens_post):
    assert _patch(ben_client, bens_post, {"content_warning": "w" * 200}).status_code == 200

    response = _patch(ben_client, bens_post, {"content_warning": "x" * 201})

    assert response.status_code == 400
    assert response.json() == {
        "content_warning": ["Ensure this field has no more than 200 characters."]
    }
    assert _stored_warning(bens_post) == "w" * 200


@pytest.mark.parametrize(
    "bad, message",
    [
        (5, "Not a valid string."),
        (True, "Not a valid string."),
        (["gore"], "Not a valid string."),
        ({"text": "gore"}, "Not a valid string."),
        ("a\x00b", "Null characters are not allowed."),
    ],
)
def test_a_warning_that_is_not_text_is_a_400(ben_client, bens_post, bad, message):
    response = _patch(ben_client, bens_post, {"content_warning": bad})

    assert response.status_code == 400
    assert response.json() == {"content_warning": [message]}
    assert _stored_warning(bens_post) is None


def test_a_lone_surrogate_is_refused_by_the_shared_parser(ben_client, bens_post):
    response = _patch(ben_client, bens_post, {"content_warning": "\ud800"})

    assert response.status_code == 400
    assert "content_warning" in response.json()
    assert _stored_warning(bens_post) is None


def test_a_field_the_edit_does_not_take_is_a_400_naming_it(ben_client, bens_post):
    response = _patch(ben_client, bens_post, {"content_warning": "gore", "title": "New title"})

    assert response.status_code == 400
    assert response.json() == {"title": ["Unknown field. This endpoint takes: content_warning."]}
    bens_post.refresh_from_db()
    assert (bens_post.title, bens_post.content_warning) != ("New title", "gore")
    assert bens_post.content_warning is None


@pytest.mark.parametrize("body", ["[]", '"gore"', "null", "1"])
def test_a_body_that_is_not_an_object_is_a_400(ben_client, bens_post, body):
    response = ben_client.generic(
        "PATCH", f"/api/posts/{bens_post.id}/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_a_member_who_is_not_the_author_gets_a_403(ana_client, bens_post):
    response = _patch(ana_client, bens_post, {"content_warning": "gore"})

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author can edit a post."}
    assert _stored_warning(bens_post) is None


def test_a_non_author_gets_the_403_whatever_the_body(ana_client, bens_post):
    assert _patch(ana_client, bens_post, {"content_warning": 5, "x": 1}).status_code == 403


@pytest.mark.parametrize("how", INVISIBLE)
def test_a_post_the_member_cannot_see_is_a_404(ana, ana_client, ben, how):
    post = make_invisible_post(how, author=ben, viewer=ana)

    response = _patch(ana_client, post, {"content_warning": "gore"})

    assert response.status_code == 404
    assert _stored_warning(post) is None


def test_the_author_cannot_edit_a_deleted_post(ben, ben_client):
    post = PostFactory(author=ben, is_deleted=True)

    assert _patch(ben_client, post, {"content_warning": "gore"}).status_code == 404


def test_a_visitor_gets_a_401(anon_client, bens_post):
    response = _patch(anon_client, bens_post, {"content_warning": "gore"})

    assert response.status_code == 401
    assert _stored_warning(bens_post) is None


def test_a_missing_post_is_a_404(ben_client):
    response = ben_client.patch("/api/posts/987654/", {"content_warning": "x"}, format="json")

    assert response.status_code == 404


def test_the_create_takes_the_same_warning_rules(ana_client):
    def create(warning):
        body = {"title": "t", "post_type": "poem", "content_warning": warning}
        return ana_client.post("/api/posts/", json.dumps(body), content_type="application/json")

    assert create("  spiders ").json()["content_warning"] == "spiders"
    assert create("").json()["content_warning"] is None
    assert create(None).json()["content_warning"] is None
    assert create("x" * 201).status_code == 400
    assert create(7).json() == {"content_warning": ["Not a valid string."]}
