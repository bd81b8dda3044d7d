"""Every post path treats a post the viewer may not see as missing, and leaves it untouched.

docs/api.md: "Every interaction on a post requires the post to be visible to the actor (404
otherwise)"; meta leaves such ids out and seen ignores them. The reasons a post is invisible
are `conftest.INVISIBLE`: a collective the viewer is not in (private or public), a block
either way, a soft delete. A control test runs the same paths on a visible post, so that a
404 here cannot come from a mistyped URL.
"""

from collections.abc import Callable
from typing import NamedTuple

import pytest

from atelier.notification.models import Notification
from atelier.post.models import Appreciation, Comment, Critique, HiddenPost, Post, SeenPost
from atelier.post.tests.factories import (
    AppreciationFactory,
    CommentFactory,
    CritiqueFactory,
    PostFactory,
)

COUNTERS = ["hearts_count", "praise_count", "trophy_count", "comment_count", "critique_count"]


class Path(NamedTuple):
    method: str
    url: str  # formatted with the ids of `post`, `comment`, `critique`, `control`
    ok: int  # the answer for the same request on a visible post of someone else's
    body: Callable[[dict], dict] | None = None


PATHS = {
    "detail": Path("get", "/api/posts/{post}/", 200),
    "delete": Path("delete", "/api/posts/{post}/", 403),
    "heart": Path("post", "/api/posts/{post}/heart/", 201),
    "unheart": Path("delete", "/api/posts/{post}/heart/", 204),
    "praise": Path("post", "/api/posts/{post}/praise/", 201),
    "unpraise": Path("delete", "/api/posts/{post}/praise/", 204),
    "trophy": Path("post", "/api/posts/{post}/trophy/", 201),
    "untrophy": Path("delete", "/api/posts/{post}/trophy/", 204),
    "comments": Path("get", "/api/posts/{post}/comments/", 200),
    "comment": Path("post", "/api/posts/{post}/comments/", 201, lambda ids: {"text": "hi"}),
    "uncomment": Path("delete", "/api/posts/{post}/comments/{comment}/", 204),
    "critiques": Path("get", "/api/posts/{post}/critiques/", 200),
    "critique": Path("post", "/api/posts/{post}/critiques/", 201, lambda ids: {"text": "hm"}),
    "uncritique": Path("delete", "/api/posts/{post}/critiques/{critique}/", 204),
    "hide": Path("post", "/api/posts/{post}/hide/", 204),
    "unhide": Path("delete", "/api/posts/{post}/hide/", 204),
    "meta": Path("get", "/api/posts/meta/?ids={post},{control}", 200),
    "seen": Path(
        "post", "/api/posts/seen/", 204, lambda ids: {"post_ids": [ids["post"], ids["control"]]}
    ),
}


def prepare(viewer, post, path: Path) -> dict:
    """Leave the viewer's own traces on `post` (what an undo would remove); return the ids."""
    if path.method == "delete":
        for kind in Appreciation.Kind.values:
            AppreciationFactory(user=viewer, post=post, kind=kind)
        HiddenPost.objects.create(user=viewer, post=post)
    return {
        "post": post.id,
        "comment": CommentFactory(post=post, author=viewer).id,
        "critique": CritiqueFactory(post=post, author=viewer).id,
        "control": PostFactory().id,  # by a bystander, visible to everyone
    }


def call(client, path: Path, ids: dict):
    body = path.body(ids) if path.body else None
    return getattr(client, path.method)(path.url.format(**ids), body, format="json")


def footprint(post) -> dict:
    """Everything a request could have changed on `post`."""
    fresh = Post.objects.get(pk=post.pk)
    return {
        "post": (fresh.is_deleted, fresh.deleted_at, *(getattr(fresh, c) for c in COUNTERS)),
        "appreciations": sorted(
            Appreciation.objects.filter(post=post).values_list("user_id", "kind")
        ),
        "comments": sorted(Comment.objects.filter(post=post).values_list("id", "is_deleted")),
        "critiques": sorted(Critique.objects.filter(post=post).values_list("id", "is_deleted")),
        "seen": sorted(SeenPost.objects.filter(post=post).values_list("user_id", flat=True)),
        "hidden": sorted(HiddenPost.objects.filter(post=post).values_list("user_id", flat=True)),
        "notifications": Notification.objects.filter(post=post).count(),
    }


@pytest.mark.parametrize("name", PATHS)
def test_an_invisible_post_is_missing_on_every_path(ana, ana_client, invisible_post, name):
    path = PATHS[name]
    ids = prepare(ana, invisible_post, path)
    before = footprint(invisible_post)

    response = call(ana_client, path, ids)

    if name == "meta":
        assert response.status_code == 200
        assert list(response.json()) == [str(ids["control"])]
    elif name == "seen":
        assert response.status_code == 204
        assert SeenPost.objects.filter(user=ana, post_id=ids["control"]).exists()
    else:
        assert response.status_code == 404, response.content
    assert footprint(invisible_post) == before


@pytest.mark.parametrize("name", PATHS)
def test_every_path_answers_on_a_visible_post(ana, ana_client, bens_post, name):
    path = PATHS[name]
    ids = prepare(ana, bens_post, path)

    response = call(ana_client, path, ids)

    assert response.status_code == path.ok, response.content
    if name == "meta":
        assert set(response.json()) == {str(bens_post.id), str(ids["control"])}
    if name == "seen":
        assert SeenPost.objects.filter(user=ana, post=bens_post).exists()
