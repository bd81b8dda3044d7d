"""A post's remark counters count what its lists show (post.visibility.counted_remark):
not deleted, not removed by moderation, the author not suspended. Moderation's removal and
restore of a remark, and a suspension and its end, recount the posts they touch."""

import pytest

from atelier.core.tests.factories import UserFactory
from atelier.dump.importer import _recount_posts
from atelier.post.models import Post
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory


@pytest.fixture
def mod_client(db, client_for):
    return client_for(UserFactory(username="mod", is_staff=True))


def _act(client, target_type: str, target_id: int, action: str) -> None:
    body = {"target_type": target_type, "target_id": target_id, "action": action}
    response = client.post("/api/moderation/actions/", {**body, "reason": "Rule 1"}, format="json")
    assert response.status_code == 201, response.content


def _counts(client, post) -> tuple[int, int]:
    """(comments, critiques) as the post object and `posts/meta` both say them."""
    one = client.get(f"/api/posts/{post.id}/").json()
    meta = client.get("/api/posts/meta/", {"ids": str(post.id)}).json()[str(post.id)]
    assert (one["comment_count"], one["critique_count"]) == (meta["comments"], meta["critiques"])
    return meta["comments"], meta["critiques"]


def _listed(client, post, kind: str) -> int:
    page = client.get(f"/api/posts/{post.id}/{kind}/").json()
    return len(page["results"] if isinstance(page, dict) else page)


def _remark(client, post, kind: str, text: str = "nice") -> int:
    response = client.post(f"/api/posts/{post.id}/{kind}/", {"text": text}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.mark.parametrize("kind", ["comments", "critiques"])
def test_a_removed_remark_is_uncounted_and_counted_again_when_restored(
    kind, ana, ben_client, cleo_client, mod_client
):
    post = PostFactory(author=ana)
    removed = _remark(ben_client, post, kind)
    _remark(cleo_client, post, kind)
    target_type = kind.removesuffix("s")
    index = 0 if kind == "comments" else 1
    assert _counts(cleo_client, post)[index] == 2

    _act(mod_client, target_type, removed, "remove")
    assert _counts(cleo_client, post)[index] == 1 == _listed(cleo_client, post, kind)

    _act(mod_client, target_type, removed, "restore")
    assert _counts(cleo_client, post)[index] == 2 == _listed(cleo_client, post, kind)


def test_a_suspended_members_remarks_are_uncounted_on_every_post_until_unsuspended(
    ana, ben, ben_client, cleo_client, mod_client
):
    first, second = PostFactory(author=ana), PostFactory(author=ana)
    _remark(ben_client, first, "comments")
    _remark(ben_client, first, "critiques")
    _remark(ben_client, second, "comments")
    _remark(cleo_client, second, "comments")

    _act(mod_client, "user", ben.id, "suspend")
    assert _counts(cleo_client, first) == (0, 0)
    assert _counts(cleo_client, second) == (1, 0) == (_listed(cleo_client, second, "comments"), 0)

    _act(mod_client, "user", ben.id, "unsuspend")
    assert _counts(cleo_client, first) == (1, 1)
    assert _counts(cleo_client, second) == (2, 0)


def test_deleting_a_removed_remark_does_not_uncount_it_twice(
    ana, ben_client, cleo_client, mod_client
):
    post = PostFactory(author=ana)
    removed = _remark(ben_client, post, "comments")
    _remark(cleo_client, post, "comments")
    _act(mod_client, "comment", removed, "remove")

    assert ben_client.delete(f"/api/posts/{post.id}/comments/{removed}/").status_code == 204

    assert _counts(cleo_client, post) == (1, 0)
    _act(mod_client, "comment", removed, "restore")  # deleted by its author: stays out
    assert _counts(cleo_client, post) == (1, 0)


def test_the_importers_recount_counts_what_the_services_count(ana, ben, cleo):
    post = PostFactory(author=ana)
    CommentFactory(post=post, author=cleo)
    CommentFactory(post=post, author=cleo, is_deleted=True)
    CommentFactory(post=post, author=cleo, removed_at=post.created_at)
    CommentFactory(post=post, author=ben)
    CritiqueFactory(post=post, author=ben)
    CritiqueFactory(post=post, author=cleo)
    ben.suspended_at, ben.is_active = post.created_at, False
    ben.save()
    Post.objects.filter(pk=post.pk).update(comment_count=9, critique_count=9)

    _recount_posts()

    post.refresh_from_db()
    assert (post.comment_count, post.critique_count) == (1, 1)
