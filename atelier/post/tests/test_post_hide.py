"""POST/DELETE /api/posts/{id}/hide/: "not interested" marks, mine only, on visible posts."""

import pytest

from atelier.post.models import HiddenPost


def hidden_by(user) -> list[int]:
    return list(HiddenPost.objects.filter(user=user).values_list("post_id", flat=True))


def test_hide_is_204_and_idempotent(ana, ana_client, bens_post):
    url = f"/api/posts/{bens_post.id}/hide/"

    assert ana_client.post(url).status_code == 204
    assert ana_client.post(url).status_code == 204

    assert hidden_by(ana) == [bens_post.id]
    assert HiddenPost.objects.count() == 1


def test_unhide_is_204_and_removes_only_mine(ana, cleo, ana_client, cleo_client, bens_post):
    url = f"/api/posts/{bens_post.id}/hide/"
    ana_client.post(url)
    cleo_client.post(url)

    assert ana_client.delete(url).status_code == 204

    assert hidden_by(ana) == []
    assert hidden_by(cleo) == [bens_post.id]
    # Nothing left to undo: still 204.
    assert ana_client.delete(url).status_code == 204


def test_hidden_post_stays_reachable_by_id(ana_client, bens_post):
    """Hiding is about the feed only; the post must stay visible, or it could not be unhidden."""
    ana_client.post(f"/api/posts/{bens_post.id}/hide/")

    assert ana_client.get(f"/api/posts/{bens_post.id}/").status_code == 200


@pytest.mark.parametrize("method", ["post", "delete"])
def test_invisible_post_is_404(ana, ana_client, invisible_post, method):
    HiddenPost.objects.create(user=ana, post=invisible_post)

    response = getattr(ana_client, method)(f"/api/posts/{invisible_post.id}/hide/")

    assert response.status_code == 404
    assert hidden_by(ana) == [invisible_post.id]


def test_unknown_post_is_404(ana_client):
    assert ana_client.post("/api/posts/987654/hide/").status_code == 404


def test_anonymous_is_401(anon_client, bens_post):
    assert anon_client.post(f"/api/posts/{bens_post.id}/hide/").status_code == 401
    assert anon_client.delete(f"/api/posts/{bens_post.id}/hide/").status_code == 401
    assert not HiddenPost.objects.exists()
